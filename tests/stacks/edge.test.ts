import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Template } from "aws-cdk-lib/assertions";
import { synthFor, templatesFor } from "../support/templates.js";
import { synthesise, type SynthResult } from "../../local/synth.js";
import { trialSettings } from "../../local/trial-settings.js";
import { edgeHandOver, stageConfig } from "../../stacks/config.js";
import { withEnv } from "../support/env.js";
import { rateLimits } from "../../stacks/Edge.js";
import { defaultThrottle, routeThrottles } from "../../stacks/Api.js";
import { backupRetention } from "../../stacks/Storage.js";
import { kartaFunctions, type KartaFunction } from "./functions.js";

/**
 * The production stage's edge protection, custom domains, log retention, backups and alarms, on
 * the synthesised templates: prod in eu-central-1 (tests/support/templates.ts) and the stage's
 * us-east-1 edge stack (stacks/Edge.ts), both with local/trial-settings.ts.
 */
let prod: Record<string, Template>;
let synth: SynthResult;
let edgeSynth: SynthResult;
let edge: Template;
let functions: KartaFunction[];
const root = resolve(import.meta.dirname, "../..");

beforeAll(async () => {
  edgeSynth = await synthesise({ stage: "prod", region: "us-east-1", settings: trialSettings });
  edge = Template.fromJSON(edgeSynth.templates["prod-karta-Edge"]);
  prod = await templatesFor("prod");
  synth = await synthFor("prod");
  functions = kartaFunctions(synth, "prod");
}, 400_000);

const resources = (template: Template, type: string) => Object.entries<any>(template.findResources(type));
const only = (template: Template, type: string) => {
  const found = resources(template, type);
  expect(found, type).toHaveLength(1);
  return { id: found[0][0], ...found[0][1] };
};

describe("the us-east-1 edge stack of prod", () => {
  it("is the whole app in us-east-1 and passes cdk-nag", () => {
    expect(Object.keys(edgeSynth.templates)).toEqual(["prod-karta-Edge"]);
    expect(edgeSynth.checked).toBe(true);
    expect(edgeSynth.annotations.filter((a) => a.level !== "info" && a.message.startsWith("AwsSolutions-"))).toEqual([]);
  });

  it("has a CLOUDFRONT web ACL with per-IP rate limits (stricter on /api/auth/link) and the AWS managed rules", () => {
    const acl = only(edge, "AWS::WAFv2::WebACL").Properties;
    expect(acl.Scope).toBe("CLOUDFRONT");
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(acl.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    const rules: any[] = acl.Rules;
    for (const rule of rules) expect(rule.VisibilityConfig, rule.Name).toMatchObject({ CloudWatchMetricsEnabled: true });
    const rateRules = rules.filter((r) => r.Statement.RateBasedStatement);
    const general = rateRules.find((r) => !r.Statement.RateBasedStatement.ScopeDownStatement);
    const signIn = rateRules.find((r) => r.Statement.RateBasedStatement.ScopeDownStatement);
    expect(general.Statement.RateBasedStatement).toEqual({ AggregateKeyType: "IP", Limit: rateLimits.all, EvaluationWindowSec: 300 });
    expect(general.Action).toEqual({ Block: {} });
    expect(signIn.Action).toEqual({ Block: {} });
    expect(signIn.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: "IP", EvaluationWindowSec: 300 });
    expect(signIn.Statement.RateBasedStatement.Limit).toBeLessThan(general.Statement.RateBasedStatement.Limit);
    expect(signIn.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: "EXACTLY",
      SearchString: "/api/auth/link",
    });
    // the stricter rule is evaluated first, so it blocks before the general one counts
    expect(signIn.Priority).toBeLessThan(general.Priority);
    const managed = rules.filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(managed.map((r) => r.Statement.ManagedRuleGroupStatement.Name).sort()).toEqual([
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
    ]);
    for (const rule of managed) {
      expect(rule.OverrideAction, rule.Name).toEqual({ None: {} }); // the groups' own block actions apply
      expect(rule.Statement.ManagedRuleGroupStatement.VendorName).toBe("AWS");
    }
    // only the body-size rule is counted instead of blocking (signatures and imports are larger than 8 KB)
    const common = managed.find((r) => r.Name === "AWSManagedRulesCommonRuleSet");
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }]);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });

  it("logs blocked and counted requests to a 6-month log group, with cookies, authorization and query strings redacted", () => {
    const acl = only(edge, "AWS::WAFv2::WebACL");
    const logging = only(edge, "AWS::WAFv2::LoggingConfiguration").Properties;
    expect(logging.ResourceArn).toEqual({ "Fn::GetAtt": [acl.id, "Arn"] });
    const [groupId, group] = resources(edge, "AWS::Logs::LogGroup").find(([, g]) => g.Properties.LogGroupName?.startsWith("aws-waf-logs-"))!;
    expect(logging.LogDestinationConfigs).toEqual([{ "Fn::GetAtt": [groupId, "Arn"] }]);
    expect(group.Properties.RetentionInDays).toBe(180);
    expect(logging.RedactedFields).toEqual(expect.arrayContaining([{ SingleHeader: { Name: "cookie" } }, { SingleHeader: { Name: "authorization" } }, { QueryString: {} }]));
    expect(logging.LoggingFilter.DefaultBehavior).toBe("DROP");
  });

  it("makes the app domain's certificate in us-east-1, validated in the hosted zone, and outputs both ARNs", () => {
    const certificate = only(edge, "AWS::CertificateManager::Certificate").Properties;
    expect(certificate).toMatchObject({
      DomainName: trialSettings.KARTA_APP_DOMAIN,
      ValidationMethod: "DNS",
      DomainValidationOptions: [{ DomainName: trialSettings.KARTA_APP_DOMAIN, HostedZoneId: trialSettings.KARTA_HOSTED_ZONE_ID }],
    });
    expect(Object.keys(edge.findOutputs("*"))).toEqual(expect.arrayContaining(["WebAclArn", "AppCertificateArn"]));
  });
});

