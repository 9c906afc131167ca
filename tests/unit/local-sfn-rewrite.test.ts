import { describe, expect, it } from "vitest";
import { localTaskResource, toLocalDefinition, withTaskToken, taskTokenPlaceholder } from "../../local/sfn/rewrite.js";

const definition = () => ({
  TimeoutSeconds: 3600,
  StartAt: "Wait for the deadline",
  States: {
    "Wait for the deadline": { Type: "Wait", TimestampPath: "$.plan.deadline", InputPath: "$.x", OutputPath: "$.y", Next: "Ask the approver" },
    "Ask the approver": {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "arn:aws:lambda:eu-central-1:1:function:Ask", Payload: { "token.$": "$$.Task.Token", "id.$": "$$.Execution.Id" } },
      TimeoutSeconds: 259200,
      HeartbeatSeconds: 3600,
      ResultPath: "$",
      Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Done" }],
      Next: "Each",
    },
    Each: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemSelector: { "v.$": "$$.Map.Item.Value" },
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: 5, End: true } } },
      ResultPath: null,
      Retry: [{ ErrorEquals: ["States.ALL"] }],
      Next: "Done",
    },
    Done: { Type: "Succeed" },
  },
});

describe("toLocalDefinition", () => {
  it("turns a Wait into a local Task with the same InputPath, OutputPath and Next", () => {
    const { root } = toLocalDefinition(definition());
    expect(root.definition.States["Wait for the deadline"]).toMatchObject({
      Type: "Task",
      Resource: localTaskResource,
      InputPath: "$.x",
      OutputPath: "$.y",
      Next: "Ask the approver",
      Parameters: { "input.$": "$", "timestamp.$": "$.plan.deadline" },
    });
    expect(root.tasks.get("Wait for the deadline")).toMatchObject({ kind: "wait" });
    expect(root.types.get("Wait for the deadline")).toBe("Wait");
  });

  it("moves callback timing to the engine and points the token and execution paths at the engine's context", () => {
    const { root, timeoutSeconds } = toLocalDefinition(definition());
    const ask = root.definition.States["Ask the approver"];
    expect(timeoutSeconds).toBe(3600);
    expect(root.definition.TimeoutSeconds).toBeUndefined();
    expect(ask).not.toHaveProperty("HeartbeatSeconds");
    expect(ask).not.toHaveProperty("ResultPath");
    expect(ask.Catch).toEqual([{ ErrorEquals: ["States.Timeout"], Next: "Done" }]);
    expect(ask.Parameters.params.Payload).toEqual({ "token.$": "$$.LocalTask.Token", "id.$": "$$.LocalExecution.Id" });
    expect(root.tasks.get("Ask the approver")).toMatchObject({ kind: "callback", timeoutSeconds: 259200, heartbeatSeconds: 3600 });
  });

  it("runs an inline Map as a local Task that keeps Retry, ResultPath and Next, with its own group of states", () => {
    const { root } = toLocalDefinition(definition());
    expect(root.definition.States.Each).toMatchObject({ Type: "Task", ResultPath: null, Next: "Done", Parameters: { "items.$": "$.items" } });
    const map = root.tasks.get("Each");
    expect(map?.kind).toBe("map");
    if (map?.kind !== "map") return;
    expect(map.itemSelector).toEqual({ "v.$": "$$.Map.Item.Value" });
    expect(map.iterator.tasks.get("Pause")).toMatchObject({ kind: "wait", seconds: 5 });
    expect(root.retriers.get("Each")).toEqual([{ ErrorEquals: ["States.ALL"] }]);
  });

  it("puts the task token wherever the placeholder ended up", () => {
    expect(withTaskToken({ a: [taskTokenPlaceholder, `x-${taskTokenPlaceholder}`], b: 1 }, "LT1abc")).toEqual({ a: ["LT1abc", "x-LT1abc"], b: 1 });
  });
});
