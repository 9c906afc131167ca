import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliDecompressSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { stateMachineDefinition, synthFor, templatesFor } from "../support/templates.js";
import { trialSettings } from "../../local/trial-settings.js";
import { PLACEHOLDER_MAIL_DOMAIN, stageConfig } from "../../stacks/config.js";
import { withEnv } from "../support/env.js";
import { accessMismatches, accessOf, kartaFunctions, sdkImportsOf, type KartaFunction } from "./functions.js";
import type { SynthResult } from "../../local/synth.js";

const root = resolve(import.meta.dirname, "../..");
let prod: Record<string, Template>;
let synth: SynthResult;
let functions: KartaFunction[];

beforeAll(async () => {
  prod = await templatesFor("prod");
  synth = await synthFor("prod");
  functions = kartaFunctions(synth, "prod");
}, 240_000);

const refersTo = (value: unknown, logicalIdPrefix: string) => JSON.stringify(value).includes(logicalIdPrefix);

describe("storage on prod", () => {
  it("keeps the table's key on stack removal and rotates it", () => {
    prod.Storage.hasResource("AWS::KMS::Key", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it("encrypts the table with that key, not an AWS-owned one", () => {
    const keyId = Object.keys(prod.Storage.findResources("AWS::KMS::Key")).find((id) => id.startsWith("TableKey"))!;
    prod.Storage.hasResourceProperties("AWS::DynamoDB::Table", {
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });
});

describe("payment files bucket on prod", () => {
  const bucket = () => {
    const buckets = Object.entries(prod.Storage.findResources("AWS::S3::Bucket")) as [string, any][];
    expect(buckets).toHaveLength(1);
    return { id: buckets[0][0], ...buckets[0][1] };
  };
  const filesKeyId = () => Object.keys(prod.Storage.findResources("AWS::KMS::Key")).find((id) => id.startsWith("FilesKey"))!;

  it("versions every file and keeps the bucket and its own rotating key on stack removal", () => {
    expect(bucket().Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect([bucket().DeletionPolicy, bucket().UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
    expect(prod.Storage.findResources("AWS::KMS::Key")[filesKeyId()]).toMatchObject({ DeletionPolicy: "Retain", Properties: { EnableKeyRotation: true } });
  });

  it("encrypts with that KMS key (bucket key on), not S3-managed keys", () => {
    expect(bucket().Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: { "Fn::GetAtt": [filesKeyId(), "Arn"] } } },
    ]);
  });

  it("blocks every kind of public access and refuses plain HTTP", () => {
    expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket().Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] });
    const policy = Object.values(prod.Storage.findResources("AWS::S3::BucketPolicy")).find((p: any) => refersTo(p.Properties.Bucket, bucket().id)) as any;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    ]);
  });

  it("locks each file in governance mode for the retention years (5 by default)", () => {
    expect(bucket().Properties.ObjectLockEnabled).toBe(true);
    expect(bucket().Properties.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 5 * 365 } } });
    const assembleBatch = functions.find((f) => f.handler.endsWith("/assemble-batch.handler"))!;
    expect(assembleBatch.properties.Environment.Variables.RETENTION_YEARS).toBe("5");
  });

  it("tells only the payment-file steps, the download route and the archive step where the files are", () => {
    const told = functions.filter((f) => f.properties.Environment?.Variables?.FILES_BUCKET_NAME).map((f) => f.handler).sort();
    expect(told).toEqual([
      "functions/api/batch-file.handler",
      "functions/workflow/archive-month.handler",
      "functions/workflow/assemble-batch.handler",
      "functions/workflow/build-batch.handler",
      "functions/workflow/send-batch.handler",
      "functions/workflow/write-batch-page.handler",
    ]);
    for (const handler of told) {
      const fn = functions.find((f) => f.handler === handler)!;
      expect(refersTo(fn.properties.Environment.Variables.FILES_BUCKET_NAME, bucket().id) || refersTo(fn.properties.Environment.Variables.FILES_BUCKET_NAME, "FilesBucket")).toBe(true);
    }
  });
});

