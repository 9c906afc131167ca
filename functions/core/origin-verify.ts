import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The header CloudFront adds to every request it forwards to the API (stacks/Web.ts), holding
 * the stage's origin-verify secret; a request without it did not come through CloudFront and
 * its WAF (an HTTP API cannot have a web ACL of its own).
 */
export const ORIGIN_VERIFY_HEADER = "x-karta-origin-verify";

/** Whether `given` is one of the `expected` values, in a time that does not tell how much of it matched. */
export function matchesAny(given: string | undefined, expected: readonly string[]): boolean {
  if (!given) return false;
  // Digests have one length, so timingSafeEqual compares them whatever the lengths of the values.
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  const wanted = digest(given);
  let found = false;
  for (const value of expected) if (value && timingSafeEqual(wanted, digest(value))) found = true;
  return found;
}
