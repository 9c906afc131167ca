import { Config, Function, type FunctionProps, StackContext, use } from "sst/constructs";
import { Duration } from "aws-cdk-lib";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { CfnSchedule } from "aws-cdk-lib/aws-scheduler";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { Storage } from "./Storage.js";
import { Email } from "./Email.js";
import { stageConfig } from "./config.js";
import { pdfFonts } from "./bundling.js";
import { fileStatements, stateMachineStatements, tableStatements, workflowAccess, type MachineRef } from "./permissions.js";
import { ArnFormat } from "aws-cdk-lib";
import { NagSuppressions } from "cdk-nag";
import { suppressions } from "./nag.js";
import { objectPrefixes } from "../functions/adapters/keys.js";

/**
 * The two Step Functions workflows of DESIGN.md. State names are sentences a coordinator can
 * read. The monthly cycle never holds a state per report or per assistant: fan-out happens
 * inside paginated Lambda steps, so its history stays small at any scale.
 */
export function Workflow({ stack, app }: StackContext) {
  const { table, key, files, filesKey, retentionYears } = use(Storage);
  const email = use(Email);
  const config = stageConfig(app.stage);

  const environment = {
    TABLE_NAME: table.tableName,
    MAIL_FROM: config.mailFrom,
    SES_CONFIGURATION_SET: email.configurationSet.configurationSetName,
    APP_URL: config.appUrl,
    // Alerts the workflow e-mails itself (a report set aside from the payment files).
    OPERATORS_EMAIL: config.operatorsEmails.join(","),
  };
  // Only the functions that handle payment files learn where they are.
  const filesEnvironment = { FILES_BUCKET_NAME: files.bucketName, RETENTION_YEARS: String(retentionYears) };
  // Signs approval and sign-in links (HMAC-SHA-256): `npx sst secrets set LINK_SECRET …`.
  const linkSecret = new Config.Secret(stack, "LINK_SECRET");
  // Fixed names, so a task of a machine may be granted actions on that machine (ask-approver
  // completes its own task) without a reference cycle between the function and the machine.
  const named = (id: string): MachineRef => {
    const name = `${stack.stackName}-${id}`;
    return {
      name,
      arn: stack.formatArn({ service: "states", resource: "stateMachine", resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    };
  };
  const machines = { approval: named("ReportApproval"), cycle: named("MonthlyCycle") };

  /** A task function with exactly the access stacks/permissions.ts declares for its handler. */
  const step = (id: string, handler: string, extra: Pick<FunctionProps, "timeout" | "memorySize" | "copyFiles"> = {}) => {
    const access = workflowAccess[handler];
    if (!access) throw new Error(`stacks/permissions.ts declares no access for functions/workflow/${handler}`);
    const fn = new Function(stack, id, {
      handler: `functions/workflow/${handler}.handler`,
      environment: { ...environment, ...(access.files || access.archive || access.pages ? filesEnvironment : {}) },
      bind: access.linkSecret ? [linkSecret] : [],
      permissions: [
        ...tableStatements(access.table, table.cdk.table, key),
        ...(access.sendEmail ? email.sendEmail() : []),
        ...stateMachineStatements(access.approval, machines.approval, stack),
        ...stateMachineStatements(access.cycle, machines.cycle, stack),
        ...fileStatements(access.files, files, filesKey),
        ...fileStatements(access.archive, files, filesKey, objectPrefixes.archive),
        ...fileStatements(access.pages, files, filesKey, objectPrefixes.pages),
      ],
      ...extra,
    });
    if (access.files) NagSuppressions.addResourceSuppressions(fn, [suppressions.batchFiles], true);
    if (access.pages) NagSuppressions.addResourceSuppressions(fn, [suppressions.pages], true);
    if (access.archive) NagSuppressions.addResourceSuppressions(fn, [suppressions.archive], true);
    return fn;
  };

  // --- Report approval: one execution per submitted report version -------------------------
  const askApprover = step("AskApprover", "ask-approver");
  const remindApprover = step("RemindApprover", "remind-approver");
  const finishApproval = step("FinishApproval", "finish-approval");

  /**
   * Every Task state retries with back-off (docs/operations.md, "Retries"): Lambda's own service
   * errors and throttles, and any other failure of a step (a DynamoDB or SES error that outlived
   * the SDK's own retries, a cold start cut short) — every step is written to be run again
   * (outbox, conditional writes), and a failed execution needs a person to redrive it. Errors a
   * Catch handles by name (`caughtByName`) get a first retrier with MaxAttempts 0, which Step
   * Functions reads as "never retried", so States.TaskFailed does not retry them first.
   */
  const withRetries = <T extends sfn.TaskStateBase>(task: T, caughtByName: string[] = []): T => {
    if (caughtByName.length) task.addRetry({ errors: caughtByName, maxAttempts: 0 });
    return task
      .addRetry({
        errors: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
        interval: Duration.seconds(2),
        maxAttempts: 4,
        backoffRate: 2,
      })
      .addRetry({
        errors: ["States.TaskFailed"],
        interval: Duration.seconds(5),
        maxAttempts: 2,
        backoffRate: 3,
      }) as T;
  };
  const invoke = (id: string, fn: Function, resultPath: string, caughtByName: string[] = []) =>
    withRetries(
      new tasks.LambdaInvoke(stack, id, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        resultPath,
        retryOnServiceExceptions: false,
      }),
      caughtByName,
    );

  // The execution starts at the ask: the submission wrote the approval and put its id and the
  // ask's timeout into the input (core approvalExecution), which saves a state and a Lambda per report.
  // Retried like every task: a throttle or a transient SES/DynamoDB error in ask-approver must not
  // fail the report's approval. A retry re-registers the new token without a second e-mail.
  const ask = withRetries(new tasks.LambdaInvoke(stack, "Ask the approver", {
    lambdaFunction: askApprover,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      token: sfn.JsonPath.taskToken,
      reportId: sfn.JsonPath.stringAt("$.reportId"),
      version: sfn.JsonPath.numberAt("$.version"),
      approval: sfn.JsonPath.objectAt("$.approval"),
    }),
    // Explicit timeout from the programme (working days, expressed in seconds by "Prepare").
    taskTimeout: sfn.Timeout.at("$.approval.timeoutSeconds"),
    resultPath: "$.decision",
    retryOnServiceExceptions: false,
  }));
  const remind = invoke("Remind the approver", remindApprover, "$.approval");
  ask.addCatch(remind, { errors: ["States.Timeout"], resultPath: "$.timedOut" });
  remind.next(ask);

  // One last state for every outcome (no Choice, no Succeed: each is a billed transition per report).
  const finish = invoke("Finish the approval", finishApproval, "$.finished");

  const logs = (id: string) =>
    new LogGroup(stack, id, { retention: RetentionDays.SIX_MONTHS });
  const stateMachineLogs = (id: string) => ({
    destination: logs(id),
    // Reports hold personal data: log errors only, never the execution data.
    level: sfn.LogLevel.ERROR,
    includeExecutionData: false,
  });

  const approval = new sfn.StateMachine(stack, "ReportApproval", {
    stateMachineName: machines.approval.name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(ask.next(finish)),
    tracingEnabled: true,
    logs: stateMachineLogs("ReportApprovalLogs"),
  });

  // --- Monthly cycle: one execution per programme and month ---------------------------------
  const planMonth = step("PlanMonth", "plan-month");
  const remindAssistants = step("RemindAssistants", "remind-assistants", { timeout: 300, memorySize: 1024 });
  const closeIntake = step("CloseIntake", "close-intake", { timeout: 300, memorySize: 1024 });
  const checkDecisions = step("CheckDecisions", "check-decisions", { timeout: 120 });
  const buildBatch = step("BuildBatch", "build-batch", { timeout: 300, memorySize: 1024 });
  const writeBatchPage = step("WriteBatchPage", "write-batch-page", { timeout: 120, memorySize: 1024, copyFiles: pdfFonts });
  const assembleBatch = step("AssembleBatch", "assemble-batch", { timeout: 300, memorySize: 1024 });
  const sendBatch = step("SendBatch", "send-batch", { timeout: 120, memorySize: 1024 });
  const notifyAssistants = step("NotifyAssistants", "notify-assistants", { timeout: 300, memorySize: 1024 });
  const archiveMonth = step("ArchiveMonth", "archive-month", { timeout: 900, memorySize: 1024 });

  const plan = invoke("Plan the month", planMonth, "$.plan");

  const remindPage = invoke("Remind assistants with missing reports", remindAssistants, "$.page");
  const moreToRemind = new sfn.Choice(stack, "More assistants to remind?")
    .when(sfn.Condition.isPresent("$.page.cursor"), remindPage)
    .otherwise(new sfn.Succeed(stack, "Reminder sent"));
  const reminders = new sfn.Map(stack, "Send the reminders", {
    itemsPath: "$.plan.reminders",
    maxConcurrency: 1,
    itemSelector: {
      "programmeId.$": "$.programmeId",
      "month.$": "$.month",
      "reminder.$": "$$.Map.Item.Value",
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  reminders.itemProcessor(
    new sfn.Wait(stack, "Wait for the reminder time", { time: sfn.WaitTime.timestampPath("$.reminder.at") })
      .next(remindPage)
      .next(moreToRemind),
  );

  const waitDeadline = new sfn.Wait(stack, "Wait for the deadline", {
    time: sfn.WaitTime.timestampPath("$.plan.deadline"),
  });
  const closePage = invoke("Close intake", closeIntake, "$.page");
  const moreToClose = new sfn.Choice(stack, "More reports to close?");

  const check = invoke("Check the decisions", checkDecisions, "$.progress");
  const waitNextCheck = new sfn.Wait(stack, "Wait for the next check", {
    time: sfn.WaitTime.timestampPath("$.progress.nextCheckAt"),
  });
  waitNextCheck.next(check);
  // The batch is claimed a bounded number of reports per call ($.batch.cursor says where to go
  // on); its files are then written page by page by a Distributed Map — each page a child
  // execution, a few at a time — and joined once into the three files, which are never built again.
  const batch = invoke("Build the payment batch", buildBatch, "$.batch");
  const moreToClaim = new sfn.Choice(stack, "More reports to claim?");
  const pages = new sfn.DistributedMap(stack, "Write the payment files page by page", {
    itemReader: new sfn.S3JsonItemReader({ bucket: files, key: sfn.JsonPath.stringAt("$.batch.plan.key") }),
    itemSelector: { "page.$": "$$.Map.Item.Value" },
    maxConcurrency: 8,
    mapExecutionType: sfn.StateMachineType.STANDARD,
    label: "BatchPages",
    resultPath: sfn.JsonPath.DISCARD,
  });
  pages.itemProcessor(invoke("Write one page of the payment files", writeBatchPage, "$.written"));
  const assemble = invoke("Assemble the payment files", assembleBatch, "$.assembled");
  // BatchFilesMissing is caught below (back to "Build the payment batch"): never retried first.
  const send = invoke("E-mail the batch to finance", sendBatch, "$.sent", ["BatchFilesMissing"]);
  const settled = new sfn.Succeed(stack, "Month settled");
  // Once nothing more can be paid: the month's audit pack, chained to the programme's previous one.
  const archive = invoke("Archive the month for inspections", archiveMonth, "$.archived");
  const stillWaiting = new sfn.Choice(stack, "Decisions still awaited?")
    .when(sfn.Condition.booleanEquals("$.batch.keepWatching", true), waitNextCheck)
    .otherwise(archive.next(settled));
  // One e-mail per assistant in the batch, once finance has it (pages of lines, `$.told.cursor`).
  const tellPage = invoke("Tell the assistants what goes to payment", notifyAssistants, "$.told");
  const moreToTell = new sfn.Choice(stack, "More assistants to tell?")
    .when(sfn.Condition.isPresent("$.told.cursor"), tellPage)
    .otherwise(stillWaiting);
  send.next(tellPage).next(moreToTell);
  pages.next(assemble).next(send);
  // A batch whose files' record is missing at the e-mail step (seen after a crash at the step
  // boundary) goes back to "Build the payment batch": it returns the unsent batch with a fresh
  // page plan (`$.batch.plan`, which the Distributed Map reads) and the pages are written and
  // assembled again — all safe to run again. Straight to the map, the plan could be absent.
  send.addCatch(batch, { errors: ["BatchFilesMissing"], resultPath: sfn.JsonPath.DISCARD });
  const filesStored = new sfn.Choice(stack, "Payment files stored?")
    .when(sfn.Condition.booleanEquals("$.batch.filesStored", true), send)
    .otherwise(pages);
  const anythingToPay = new sfn.Choice(stack, "Anything to pay?")
    .when(sfn.Condition.isPresent("$.batch.batchId"), filesStored)
    .otherwise(stillWaiting);
  moreToClaim.when(sfn.Condition.isPresent("$.batch.cursor"), batch).otherwise(anythingToPay);
  const ready = new sfn.Choice(stack, "Ready to pay?")
    .when(sfn.Condition.booleanEquals("$.progress.readyToPay", true), batch.next(moreToClaim))
    .otherwise(waitNextCheck);

  moreToClose.when(sfn.Condition.isPresent("$.page.cursor"), closePage).otherwise(check);
  // Before the machine is built: CDK renders the definition when the StateMachine is constructed.
  check.next(ready);

  const cycle = new sfn.StateMachine(stack, "MonthlyCycle", {
    stateMachineName: machines.cycle.name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(
      plan.next(reminders).next(waitDeadline).next(closePage).next(moreToClose),
    ),
    tracingEnabled: true,
    logs: stateMachineLogs("MonthlyCycleLogs"),
  });

  NagSuppressions.addResourceSuppressions(cycle, [suppressions.distributedMap], true);
  // The Distributed Map reads the page plan itself (CDK grants s3:GetObject on it); the plan is
  // encrypted with the files key, usable only through S3.
  cycle.addToRolePolicy(
    new PolicyStatement({
      actions: ["kms:Decrypt"],
      resources: [filesKey.keyArn],
      conditions: { StringEquals: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } },
    }),
  );

  // --- Schedule: every programme's cycle starts on the 1st of the month, Warsaw time ---------
  // The target is a small function that names the execution cycle-<programme>-<YYYY-MM> from
  // the scheduled time, so a duplicate or retried start is harmless.
  const startCycle = step("StartCycle", "start-cycle", { timeout: 30 });
  startCycle.addEnvironment("CYCLE_STATE_MACHINE_ARN", cycle.stateMachineArn);

  // A start that fails after all retries (the schedule could not invoke the function, or the
  // function failed) lands here instead of vanishing; an alarm watches the queue.
  const failedStarts = new Queue(stack, "FailedCycleStarts", {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  startCycle.configureAsyncInvoke({
    onFailure: new SqsDestination(failedStarts),
    retryAttempts: 2,
    maxEventAge: Duration.hours(6),
  });
  const schedulerRole = new Role(stack, "SchedulerRole", {
    assumedBy: new ServicePrincipal("scheduler.amazonaws.com"),
    description: "EventBridge Scheduler: invoke StartCycle, dead-letter to FailedCycleStarts",
  });
  startCycle.grantInvoke(schedulerRole);
  failedStarts.grantSendMessages(schedulerRole);
  NagSuppressions.addResourceSuppressions(failedStarts, [
    { id: "AwsSolutions-SQS3", reason: "This queue is itself the dead-letter queue of the cycle schedules and of StartCycle's asynchronous invocations." },
  ]);
  NagSuppressions.addResourceSuppressions(schedulerRole, [suppressions.functionVersions], true);
  if (workflowAccess["start-cycle"].cycle?.includes("describe")) {
    NagSuppressions.addResourceSuppressions(
      startCycle,
      [
        {
          id: "AwsSolutions-IAM5",
          reason: "states:DescribeExecution on executions of the monthly-cycle machine only; execution names (cycle-<programme>-<YYYY-MM>) are made at run time.",
          appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:states:.*:execution:<MonthlyCycle[A-Za-z0-9]+\\.Name>:\\*$/g" }],
        },
      ],
      true,
    );
  }
  // One schedule for every programme: StartCycle reads the programmes from the table, so a
  // programme created in the app has its month started on the next 1st with no deploy.
  const schedule = new CfnSchedule(stack, "CycleStart", {
    description: "Starts the monthly cycle of every programme",
    scheduleExpression: "cron(5 0 1 * ? *)",
    scheduleExpressionTimezone: "Europe/Warsaw",
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: startCycle.functionArn,
      roleArn: schedulerRole.roleArn,
      input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
      retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 86_400 },
      deadLetterConfig: { arn: failedStarts.queueArn },
    },
  });
  // --- Schedule: the daily retention clean-up (docs/data-protection.md) ---------------------
  // Its own role: it may invoke only the clean-up; a run that fails all retries is dead-lettered
  // like a failed cycle start (the next day's run continues from the saved cursor anyway).
  const retentionCleanUp = step("RetentionCleanUp", "retention-clean-up", { timeout: 300 });
  const retentionRole = new Role(stack, "RetentionSchedulerRole", {
    assumedBy: new ServicePrincipal("scheduler.amazonaws.com"),
    description: "EventBridge Scheduler: invoke RetentionCleanUp, dead-letter to FailedCycleStarts",
  });
  retentionCleanUp.grantInvoke(retentionRole);
  failedStarts.grantSendMessages(retentionRole);
  NagSuppressions.addResourceSuppressions(retentionRole, [suppressions.functionVersions], true);
  const retentionSchedule = new CfnSchedule(stack, "RetentionCleanUpDaily", {
    description: "Removes or anonymises what is past its retention (drafts, outbox recipients)",
    scheduleExpression: "cron(30 3 * * ? *)",
    scheduleExpressionTimezone: "Europe/Warsaw",
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: retentionCleanUp.functionArn,
      roleArn: retentionRole.roleArn,
      input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
      retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 86_400 },
      deadLetterConfig: { arn: failedStarts.queueArn },
    },
  });

  stack.addOutputs({
    MonthlyCycleArn: cycle.stateMachineArn,
    ReportApprovalArn: approval.stateMachineArn,
    FailedCycleStartsUrl: failedStarts.queueUrl,
    Schedules: schedule.ref,
    RetentionSchedule: retentionSchedule.ref,
  });

  const functions = {
    askApprover, remindApprover, finishApproval,
    planMonth, remindAssistants, closeIntake, checkDecisions, buildBatch, writeBatchPage, assembleBatch, sendBatch, notifyAssistants, archiveMonth, startCycle, retentionCleanUp,
  };
  return { approval, cycle, environment, linkSecret, functions, failedStarts };
}
