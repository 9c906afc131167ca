import { InvalidDefinitionError, UnsupportedDefinitionError } from "./errors.js";

/**
 * Turns the ASL that AWS runs into the ASL the local runner executes. Only the parts the runner
 * cannot do faithfully change: Lambda tasks, callback tasks, Wait states and inline Maps become
 * Task states answered by local handlers (which follow the virtual clock and know the Map
 * iteration they run in); everything around them (InputPath, ResultSelector, ResultPath,
 * OutputPath, Retry, Catch, Next/End) stays as written.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = Record<string, any>;
export interface AslDefinition {
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

// Never invoked: every rewritten Task has a local handler; the ARN only satisfies the runner.
export const localTaskResource = "arn:aws:lambda:local:000000000000:function:karta-local-sfn";
export const taskTokenPlaceholder = "karta-local-task-token-3f9c2a";
// The runner arms a real setTimeout for every Task; above 2^31-1 ms Node fires it at once.
export const maxLocalTimeoutSeconds = 2_147_483;

export type LocalTask = LambdaTask | CallbackTask | WaitTask | MapTask;

export interface LambdaTask {
  kind: "lambda";
  name: string;
  resource: string;
  /** `invoke`: arn:aws:states:::lambda:invoke (result wrapped as { Payload, StatusCode }); `direct`: a function ARN. */
  integration: "invoke" | "direct";
  timeoutSeconds?: number;
  hasTimeoutPath: boolean;
}

export interface CallbackTask {
  kind: "callback";
  name: string;
  resource: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  hasTimeoutPath: boolean;
  hasHeartbeatPath: boolean;
}

export interface WaitTask {
  kind: "wait";
  name: string;
  seconds?: number;
  timestamp?: string;
}

export interface MapTask {
  kind: "map";
  name: string;
  itemSelector?: Json;
  maxConcurrency?: number;
  iterator: LocalGroup;
  /** Set for a Distributed Map: its iterations are child workflows, not events of the parent. */
  distributed?: DistributedMapConfig;
}

export interface DistributedMapConfig {
  /** Items from a JSON array in S3 (`ItemReader` s3:getObject); otherwise from ItemsPath. */
  reads: boolean;
  label?: string;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

/**
 * States that run under one set of local handlers: the top level with its Parallel branches,
 * or one Map's item processor with its Parallel branches.
 */
export interface LocalGroup {
  definition: AslDefinition;
  tasks: Map<string, LocalTask>;
  /** Original `Type` of every state, for the execution history. */
  types: Map<string, string>;
  /** The Retry field of every state that has one (the objects the runner sees). */
  retriers: Map<string, Retrier[]>;
}

export interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
  [key: string]: unknown;
}

export interface LocalDefinition {
  root: LocalGroup;
  timeoutSeconds?: number;
}

const lambdaInvoke = /^arn:[\w-]+:states:::lambda:invoke$/;
const lambdaCallback = /^arn:[\w-]+:states:::lambda:invoke\.waitForTaskToken$/;
const lambdaFunction = /^arn:[\w-]+:lambda:[\w-]*:\d*:function:[\w-]+(:[\w$-]+)?$/;
const s3GetObject = /^arn:[\w-]+:states:::s3:getObject$/;

export function toLocalDefinition(original: AslDefinition): LocalDefinition {
  if (original.QueryLanguage === "JSONata") throw new UnsupportedDefinitionError("QueryLanguage JSONata");
  const definition = renameContextPaths(structuredClone(original)) as AslDefinition;
  const timeoutSeconds = definition.TimeoutSeconds;
  delete definition.TimeoutSeconds;
  return { root: toGroup(definition), timeoutSeconds };
}

function toGroup(level: AslDefinition): LocalGroup {
  const group: LocalGroup = { definition: level, tasks: new Map(), types: new Map(), retriers: new Map() };
  group.definition = rewriteLevel(level, group);
  return group;
}