describe("CloudFront on prod", () => {
  const distribution = () => only(prod.Web, "AWS::CloudFront::Distribution").Properties.DistributionConfig;

  it("is associated with the edge stack's web ACL", () => {
    expect(distribution().WebACLId).toBe(trialSettings.KARTA_WEB_ACL_ARN);
  });

  it("serves the app on its own domain with the us-east-1 certificate, TLS 1.2, and alias records in the zone", () => {
    expect(distribution().Aliases).toEqual([trialSettings.KARTA_APP_DOMAIN]);
    expect(distribution().ViewerCertificate).toEqual({
      AcmCertificateArn: trialSettings.KARTA_APP_CERTIFICATE_ARN,
      MinimumProtocolVersion: "TLSv1.2_2021",
      SslSupportMethod: "sni-only",
    });
    const records = resources(prod.Web, "AWS::Route53::RecordSet").map(([, r]) => r.Properties);
    expect(records.map((r) => r.Type).sort()).toEqual(["A", "AAAA"]);
    for (const record of records) {
      expect(record.Name).toBe(`${trialSettings.KARTA_APP_DOMAIN}.`);
      expect(record.HostedZoneId).toBe(trialSettings.KARTA_HOSTED_ZONE_ID);
    }
  });

  it("sends /api/* and /approve/* to the API's custom domain over HTTPS", () => {
    const config = distribution();
    const apiOrigin = config.Origins.find((o: any) => o.DomainName === trialSettings.KARTA_API_DOMAIN);
    expect(apiOrigin, "an origin on the API's domain").toBeDefined();
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");
    for (const path of ["/api/*", "/approve/*"]) {
      expect(config.CacheBehaviors.find((b: any) => b.PathPattern === path).TargetOriginId, path).toBe(apiOrigin.Id);
    }
  });

  it("no longer suppresses the WAF (CFR2) or TLS (CFR4) findings on prod", () => {
    const ids = Object.values<any>(synth.templates["prod-karta-Web"].Resources).flatMap((r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s: any) => s.id));
    expect(ids).not.toContain("AwsSolutions-CFR2");
    expect(ids).not.toContain("AwsSolutions-CFR4");
  });
});

