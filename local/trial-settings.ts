/**
 * Stage settings for an offline synthesis of `prod` that is never deployed (stack tests, the
 * benchmark). stacks/config.ts refuses to build prod with the placeholder sender domain, so
 * these name a real-looking one; a real deployment reads its own from .env.prod
 * (docs/deploy.md, section 2).
 */
export const trialSettings: Record<string, string> = {
  KARTA_MAIL_DOMAIN: "karta.mops-testowy.pl",
  KARTA_MAIL_FROM: "karta@karta.mops-testowy.pl",
  // Custom domains and what the us-east-1 edge stack hands over (stacks/config.ts refuses prod
  // without them); the zone id, account and ids are made up, nothing is looked up.
  KARTA_APP_DOMAIN: "karta.mops-testowy.pl",
  KARTA_API_DOMAIN: "api.karta.mops-testowy.pl",
  KARTA_HOSTED_ZONE_ID: "Z0TRIAL0000000000000",
  KARTA_HOSTED_ZONE_NAME: "karta.mops-testowy.pl",
  KARTA_WEB_ACL_ARN: "arn:aws:wafv2:us-east-1:000000000000:global/webacl/prod-karta-edge/00000000-0000-4000-8000-000000000000",
  KARTA_APP_CERTIFICATE_ARN: "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000001",
};
