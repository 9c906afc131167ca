/**
 * Stage settings for an offline synthesis of `prod` that is never deployed (stack tests, the
 * benchmark). stacks/config.ts refuses to build prod with the placeholder sender domain, so
 * these name a real-looking one; a real deployment reads its own from .env.prod
 * (docs/deploy.md, section 2).
 */
export const trialSettings: Record<string, string> = {
  KARTA_MAIL_DOMAIN: "karta.mops-testowy.pl",
  KARTA_MAIL_FROM: "karta@karta.mops-testowy.pl",
};
