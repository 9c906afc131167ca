import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { VirtualClock, parseDuration } from "../../local/clock.js";
import { startS3, type LocalS3 } from "../../local/s3.js";
import { LocalStepFunctions, type InvokeMeta } from "../../local/sfn/engine.js";
import { InvalidDefinitionError, UnsupportedDefinitionError } from "../../local/sfn/errors.js";

const fn = (name: string) => `arn:aws:lambda:eu-central-1:123456789012:function:${name}`;
const smArn = "arn:aws:states:eu-central-1:123456789012:stateMachine:Machine";
const invoke = (name: string, rest: Record<string, unknown>) => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: fn(name), "Payload.$": "$" },
  ...rest,
});
const callback = (name: string, rest: Record<string, unknown>) => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
  Parameters: { FunctionName: fn(name), Payload: { "token.$": "$$.Task.Token", "input.$": "$" } },
  ...rest,
});

type Handler = (payload: any, meta: InvokeMeta) => unknown;
const engines: LocalStepFunctions[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

function setup(definition: object, functions: Record<string, Handler> = {}, objects?: LocalS3) {
  const clock = new VirtualClock({ start: new Date("2025-03-01T07:00:00.000Z") });
  const calls: { name: string; payload: any; meta: InvokeMeta }[] = [];
  const engine = new LocalStepFunctions({
    dataDir: mkdtempSync(join(tmpdir(), "karta-sfn-unit-")),
    clock,
    retryIntervalMs: 0,
    readObject: objects?.readObject,
    invokeFunction: async (arn, payload, meta) => {
      const name = arn.split(":").pop()!;
      calls.push({ name, payload, meta });
      return functions[name]?.(payload, meta) ?? {};
    },
  });
  engines.push(engine);
  engine.registerStateMachine({ arn: smArn, name: "Machine", definition });
  const run = async (input: unknown = {}, name?: string) => {
    const { executionArn } = await engine.startExecution({ stateMachineArn: smArn, input: JSON.stringify(input), name });
    return executionArn;
  };
  const types = (executionArn: string) => engine.getExecutionHistory({ executionArn }).events.map((e) => e.type);
  return { engine, clock, calls, run, types };
}

describe("LocalStepFunctions", { timeout: 10_000 }, () => {
  it("keeps a Wait's InputPath and OutputPath and reads SecondsPath from its effective input", async () => {
    const { engine, clock, run } = setup({
      StartAt: "Pause",
      States: { Pause: { Type: "Wait", InputPath: "$.inner", SecondsPath: "$.seconds", OutputPath: "$.keep", End: true } },
    });
    const arn = await run({ inner: { seconds: 90, keep: { a: 1 } }, dropped: true });
    await engine.idle();
    clock.advance(parseDuration("89s"));
    await engine.idle();
    expect(engine.describeExecution({ executionArn: arn }).status).toBe("RUNNING");
    clock.advance(parseDuration("1s"));
    expect((await engine.waitForExecution(arn)).output).toBe('{"a":1}');
  });

  it("gives $$.Execution the virtual start time and the execution's input, also inside a Map", async () => {
    const { engine, calls, run } = setup({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Look",
            States: {
              Look: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: {
                  FunctionName: fn("look"),
                  Payload: { "item.$": "$.item", "started.$": "$$.Execution.StartTime", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input" },
                },
                OutputPath: "$.Payload",
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    const arn = await run({ items: ["a", "b"] }, "run-1");
    await engine.waitForExecution(arn);
    expect(calls.map((c) => c.payload).sort((x, y) => x.item.localeCompare(y.item))).toEqual([
      { item: "a", started: "2025-03-01T07:00:00.000Z", name: "run-1", input: { items: ["a", "b"] } },
      { item: "b", started: "2025-03-01T07:00:00.000Z", name: "run-1", input: { items: ["a", "b"] } },
    ]);
  });

  it("invokes a function named directly as Resource and passes its result unwrapped", async () => {
    const { engine, calls, run } = setup(
      { StartAt: "Add", States: { Add: { Type: "Task", Resource: fn("add"), Parameters: { "a.$": "$.x", b: 2 }, ResultPath: "$.sum", End: true } } },
      { add: (p) => p.a + p.b },
    );
    const done = await engine.waitForExecution(await run({ x: 40 }));
    expect(JSON.parse(done.output!)).toEqual({ x: 40, sum: 42 });
    expect(calls[0].payload).toEqual({ a: 40, b: 2 });
  });

  it("runs Parallel branches whose Waits follow the clock", async () => {
    const { engine, clock, run } = setup({
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Soon", States: { Soon: { Type: "Wait", Seconds: 60, End: true } } },
            { StartAt: "Later", States: { Later: { Type: "Wait", Seconds: 3600, Next: "Work" }, Work: invoke("work", { OutputPath: "$.Payload", End: true }) } },
          ],
          End: true,
        },
      },
    }, { work: () => "done" });
    const arn = await run({ v: 1 });
    await engine.idle();
    clock.advance(parseDuration("1m"));
    await engine.idle();
    expect(engine.describeExecution({ executionArn: arn }).status).toBe("RUNNING");
    clock.advance(parseDuration("59m"));
    expect(JSON.parse((await engine.waitForExecution(arn)).output!)).toEqual([{ v: 1 }, "done"]);
  });

  it("fails a Map when an iteration fails and lets the Map's Catch take it by error name", async () => {
    const { engine, run, types } = setup(
      {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: "Check", States: { Check: invoke("check", { End: true }) } },
            Catch: [{ ErrorEquals: ["ReportLockedError"], ResultPath: "$.error", Next: "Locked" }],
            ResultPath: "$.results",
            End: true,
          },
          Locked: { Type: "Pass", End: true },
        },
      },
      {
        check: (item) => {
          if (item === 2) throw Object.assign(new Error("locked"), { name: "ReportLockedError" });
          return item;
        },
      },
    );
    const arn = await run({ items: [1, 2, 3] });
    const done = await engine.waitForExecution(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.output).toContain("ReportLockedError");
    const history = types(arn);
    expect(history).toContain("MapIterationFailed");
    expect(history).toContain("MapStateFailed");
    expect(history.filter((t) => t === "MapIterationStarted")).toHaveLength(2);
  });

  it("times an execution out on the virtual clock (top-level TimeoutSeconds)", async () => {
    const { engine, clock, run } = setup({ TimeoutSeconds: 600, StartAt: "Long", States: { Long: { Type: "Wait", Seconds: 3600, End: true } } });
    const arn = await run();
    clock.advance(parseDuration("10m"));
    expect(await engine.waitForExecution(arn)).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
  });

  it("keeps a callback alive with heartbeats and times it out when they stop", async () => {
    const { engine, clock, calls, run } = setup({
      StartAt: "Ask",
      States: { Ask: callback("ask", { HeartbeatSeconds: 3600, TimeoutSeconds: 86400, End: true }) },
    });
    const arn = await run();
    await engine.idle();
    const token = calls[0].payload.token;
    clock.advance(parseDuration("50m"));
    engine.sendTaskHeartbeat({ taskToken: token });
    clock.advance(parseDuration("50m"));
    await engine.idle();
    expect(engine.describeExecution({ executionArn: arn }).status).toBe("RUNNING");
    clock.advance(parseDuration("10m"));
    expect(await engine.waitForExecution(arn)).toMatchObject({ status: "FAILED", error: "States.Timeout" });
  });

  it("gives every Map iteration its own task token and fails the task when the callback function throws", async () => {
    const { engine, calls, run } = setup(
      {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemProcessor: { StartAt: "Ask", States: { Ask: callback("ask", { TimeoutSeconds: 60, OutputPath: "$.answer", End: true }) } },
            End: true,
          },
        },
      },
      {
        ask: (payload) => {
          if (payload.input === "broken") throw new RangeError("no approver");
          return null;
        },
      },
    );
    const arn = await run(["a", "b"]);
    await engine.idle();
    const tokens = calls.map((c) => c.payload.token);
    expect(new Set(tokens).size).toBe(2);
    for (const call of calls) engine.sendTaskSuccess({ taskToken: call.payload.token, output: JSON.stringify({ answer: call.payload.input }) });
    expect(JSON.parse((await engine.waitForExecution(arn)).output!)).toEqual(["a", "b"]);

    const failed = await run(["broken"]);
    expect(await engine.waitForExecution(failed)).toMatchObject({ status: "FAILED", error: "RangeError" });
  });

  it("reads a callback's TimeoutSecondsPath and issues a new token each time a loop asks again", async () => {
    const { engine, clock, calls, run } = setup(
      {
        StartAt: "Prepare",
        States: {
          Prepare: { Type: "Task", Resource: fn("prepare"), ResultPath: "$.approval", Next: "Ask" },
          Ask: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            TimeoutSecondsPath: "$.approval.timeoutSeconds",
            Parameters: { FunctionName: fn("ask"), Payload: { "token.$": "$$.Task.Token", "reportId.$": "$.reportId" } },
            Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.timedOut", Next: "Remind" }],
            ResultPath: "$.decision",
            End: true,
          },
          Remind: { Type: "Task", Resource: fn("remind"), ResultPath: "$.approval", Next: "Ask" },
        },
      },
      { prepare: () => ({ timeoutSeconds: 7200 }), remind: () => ({ timeoutSeconds: 3600 }) },
    );
    const arn = await run({ reportId: "r1" });
    await engine.idle();
    clock.advance(parseDuration("1h59m"));
    await engine.idle();
    expect(calls.map((c) => c.name)).toEqual(["prepare", "ask"]);
    clock.advance(parseDuration("1m"));
    await engine.idle();
    expect(calls.map((c) => c.name)).toEqual(["prepare", "ask", "remind", "ask"]);
    const [first, second] = calls.filter((c) => c.name === "ask").map((c) => c.payload.token);
    expect(second).not.toBe(first);
    expect(() => engine.sendTaskSuccess({ taskToken: first, output: "{}" })).toThrow(expect.objectContaining({ name: "TaskTimedOut" }));
    engine.sendTaskSuccess({ taskToken: second, output: '{"outcome":"approved"}' });
    expect(JSON.parse((await engine.waitForExecution(arn)).output!).decision).toEqual({ outcome: "approved" });
  });

  it("leaves an execution RUNNING when closed before its first state, and a new engine resumes it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "karta-sfn-unit-"));
    const clock = new VirtualClock({ start: new Date("2025-03-01T07:00:00.000Z") });
    const definition = { StartAt: "Mark", States: { Mark: { Type: "Pass", Result: "done", End: true } } };
    const create = () => {
      const engine = new LocalStepFunctions({ dataDir, clock, invokeFunction: async () => ({}) });
      engines.push(engine);
      engine.registerStateMachine({ arn: smArn, name: "Machine", definition });
      return engine;
    };
    const first = create();
    const { executionArn } = await first.startExecution({ stateMachineArn: smArn, name: "early" });
    await first.close();
    expect(first.describeExecution({ executionArn }).status).toBe("RUNNING");

    const second = create();
    expect(await second.resume()).toEqual([executionArn]);
    expect((await second.waitForExecution(executionArn)).output).toBe('"done"');
  });

  it("treats ResultPath $ as replacing the state's output, as AWS does", async () => {
    const { engine, run } = setup({ StartAt: "Get", States: { Get: invoke("get", { ResultPath: "$", OutputPath: "$.Payload", End: true }) } }, { get: () => ({ ok: 1 }) });
    expect((await engine.waitForExecution(await run({ x: 1 }))).output).toBe('{"ok":1}');
  });

  it("counts retries as state transitions", async () => {
    let attempts = 0;
    const { engine, run } = setup(
      { StartAt: "Try", States: { Try: invoke("try", { Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3 }], End: true }) } },
      {
        try: () => {
          if (attempts++ < 2) throw new Error("not yet");
          return "ok";
        },
      },
    );
    const arn = await run();
    expect((await engine.waitForExecution(arn)).status).toBe("SUCCEEDED");
    expect(engine.stats()).toMatchObject({ executions: 1, stateTransitions: 3 });
  });

  it("refuses definitions it cannot run faithfully, without touching the caller's object", () => {
    const { engine } = setup({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const register = (definition: object) => engine.registerStateMachine({ arn: smArn, name: "Machine", definition });
    expect(() => register({ StartAt: "Q", States: { Q: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } } })).toThrow(
      UnsupportedDefinitionError,
    );
    expect(() =>
      register({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } }),
    ).not.toThrow();
    const distributed = (extra: object) => ({
      StartAt: "M",
      States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } }, ...extra, End: true } },
    });
    expect(() => register(distributed({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject" } }))).toThrow(/ResultWriter/);
    expect(() => register(distributed({ ItemBatcher: { MaxItemsPerBatch: 10 } }))).toThrow(/ItemBatcher/);
    expect(() => register(distributed({ ItemReader: { Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { Bucket: "b" } } }))).toThrow(/only s3:getObject/);
    expect(() => register(distributed({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV" }, Parameters: { Bucket: "b", Key: "k" } } }))).toThrow(
      /only s3:getObject of a JSON array/,
    );
    expect(() =>
      register({ StartAt: "M", States: { M: { Type: "Map", ItemReader: { Resource: "arn:aws:states:::s3:getObject" }, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } }),
    ).toThrow(InvalidDefinitionError);
    expect(() => register({ StartAt: "P", States: { P: { Type: "Pass", Next: "Nowhere" } } })).toThrow(InvalidDefinitionError);
    const definition = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, End: true } } };
    const before = JSON.stringify(definition);
    register(definition);
    expect(JSON.stringify(definition)).toBe(before);
  });

  describe("a Distributed Map", () => {
    let objects: LocalS3;
    const bucket = "files";
    afterEach(async () => objects?.stop());
    async function withObject(key: string, body: string) {
      objects = await startS3({ directory: mkdtempSync(join(tmpdir(), "karta-sfn-s3-")), buckets: [bucket] });
      const client = new S3Client({ endpoint: objects.endpoint, region: "eu-central-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      client.destroy();
    }
    const pages = (rest: object = {}) => ({
      StartAt: "Pages",
      States: {
        Pages: {
          Type: "Map",
          ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Parameters: { Bucket: bucket, "Key.$": "$.plan.key" } },
          ItemSelector: { "page.$": "$$.Map.Item.Value", "batchId.$": "$.batchId" },
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Write", States: { Write: invoke("write", { End: true }) } },
          MaxConcurrency: 2,
          Label: "Pages",
          ResultPath: null,
          Next: "Done",
          ...rest,
        },
        Done: { Type: "Pass", End: true },
      },
    });

    it("reads its items from the JSON array in S3, runs each as a child with its ItemSelector, and keeps the parent's history small", async () => {
      await withObject("plan/b1.json", JSON.stringify([{ first: 0 }, { first: 400 }, { first: 800 }, { first: 1200 }, { first: 1600 }]));
      let running = 0;
      let most = 0;
      const { engine, run, calls, types } = setup(
        pages(),
        {
          write: async (payload) => {
            most = Math.max(most, ++running);
            await new Promise((resolve) => setTimeout(resolve, 5));
            running--;
            return { written: payload.page.first };
          },
        },
        objects,
      );
      const arn = await run({ batchId: "b1", plan: { key: "plan/b1.json" } });
      // reading the plan is work in flight: idle() answers only once the map has run
      await engine.idle();
      expect(engine.describeExecution({ executionArn: arn }).status).toBe("SUCCEEDED");
      const done = await engine.waitForExecution(arn);
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.output!)).toEqual({ batchId: "b1", plan: { key: "plan/b1.json" } });
      expect(calls.map((c) => c.payload).sort((a, b) => a.page.first - b.page.first)).toEqual(
        [0, 400, 800, 1200, 1600].map((first) => ({ page: { first }, batchId: "b1" })),
      );
      expect(most).toBe(2);
      const history = types(arn);
      expect(history).toEqual([
        "ExecutionStarted",
        "MapStateEntered",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
      ]);
    });

    it("fails with States.ExceedToleratedFailureThreshold naming the item, unless the failures are tolerated", async () => {
      await withObject("plan/b2.json", JSON.stringify([1, 2, 3, 4]));
      const write = (payload: any) => {
        if (payload.page === 3) throw Object.assign(new Error("corrupt page"), { name: "PageError" });
        return {};
      };
      const strict = setup({ ...pages({ MaxConcurrency: 1 }) }, { write }, objects);
      const failed = await strict.engine.waitForExecution(await strict.run({ batchId: "b2", plan: { key: "plan/b2.json" } }));
      expect(failed.status).toBe("FAILED");
      expect(failed.error).toBe("States.ExceedToleratedFailureThreshold");
      expect(failed.cause).toMatch(/item 2: PageError: corrupt page/);
      expect(strict.types(failed.executionArn)).toContain("MapRunFailed");

      const lenient = setup(pages({ ToleratedFailureCount: 1 }), { write }, objects);
      const passed = await lenient.engine.waitForExecution(await lenient.run({ batchId: "b2", plan: { key: "plan/b2.json" } }));
      expect(passed.status).toBe("SUCCEEDED");
      expect(lenient.calls).toHaveLength(4);
    });

    it("fails with States.ItemReaderFailed when the object is missing or not an array", async () => {
      await withObject("plan/b3.json", JSON.stringify({ not: "an array" }));
      const { engine, run } = setup(pages(), {}, objects);
      const missing = await engine.waitForExecution(await run({ batchId: "x", plan: { key: "plan/none.json" } }));
      expect(missing).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed" });
      expect(missing.cause).toContain("s3://files/plan/none.json");
      const wrong = await engine.waitForExecution(await run({ batchId: "y", plan: { key: "plan/b3.json" } }));
      expect(wrong).toMatchObject({ status: "FAILED", error: "States.ItemReaderFailed" });
      expect(wrong.cause).toContain("is not a JSON array");
    });
  });
});
