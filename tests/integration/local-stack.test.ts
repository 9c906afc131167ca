import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { queryAll } from "../../functions/adapters/dynamo.js";
import { queries } from "../../functions/adapters/keys.js";
import { securityHeaders } from "../../stacks/security-headers.js";

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), "karta-local-stack-"));
let stack: TestStack;

const startAt = new Date("2026-11-02T08:00:00Z");
const sfnClient = (endpoint: string) =>
  new SFNClient({ endpoint, region: "eu-central-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });

beforeAll(async () => {
  stack = await startTestStack({ dataDir, startAt });
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the embedded local stack", () => {
  it("answers the health check once everything is up", async () => {
    const response = await stack.request("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("serves the web app with the security headers CloudFront adds in AWS (CSP, no framing, nosniff…)", async () => {
    for (const path of ["/", "/sw.js"]) {
      const response = await stack.request(path);
      expect(response.status, path).toBe(200);
      for (const [name, value] of Object.entries(securityHeaders)) expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });

  it("listens on 127.0.0.1 only and records its addresses for the CLI", () => {
    const info = JSON.parse(readFileSync(join(dataDir, "local.json"), "utf8"));
    for (const url of [info.appUrl, info.inboxUrl, info.sfnEndpoint, info.dynamoEndpoint, info.sesEndpoint]) {
      expect(new URL(url).hostname).toBe("127.0.0.1");
    }
  });

  it("seeds the demo programmes on the first start", async () => {
    const programmes = await queryAll(queries.programmes());
    expect(programmes.map((p) => p.id).sort()).toEqual(["krakow-aou", "wroclaw-ao"]);
    const orders = await queryAll(queries.ordersByProgrammeMonth("krakow-aou", "2026-11"));
    expect(orders).toHaveLength(24);
  });

  it("moves the virtual clock from the CLI", async () => {
    const env = { ...process.env, KARTA_DATA_DIR: dataDir };
    const shown = await run(process.execPath, ["bin/karta.js", "clock", "show"], { env });
    expect(shown.stdout).toContain("2026-11-02T08:00:00.000Z");
    const advanced = await run(process.execPath, ["bin/karta.js", "clock", "advance", "6h"], { env });
    expect(advanced.stdout).toContain("2026-11-02T14:00:00.000Z");
    expect(stack.clock.now().toISOString()).toBe("2026-11-02T14:00:00.000Z");
    const refused = await run(process.execPath, ["bin/karta.js", "clock", "advance", "soon"], { env }).catch((e) => e);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/soon/);
  });

  it("runs an execution that waits on the virtual clock and finishes when the clock moves", async () => {
    const sfn = sfnClient(stack.sfnEndpoint);
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stack.app.stateMachines.find((m) => m.logicalId.startsWith("MonthlyCycle"))!.arn,
        name: "cycle-wroclaw-ao-2026-10",
        input: JSON.stringify({ programmeId: "wroclaw-ao", month: "2026-10" }),
      }),
    );
    await stack.sfn.idle();
    // October's reminders and deadline are already past at 2 November; the cycle then waits for
    // the next decision check on the clock (no report of October is pending, so it settles).
    const status = async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
    const november = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stack.app.stateMachines.find((m) => m.logicalId.startsWith("MonthlyCycle"))!.arn,
        name: "cycle-wroclaw-ao-2026-12",
        input: JSON.stringify({ programmeId: "wroclaw-ao", month: "2026-12" }),
      }),
    );
    await stack.sfn.idle();
    await new Promise((r) => setTimeout(r, 300));
    const december = async () => (await sfn.send(new DescribeExecutionCommand({ executionArn: november.executionArn }))).status;
    expect(await december()).toBe("RUNNING");
    stack.clock.set(new Date("2027-03-01T00:00:00Z"));
    await stack.waitFor(async () => (await december()) !== "RUNNING" && (await status()) !== "RUNNING", "the cycles to finish", 30_000);
    expect(await status()).toBe("SUCCEEDED");
    expect(await december()).toBe("SUCCEEDED");
    sfn.destroy();
  });

  it("keeps its data across a restart and does not seed twice", async () => {
    const before = await queryAll(queries.ordersByProgrammeMonth("krakow-aou", "2026-11"));
    await stack.stop();
    stack = await startTestStack({ dataDir, startAt });
    const after = await queryAll(queries.ordersByProgrammeMonth("krakow-aou", "2026-11"));
    expect(after).toEqual(before);
    expect(stack.clock.now().getTime()).toBeGreaterThan(startAt.getTime());
    const health = await stack.request("/api/health");
    expect(health.status).toBe(200);
  });
});

describe("karta deadline", () => {
  it("prints the report deadline of each month in the range", async () => {
    const { stdout } = await run(process.execPath, ["bin/karta.js", "deadline", "krakow-aou", "2026-11", "2026-12"]);
    expect(stdout).toBe("2026-11 2026-12-03\n2026-12 2027-01-07\n");
  });

  it.each([
    [["deadline", "nowhere", "2026-11"], /unknown programme/],
    [["deadline", "krakow-aou", "2026-13"], /YYYY-MM/],
    [["deadline"], /Usage|usage|programme/],
  ])("refuses %j with status 2 and one line", async (args, message) => {
    const error = await run(process.execPath, ["bin/karta.js", ...args]).catch((e) => e);
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(message);
  });
});
