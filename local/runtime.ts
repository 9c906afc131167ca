import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { synthesise } from "./synth.js";
import { ensureWebBuilt } from "./web-build.js";
import { readTemplates, type LocalApp } from "./template.js";
import { ensureTable, freePort, startDynalite, type LocalDynamo } from "./dynamo.js";
import { mailEventPublisher, startSes, type AcceptedEmail, type LocalSes } from "./ses.js";
import { startS3, type LocalS3 } from "./s3.js";
import { LocalLambda } from "./lambda.js";
import { LocalHttpApi } from "./http.js";
import { LocalScheduler } from "./scheduler.js";
import { LocalTimeToLive } from "./dynamo-ttl.js";
import { VirtualClock, parseDuration } from "./clock.js";
import { LocalStepFunctions } from "./sfn/engine.js";
import { createSfnHttpHandler } from "./sfn/server.js";
import { clock as handlerClock } from "../functions/adapters/clock.js";

export const root = resolve(import.meta.dirname, "..");

export interface LocalStackOptions {
  /** Where everything persists (default .data/). */
  dataDir?: string;
  /** App port; 0 picks a free one (tests). Default PORT or 3000. */
  port?: number;
  /** SES inbox port; default app port + 5 when the app port is fixed, else free. */
  sesPort?: number;
  /** Virtual time flows with real time between jumps (the interactive default). */
  realtime?: boolean;
  /** Initial instant of the virtual clock on a first start. */
  startAt?: Date;
  /** Seed the demo programmes on a first start (default true). */
  seed?: boolean;
  /**
   * A first start without demo data (`seed: false`): the centre administrator's e-mail. The
   * administrator is created and a sign-in link is sent to the local inbox.
   */
  admin?: string;
  /**
   * LOCAL AND TESTS ONLY: play CloudFront's origin verification (stacks/Web.ts). The HTTP API
   * adds this value in the origin-verify header to every request it forwards, and the functions
   * expect it (ORIGIN_VERIFY_VALUE, functions/adapters/origin-verify.ts), so a handler invoked
   * without it answers 403 as the API's own domain does in AWS. Off by default.
   */
  originVerify?: string;
  log?: (line: string) => void;
}

export interface LocalStack {
  appUrl: string;
  inboxUrl: string;
  sesEndpoint: string;
  sfnEndpoint: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  dataDir: string;
  clock: VirtualClock;
  sfn: LocalStepFunctions;
  lambda: LocalLambda;
  app: LocalApp;
  stop(): Promise<void>;
}

export interface LocalInfo {
  appUrl: string;
  inboxUrl: string;
  sesEndpoint: string;
  sfnEndpoint: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  stateMachines: Record<string, string>;
  pid: number;
}

/** The running stack's addresses, written on start for the CLI (`.data/local.json`). */
export function readLocalInfo(dataDir = join(root, ".data")): LocalInfo | undefined {
  const file = join(dataDir, "local.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePort((server.address() as { port: number }).port));
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once("error", () => resolveFree(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolveFree(true)));
  });
}

