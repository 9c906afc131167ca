/**
 * Per-stage deployment settings. Everything an operator changes between stages lives here;
 * programme rules themselves live in functions/core (and in the table), not in the stacks.
 */
export interface StageConfig {
  /** Public address of the web app; e-mail links point here (a custom domain in production). */
  appUrl: string;
  /** Sender address of every e-mail; its domain is the SES identity. */
  mailFrom: string;
  /** Domain verified in SES for sending (DKIM). */
  mailDomain: string;
  /** Where alarms go. */
  operatorsEmail: string;
  /** Production-grade protection: deletion protection, retain on removal, customer-managed key. */
  protect: boolean;
  /**
   * Years payment files are kept after the end of the settled year (accounting proofs: 5 years
   * from the start of the next year, ustawa o rachunkowości art. 74). Object Lock retention.
   */
  retentionYears: number;
  /** Alarm recipients: KARTA_OPERATORS_EMAIL split at commas (one subscription each). */
  operatorsEmails: string[];
  /** Optional alarm recipients by SMS (E.164 numbers, KARTA_OPERATORS_SMS, comma-separated). */
  operatorsSms: string[];
  /** Optional HTTPS endpoint (an incident tool's webhook) subscribed to the alarm topic. */
  operatorsWebhook?: string;
  /** The account's SES sending quota per 24 hours; the quota alarm fires at 80 % of it. */
  sesDailyQuota: number;
  /**
   * Custom domains (absent on trial stages: the app on *.cloudfront.net, the API on its
   * execute-api address). Required on prod (docs/deploy.md, section 2).
   */
  domains?: StageDomains;
  /**
   * The version of the origin-verify secret CloudFront sends (KARTA_ORIGIN_VERIFY_VERSION, the
   * client request token given to put-secret-value when it was rotated); absent: AWSCURRENT as
   * of the distribution's last update. docs/operations.md, "Rotating the origin-verify secret".
   */
  originVerifyVersion?: string;
}

export interface StageDomains {
  /** The app's address (CloudFront alias), e.g. karta.mops.example.gov.pl. */
  app: string;
  /** The API's address (API Gateway custom domain, CloudFront's origin for /api/* and /approve/*). */
  api: string;
  /** The Route 53 hosted zone both names live in (certificates are DNS-validated in it). */
  hostedZoneId: string;
  hostedZoneName: string;
}

/** What the us-east-1 edge stack (stacks/Edge.ts) made, handed to the main stage's settings. */
export interface EdgeHandOver {
  /** The CLOUDFRONT-scope WAF web ACL (KARTA_WEB_ACL_ARN). */
  webAclArn: string;
  /** The app domain's ACM certificate in us-east-1 (KARTA_APP_CERTIFICATE_ARN). */
  appCertificateArn: string;
}


/** The default sender domain: a placeholder that cannot be verified in SES (docs/deploy.md, section 2). */
export const PLACEHOLDER_MAIL_DOMAIN = "karta.example.gov.pl";

