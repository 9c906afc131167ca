import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { matchesAny } from "../core/origin-verify.js";
import { traced } from "./observability.js";

/**
 * Whether a request came through CloudFront: its origin-verify header (core/origin-verify.ts)
 * matches the stage's secret.
 *
 * - ORIGIN_VERIFY_SECRET_ARN (stacks/Api.ts, stages with custom domains): the Secrets Manager
 *   secret, read once per container, both AWSCURRENT and AWSPREVIOUS, so requests keep passing
 *   while a rotation reaches CloudFront (docs/operations.md, "Rotating the origin-verify secret").
 * - ORIGIN_VERIFY_VALUE: LOCAL STACK AND TESTS ONLY (local/runtime.ts `originVerify`), the value
 *   itself instead of the secret. Never set by a stack.
 * - Neither (trial stages without custom domains, the local stack by default, tests calling
 *   handlers directly): every request passes, as before.
 */
export async function cameThroughCloudFront(header: string | undefined): Promise<boolean> {
  const local = process.env.ORIGIN_VERIFY_VALUE;
  if (local) return matchesAny(header, [local]);
  const arn = process.env.ORIGIN_VERIFY_SECRET_ARN;
  if (!arn) return true;
  if (matchesAny(header, await secretValues(arn))) return true;
  // A value this container has not seen may be a rotation CloudFront already sends: read the
  // secret again, but at most once a minute, so direct requests cannot flood Secrets Manager.
  if (!header || Date.now() - (cache?.readAt ?? 0) < REREAD_AFTER_MS) return false;
  return matchesAny(header, await secretValues(arn, true));
}

/** The shortest time between two reads of the secret in one container. */
export const REREAD_AFTER_MS = 60_000;

let client: SecretsManagerClient | undefined;
let cache: { arn: string; readAt: number; values: Promise<string[]> } | undefined;

function secretValues(arn: string, reread = false): Promise<string[]> {
  if (!cache || cache.arn !== arn || reread) {
    const values = readSecret(arn);
    cache = { arn, readAt: Date.now(), values };
    // A failed read (Secrets Manager unreachable) is not kept: the next request tries again.
    values.catch(() => {
      if (cache?.values === values) cache = undefined;
    });
  }
  return cache.values;
}

async function readSecret(arn: string): Promise<string[]> {
  client ??= traced(new SecretsManagerClient({}));
  const read = async (VersionStage: "AWSCURRENT" | "AWSPREVIOUS") => {
    try {
      return (await client!.send(new GetSecretValueCommand({ SecretId: arn, VersionStage }))).SecretString ?? "";
    } catch (error) {
      // A secret never rotated has no AWSPREVIOUS version.
      if (VersionStage === "AWSPREVIOUS" && error instanceof ResourceNotFoundException) return "";
      throw error;
    }
  };
  const values = await Promise.all([read("AWSCURRENT"), read("AWSPREVIOUS")]);
  if (!values[0]) throw new Error(`The origin-verify secret ${arn} has no AWSCURRENT value`);
  return values.filter(Boolean);
}
