import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { stateMachineDefinition, templatesFor } from "../support/templates.js";

let prod: Record<string, Template>;
let local: Record<string, Template>;

beforeAll(async () => {
  prod = await templatesFor("prod");
  local = await templatesFor("local");
}, 240_000);

describe("storage", () => {
  it("keeps the table encrypted with a customer-managed key, with point-in-time recovery", () => {
    prod.Storage.hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: Match.anyValue() },
    });
    prod.Storage.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("protects the production table from deletion and keeps it on stack removal", () => {
    prod.Storage.hasResourceProperties("AWS::DynamoDB::Table", { DeletionProtectionEnabled: true });
    prod.Storage.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Retain" });
  });

  it("lets DynamoDB TTL remove expired sessions and sign-in links (expiresAtEpoch), on every stage", () => {
    for (const stage of [prod, local]) {
      stage.Storage.hasResourceProperties("AWS::DynamoDB::Table", { TimeToLiveSpecification: { AttributeName: "expiresAtEpoch", Enabled: true } });
    }
  });

  it("leaves the local stage's table unprotected so it can be thrown away", () => {
    local.Storage.hasResourceProperties("AWS::DynamoDB::Table", { DeletionProtectionEnabled: false });
  });

  it("keeps payment files in a versioned, KMS-encrypted, locked bucket on every stage; only prod keeps it on removal", () => {
    for (const stage of [prod, local]) {
      stage.Storage.hasResourceProperties("AWS::S3::Bucket", {
        VersioningConfiguration: { Status: "Enabled" },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1825 } } },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: "aws:kms" }) })] },
      });
    }
    prod.Storage.hasResource("AWS::S3::Bucket", { DeletionPolicy: "Retain" });
    local.Storage.hasResource("AWS::S3::Bucket", { DeletionPolicy: "Delete" });
  });

  it("has the three secondary indexes the repositories query", () => {
    const table = Object.values(prod.Storage.findResources("AWS::DynamoDB::Table"))[0];
    const names = table.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName).sort();
    expect(names).toEqual(["gsi1", "gsi2", "gsi3"]);
  });
});

describe("functions", () => {
  it.each(["Workflow", "Api"])("runs every %s function on nodejs22.x arm64 with its source recorded", (stack) => {
    const functions = Object.values(prod[stack].findResources("AWS::Lambda::Function")).filter(
      (f: any) => f.Metadata?.["karta:handler"],
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions as any[]) {
      expect(fn.Properties.Runtime).toBe("nodejs22.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(fn.Metadata["karta:handler"]).toMatch(/^functions\/(api|workflow)\/[a-z-]+\.handler$/);
    }
  });
});

describe("api", () => {
  it("routes GET /api/health to a Lambda", () => {
    prod.Api.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "GET /api/health" });
  });
});

