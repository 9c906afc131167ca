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
  return {
    appUrl: env("KARTA_APP_URL", stage === "local" ? "http://127.0.0.1:3000" : "https://karta.example.gov.pl"),
    mailFrom,
    mailDomain,
    operatorsEmail: env("KARTA_OPERATORS_EMAIL", "operatorzy@karta.example.gov.pl"),
    protect,
    retentionYears,
  };
}