describe("functions on prod", () => {
  it("runs every Karta function on nodejs22.x arm64 with X-Ray, its own memory, timeout and bounded log retention", () => {
    expect(functions.length).toBeGreaterThanOrEqual(13);
    for (const fn of functions) {
      expect(fn.properties, fn.handler).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
        MemorySize: expect.any(Number),
        Timeout: expect.any(Number),
      });
      const retention = Object.values(prod[fn.stack].findResources("Custom::LogRetention")).find((r: any) =>
        refersTo(r.Properties.LogGroupName, fn.logicalId),
      ) as any;
      expect(retention?.Properties.RetentionInDays, fn.handler).toBe(180);
    }
  });

  it("gives the heavy monthly steps more time and memory than a single request", () => {
    const health = functions.find((f) => f.handler.endsWith("/health.handler"))!;
    // bounded work per call (a cursor, a page), so no step needs Lambda's 15 minutes
    for (const handler of ["build-batch", "write-batch-page", "assemble-batch"]) {
      const fn = functions.find((f) => f.handler.endsWith(`/${handler}.handler`))!;
      expect(fn.properties.Timeout, handler).toBeLessThanOrEqual(300);
      expect(fn.properties.Timeout, handler).toBeGreaterThan(health.properties.Timeout);
      expect(fn.properties.MemorySize, handler).toBeGreaterThan(health.properties.MemorySize);
    }
    expect(health.properties.Timeout).toBeLessThanOrEqual(29); // API Gateway gives up after 29 s
  });

  it("ships each function as its own minified ESM bundle from SST's esbuild build", () => {
    for (const fn of functions) {
      expect(fn.bundleDir, fn.handler).toBeDefined();
      expect(existsSync(fn.bundleDir!), fn.handler).toBe(true);
      const entry = join(fn.bundleDir!, fn.properties.Handler.replace(/\.[^.]+$/, ".mjs"));
      expect(existsSync(entry), `${fn.handler}: ${entry}`).toBe(true);
      // Nothing is installed next to the code; the PDF fonts are copied to fonts/ (stacks/bundling.ts).
      expect(existsSync(join(fn.bundleDir!, "node_modules")), fn.handler).toBe(false);
      const code = readFileSync(entry, "utf8");
      // Minified code is a few very long lines (only template literals keep line breaks): at
      // least 200 characters a line on average, where readable source has 30 to 40.
      expect(code.split("\n").length, fn.handler).toBeLessThanOrEqual(20 + code.length / 200);
      expect(code, fn.handler).not.toContain("sourceMappingURL");
    }
  });

  it("leaves the AWS SDK to the runtime and is allowed exactly the AWS calls its bundle imports", () => {
    // The SDK is external (stacks/bundling.ts): each bundle imports by name the SDK commands its
    // code paths use (tests/stacks/functions.ts, sdkImportsOf), and that is compared with
    // stacks/permissions.ts both ways.
    for (const fn of functions) {
      const code = bundleText(fn.bundleDir!);
      expect(code, `${fn.handler}: bundles SDK code instead of importing it`).not.toContain("com.amazonaws.");
      expect(code, fn.handler).not.toMatch(/require\(["']aws-sdk["']\)/);
      expect(accessMismatches(code, accessOf(fn.handler)), `${fn.handler} (declared in stacks/permissions.ts)`).toEqual([]);
    }
    // The scan sees the functions' calls at all: these call DynamoDB, SES and Step Functions.
    const imports = (handler: string) => sdkImportsOf(bundleText(functions.find((f) => f.handler.endsWith(handler))!.bundleDir!)).names;
    expect(imports("/submit-report.handler")["@aws-sdk/client-sfn"]).toContain("StartExecutionCommand");
    expect(imports("/ask-approver.handler")["@aws-sdk/client-sesv2"]).toContain("SendEmailCommand");
    expect(imports("/auth-logout.handler")["@aws-sdk/lib-dynamodb"]).toEqual(expect.arrayContaining(["DeleteCommand"]));
    expect(imports("/remove-visit.handler")["@aws-sdk/lib-dynamodb"]).toEqual(expect.arrayContaining(["GetCommand", "PutCommand"]));
    expect(imports("/send-batch.handler")["@aws-sdk/client-s3"]).toEqual(expect.arrayContaining(["GetObjectCommand"]));
    expect(imports("/assemble-batch.handler")["@aws-sdk/client-s3"]).toEqual(expect.arrayContaining(["GetObjectCommand"]));
    expect(imports("/batch-file.handler")["@aws-sdk/client-s3"]).toContain("GetObjectCommand");
    expect(imports("/batch-file.handler")["@aws-sdk/s3-request-presigner"]).toEqual(["getSignedUrl"]);
  });

  it("catches a call that stacks/permissions.ts does not declare (a fixture bundled as SST bundles)", async () => {
    // The esbuild SST bundles with (its own copy), with SST's options for ESM (runtime/handlers/node.js).
    const esbuild = createRequire(join(root, "node_modules/sst/runtime/handlers/node.js"))("esbuild") as {
      build(options: object): Promise<{ outputFiles: { text: string }[] }>;
    };
    const { nodejsBundling } = await import("../../stacks/bundling.js");
    const { external, plugins } = nodejsBundling.esbuild!;
    const result = await esbuild.build({
      entryPoints: [join(import.meta.dirname, "fixtures/undeclared-calls.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "esnext",
      mainFields: ["module", "main"],
      keepNames: true,
      minify: nodejsBundling.minify,
      external,
      plugins,
      write: false,
    });
    const code = result.outputFiles[0].text;
    expect(sdkImportsOf(code).names["@aws-sdk/lib-dynamodb"]).toEqual(["DeleteCommand", "DynamoDBDocumentClient", "QueryCommand"]);
    expect(accessMismatches(code, { table: "read" })).toEqual([
      "uses write without permission",
      "uses sesv2 without permission",
      "calls states start without permission",
      "calls s3 put without permission",
    ]);
    expect(accessMismatches(code, { table: "read-write", sendEmail: true, approval: ["start", "describe"], files: ["put"] })).toEqual([
      "allowed states describe but never calls it",
    ]);
    expect(accessMismatches(code, { table: "read-write", sendEmail: true, approval: ["start"], files: ["put", "get"] })).toEqual([
      "allowed s3 get but never calls it",
    ]);
    expect(accessMismatches(code, { table: "read-write", sendEmail: true, approval: ["start"], files: ["put"] })).toEqual([]);
    expect(accessMismatches('import*as sdk from"@aws-sdk/client-sfn";', { table: "none" })).toEqual([
      "loads @aws-sdk/client-sfn without named imports: what it calls cannot be checked",
    ]);
  });
});

describe("cycle starts on prod", () => {
  it("sends a schedule's failed deliveries and StartCycle's failed async runs to one encrypted queue", () => {
    const [queueId] = Object.keys(prod.Workflow.findResources("AWS::SQS::Queue"));
    prod.Workflow.hasResourceProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true });
    prod.Workflow.allResourcesProperties("AWS::Scheduler::Schedule", {
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: { "Fn::GetAtt": [queueId, "Arn"] } },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
      }),
    });
    const startCycle = functions.find((f) => f.handler.endsWith("/start-cycle.handler"))!;
    prod.Workflow.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: startCycle.logicalId },
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } } },
    });
    prod.Workflow.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });

  it("lets the scheduler role invoke only StartCycle and write only to that queue", () => {
    const startCycle = functions.find((f) => f.handler.endsWith("/start-cycle.handler"))!;
    const [roleId] = Object.entries(prod.Workflow.findResources("AWS::IAM::Role")).find(([, role]: any) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes("scheduler.amazonaws.com"),
    )!;
    const policy = Object.values(prod.Workflow.findResources("AWS::IAM::Policy")).find((p: any) =>
      refersTo(p.Properties.Roles, roleId),
    ) as any;
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()).sort();
    expect(actions).toEqual(["lambda:InvokeFunction", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]);
    expect(refersTo(policy.Properties.PolicyDocument, startCycle.logicalId)).toBe(true);
  });
});