describe("the HTTP API on prod", () => {
  it("answers only on its custom domain: the execute-api endpoint is disabled", () => {
    expect(only(prod.Api, "AWS::ApiGatewayV2::Api").Properties.DisableExecuteApiEndpoint).toBe(true);
    const domain = only(prod.Api, "AWS::ApiGatewayV2::DomainName");
    const certificate = only(prod.Api, "AWS::CertificateManager::Certificate");
    expect(domain.Properties).toMatchObject({
      DomainName: trialSettings.KARTA_API_DOMAIN,
      DomainNameConfigurations: [{ CertificateArn: { Ref: certificate.id }, EndpointType: "REGIONAL" }],
    });
    expect(certificate.Properties).toMatchObject({
      DomainName: trialSettings.KARTA_API_DOMAIN,
      ValidationMethod: "DNS",
      DomainValidationOptions: [{ HostedZoneId: trialSettings.KARTA_HOSTED_ZONE_ID }],
    });
    const mapping = only(prod.Api, "AWS::ApiGatewayV2::ApiMapping").Properties;
    expect(mapping.DomainName).toEqual({ Ref: domain.id });
    expect(resources(prod.Api, "AWS::Route53::RecordSet").map(([, r]) => r.Properties.Name)).toEqual([`${trialSettings.KARTA_API_DOMAIN}.`, `${trialSettings.KARTA_API_DOMAIN}.`]);
  });

  it("throttles sign-in links, the sign-in POST and the approval-link POST below the stage default", () => {
    const stage = only(prod.Api, "AWS::ApiGatewayV2::Stage");
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: defaultThrottle.rate, ThrottlingBurstLimit: defaultThrottle.burst });
    const settings = stage.Properties.RouteSettings;
    expect(Object.keys(settings).sort()).toEqual(["POST /api/auth/callback", "POST /api/auth/link", "POST /approve/{approvalId}"]);
    for (const [route, limits] of Object.entries<any>(settings)) {
      expect(limits, route).toEqual({ ThrottlingRateLimit: routeThrottles[route].rate, ThrottlingBurstLimit: routeThrottles[route].burst });
      expect(limits.ThrottlingRateLimit, route).toBeLessThan(defaultThrottle.rate);
      expect(limits.ThrottlingBurstLimit, route).toBeLessThan(defaultThrottle.burst);
      // CloudFormation creates the route before the stage names it
      const [routeId] = resources(prod.Api, "AWS::ApiGatewayV2::Route").find(([, r]) => r.Properties.RouteKey === route)!;
      expect(stage.DependsOn, route).toContain(routeId);
    }
  });
});

describe("prod's stage settings for domains and the edge stack", () => {
  const without = (...names: string[]) => ({ ...trialSettings, ...Object.fromEntries(names.map((n) => [n, undefined])) });

  it("refuses prod without custom domains, naming the settings for .env.prod", () => {
    expect(() => withEnv(without("KARTA_APP_DOMAIN", "KARTA_API_DOMAIN", "KARTA_HOSTED_ZONE_ID", "KARTA_HOSTED_ZONE_NAME"), () => stageConfig("prod"))).toThrow(
      /KARTA_APP_DOMAIN, KARTA_API_DOMAIN, KARTA_HOSTED_ZONE_ID, KARTA_HOSTED_ZONE_NAME in \.env\.prod/,
    );
    expect(() => withEnv(without("KARTA_HOSTED_ZONE_ID"), () => stageConfig("prod"))).toThrow(/KARTA_HOSTED_ZONE_ID missing/);
    expect(() => withEnv({ ...trialSettings, KARTA_API_DOMAIN: "api.elsewhere.pl" }, () => stageConfig("prod"))).toThrow(/not inside the hosted zone/);
  });

  it("refuses prod without the edge stack's web ACL and certificate, saying how to make them", () => {
    expect(() => withEnv(without("KARTA_WEB_ACL_ARN"), () => edgeHandOver("prod"))).toThrow(/KARTA_WEB_ACL_ARN is not set.*--region us-east-1/);
    expect(() => withEnv(without("KARTA_APP_CERTIFICATE_ARN"), () => edgeHandOver("prod"))).toThrow(/KARTA_APP_CERTIFICATE_ARN is not set/);
    const regional = "arn:aws:wafv2:eu-central-1:000000000000:regional/webacl/x/00000000-0000-4000-8000-000000000000";
    expect(() => withEnv({ ...trialSettings, KARTA_WEB_ACL_ARN: regional }, () => edgeHandOver("prod"))).toThrow(/CLOUDFRONT-scope web ACL in us-east-1/);
    expect(withEnv(trialSettings, () => edgeHandOver("prod"))).toEqual({ webAclArn: trialSettings.KARTA_WEB_ACL_ARN, appCertificateArn: trialSettings.KARTA_APP_CERTIFICATE_ARN });
  });

  it("keeps a trial stage without settings on its AWS addresses, and derives the app URL from the domain", () => {
    const none = without(...Object.keys(trialSettings).filter((n) => n !== "KARTA_MAIL_DOMAIN" && n !== "KARTA_MAIL_FROM"));
    expect(withEnv(none, () => stageConfig("dev").domains)).toBeUndefined();
    expect(withEnv(none, () => edgeHandOver("dev"))).toBeUndefined();
    expect(withEnv({ ...trialSettings, KARTA_APP_URL: undefined }, () => stageConfig("prod").appUrl)).toBe(`https://${trialSettings.KARTA_APP_DOMAIN}`);
    expect(withEnv(trialSettings, () => stageConfig("local").domains)).toBeUndefined();
  });

  it("reads a comma-separated list of operators and optional SMS numbers", () => {
    const config = withEnv({ KARTA_OPERATORS_EMAIL: "a@mops.pl, b@mops.pl", KARTA_OPERATORS_SMS: "+48600100200" }, () => stageConfig("dev"));
    expect(config.operatorsEmails).toEqual(["a@mops.pl", "b@mops.pl"]);
    expect(config.operatorsSms).toEqual(["+48600100200"]);
    expect(() => withEnv({ KARTA_OPERATORS_SMS: "600100200" }, () => stageConfig("dev"))).toThrow(/E\.164/);
  });
});

