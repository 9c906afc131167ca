import { StackContext, StaticSite, use } from "sst/constructs";
import { NagSuppressions } from "cdk-nag";
import { Duration, Fn } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Api } from "./Api.js";
import { contentSecurityPolicy, hstsSeconds } from "./security-headers.js";

/**
 * The web app on S3 + CloudFront. Built on deploy into its own folder (web/dist-deploy), so a
 * deploy never races the local stack's build of web/dist.
 */
export function Web({ stack }: StackContext) {
  const { api } = use(Api);
  // One origin for people: the app, /api/* and the /approve/* links are served by the same
  // distribution, so the session cookie stays first-party (SameSite=Lax) and links are short.
  const apiBehavior: BehaviorOptions = {
    origin: new HttpOrigin(Fn.select(2, Fn.split("/", api.url))),
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
    cdk: {
      bucket: { enforceSSL: true },
      distribution: { defaultBehavior: { responseHeadersPolicy: appHeaders }, additionalBehaviors: { "/api/*": apiBehavior, "/approve/*": apiBehavior } },
    },
  });
  // The site is the public, static app shell (no personal data: that only travels through the
  // authenticated API), which is why these AwsSolutions findings are accepted.
  NagSuppressions.addResourceSuppressions(
    site,
    [
      { id: "AwsSolutions-S1", reason: "The bucket holds only the public build of the web app; CloudFront is its only reader, so S3 access logs would record nothing of interest." },
      { id: "AwsSolutions-CFR3", reason: "Static app shell without personal data; API Gateway's access log records every request that carries data." },
      { id: "AwsSolutions-CFR4", reason: "With the default *.cloudfront.net certificate CloudFront cannot enforce TLS 1.2; a production custom domain with its ACM certificate (TLSv1.2_2021) is set up per docs/deploy.md." },
      { id: "AwsSolutions-CFR7", reason: "SST 2.49.8's StaticSite uses an origin access identity; the bucket is private and readable only through it." },
      { id: "AwsSolutions-CFR1", reason: "The app is for staff and contractors of Polish centres who may travel; sign-in, not geography, controls access." },
      { id: "AwsSolutions-CFR2", reason: "Only static files are served; the API has its own throttling. WAF can be added per centre's policy (docs/operations.md)." },
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
  stack.addOutputs({ SiteUrl: site.url ?? "" });
  return { site };
}