describe("retention clean-up on prod", () => {
  it("lets its scheduler role invoke only RetentionCleanUp and dead-letter to the failed-starts queue", () => {
    const cleanUp = functions.find((f) => f.handler.endsWith("/retention-clean-up.handler"))!;
    const [roleId] = Object.entries(prod.Workflow.findResources("AWS::IAM::Role")).find(([id]) => id.startsWith("RetentionSchedulerRole"))!;
    const policy = Object.values(prod.Workflow.findResources("AWS::IAM::Policy")).find((p: any) => refersTo(p.Properties.Roles, roleId)) as any;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(["lambda:InvokeFunction", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]);
    const invoke = statements.find((s: any) => [s.Action].flat().includes("lambda:InvokeFunction"));
    expect(refersTo(invoke.Resource, cleanUp.logicalId)).toBe(true);
    expect(refersTo(invoke.Resource, "StartCycle")).toBe(false);
  });

  it("gives the clean-up the table only: no e-mail, no state machine, no files", () => {
    const cleanUp = functions.find((f) => f.handler.endsWith("/retention-clean-up.handler"))!;
    const actions = cleanUp.statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => !a.startsWith("dynamodb:") && !a.startsWith("kms:") && !a.startsWith("xray:"))).toEqual([]);
    expect(actions).toContain("dynamodb:DeleteItem");
  });
});