describe("log retention on every log group of prod", () => {
  const everyTemplate = () => [...Object.entries(prod), ["Edge", edge] as [string, Template]];

  it("gives every log group and every log-retention resource a retention", () => {
    for (const [stack, template] of everyTemplate()) {
      for (const [id, group] of resources(template, "AWS::Logs::LogGroup")) expect(group.Properties.RetentionInDays, `${stack}/${id}`).toBe(180);
      for (const [id, retention] of resources(template, "Custom::LogRetention")) expect(retention.Properties.RetentionInDays, `${stack}/${id}`).toBe(180);
    }
  });

  it("leaves no Lambda function, CDK's and SST's helpers included, without a log group with a retention", () => {
    let helpers = 0;
    for (const [stack, template] of everyTemplate()) {
      const groups = Object.fromEntries(resources(template, "AWS::Logs::LogGroup"));
      const retentions = resources(template, "Custom::LogRetention").map(([, r]) => JSON.stringify(r.Properties.LogGroupName));
      for (const [id, fn] of resources(template, "AWS::Lambda::Function")) {
        const own = fn.Properties.LoggingConfig?.LogGroup?.Ref;
        if (own) {
          expect(groups[own]?.Properties.RetentionInDays, `${stack}/${id}`).toBe(180);
          helpers++;
        } else {
          expect(retentions.some((name) => name.includes(`"${id}"`)), `${stack}/${id} has neither its own log group nor a Custom::LogRetention`).toBe(true);
        }
      }
    }
    // SST's custom-resource handler of each stack, CDK's log-retention function, S3 auto-delete
    expect(helpers).toBeGreaterThanOrEqual(Object.keys(prod).length + 1);
  });
});

