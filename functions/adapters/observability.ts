import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * Logs, metrics and traces of every Karta function, through Powertools for AWS Lambda. Read once
 * at cold start from the environment every function gets (stacks/observability.ts, the default function props):
 * POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, LOG_LEVEL. Logs never carry personal
 * data beyond the person id (DOMAIN.md, data protection): no names, e-mail addresses or IBANs.
 */
export const serviceName = process.env.POWERTOOLS_SERVICE_NAME || "karta";
export const metricsNamespace = process.env.POWERTOOLS_METRICS_NAMESPACE || "Karta";

// Defence in depth: an address or account number inside a message (an SES error names the
// address it refused) never reaches the logs; Karta logs only ids by design.
const emailAddress = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const accountNumber = /\b(?:PL)?\d{2}(?: ?\d{4}){6}\b/g;
const withoutPersonalData = (_key: string, value: unknown) =>
  typeof value === "string" ? value.replace(emailAddress, "<e-mail>").replace(accountNumber, "<account>") : value;

export const logger = new Logger({ serviceName, jsonReplacerFn: withoutPersonalData });
export const metrics = new Metrics({ serviceName, namespace: metricsNamespace });
// A no-op outside Lambda (the local stack, tests) or with POWERTOOLS_TRACE_ENABLED=false.
export const tracer = new Tracer({ serviceName });

/** The part of the Lambda context Karta's functions read (the local stack gives the same). */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string;
  functionVersion?: string;
  getRemainingTimeInMillis(): number;
}

type Handler<E, R> = (event: E, context?: LambdaContext) => Promise<R>;

/**
 * A Lambda handler with its observability: every log line of the invocation carries its request
 * id and the function's name, the invocation runs in its own X-Ray subsegment ("## <handler>",
 * answers not recorded: they hold personal data), and the metrics it recorded are flushed as EMF
 * when it ends, whether it answers or throws.
 */
export function instrumented<E, R>(handler: Handler<E, R>): Handler<E, R> {
  const descriptor = { value: handler };
  tracer.captureLambdaHandler({ captureResponse: false })(undefined as never, "handler", descriptor as never);
  const traced = descriptor.value;
  return async (event, context) => {
    if (context) logger.addContext(context as never);
    try {
      // A thrown error is logged by the Lambda runtime with the request id.
      return await traced(event, context);
    } finally {
      logger.resetKeys();
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

/** The signed-in person's id on every further log line of the invocation (never their name or e-mail). */
export function logPerson(personId: string | undefined): void {
  if (personId) logger.appendKeys({ person_id: personId });
}

/** One metric with its own dimensions, written at once as its own EMF line. */
function countWith(name: string, dimensions: Record<string, string>, value = 1): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
}

/** Karta's business metrics (namespace Karta, dimension service=karta on each). */
export const count = {
  /** A draft became a submitted version (not a retry of one). */
  reportSubmitted: () => metrics.addMetric("ReportsSubmitted", MetricUnit.Count, 1),
  /** An approver's decision was recorded (link or web app). */
  decision: (outcome: "approved" | "returned") => countWith("Decisions", { decision: outcome === "approved" ? "approve" : "return" }),
  /** A payment batch went to finance: its reports and its gross amount. */
  batchSent: (totals: { reports: number; grosze: number }) => {
    metrics.addMetric("BatchSize", MetricUnit.Count, totals.reports);
    metrics.addMetric("BatchAmount", MetricUnit.NoUnit, totals.grosze / 100);
  },
  /** An e-mail SES accepted. */
  emailSent: () => metrics.addMetric("EmailsSent", MetricUnit.Count, 1),
  /** A month's daily check found it unsettled after its payment cut-off (core/cycle.ts unsettledAtCutoff). */
  cycleUnsettled: () => metrics.addMetric("CyclesUnsettledAtPaymentDay", MetricUnit.Count, 1),
  /** A 4xx answer of the API, by its error code. */
  refusal: (code: string) => countWith("Refusals", { code }),
};

interface SdkClient {
  middlewareStack: { add(middleware: unknown, options: { step: "initialize"; name: string }): void };
}

/** An AWS SDK v3 client whose calls show as subsegments in X-Ray (DynamoDB, SES, S3, Step Functions). */
export function traced<C extends SdkClient>(client: C): C {
  return tracer.captureAWSv3Client(client);
}

/** The SES client, traced, counting each e-mail SES accepted (EmailsSent). */
export function tracedEmailClient<C extends SdkClient>(client: C): C {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const output = await next(args);
      if (context.commandName === "SendEmailCommand") count.emailSent();
      return output;
    },
    { step: "initialize", name: "kartaEmailsSent" },
  );
  return traced(client);
}