describe("api on prod", () => {
  it("throttles every route of the HTTP API", () => {
    prod.Api.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      DefaultRouteSettings: { ThrottlingBurstLimit: 400, ThrottlingRateLimit: 200 },
    });
  });

  it("writes an access log", () => {
    prod.Api.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });
});

describe("e-mail on prod", () => {
  it("sends from the configured domain through the configuration set", () => {
    prod.Email.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: trialSettings.KARTA_MAIL_DOMAIN,
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it("records bounces and complaints on an encrypted topic the operators receive", () => {
    const [topicId, topic] = Object.entries(prod.Email.findResources("AWS::SNS::Topic"))[0] as [string, any];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    prod.Email.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(["bounce", "complaint"]),
        SnsDestination: { TopicARN: { Ref: topicId } },
      }),
    });
    prod.Email.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "operatorzy@karta.example.gov.pl",
      TopicArn: { Ref: topicId },
    });
  });

  it("lets SES and CloudWatch publish to the encrypted topics (their key policy names them)", () => {
    for (const service of ["ses.amazonaws.com", "cloudwatch.amazonaws.com"]) {
      prod.Email.hasResourceProperties("AWS::KMS::Key", {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: service }, Action: Match.arrayWith(["kms:GenerateDataKey*"]) }),
          ]),
        },
      });
    }
  });

  it("outputs the three DKIM records for the domain's DNS", () => {
    const outputs = Object.keys(prod.Email.findOutputs("*"));
    expect(outputs.filter((name) => name.startsWith("DkimRecord")).sort()).toEqual(["DkimRecord1", "DkimRecord2", "DkimRecord3"]);
  });
});

describe("SES events on prod (bounces, complaints, suppressed sends)", () => {
  const mailTopicId = () => Object.keys(prod.Email.findResources("AWS::SNS::Topic")).find((id) => id.startsWith("MailEvents"))!;
  const handler = () => functions.find((f) => f.handler === "functions/workflow/mail-events.handler")!;

  it("publishes bounces, complaints and rejections of the configuration set to the encrypted topic, which refuses plain HTTP", () => {
    const [setId] = Object.keys(prod.Email.findResources("AWS::SES::ConfigurationSet"));
    prod.Email.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      ConfigurationSetName: { Ref: setId },
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(["bounce", "complaint", "reject"]),
        SnsDestination: { TopicARN: { Ref: mailTopicId() } },
      }),
    });
    prod.Email.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: mailTopicId() }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });

  it("subscribes the mail-event function to the topic, and lets SNS invoke it from that topic only", () => {
    const fn = handler();
    expect(fn.stack).toBe("Email");
    prod.Email.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "lambda", TopicArn: { Ref: mailTopicId() }, Endpoint: { "Fn::GetAtt": [fn.logicalId, "Arn"] } });
    prod.Email.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "sns.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [fn.logicalId, "Arn"] },
      SourceArn: { Ref: mailTopicId() },
    });
  });

  it("gives the mail-event function the table and nothing else: it sends no e-mail", () => {
    const actions = handler().statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => !a.startsWith("dynamodb:") && !a.startsWith("kms:") && !a.startsWith("xray:"))).toEqual([]);
    expect(actions).toContain("dynamodb:UpdateItem");
  });

  it("sends every e-mail through the configuration set: each e-mailing function is told its name", () => {
    const senders = functions.filter((f) => accessOf(f.handler).sendEmail);
    expect(senders.length).toBeGreaterThan(8);
    for (const fn of senders) {
      const name = fn.properties.Environment?.Variables?.SES_CONFIGURATION_SET;
      // the configuration set's Ref, imported from the Email stack
      expect(JSON.stringify(name), fn.handler).toMatch(/Sending[0-9A-F]{8}/);
    }
  });
});

