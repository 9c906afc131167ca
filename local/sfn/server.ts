import type { IncomingMessage, ServerResponse } from "node:http";
import type { LocalStepFunctions } from "./engine.js";
import { SfnApiError } from "./errors.js";

type Body = Record<string, any>;
type Action = (engine: LocalStepFunctions, body: Body) => unknown | Promise<unknown>;

const seconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

const actions: Record<string, Action> = {
  StartExecution: async (engine, body) => {
    const started = await engine.startExecution({ stateMachineArn: body.stateMachineArn, name: body.name, input: body.input });
    return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
  },
  DescribeExecution: (engine, body) => {
    const execution = engine.describeExecution({ executionArn: body.executionArn });
    return { ...execution, startDate: seconds(execution.startDate), stopDate: seconds(execution.stopDate) };
  },
  ListExecutions: (engine, body) => {
    const listed = engine.listExecutions({
      stateMachineArn: body.stateMachineArn,
      statusFilter: body.statusFilter,
      maxResults: body.maxResults,
      nextToken: body.nextToken,
    });
    return {
      executions: listed.executions.map((e) => ({ ...e, startDate: seconds(e.startDate), stopDate: seconds(e.stopDate) })),
      nextToken: listed.nextToken,
    };
  },
  GetExecutionHistory: (engine, body) => {
    const history = engine.getExecutionHistory({
      executionArn: body.executionArn,
      maxResults: body.maxResults,
      nextToken: body.nextToken,
      reverseOrder: body.reverseOrder,
    });
    return { events: history.events.map((e) => ({ ...e, timestamp: seconds(e.timestamp) })), nextToken: history.nextToken };
  },
  SendTaskSuccess: (engine, body) => engine.sendTaskSuccess({ taskToken: body.taskToken, output: body.output }),
  SendTaskFailure: (engine, body) => engine.sendTaskFailure({ taskToken: body.taskToken, error: body.error, cause: body.cause }),
  SendTaskHeartbeat: (engine, body) => engine.sendTaskHeartbeat({ taskToken: body.taskToken }),
  StopExecution: (engine, body) => {
    const stopped = engine.stopExecution({ executionArn: body.executionArn, error: body.error, cause: body.cause });
    return { stopDate: seconds(stopped.stopDate) };
  },
};

/**
 * The Step Functions API (AWS JSON 1.0, as `@aws-sdk/client-sfn` speaks it) over the local
 * engine: POST / with `X-Amz-Target: AWSStepFunctions.<Action>`; errors are 400 with `__type`.
 */
export function createSfnHttpHandler(engine: LocalStepFunctions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(engine, req, res);
  };
}

async function handle(engine: LocalStepFunctions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  try {
    const target = String(req.headers["x-amz-target"] ?? "");
    const action = target.startsWith("AWSStepFunctions.") ? actions[target.slice("AWSStepFunctions.".length)] : undefined;
    const text = await readBody(req);
    if (req.method !== "POST" || !action) {
      return send(400, { __type: "UnknownOperationException", message: `Unsupported operation ${target || req.method}` });
    }
    let body: Body;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return send(400, { __type: "SerializationException", message: "The request body is not JSON" });
    }
    send(200, (await action(engine, body)) ?? {});
  } catch (error) {
    if (error instanceof SfnApiError) return send(400, { __type: error.name, message: error.message });
    send(500, { __type: "InternalFailure", message: (error as Error)?.message ?? String(error) });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
