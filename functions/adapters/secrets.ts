import { Config } from "sst/node/config";

/**
 * The HMAC secret of approval and sign-in links: SST Config.Secret LINK_SECRET (fetched by
 * sst/node/config at cold start in AWS; a file under .data/ put in the environment locally).
 */
export function linkSecret(): string {
  let value: string | undefined;
  try {
    value = (Config as unknown as Record<string, string | undefined>).LINK_SECRET;
  } catch {
    value = undefined;
  }
  value ||= process.env.SST_Secret_value_LINK_SECRET;
  if (!value || value === "__FETCH_FROM_SSM__") throw new Error("LINK_SECRET is not set: npx sst secrets set LINK_SECRET <random>");
  return value;
}