describe("workflows", () => {
  it("has the two standard state machines with tracing", () => {
    prod.Workflow.resourceCountIs("AWS::StepFunctions::StateMachine", 2);
    prod.Workflow.allResourcesProperties("AWS::StepFunctions::StateMachine", {
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: "ERROR", IncludeExecutionData: false }),
    });
  });

  it("asks the approver with a task token and an explicit timeout, and reminds on timeout", () => {
    const asl = stateMachineDefinition(prod.Workflow, "ReportApproval");
    const ask = asl.States["Ask the approver"];
    expect(ask.Resource).toContain("lambda:invoke.waitForTaskToken");
    expect(ask.TimeoutSecondsPath).toBe("$.approval.timeoutSeconds");
    expect(ask.Parameters.Payload["token.$"]).toBe("$$.Task.Token");
    expect(ask.Catch).toEqual([expect.objectContaining({ ErrorEquals: ["States.Timeout"], Next: "Remind the approver" })]);
    expect(asl.States["Remind the approver"].Next).toBe("Ask the approver");
  });

  it("starts at the ask and ends in one state for every outcome (two states per report without a reminder)", () => {
    const asl = stateMachineDefinition(prod.Workflow, "ReportApproval");
    expect(asl.StartAt).toBe("Ask the approver");
    expect(asl.States["Ask the approver"].Next).toBe("Finish the approval");
    expect(asl.States["Finish the approval"]).toMatchObject({ Type: "Task", End: true, ResultPath: "$.finished" });
    expect(Object.keys(asl.States).sort()).toEqual(["Ask the approver", "Finish the approval", "Remind the approver"]);
  });

  it("walks the month: plan, reminders, deadline, close, decisions, batch", () => {
    const asl = stateMachineDefinition(prod.Workflow, "MonthlyCycle");
    expect(asl.StartAt).toBe("Plan the month");
    expect(asl.States["Plan the month"].Next).toBe("Send the reminders");
    expect(asl.States["Send the reminders"]).toMatchObject({ Type: "Map", MaxConcurrency: 1, Next: "Wait for the deadline" });
    expect(asl.States["Wait for the deadline"]).toMatchObject({ Type: "Wait", TimestampPath: "$.plan.deadline" });
    expect(asl.States["Ready to pay?"].Choices[0].Next).toBe("Build the payment batch");
    // Linked before the machine is rendered: otherwise the cycle would end after its first check.
    expect(asl.States["Check the decisions"].Next).toBe("Ready to pay?");
    expect(asl.States["Wait for the next check"]).toMatchObject({ Type: "Wait", TimestampPath: "$.progress.nextCheckAt", Next: "Check the decisions" });
    expect(asl.States["Decisions still awaited?"].Choices[0]).toMatchObject({ Variable: "$.batch.keepWatching", Next: "Wait for the next check" });
    // Once finance has the batch, its assistants are told, page by page, before the next check.
    expect(asl.States["E-mail the batch to finance"].Next).toBe("Tell the assistants what goes to payment");
    // a batch whose files' record is missing at the e-mail step is planned, written and assembled again
    expect(asl.States["E-mail the batch to finance"].Catch).toEqual([{ ErrorEquals: ["BatchFilesMissing"], ResultPath: null, Next: "Build the payment batch" }]);
    // The pages map reads `$.batch.plan.key`: only "Payment files stored?" leads to it, taken
    // when build-batch did not find the files stored — and then it made the plan.
    const into = (target: string) =>
      Object.entries(asl.States as Record<string, { Next?: string; Default?: string; Choices?: { Next: string }[]; Catch?: { Next: string }[] }>)
        .filter(([, s]) => [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)].includes(target))
        .map(([name]) => name);
    expect(into("Write the payment files page by page")).toEqual(["Payment files stored?"]);
    expect(asl.States["Tell the assistants what goes to payment"]).toMatchObject({ ResultPath: "$.told", Next: "More assistants to tell?" });
    expect(asl.States["More assistants to tell?"]).toMatchObject({
      Choices: [{ Variable: "$.told.cursor", IsPresent: true, Next: "Tell the assistants what goes to payment" }],
      Default: "Decisions still awaited?",
    });
    // Once nothing more can be paid, the month's audit pack is written before the cycle ends.
    expect(asl.States["Decisions still awaited?"].Default).toBe("Archive the month for inspections");
    expect(asl.States["Archive the month for inspections"]).toMatchObject({ Type: "Task", ResultPath: "$.archived", Next: "Month settled" });
    // No state per report or per assistant: the cycle's graph is fixed-size.
    expect(Object.keys(asl.States).length).toBeLessThan(24);
  });

  it("claims the batch with a cursor, writes its files page by page in a Distributed Map and joins them once before e-mailing them", () => {
    const asl = stateMachineDefinition(prod.Workflow, "MonthlyCycle");
    expect(asl.States["Build the payment batch"]).toMatchObject({ ResultPath: "$.batch", Next: "More reports to claim?" });
    expect(asl.States["More reports to claim?"]).toMatchObject({
      Choices: [{ Variable: "$.batch.cursor", IsPresent: true, Next: "Build the payment batch" }],
      Default: "Anything to pay?",
    });
    expect(asl.States["Anything to pay?"].Choices[0]).toMatchObject({ Variable: "$.batch.batchId", IsPresent: true, Next: "Payment files stored?" });
    // a re-run after the files were stored goes straight to the e-mail: they are never built twice
    expect(asl.States["Payment files stored?"]).toMatchObject({
      Choices: [{ Variable: "$.batch.filesStored", BooleanEquals: true, Next: "E-mail the batch to finance" }],
      Default: "Write the payment files page by page",
    });
    const pages = asl.States["Write the payment files page by page"];
    expect(pages).toMatchObject({
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Write one page of the payment files" },
      ItemReader: { ReaderConfig: { InputType: "JSON" }, Parameters: { "Key.$": "$.batch.plan.key" } },
      ItemSelector: { "page.$": "$$.Map.Item.Value" },
      ResultPath: null,
      Next: "Assemble the payment files",
    });
    expect(pages.ItemReader.Resource).toMatch(/:states:::s3:getObject$/);
    expect(pages.MaxConcurrency).toBeGreaterThan(1);
    expect(asl.States["Assemble the payment files"]).toMatchObject({ Type: "Task", ResultPath: "$.assembled", Next: "E-mail the batch to finance" });
  });

  it("starts every programme's cycle on the 1st of the month, Warsaw time, with one schedule (programmes come from the table)", () => {
    const schedules = Object.entries(prod.Workflow.findResources("AWS::Scheduler::Schedule")).filter(([id]) => id.startsWith("CycleStart"));
    const inputs = schedules.map(([, s]: any) => JSON.parse(s.Properties.Target.Input));
    expect(inputs).toEqual([{ scheduledTime: "<aws.scheduler.scheduled-time>" }]);
    expect(schedules.map(([, s]: any) => [s.Properties.ScheduleExpression, s.Properties.ScheduleExpressionTimezone])).toEqual([["cron(5 0 1 * ? *)", "Europe/Warsaw"]]);
  });

  it("runs the retention clean-up every day at 03:30 Warsaw time, on its own function", () => {
    const schedules = Object.entries(prod.Workflow.findResources("AWS::Scheduler::Schedule"));
    expect(schedules.map(([id]) => id.replace(/[0-9A-F]{8}$/, "")).sort()).toEqual(["CycleStart", "RetentionCleanUpDaily"]);
    const [, retention] = schedules.find(([id]) => id.startsWith("RetentionCleanUpDaily")) as [string, any];
    expect(retention.Properties).toMatchObject({ ScheduleExpression: "cron(30 3 * * ? *)", ScheduleExpressionTimezone: "Europe/Warsaw" });
    expect(JSON.parse(retention.Properties.Target.Input)).toEqual({ scheduledTime: "<aws.scheduler.scheduled-time>" });
    expect(JSON.stringify(retention.Properties.Target.Arn)).toMatch(/RetentionCleanUp/);
  });
});

describe("e-mail", () => {
  it("suppresses bounced and complaining addresses", () => {
    prod.Email.hasResourceProperties("AWS::SES::ConfigurationSet", {
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(["BOUNCE", "COMPLAINT"]) },
    });
  });
});

describe("web", () => {
  it("ships the web app through CloudFront from a bucket that refuses plain HTTP", () => {
    prod.Web.resourceCountIs("AWS::CloudFront::Distribution", 1);
    prod.Web.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("is not part of the local stage, which serves web/dist itself", () => {
    expect(local.Web).toBeUndefined();
  });
});

describe("one origin", () => {
  it("serves /api/* and the /approve/* links through the app's distribution, uncached", () => {
    const [distribution] = Object.values(prod.Web.findResources("AWS::CloudFront::Distribution")) as any[];
    const behaviors = distribution.Properties.DistributionConfig.CacheBehaviors;
    expect(behaviors.map((b: { PathPattern: string }) => b.PathPattern).sort()).toEqual(["/api/*", "/approve/*"]);
    for (const behavior of behaviors) {
      expect(behavior.AllowedMethods).toContain("POST");
      expect(behavior.ViewerProtocolPolicy).toBe("https-only");
    }
  });
});