export function stageConfig(stage: string): StageConfig {
  const env = (name: string, fallback: string) => process.env[name] ?? fallback;
  const protect = !["dev", "local", "test"].includes(stage) && !stage.startsWith("pr-");
  const retentionYears = Number(env("KARTA_RETENTION_YEARS", "5"));
  if (!Number.isInteger(retentionYears) || retentionYears < 1) throw new Error(`KARTA_RETENTION_YEARS must be a whole number of years ≥ 1, not ${retentionYears}`);
  const mailDomain = env("KARTA_MAIL_DOMAIN", PLACEHOLDER_MAIL_DOMAIN);
  const mailFrom = env("KARTA_MAIL_FROM", `karta@${PLACEHOLDER_MAIL_DOMAIN}`);
  // A production stage with the placeholder would create an SES identity nobody can verify and
  // send nothing: refuse to build it (synth, deploy) until .env.prod names the real domain.
  if (stage === "prod") {
    if (mailDomain.toLowerCase() === PLACEHOLDER_MAIL_DOMAIN)
      throw new Error(`Stage prod: the sender domain is the placeholder ${PLACEHOLDER_MAIL_DOMAIN}. Put KARTA_MAIL_DOMAIN=<your domain> (and KARTA_MAIL_FROM=karta@<your domain>, KARTA_APP_URL, KARTA_OPERATORS_EMAIL) in .env.prod — docs/deploy.md, section 2.`);
    if (!mailFrom.toLowerCase().endsWith(`@${mailDomain.toLowerCase()}`))
      throw new Error(`Stage prod: KARTA_MAIL_FROM (${mailFrom}) is not an address in KARTA_MAIL_DOMAIN (${mailDomain}); SES sends only from the verified domain. Set both in .env.prod — docs/deploy.md, section 2.`);
  }
  const domains = stageDomains(stage);
  const operatorsEmail = env("KARTA_OPERATORS_EMAIL", "operatorzy@karta.example.gov.pl");
  const list = (value: string | undefined) => (value ?? "").split(",").map((item) => item.trim()).filter(Boolean);
  const operatorsEmails = list(operatorsEmail);
  for (const address of operatorsEmails)
    if (!/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(address)) throw new Error(`KARTA_OPERATORS_EMAIL: "${address}" is not an e-mail address (a comma-separated list is allowed) — docs/deploy.md, section 2.`);
  const operatorsSms = list(process.env.KARTA_OPERATORS_SMS);
  for (const number of operatorsSms)
    if (!/^\+[1-9][0-9]{6,14}$/.test(number)) throw new Error(`KARTA_OPERATORS_SMS: "${number}" is not a phone number in E.164 form (e.g. +48600100200) — docs/deploy.md, section 2.`);
  const operatorsWebhook = process.env.KARTA_OPERATORS_WEBHOOK || undefined;
  if (operatorsWebhook && !/^https:\/\/[^\s]+$/.test(operatorsWebhook)) throw new Error(`KARTA_OPERATORS_WEBHOOK must be an https:// address, not ${operatorsWebhook} — docs/deploy.md, section 2.`);
  const originVerifyVersion = process.env.KARTA_ORIGIN_VERIFY_VERSION?.trim() || undefined;
  if (originVerifyVersion && !/^[A-Za-z0-9-]{32,64}$/.test(originVerifyVersion))
    throw new Error(`KARTA_ORIGIN_VERIFY_VERSION must be the secret version's id (32 to 64 letters, digits or dashes, e.g. a UUID from uuidgen), not ${originVerifyVersion} — docs/operations.md, "Rotating the origin-verify secret".`);
  const sesDailyQuota = Number(env("KARTA_SES_DAILY_QUOTA", "50000"));
  if (!Number.isInteger(sesDailyQuota) || sesDailyQuota < 1) throw new Error(`KARTA_SES_DAILY_QUOTA must be a whole number of messages per 24 hours, not ${process.env.KARTA_SES_DAILY_QUOTA}`);
  return {
    appUrl: env("KARTA_APP_URL", stage === "local" ? "http://127.0.0.1:3000" : domains ? `https://${domains.app}` : "https://karta.example.gov.pl"),
    mailFrom,
    mailDomain,
    operatorsEmail,
    protect,
    retentionYears,
    operatorsEmails,
    operatorsSms,
    operatorsWebhook,
    sesDailyQuota,
    domains,
    originVerifyVersion,
  };
}

const domainSettings = ["KARTA_APP_DOMAIN", "KARTA_API_DOMAIN", "KARTA_HOSTED_ZONE_ID", "KARTA_HOSTED_ZONE_NAME"] as const;

/**
 * The stage's custom domains from KARTA_APP_DOMAIN, KARTA_API_DOMAIN, KARTA_HOSTED_ZONE_ID and
 * KARTA_HOSTED_ZONE_NAME: all four or none. None keeps a trial stage on its AWS addresses; prod
 * refuses to build without them (its API is reachable only through CloudFront, which needs the
 * API's own domain as origin). The local stage never uses them.
 */