function rewriteLevel(level: AslDefinition, group: LocalGroup): AslDefinition {
  if (!level.States || !(level.StartAt in level.States)) throw new InvalidDefinitionError("StartAt must name one of States");
  const States: Record<string, State> = {};
  for (const [name, state] of Object.entries(level.States)) {
    if (group.types.has(name)) throw new UnsupportedDefinitionError(`Duplicate state name "${name}"`);
    if (state.QueryLanguage === "JSONata" || "Assign" in state || "Arguments" in state || "Output" in state) {
      throw new UnsupportedDefinitionError(`State "${name}" uses JSONata or Variables`);
    }
    group.types.set(name, state.Type);
    for (const target of transitionsOf(state)) {
      if (!(target in level.States)) throw new InvalidDefinitionError(`State "${name}" goes to "${target}", which does not exist`);
    }
    States[name] = rewriteState(name, state, group);
    if (Array.isArray(States[name].Retry) && States[name].Retry.length > 0) group.retriers.set(name, States[name].Retry);
  }
  return { ...level, States };
}

function rewriteState(name: string, state: State, group: LocalGroup): State {
  switch (state.Type) {
    case "Task":
      return rewriteTask(name, state, group);
    case "Wait":
      return rewriteWait(name, state, group);
    case "Map":
      return rewriteMap(name, state, group);
    case "Parallel":
      return withoutRootResultPath({
        ...state,
        Branches: (state.Branches as AslDefinition[]).map((branch) => rewriteLevel(branch, group)),
      });
    case "Pass":
      return withoutRootResultPath({ ...state });
    case "Choice":
    case "Succeed":
    case "Fail":
      return { ...state };
    default:
      throw new UnsupportedDefinitionError(`State "${name}" has unknown Type ${state.Type}`);
  }
}

function rewriteTask(name: string, state: State, group: LocalGroup): State {
  const resource = String(state.Resource);
  const { Resource, Parameters, TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds, HeartbeatSecondsPath, Credentials, ...kept } =
    state;
  const wrapper: Record<string, Json> = { "input.$": "$" };
  if (Parameters !== undefined) wrapper.params = Parameters;
  if (TimeoutSecondsPath) wrapper["timeout.$"] = TimeoutSecondsPath;
  if (lambdaInvoke.test(resource) || lambdaFunction.test(resource)) {
    group.tasks.set(name, {
      kind: "lambda",
      name,
      resource,
      integration: lambdaInvoke.test(resource) ? "invoke" : "direct",
      timeoutSeconds: TimeoutSeconds,
      hasTimeoutPath: Boolean(TimeoutSecondsPath),
    });
  } else if (lambdaCallback.test(resource)) {
    if (Parameters !== undefined) wrapper.params = renameTaskToken(Parameters);
    if (HeartbeatSecondsPath) wrapper["heartbeat.$"] = HeartbeatSecondsPath;
    group.tasks.set(name, {
      kind: "callback",
      name,
      resource,
      timeoutSeconds: TimeoutSeconds,
      heartbeatSeconds: HeartbeatSeconds,
      hasTimeoutPath: Boolean(TimeoutSecondsPath),
      hasHeartbeatPath: Boolean(HeartbeatSecondsPath),
    });
  } else {
    throw new UnsupportedDefinitionError(`Task "${name}" uses Resource ${resource}; only Lambda functions and lambda:invoke(.waitForTaskToken)`);
  }
  return withoutRootResultPath({ ...kept, Resource: localTaskResource, TimeoutSeconds: maxLocalTimeoutSeconds, Parameters: wrapper });
}

function rewriteWait(name: string, state: State, group: LocalGroup): State {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, Type, ...kept } = state;
  const wrapper: Record<string, Json> = { "input.$": "$" };
  if (SecondsPath) wrapper["seconds.$"] = SecondsPath;
  if (TimestampPath) wrapper["timestamp.$"] = TimestampPath;
  group.tasks.set(name, { kind: "wait", name, seconds: Seconds, timestamp: Timestamp });
  return { ...kept, Type: "Task", Resource: localTaskResource, TimeoutSeconds: maxLocalTimeoutSeconds, Parameters: wrapper };
}

