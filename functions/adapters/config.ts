/** The web app's public address (e-mail links point here), without a trailing slash. */
export function appUrl(): string {
  const url = process.env.APP_URL;
  if (!url) throw new Error("APP_URL is not set");
  return url.replace(/\/+$/, "");
}

/** The operators' address for alerts the workflow e-mails itself (OPERATORS_EMAIL; none when unset). */
export function operatorsEmails(): string[] {
  return (process.env.OPERATORS_EMAIL ?? "").split(",").map((e) => e.trim()).filter(Boolean);
}

/**
 * Years payment files are kept after the end of the settled year (stacks/config.ts
 * retentionYears), from RETENTION_YEARS; a missing or malformed value fails at the first use.
 */
export function retentionYears(): number {
  const years = Number(process.env.RETENTION_YEARS);
  if (!Number.isInteger(years) || years < 1) throw new Error(`RETENTION_YEARS must be a whole number of years, not "${process.env.RETENTION_YEARS}"`);
  return years;
}