function localSecret(dataDir: string, name: string): string {
  const file = join(dataDir, `${name}.secret`);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * Starts the embedded local stack: synthesises the SST stacks, reads the template, and wires
 * dynalite, s3rver, the SES inbox, the Step Functions runner, the HTTP API, the scheduler and the
 * virtual clock together on 127.0.0.1. The same handlers run as in AWS.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(opts.dataDir ?? join(root, ".data"));
  mkdirSync(dataDir, { recursive: true });
  const firstStart = !existsSync(join(dataDir, "seeded.json"));
  // Reuse the previous ports where free: stable addresses for people and for adapters' clients.
  const previous = readLocalInfo(dataDir);
  const previousPort = async (url: string | undefined) => {
    const port = url ? Number(new URL(url).port) : 0;
    return port && (await isFree(port)) ? port : 0;
  };

  const synth = await synthesise({ stage: "local" });
  await ensureWebBuilt(join(root, "web"), log);
  const app = readTemplates(synth.templates, "local");
  const table = app.tables[0];
  if (!table) throw new Error("The template has no DynamoDB table");

  const appPort = opts.port ?? Number(process.env.PORT ?? 3000);
  const clock = new VirtualClock({ file: join(dataDir, "clock.json"), start: opts.startAt, realtime: opts.realtime ?? false });
  handlerClock.use(() => clock.now());

  const stoppers: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne();
  };
  try {
    const dynamo: LocalDynamo = await startDynalite({
      path: join(dataDir, "dynamodb"),
      port: (await previousPort(previous?.dynamoEndpoint)) || undefined,
    });
    stoppers.push(() => dynamo.stop());
    for (const t of app.tables) await ensureTable(dynamo.endpoint, t.tableName, t.properties);

    // Presigned download URLs point here: the browser and tests fetch them from 127.0.0.1.
    const s3: LocalS3 = await startS3({
      directory: join(dataDir, "s3"),
      port: (await previousPort(previous?.s3Endpoint)) || undefined,
      buckets: app.buckets.map((b) => b.bucketName),
    });
    stoppers.push(() => s3.stop());

    const sesPort = opts.sesPort ?? (appPort ? appPort + 5 : (await previousPort(previous?.sesEndpoint)) || (await freePort()));
    // The mailbox simulator's events go where the template's configuration set publishes them (set once the functions are loaded).
    let publishMailEvents: ((email: AcceptedEmail) => void) | undefined;
    const ses: LocalSes = await startSes({ port: sesPort, journal: join(dataDir, "emails.jsonl"), onAccepted: (email) => publishMailEvents?.(email) });
    stoppers.push(() => ses.stop());

    const sfnServer = createServer();
    const sfnPort = await listen(sfnServer, await previousPort(previous?.sfnEndpoint));
    const sfnEndpoint = `http://127.0.0.1:${sfnPort}`;

    // Handlers find the local services through the SDK's own endpoint variables. The keys are
    // the S3 emulation's only account; the other emulations accept any.
    Object.assign(process.env, {
      AWS_REGION: "eu-central-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SFN: sfnEndpoint,
      KARTA_LOCAL: "1",
    });
    // In-process, all functions share one environment: the union of their template variables.
    for (const fn of app.functions) Object.assign(process.env, fn.environment);
    process.env.SST_Secret_value_LINK_SECRET = localSecret(dataDir, "link");
    // No X-Ray daemon here: Powertools' tracer stays a no-op (it is off outside Lambda anyway).
    process.env.POWERTOOLS_TRACE_ENABLED = "false";
    if (opts.originVerify) {
      process.env.ORIGIN_VERIFY_VALUE = opts.originVerify;
      stoppers.push(() => void delete process.env.ORIGIN_VERIFY_VALUE);
    }

    // The functions' own log lines (Powertools JSON, EMF metrics) are kept per invocation in
    // lambda.logs; the stack's log shows only their warnings and errors.
    const lambda = new LocalLambda(root, app.functions, (entry) => {
      if (isWorthShowing(entry.line)) log(`${shortHandler(entry.handler)} ${entry.line}`);
    });
    publishMailEvents = mailEventPublisher({
      destinations: app.mailEventDestinations,
      subscriptions: app.subscriptions,
      invoke: (arn, event) => lambda.invoke(arn, event),
      now: () => clock.now(),
      log,
    });
    const sfn = new LocalStepFunctions({
      dataDir: join(dataDir, "executions"),
      clock,
      invokeFunction: (arn, payload) => lambda.invoke(arn, payload),
      readObject: s3.readObject,
      log,
    });
    for (const machine of app.stateMachines) sfn.registerStateMachine(machine);
    sfnServer.on("request", createSfnHttpHandler(sfn));
    stoppers.push(
      () =>
        new Promise<void>((done) => {
          sfnServer.closeAllConnections();
          sfnServer.close(() => done());
        }),
    );
    stoppers.push(async () => {
      await sfn.close();
      await lambda.drain();
    });

    const scheduler = new LocalScheduler(app.schedules, {
      stateFile: join(dataDir, "scheduler.json"),
      now: () => clock.now(),
      fire: async (arn, input) => {
        await lambda.invoke(arn, input);
      },
      log,
    });
    const unsubscribe = clock.onChange(() => void scheduler.tick());
    const ticker = setInterval(() => void scheduler.tick(), 1000);
    stoppers.push(() => {
      unsubscribe();
      clearInterval(ticker);
    });
    // DynamoDB TTL (dynalite has none): expired sessions and sign-in links go when the clock passes them.
    for (const t of app.tables) {
      const attribute = LocalTimeToLive.attributeOf(t.properties);
      if (!attribute) continue;
      const ttl = new LocalTimeToLive(dynamo.endpoint, t.tableName, attribute, t.properties.KeySchema.map((k) => k.AttributeName), () => clock.now(), log);
      const stopTtl = clock.onChange(() => ttl.request());
      const ttlTicker = setInterval(() => ttl.request(), 5 * 60_000);
      stoppers.push(async () => {
        stopTtl();
        clearInterval(ttlTicker);
        await ttl.close();
      });
    }

    let markReady!: () => void;
    const ready = new Promise<void>((done) => (markReady = done));
    const httpServer = createServer();
    const api = new LocalHttpApi(app.routes, lambda, {
      webDir: join(root, "web", "dist"),
      originVerify: opts.originVerify,
      extra: async (req, res, url) => {
        await ready;
        return localPanelApi(req, res, url, { clock, inboxUrl: ses.inboxUrl, scheduler });
      },
    });
    httpServer.on("request", api.handle);
    // Listen before resuming so the app URL is known; requests wait until everything is up.
    const port = await listen(httpServer, appPort);
    const appUrl = `http://127.0.0.1:${port}`;
    process.env.APP_URL = appUrl;
    stoppers.push(
      () =>
        new Promise<void>((done) => {
          httpServer.closeAllConnections();
          httpServer.close(() => done());
        }),
    );

    const stateMachines = Object.fromEntries(app.stateMachines.map((m) => [m.logicalId.replace(/[0-9A-F]{8}$/, ""), m.arn]));
    for (const [name, arn] of Object.entries(stateMachines)) {
      if (name === "ReportApproval") process.env.APPROVAL_STATE_MACHINE_ARN = arn;
      if (name === "MonthlyCycle") process.env.CYCLE_STATE_MACHINE_ARN = arn;
    }

    await sfn.resume();
    if (firstStart && opts.seed !== false) {
      const { seedLocal } = await import("./seed.js");
      await seedLocal({ now: clock.now(), lambda, app, log });
      writeFileSync(join(dataDir, "seeded.json"), JSON.stringify({ at: clock.now().toISOString() }));
    }
    const administrator = firstStart && opts.seed === false && opts.admin ? opts.admin : undefined;
    await scheduler.tick();

    const info: LocalInfo = {
      appUrl,
      inboxUrl: ses.inboxUrl,
      sesEndpoint: ses.endpoint,
      sfnEndpoint,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      tableName: table.tableName,
      stateMachines,
      pid: process.pid,
    };
    writeFileSync(join(dataDir, "local.json"), JSON.stringify(info, null, 2));
    markReady();
    stoppers.push(() => clock.close());
    if (administrator) {
      // after markReady: the sign-in link is asked through the app's own route
      const { seedAdministrator } = await import("./seed.js");
      await seedAdministrator({ email: administrator, appUrl, log });
      writeFileSync(join(dataDir, "seeded.json"), JSON.stringify({ at: clock.now().toISOString(), empty: true, admin: administrator }));
    }

    return { ...info, dataDir, clock, sfn, lambda, app, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A function's log line worth the stack's log: a warning or an error (or a line that is not Powertools JSON), never an EMF metrics line. */
function isWorthShowing(line: string): boolean {
  try {
    const { level, _aws } = JSON.parse(line) as { level?: string; _aws?: unknown };
    return !_aws && (level === undefined || ["WARN", "ERROR", "CRITICAL"].includes(level));
  } catch {
    return true;
  }
}

/** "functions/workflow/send-batch.handler" → "send-batch". */
const shortHandler = (handler: string) => handler.replace(/^.*\//, "").replace(/\.handler$/, "");

/** Local-only endpoints: the virtual clock for the CLI and the panel. Never deployed. */
async function localPanelApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: { clock: VirtualClock; inboxUrl: string; scheduler: LocalScheduler },
): Promise<boolean> {
  if (!url.pathname.startsWith("/local/")) return false;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/local/clock" && req.method === "GET") {
    send(200, { now: ctx.clock.now().toISOString(), inboxUrl: ctx.inboxUrl });
    return true;
  }
  if (url.pathname === "/local/clock" && req.method === "POST") {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    try {
      const body = JSON.parse(raw || "{}") as { set?: string; advance?: string };
      if (body.set) {
        const instant = new Date(body.set);
        if (Number.isNaN(instant.getTime())) throw new Error(`Not an ISO instant: ${body.set}`);
        ctx.clock.set(instant);
      } else if (body.advance) {
        ctx.clock.advance(parseDuration(body.advance));
      } else {
        throw new Error('Give {"set": ISO instant} or {"advance": "3d"}');
      }
      await ctx.scheduler.tick();
      send(200, { now: ctx.clock.now().toISOString() });
    } catch (error) {
      send(400, { error: { code: "BAD_CLOCK_REQUEST", message: (error as Error).message } });
    }
    return true;
  }
  send(404, { error: { code: "NOT_FOUND", message: "Unknown local endpoint" } });
  return true;
}