describe("AWS Backup on prod", () => {
  it("backs up into a vault encrypted with its own rotating key and locked for at least the daily retention", () => {
    const vault = only(prod.Storage, "AWS::Backup::BackupVault");
    const keyId = vault.Properties.EncryptionKeyArn["Fn::GetAtt"][0];
    expect(keyId).toMatch(/^BackupKey/);
    expect(prod.Storage.findResources("AWS::KMS::Key")[keyId]).toMatchObject({ DeletionPolicy: "Retain", Properties: { EnableKeyRotation: true } });
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: backupRetention.dailyDays });
    expect(vault.DeletionPolicy).toBe("Retain");
  });

  it("runs daily, weekly and monthly rules into that vault, none kept shorter than the lock allows", () => {
    const vault = only(prod.Storage, "AWS::Backup::BackupVault");
    const rules: any[] = only(prod.Storage, "AWS::Backup::BackupPlan").Properties.BackupPlan.BackupPlanRule;
    expect(Object.fromEntries(rules.map((r) => [r.RuleName, r.Lifecycle.DeleteAfterDays]))).toEqual({ Daily: 35, Weekly: 91, Monthly: 403 });
    expect(rules.find((r) => r.RuleName === "Daily").ScheduleExpression).toMatch(/^cron\(\d+ \d+ \* \* \? \*\)$/);
    expect(rules.find((r) => r.RuleName === "Weekly").ScheduleExpression).toMatch(/^cron\(\d+ \d+ \? \* SUN \*\)$/);
    expect(rules.find((r) => r.RuleName === "Monthly").ScheduleExpression).toMatch(/^cron\(\d+ \d+ \d+ \* \? \*\)$/);
    for (const rule of rules) {
      expect(rule.TargetBackupVault).toEqual({ "Fn::GetAtt": [vault.id, "BackupVaultName"] });
      expect(rule.Lifecycle.DeleteAfterDays).toBeGreaterThanOrEqual(vault.Properties.LockConfiguration.MinRetentionDays);
    }
  });

  it("selects the table and the (versioned) files bucket, with a role that may back up and restore both", () => {
    const selection = only(prod.Storage, "AWS::Backup::BackupSelection").Properties.BackupSelection;
    const table = only(prod.Storage, "AWS::DynamoDB::Table");
    const bucket = only(prod.Storage, "AWS::S3::Bucket");
    expect(selection.Resources).toEqual([{ "Fn::GetAtt": [table.id, "Arn"] }, { "Fn::GetAtt": [bucket.id, "Arn"] }]);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    const roleId = selection.IamRoleArn["Fn::GetAtt"][0];
    const role = prod.Storage.findResources("AWS::IAM::Role")[roleId] as any;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
    const policies = JSON.stringify(role.Properties.ManagedPolicyArns);
    for (const name of ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores", "AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore"]) expect(policies).toContain(name);
    const inline = Object.values<any>(prod.Storage.findResources("AWS::IAM::Policy")).find((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    const keys = JSON.stringify(inline.Properties.PolicyDocument.Statement.find((s: any) => [s.Action].flat().includes("kms:Decrypt")).Resource);
    expect(keys).toContain("TableKey");
    expect(keys).toContain("FilesKey");
  });
});

describe("alarms on prod (issue 18)", () => {
  const alarms = () => Object.entries<any>(prod.Monitoring.findResources("AWS::CloudWatch::Alarm"));
  const byId = (prefix: string) => alarms().filter(([id]) => id.startsWith(prefix)).map(([, a]) => a.Properties);
  const statsOf = (alarm: any) => (alarm.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);

  it("names in every alarm's description a section of docs/operations.md that exists", () => {
    const headings = readFileSync(resolve(root, "docs/operations.md"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("## "))
      .map((line) => line.slice(3).trim());
    for (const [id, alarm] of alarms()) {
      const section = /\("([^"]+)"\)/.exec(alarm.Properties.AlarmDescription)?.[1];
      expect(section, `${id}: no ("section") in its description`).toBeDefined();
      expect(headings, `${id}: docs/operations.md has no section "${section}"`).toContain(section);
    }
  });

  it("watches DynamoDB throttling of the table and each of its indexes", () => {
    const [events] = byId("TableThrottleEvents");
    const seen = statsOf(events).map((s: any) => `${s.Metric.MetricName}:${s.Metric.Dimensions.find((d: any) => d.Name === "GlobalSecondaryIndexName")?.Value ?? "table"}`);
    expect(seen.sort()).toEqual(["gsi1", "gsi2", "gsi3", "table"].flatMap((i) => [`ReadThrottleEvents:${i}`, `WriteThrottleEvents:${i}`]).sort());
    const [requests] = byId("TableThrottledRequests");
    const operations = statsOf(requests).map((s: any) => s.Metric.Dimensions.find((d: any) => d.Name === "Operation").Value);
    expect(operations).toEqual(expect.arrayContaining(["GetItem", "PutItem", "UpdateItem", "Query", "TransactWriteItems"]));
    for (const s of [...statsOf(events), ...statsOf(requests)]) expect(s.Metric.Namespace).toBe("AWS/DynamoDB");
  });

  it("watches every function for a run near its timeout (longest run ≥ 80 % of its own timeout)", () => {
    const nearTimeout = byId("FunctionsNearTimeout");
    expect(nearTimeout.length).toBeGreaterThan(0);
    for (const alarm of nearTimeout) expect(alarm.Threshold).toBe(0.8);
    for (const fn of functions) {
      const alarm = nearTimeout.find((a) => JSON.stringify(a.Metrics).includes(fn.logicalId));
      expect(alarm, fn.handler).toBeDefined();
      const stat = alarm.Metrics.find((m: any) => m.MetricStat && JSON.stringify(m.MetricStat).includes(fn.logicalId));
      expect(stat.MetricStat).toMatchObject({ Stat: "Maximum", Metric: { MetricName: "Duration", Namespace: "AWS/Lambda" } });
      const expression: string = alarm.Metrics.find((m: any) => m.Expression).Expression;
      expect(expression, fn.handler).toContain(`FILL(${stat.Id}, 0) / ${fn.properties.Timeout * 1000}`);
    }
  });

  it("watches SES sending against 80 % of the daily quota, and cycles past their payment day", () => {
    const [quota] = byId("MailSendQuota");
    expect(quota).toMatchObject({ Namespace: "AWS/SES", MetricName: "Send", Statistic: "Sum", Period: 86_400 });
    expect(quota.Threshold).toBe(Math.floor(stageConfig("dev").sesDailyQuota * 0.8));
    const [unsettled] = byId("CycleUnsettledAtPaymentDay");
    expect(unsettled).toMatchObject({ Namespace: "Karta", MetricName: "CyclesUnsettledAtPaymentDay", Threshold: 1 });
  });
});