function rewriteMap(name: string, state: State, group: LocalGroup): State {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!processor) throw new UnsupportedDefinitionError(`Map "${name}" has no ItemProcessor`);
  const distributed = processor.ProcessorConfig?.Mode === "DISTRIBUTED";
  if (!distributed && (state.ItemReader || state.ResultWriter || state.ItemBatcher)) {
    throw new InvalidDefinitionError(`Map "${name}": ItemReader, ResultWriter and ItemBatcher need ProcessorConfig Mode DISTRIBUTED`);
  }
  if (state.ResultWriter) throw new UnsupportedDefinitionError(`Distributed Map "${name}" uses ResultWriter`);
  if (state.ItemBatcher) throw new UnsupportedDefinitionError(`Distributed Map "${name}" uses ItemBatcher`);
  const { ProcessorConfig, ...iteratorDefinition } = processor;
  const {
    Type,
    ItemProcessor,
    Iterator,
    ItemsPath,
    ItemReader,
    ItemSelector,
    Parameters,
    MaxConcurrency,
    MaxConcurrencyPath,
    ToleratedFailureCount,
    ToleratedFailurePercentage,
    ToleratedFailureCountPath,
    ToleratedFailurePercentagePath,
    Label,
    ...kept
  } = state;
  if (ToleratedFailureCountPath || ToleratedFailurePercentagePath) {
    throw new UnsupportedDefinitionError(`Distributed Map "${name}" uses ToleratedFailureCountPath or ToleratedFailurePercentagePath`);
  }
  const wrapper: Record<string, Json> = { "input.$": "$" };
  if (ItemReader) {
    const resource = String(ItemReader.Resource);
    if (!s3GetObject.test(resource) || (ItemReader.ReaderConfig?.InputType ?? "JSON") !== "JSON") {
      throw new UnsupportedDefinitionError(`Distributed Map "${name}" reads items with ${resource} ${ItemReader.ReaderConfig?.InputType ?? ""}; only s3:getObject of a JSON array`);
    }
    if (ItemsPath) throw new InvalidDefinitionError(`Map "${name}" has both ItemsPath and ItemReader`);
    // The runner resolves `Key.$` against the state's input, as AWS does for ItemReader.Parameters.
    wrapper.reader = ItemReader.Parameters ?? {};
  } else {
    wrapper["items.$"] = ItemsPath ?? "$";
  }
  if (MaxConcurrencyPath) wrapper["maxConcurrency.$"] = MaxConcurrencyPath;
  group.tasks.set(name, {
    kind: "map",
    name,
    itemSelector: ItemSelector ?? Parameters,
    maxConcurrency: MaxConcurrency,
    iterator: toGroup(iteratorDefinition),
    distributed: distributed
      ? { reads: Boolean(ItemReader), label: Label, toleratedFailureCount: ToleratedFailureCount, toleratedFailurePercentage: ToleratedFailurePercentage }
      : undefined,
  });
  return withoutRootResultPath({ ...kept, Type: "Task", Resource: localTaskResource, TimeoutSeconds: maxLocalTimeoutSeconds, Parameters: wrapper });
}

function transitionsOf(state: State): string[] {
  const targets: string[] = [];
  if (typeof state.Next === "string") targets.push(state.Next);
  if (typeof state.Default === "string") targets.push(state.Default);
  for (const rule of [...(state.Choices ?? []), ...(state.Catch ?? [])]) if (typeof rule.Next === "string") targets.push(rule.Next);
  if (!state.Next && !state.End && !["Choice", "Succeed", "Fail"].includes(state.Type)) {
    throw new InvalidDefinitionError(`A ${state.Type} state has neither Next nor End`);
  }
  return targets;
}

// The runner writes `ResultPath: "$"` to a key named "$"; leaving it out means the same in ASL.
function withoutRootResultPath(state: State): State {
  if (state.ResultPath === "$") delete state.ResultPath;
  return state;
}

/**
 * The runner overwrites `$$.Execution.Input` and `StartTime` (real time, and the item inside a
 * Map), so every context path to the execution reads a copy the engine provides instead.
 */
function renameContextPaths(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\$\.Execution\b/g, "$$$$.LocalExecution");
  if (Array.isArray(value)) return value.map(renameContextPaths);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, renameContextPaths(inner)]));
  }
  return value;
}

function renameTaskToken(value: unknown): Json {
  if (typeof value === "string") return value.replace(/\$\$\.Task\.Token\b/g, "$$$$.LocalTask.Token");
  if (Array.isArray(value)) return value.map(renameTaskToken);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, renameTaskToken(inner)]));
  }
  return value as Json;
}

/** Replaces the token placeholder the runner put in a callback task's parameters. */
export function withTaskToken<T>(value: T, token: string): T {
  if (typeof value === "string") return value.split(taskTokenPlaceholder).join(token) as T;
  if (Array.isArray(value)) return value.map((inner) => withTaskToken(inner, token)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withTaskToken(inner, token)])) as T;
  }
  return value;
}
