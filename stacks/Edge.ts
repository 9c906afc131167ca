import { StackContext } from "sst/constructs";
import { RemovalPolicy } from "aws-cdk-lib";
import { Certificate, CertificateValidation } from "aws-cdk-lib/aws-certificatemanager";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { HostedZone } from "aws-cdk-lib/aws-route53";
import { CfnLoggingConfiguration, CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { stageConfig } from "./config.js";

/**
 * Requests per client IP address in any 5 minutes (WAF's rate-based rules count over a sliding
 * window and block the address while it is over). A whole office behind one NAT address shares
 * the general limit: 1,000 is about 3 requests a second, far above what people clicking through
 * the app make. Sign-in links are e-mails: 100 requests for links per address and 5 minutes;
 * the API limits links per e-mail address and per client on its own (docs/api.md).
 */
export const rateLimits = { all: 1_000, signInLink: 100, windowSeconds: 300 } as const;

/** AWS managed rule groups, evaluated in this order after the rate limits. */
export const managedRuleGroups = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

/**
 * The part of a stage that CloudFront requires in us-east-1: the WAF web ACL (scope CLOUDFRONT)
 * and the app domain's ACM certificate. SST 2.49.8 deploys every stack of a run into the run's
 * region (its Stack refuses an `env`), so this stack is the whole app when the region is
 * us-east-1 (sst.config.ts): `npx sst deploy --stage prod --region us-east-1`. Its two outputs
 * go into .env.prod (KARTA_WEB_ACL_ARN, KARTA_APP_CERTIFICATE_ARN), where the Web stack in
 * eu-central-1 reads them (stacks/config.ts, edgeHandOver). docs/deploy.md, section 4.
 */
export function Edge({ stack, app }: StackContext) {
  const config = stageConfig(app.stage);
  const metric = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
  const prefix = `${app.stage}-karta`;

  const rateRule = (name: string, priority: number, limit: number, scopeDown?: CfnWebACL.StatementProperty): CfnWebACL.RuleProperty => ({
    name,
    priority,
    action: { block: {} },
    statement: { rateBasedStatement: { aggregateKeyType: "IP", limit, evaluationWindowSec: rateLimits.windowSeconds, scopeDownStatement: scopeDown } },
    visibilityConfig: metric(`${prefix}-${name}`),
  });
  const managed = (name: (typeof managedRuleGroups)[number], priority: number): CfnWebACL.RuleProperty => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: "AWS",
        name,
        // Signatures (PNG images, up to 400 kB a report) and imported spreadsheets are bodies far
        // above the common rule set's 8 KB: that one rule only counts; the API limits sizes itself.
        ruleActionOverrides: name === "AWSManagedRulesCommonRuleSet" ? [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] : undefined,
      },
    },
    visibilityConfig: metric(`${prefix}-${name}`),
  });

  const webAcl = new CfnWebACL(stack, "WebAcl", {
    name: `${prefix}-edge`,
    description: "Karta: rate limits per IP and AWS managed rules in front of the app, /api/* and /approve/*",
    scope: "CLOUDFRONT",
    defaultAction: { allow: {} },
    visibilityConfig: metric(`${prefix}-edge`),
    rules: [
      rateRule("RateLimitSignInLink", 0, rateLimits.signInLink, {
        byteMatchStatement: {
          fieldToMatch: { uriPath: {} },
          positionalConstraint: "EXACTLY",
          searchString: "/api/auth/link",
          textTransformations: [{ priority: 0, type: "NONE" }],
        },
      }),
      rateRule("RateLimitPerIp", 1, rateLimits.all),
      ...managedRuleGroups.map((name, i) => managed(name, 2 + i)),
    ],
  });

  // WAF's log of what it blocked or counted (the name must start with aws-waf-logs-). It holds IP
  // addresses and URIs, so it is kept 6 months like every log group; cookies, the authorization
  // header and query strings (sign-in tokens) are redacted, allowed requests are not logged.
  const logs = new LogGroup(stack, "WebAclLogs", {
    logGroupName: `aws-waf-logs-${prefix}`,
    retention: RetentionDays.SIX_MONTHS,
    removalPolicy: config.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  new CfnLoggingConfiguration(stack, "WebAclLogging", {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [logs.logGroupArn],
    redactedFields: [{ singleHeader: { Name: "cookie" } }, { singleHeader: { Name: "authorization" } }, { queryString: {} }],
    loggingFilter: {
      DefaultBehavior: "DROP",
      Filters: [
        {
          Behavior: "KEEP",
          Requirement: "MEETS_ANY",
          Conditions: [{ ActionCondition: { Action: "BLOCK" } }, { ActionCondition: { Action: "COUNT" } }],
        },
      ],
    },
  });

  const outputs: Record<string, string> = { WebAclArn: webAcl.attrArn };
  if (config.domains) {
    const zone = HostedZone.fromHostedZoneAttributes(stack, "Zone", { hostedZoneId: config.domains.hostedZoneId, zoneName: config.domains.hostedZoneName });
    // CloudFront takes certificates from us-east-1 only; validated by a record CloudFormation
    // writes into the zone.
    const certificate = new Certificate(stack, "AppCertificate", {
      domainName: config.domains.app,
      validation: CertificateValidation.fromDns(zone),
    });
    outputs.AppCertificateArn = certificate.certificateArn;
  }
  stack.addOutputs(outputs);
  return { webAcl };
}
