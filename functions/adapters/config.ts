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
