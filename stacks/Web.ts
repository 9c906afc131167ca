import { StackContext, StaticSite, use } from "sst/constructs";
import { NagSuppressions } from "cdk-nag";
import { Duration, Fn, SecretValue } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import { HostedZone } from "aws-cdk-lib/aws-route53";
import { Api } from "./Api.js";
import { edgeHandOver, stageConfig } from "./config.js";
import { contentSecurityPolicy, hstsSeconds } from "./security-headers.js";
import { ORIGIN_VERIFY_HEADER } from "../functions/core/origin-verify.js";

/**
 * The web app on S3 + CloudFront. Built on deploy into its own folder (web/dist-deploy), so a
 * deploy never races the local stack's build of web/dist.
 */
export function Web({ stack, app }: StackContext) {
  const { api, originVerify } = use(Api);
  const { domains, originVerifyVersion } = stageConfig(app.stage);
  // The WAF web ACL and the app's certificate come from the stage's us-east-1 edge stack
  // (stacks/Edge.ts); required on prod and whenever custom domains are set.
  const edge = edgeHandOver(app.stage);
  // One origin for people: the app, /api/* and the /approve/* links are served by the same
  // distribution, so the session cookie stays first-party (SameSite=Lax) and links are short.
  // With custom domains the origin is the API's own domain (its execute-api address is off).
  // CloudFront proves itself to the API with the origin-verify secret in a header, the API's
  // own domain being public (stacks/Api.ts). A CloudFormation dynamic reference: the value is
  // resolved at deploy time and never written into the template; it is read again only when
  // the reference changes (a rotation names its version: docs/operations.md).
  const verifyHeader = originVerify
    ? { [ORIGIN_VERIFY_HEADER]: (originVerifyVersion ? SecretValue.secretsManager(originVerify.secretArn, { versionId: originVerifyVersion }) : originVerify.secretValue).unsafeUnwrap() }
    : undefined;
  const apiBehavior: BehaviorOptions = {
    origin: new HttpOrigin(domains ? domains.api : Fn.select(2, Fn.split("/", api.url)), { customHeaders: verifyHeader }),
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
  };
  // The app's security headers (stacks/security-headers.ts; the local static server sends the same).
  const appHeaders = new ResponseHeadersPolicy(stack, "AppSecurityHeaders", {
    comment: "Karta web app: CSP, HSTS, nosniff, no framing, referrer policy",
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(hstsSeconds), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    },
  });
  const site = new StaticSite(stack, "Site", {
    path: "web",
    buildCommand: "npx vite build --outDir dist-deploy",
    buildOutput: "dist-deploy",
    customDomain: domains && edge
      ? {
          domainName: domains.app,
          cdk: {
            hostedZone: HostedZone.fromHostedZoneAttributes(stack, "Zone", { hostedZoneId: domains.hostedZoneId, zoneName: domains.hostedZoneName }),
            certificate: Certificate.fromCertificateArn(stack, "AppCertificate", edge.appCertificateArn),
          },
        }
      : undefined,
    cdk: {
      bucket: { enforceSSL: true },
      distribution: {
        defaultBehavior: { responseHeadersPolicy: appHeaders },
        additionalBehaviors: { "/api/*": apiBehavior, "/approve/*": apiBehavior },
        // TLS 1.2 or newer towards viewers (needs the custom certificate; *.cloudfront.net allows older).
        ...(domains ? { minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
        ...(edge ? { webAclId: edge.webAclArn } : {}),
      },
    },
  });
  // The site is the public, static app shell (no personal data: that only travels through the
  // authenticated API), which is why these AwsSolutions findings are accepted.
  NagSuppressions.addResourceSuppressions(
    site,
    [
      { id: "AwsSolutions-S1", reason: "The bucket holds only the public build of the web app; CloudFront is its only reader, so S3 access logs would record nothing of interest." },
      { id: "AwsSolutions-CFR3", reason: "Static app shell without personal data; API Gateway's access log records every request that carries data." },
      // Without custom domains (trial stages only: prod refuses to build without them).
      ...(domains ? [] : [{ id: "AwsSolutions-CFR4", reason: "A trial stage without custom domains uses the default *.cloudfront.net certificate, with which CloudFront cannot enforce TLS 1.2; prod has its own domain and certificate (TLSv1.2_2021)." }]),
      { id: "AwsSolutions-CFR7", reason: "SST 2.49.8's StaticSite uses an origin access identity; the bucket is private and readable only through it." },
      { id: "AwsSolutions-CFR1", reason: "The app is for staff and contractors of Polish centres who may travel; sign-in, not geography, controls access." },
      // Without the edge stack's web ACL (trial stages only: prod refuses to build without it).
      ...(edge ? [] : [{ id: "AwsSolutions-CFR2", reason: "A trial stage without the us-east-1 edge stack has no web ACL; the API throttles per route. Prod always has the WAF (stacks/Edge.ts)." }]),
    ],
    true,
  );
  // SST creates the uploader's policy while the app finishes, after resource suppressions apply.
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: "AwsSolutions-IAM5",
      reason: "SST's uploader writes the build into the site bucket from the CDK assets bucket (objects under two single named buckets).",
      appliesTo: [{ regex: "/^Resource::.*\\/\\*$/g" }],
    },
  ]);
  stack.addOutputs({ SiteUrl: site.customDomainUrl ?? site.url ?? "" });
  return { site };
}