describe("alarms on prod", () => {
  const alarms = () => Object.values(prod.Monitoring.findResources("AWS::CloudWatch::Alarm")) as any[];
  const metricNames = (alarm: any): string[] =>
    alarm.Properties.MetricName ? [alarm.Properties.MetricName] : (alarm.Properties.Metrics ?? []).map((m: any) => m.MetricStat?.Metric.MetricName).filter(Boolean);

  it("sends every alarm to one encrypted topic with the operators' e-mail", () => {
    const [topicId, topic] = Object.entries(prod.Monitoring.findResources("AWS::SNS::Topic"))[0] as [string, any];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    prod.Monitoring.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "operatorzy@karta.example.gov.pl",
      TopicArn: { Ref: topicId },
    });
    expect(alarms().length).toBeGreaterThan(10);
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.AlarmDescription).toContain("docs/operations.md");
    }
  });

  it.each(["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"])("watches %s of both state machines", (metric) => {
    const watched = alarms().filter((a) => a.Properties.MetricName === metric && a.Properties.Namespace === "AWS/States");
    const machines = watched.map((a) => JSON.stringify(a.Properties.Dimensions)).join(" ");
    expect(watched).toHaveLength(2);
    expect(machines).toContain("MonthlyCycle");
    expect(machines).toContain("ReportApproval");
  });

  it("watches errors of every workflow step and errors and throttles of every function", () => {
    const watchedFor = (metric: string) =>
      alarms()
        .filter((a) => metricNames(a).includes(metric))
        .map((a) => JSON.stringify(a.Properties))
        .join(" ");
    const errors = watchedFor("Errors");
    const throttles = watchedFor("Throttles");
    for (const fn of functions) {
      expect(throttles, `${fn.handler} throttles`).toContain(fn.logicalId);
      expect(errors, `${fn.handler} errors`).toContain(fn.logicalId);
    }
    const mathAlarms = alarms().filter((a) => a.Properties.Metrics);
    for (const alarm of mathAlarms) expect(alarm.Properties.Metrics.length).toBeLessThanOrEqual(11); // 10 metrics + the expression
  });

  it("watches the SES bounce and complaint rates, API 5xx and failed cycle starts", () => {
    const byMetric = (namespace: string, metric: string) =>
      alarms().filter((a) => a.Properties.Namespace === namespace && a.Properties.MetricName === metric);
    expect(byMetric("AWS/SES", "Reputation.BounceRate")[0].Properties.Threshold).toBeLessThan(0.05);
    expect(byMetric("AWS/SES", "Reputation.ComplaintRate")).toHaveLength(1);
    expect(byMetric("AWS/ApiGateway", "5xx")).toHaveLength(1);
    expect(byMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible")).toHaveLength(1);
  });
});

function bundleText(dir: string): string {
  const parts: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(mjs|js|cjs)$/.test(entry)) parts.push(readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return parts.join("\n");
}

describe("PDF fonts in the bundles", () => {
  it("copies the subset DejaVu Sans fonts, brotli-compressed, and their licence to fonts/ of the function that draws PDFs", () => {
    const fn = functions.find((f) => f.handler.endsWith("/write-batch-page.handler"))!;
    const fonts = join(fn.bundleDir!, "fonts");
    expect(readdirSync(fonts).sort()).toEqual(["DejaVuSans-Bold-subset.ttf.br", "DejaVuSans-subset.ttf.br", "LICENSE"]);
    for (const font of ["DejaVuSans-subset.ttf", "DejaVuSans-Bold-subset.ttf"]) {
      expect(brotliDecompressSync(readFileSync(join(fonts, `${font}.br`))).equals(readFileSync(join(root, "functions/core/exports/fonts", font))), font).toBe(true);
    }
  });

  it("loads those fonts from the bundle (pdf.ts parses them when the module loads)", async () => {
    const fn = functions.find((f) => f.handler.endsWith("/write-batch-page.handler"))!;
    const entry = join(fn.bundleDir!, fn.properties.Handler.replace(/\.[^.]+$/, ".mjs"));
    const bundled = await import(pathToFileURL(entry).href);
    expect(typeof bundled.handler).toBe("function");
  });

  it("builds no file in the download route: no fonts, no PDF writer, a plain request's time and memory", () => {
    const download = functions.find((f) => f.handler.endsWith("/batch-file.handler"))!;
    const health = functions.find((f) => f.handler.endsWith("/health.handler"))!;
    expect(existsSync(join(download.bundleDir!, "fonts"))).toBe(false);
    expect(bundleText(download.bundleDir!)).not.toContain("PDFDocument");
    expect([download.properties.Timeout, download.properties.MemorySize]).toEqual([health.properties.Timeout, health.properties.MemorySize]);
    expect(download.properties.Environment.Variables).toHaveProperty("TABLE_NAME");
  });
});

