/**
 * The local stack in a child process for the crash suite (issue 8, suite 4). Started with
 * `node --import tsx tests/support/reliability/child-stack.ts`; configuration by environment:
 *
 *   KARTA_DATA_DIR   the data folder (kept across restarts)
 *   KARTA_START_AT   the virtual clock on the first start (ISO)
 *   CRASH_AT         kill this process hard (SIGKILL) at the N-th Lambda invocation after start…
 *   CRASH_FN         …counting only invocations of this handler file (e.g. "send-batch"), if given
 *   CRASH_MODE       "before" the handler runs, "inside" it (after CRASH_DELAY_MS), or "after" it
 *                    returned but before the caller (engine or HTTP API) saw the result
 *   CRASH_EMAIL      or: kill right after the N-th e-mail the local SES accepted (answer sent,
 *                    journal written, the outbox not yet marked "sent")
 *
 * The CRASH line ends with "· inbox N": how many e-mails SES had accepted when the process died
 * (the crash suite allows a re-send only of an e-mail in flight at that moment).
 *
 * Prints one line `READY {json}` with the addresses and a control URL: POST /idle waits until no
 * execution step runs, POST /clock {set} moves the virtual clock and waits, GET /items returns
 * the whole table, GET /invocations the counts.
 */
import { createServer } from "node:http";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { startLocalStack } from "../../../local/runtime.js";

const dataDir = process.env.KARTA_DATA_DIR!;
const crashAt = Number(process.env.CRASH_AT ?? 0);
const crashFn = process.env.CRASH_FN;
const crashMode = process.env.CRASH_MODE ?? "before";
const crashDelay = Number(process.env.CRASH_DELAY_MS ?? 0);
const crashEmail = Number(process.env.CRASH_EMAIL ?? 0);
// The same CommonJS store the SES server writes to.
const sesStore: any = await import("aws-ses-v2-local/dist/store.js");
const inboxStore = sesStore.default ?? sesStore;
const die = (why: string) => {
  process.stdout.write(`CRASH ${why} · inbox ${inboxStore.getStoreReadonly().emails.length}\n`);
  process.kill(process.pid, "SIGKILL");
};

const stack = await startLocalStack({
  dataDir,
  port: 0,
  realtime: false,
  startAt: process.env.KARTA_START_AT ? new Date(process.env.KARTA_START_AT) : undefined,
  log: (line) => process.stdout.write(`log ${line}\n`),
});

let count = 0;
const invocations: Record<string, number> = {};
const invoke = stack.lambda.invoke.bind(stack.lambda);
stack.lambda.invoke = async (arn: string, event: unknown) => {
  const handler = stack.lambda.find(arn).handler.split("/").pop()!.replace(/\.handler$/, "");
  invocations[handler] = (invocations[handler] ?? 0) + 1;
  const counted = !crashFn || crashFn === handler;
  if (counted) count++;
  if (crashAt && counted && count === crashAt) {
    const where = `${crashMode} invocation ${count} (${handler})`;
    if (crashMode === "before") die(where);
    if (crashMode === "inside") setTimeout(() => die(where), crashDelay);
    if (crashMode === "after") {
      await invoke(arn, event);
      die(where);
    }
  }
  return invoke(arn, event);
};

if (crashEmail) {
  // A crash once the e-mail is out and journalled.
  const target = inboxStore;
  const save = target.saveEmail;
  let emails = 0;
  target.saveEmail = (email: unknown) => {
    save(email);
    if (++emails === crashEmail) setTimeout(() => die(`after e-mail ${emails}`), 30);
  };
}

const control = createServer(async (req, res) => {
  const send = (body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  try {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.url === "/idle") {
      await stack.sfn.idle();
      return send({ ok: true });
    }
    if (req.url === "/clock") {
      const { set } = JSON.parse(raw) as { set: string };
      stack.clock.set(new Date(set));
      await stack.sfn.idle();
      return send({ now: stack.clock.now().toISOString() });
    }
    if (req.url === "/items") {
      const { documentClient } = await import("../../../functions/adapters/dynamo.js");
      const items: unknown[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documentClient().send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return send({ items });
    }
    if (req.url === "/invocations") return send({ total: Object.values(invocations).reduce((a, b) => a + b, 0), invocations });
    if (req.url === "/executions") {
      return send(stack.app.stateMachines.flatMap((m) => stack.sfn.listExecutions({ stateMachineArn: m.arn }).executions.map((e) => {
        const { error, cause } = stack.sfn.describeExecution({ executionArn: e.executionArn });
        return { name: e.name, status: e.status, error, cause };
      })));
    }
    res.writeHead(404).end();
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String((error as Error).stack ?? error));
  }
});
await new Promise<void>((done) => control.listen(0, "127.0.0.1", () => done()));
const controlUrl = `http://127.0.0.1:${(control.address() as { port: number }).port}`;

process.on("SIGTERM", async () => {
  control.close();
  await stack.stop();
  process.exit(0);
});

process.stdout.write(`READY ${JSON.stringify({ appUrl: stack.appUrl, sesEndpoint: stack.sesEndpoint, controlUrl, pid: process.pid })}\n`);
