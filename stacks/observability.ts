/**
 * What Powertools reads in every Karta function (functions/adapters/observability.ts): set once,
 * in the default function props of sst.config.ts, so no function can miss it. Trace answers are
 * not recorded: an API answer holds personal data, and X-Ray metadata is not a place for it.
 */
export const observabilityEnvironment = {
  POWERTOOLS_SERVICE_NAME: "karta",
  POWERTOOLS_METRICS_NAMESPACE: "Karta",
  LOG_LEVEL: "INFO",
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
};