describe("observability on prod", () => {
  it("gives every Karta function Powertools' service, namespace and log level, and active X-Ray tracing", () => {
    for (const fn of functions) {
      expect(fn.properties.Environment.Variables, fn.handler).toMatchObject({
        POWERTOOLS_SERVICE_NAME: "karta",
        POWERTOOLS_METRICS_NAMESPACE: "Karta",
        LOG_LEVEL: "INFO",
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
      });
      expect(fn.properties.TracingConfig, fn.handler).toEqual({ Mode: "Active" });
    }
  });

  it("keeps every function's asset within 1 MB with Powertools' logger, metrics and tracer bundled in", () => {
    for (const fn of functions) {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir)) statSync(join(dir, entry)).isDirectory() ? walk(join(dir, entry)) : files.push(join(dir, entry));
      };
      walk(fn.bundleDir!);
      const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
      // 1 MB as the benchmark counts it (bench/report.ts): every file of the asset, fonts included
      expect(bytes, `${fn.handler}: ${bytes} bytes`).toBeLessThanOrEqual(1024 * 1024);
      const code = bundleText(fn.bundleDir!);
      // strings of the three packages that survive minification
      for (const mark of ["powertools.logger.keys", "powertools.metrics.storedMetrics", "captureAWSv3Client"]) expect(code, `${fn.handler} lacks ${mark}`).toContain(mark);
    }
  });
});

describe("retries on prod", () => {
  /** Every Task state of a definition, Map item processors included. */
  const taskStates = (definition: any): [string, any][] =>
    Object.entries<any>(definition.States).flatMap(([name, state]) => [
      ...(state.Type === "Task" ? [[name, state] as [string, any]] : []),
      ...(state.ItemProcessor ?? state.Iterator ? taskStates(state.ItemProcessor ?? state.Iterator) : []),
      ...(state.Branches ?? []).flatMap(taskStates),
    ]);
  /** The retrier Step Functions applies to an error of a Task state: the first that matches. */
  const retrierFor = (state: any, error: string) =>
    (state.Retry ?? []).find((r: any) => r.ErrorEquals.some((e: string) => e === error || e === "States.ALL" || (e === "States.TaskFailed" && error !== "States.Timeout")));

  for (const machine of ["ReportApproval", "MonthlyCycle"]) {
    it(`retries every Task state of ${machine} with back-off, but never an error a Catch handles by name`, () => {
      const tasks = taskStates(stateMachineDefinition(prod.Workflow, machine));
      expect(tasks.length).toBeGreaterThanOrEqual(machine === "ReportApproval" ? 3 : 10);
      if (machine === "ReportApproval") expect(tasks.map(([name]) => name)).toContain("Ask the approver");
      for (const [name, state] of tasks) {
        for (const error of ["Lambda.ServiceException", "Lambda.TooManyRequestsException", "Lambda.SdkClientException", "States.TaskFailed", "SomeTransientDynamoDbError"]) {
          const retrier = retrierFor(state, error);
          expect(retrier, `${name}: ${error}`).toBeDefined();
          expect(retrier.MaxAttempts, `${name}: ${error}`).toBeGreaterThan(0);
          expect(retrier.BackoffRate, `${name}: ${error}`).toBeGreaterThan(1);
          expect(retrier.IntervalSeconds, `${name}: ${error}`).toBeGreaterThan(0);
        }
        // the approval's timeout goes to its Catch (reminder), never retried
        expect(retrierFor(state, "States.Timeout"), name).toBeUndefined();
        const caughtByName = (state.Catch ?? []).flatMap((c: any) => c.ErrorEquals).filter((e: string) => !e.startsWith("States."));
        for (const error of caughtByName) expect(retrierFor(state, error)?.MaxAttempts, `${name}: ${error} is caught, so not retried`).toBe(0);
      }
    });
  }

  it("sends a missing batch file straight to its Catch (back to building the batch)", () => {
    const send = stateMachineDefinition(prod.Workflow, "MonthlyCycle").States["E-mail the batch to finance"];
    expect(send.Retry[0]).toEqual({ ErrorEquals: ["BatchFilesMissing"], MaxAttempts: 0 });
    expect(send.Catch).toEqual([expect.objectContaining({ ErrorEquals: ["BatchFilesMissing"], Next: "Build the payment batch" })]);
  });
});