export function stageDomains(stage: string): StageDomains | undefined {
  if (stage === "local") return undefined;
  const given = domainSettings.filter((name) => process.env[name]);
  if (given.length === 0) {
    if (stage === "prod")
      throw new Error(`Stage prod: no custom domains. Put ${domainSettings.join(", ")} in .env.prod (the app's and the API's names in your Route 53 hosted zone) — docs/deploy.md, section 2.`);
    return undefined;
  }
  const missing = domainSettings.filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`Stage ${stage}: ${given.join(", ")} set but ${missing.join(", ")} missing; custom domains need all four — docs/deploy.md, section 2.`);
  const [app, api, hostedZoneId, hostedZoneName] = domainSettings.map((name) => process.env[name]!.trim().toLowerCase().replace(/\.$/, ""));
  for (const [name, value] of [["KARTA_APP_DOMAIN", app], ["KARTA_API_DOMAIN", api]] as const) {
    if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(value)) throw new Error(`${name} must be a domain name such as karta.mops.example.gov.pl, not ${value}`);
    if (value !== hostedZoneName && !value.endsWith(`.${hostedZoneName}`)) throw new Error(`${name} (${value}) is not inside the hosted zone KARTA_HOSTED_ZONE_NAME (${hostedZoneName}); certificates are validated by DNS records in that zone — docs/deploy.md, section 2.`);
  }
  if (app === api) throw new Error(`KARTA_APP_DOMAIN and KARTA_API_DOMAIN must differ (both are ${app}): the app's CloudFront distribution forwards /api/* to the API's own domain.`);
  if (!/^Z[0-9A-Z]{5,31}$/.test(process.env.KARTA_HOSTED_ZONE_ID!.trim())) throw new Error(`KARTA_HOSTED_ZONE_ID must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, not ${process.env.KARTA_HOSTED_ZONE_ID}`);
  return { app, api, hostedZoneId: process.env.KARTA_HOSTED_ZONE_ID!.trim(), hostedZoneName };
}

/**
 * The web ACL and the app certificate made by the stage's us-east-1 edge stack (stacks/Edge.ts,
 * `npx sst deploy --stage <stage> --region us-east-1`), read from KARTA_WEB_ACL_ARN and
 * KARTA_APP_CERTIFICATE_ARN. Required with custom domains (the certificate) and always on prod
 * (the WAF); absent on a trial stage without domains.
 */
export function edgeHandOver(stage: string): EdgeHandOver | undefined {
  if (stage === "local") return undefined;
  const webAclArn = process.env.KARTA_WEB_ACL_ARN?.trim();
  const appCertificateArn = process.env.KARTA_APP_CERTIFICATE_ARN?.trim();
  const needed = stage === "prod" || stageDomains(stage) !== undefined;
  if (!webAclArn && !appCertificateArn && !needed) return undefined;
  const deployEdge = `Deploy the edge stack first (npx sst deploy --stage ${stage} --region us-east-1) and put its outputs WebAclArn and AppCertificateArn in .env.${stage} as KARTA_WEB_ACL_ARN and KARTA_APP_CERTIFICATE_ARN — docs/deploy.md, section 4.`;
  if (!webAclArn || !appCertificateArn) throw new Error(`Stage ${stage}: ${!webAclArn ? "KARTA_WEB_ACL_ARN" : "KARTA_APP_CERTIFICATE_ARN"} is not set. ${deployEdge}`);
  if (!/^arn:aws:wafv2:us-east-1:[0-9]{12}:global\/webacl\/[^/]+\/[0-9a-f-]+$/.test(webAclArn))
    throw new Error(`KARTA_WEB_ACL_ARN must be a CLOUDFRONT-scope web ACL in us-east-1 (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), not ${webAclArn}. ${deployEdge}`);
  if (!/^arn:aws:acm:us-east-1:[0-9]{12}:certificate\/[0-9a-f-]+$/.test(appCertificateArn))
    throw new Error(`KARTA_APP_CERTIFICATE_ARN must be an ACM certificate in us-east-1 (CloudFront uses only those), not ${appCertificateArn}. ${deployEdge}`);
  return { webAclArn, appCertificateArn };
}