describe("log retention on prod", () => {
  it("bounds every log group of every stack (state machines, the API's access log)", () => {
    const groups = Object.entries(prod).flatMap(([stack, template]) =>
      Object.entries<any>(template.findResources("AWS::Logs::LogGroup")).map(([id, group]) => ({ stack, id, group })),
    );
    // ...and the helpers' own groups (stacks/log-retention.ts; tests/stacks/edge.test.ts checks every function has one)
    expect(groups.map((g) => g.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^HttpLogGroup/), expect.stringMatching(/^MonthlyCycleLogs/), expect.stringMatching(/^ReportApprovalLogs/)]));
    for (const { stack, id, group } of groups) expect(group.Properties.RetentionInDays, `${stack}/${id}`).toBe(180);
  });

  it("sends the API's access log to that bounded group", () => {
    const id = Object.keys(prod.Api.findResources("AWS::Logs::LogGroup")).find((name) => name.startsWith("HttpLogGroup"))!;
    prod.Api.hasResourceProperties("AWS::ApiGatewayV2::Stage", { AccessLogSettings: Match.objectLike({ DestinationArn: { "Fn::GetAtt": [id, "Arn"] } }) });
  });
});

describe("web security headers on prod", () => {
  it("serves the app through a response headers policy: CSP, no framing, HSTS, nosniff, referrer policy", () => {
    const distributions = Object.values<any>(prod.Web.findResources("AWS::CloudFront::Distribution"));
    expect(distributions).toHaveLength(1);
    const ref = distributions[0].Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId;
    const policies = prod.Web.findResources("AWS::CloudFront::ResponseHeadersPolicy");
    const policy = policies[ref?.Ref] as any;
    expect(policy, "the default behaviour refers to a policy of this stack").toBeDefined();
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp: string = headers.ContentSecurityPolicy.ContentSecurityPolicy;
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "connect-src 'self'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: expect.any(Number), IncludeSubdomains: true, Override: true });
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(["strict-origin-when-cross-origin", "no-referrer"]).toContain(headers.ReferrerPolicy.ReferrerPolicy);
  });
});

describe("production settings", () => {

  it("refuses to build prod with the placeholder sender domain, naming the setting for .env.prod", () => {
    expect(() => withEnv({ KARTA_MAIL_DOMAIN: undefined, KARTA_MAIL_FROM: undefined }, () => stageConfig("prod"))).toThrow(/KARTA_MAIL_DOMAIN.*\.env\.prod/);
    expect(() => withEnv({ KARTA_MAIL_DOMAIN: PLACEHOLDER_MAIL_DOMAIN, KARTA_MAIL_FROM: `karta@${PLACEHOLDER_MAIL_DOMAIN}` }, () => stageConfig("prod"))).toThrow(PLACEHOLDER_MAIL_DOMAIN);
    // a sender outside the verified domain is refused too
    expect(() => withEnv({ KARTA_MAIL_DOMAIN: trialSettings.KARTA_MAIL_DOMAIN, KARTA_MAIL_FROM: undefined }, () => stageConfig("prod"))).toThrow(/KARTA_MAIL_FROM/);
    expect(withEnv(trialSettings, () => stageConfig("prod"))).toMatchObject({ mailDomain: trialSettings.KARTA_MAIL_DOMAIN, mailFrom: trialSettings.KARTA_MAIL_FROM });
    // other stages keep the trial defaults
    expect(withEnv({ KARTA_MAIL_DOMAIN: undefined, KARTA_MAIL_FROM: undefined }, () => stageConfig("local"))).toMatchObject({ mailDomain: PLACEHOLDER_MAIL_DOMAIN });
  });

  it("synthesised prod with a real sender domain: the SES identity and the functions' sender use it", () => {
    const sender = functions.find((f) => f.handler.endsWith("/send-batch.handler"))!;
    expect(sender.properties.Environment.Variables.MAIL_FROM).toBe(trialSettings.KARTA_MAIL_FROM);
  });
});
