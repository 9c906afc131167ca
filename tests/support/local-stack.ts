import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../../local/runtime.js";

export interface TestStack extends LocalStack {
  /** fetch against the app (relative path). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Every e-mail in the local SES inbox. */
  inbox(): Promise<InboxEmail[]>;
  /** Polls until `check` returns a truthy value (real time, default 15 s). */
  waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  /** Stops the stack and deletes its data. */
  dispose(): Promise<void>;
}

export interface InboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  at: number;
}

/**
 * A private local stack for one test file: its own data folder, free ports, a frozen virtual
 * clock at `startAt` (no real-time flow), demo data seeded unless `seed: false`. Its log is
 * silent unless KARTA_TEST_LOG is set.
 */
export async function startTestStack(opts: LocalStackOptions & { dataDir?: string } = {}): Promise<TestStack> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "karta-test-"));
  // KARTA_TEST_LOG=1 prints the stack's log (executions, handler errors) while a test runs
  const log = process.env.KARTA_TEST_LOG ? (line: string) => console.error(line) : () => {};
  const stack = await startLocalStack({ port: 0, realtime: false, log, ...opts, dataDir });
  const waitFor: TestStack["waitFor"] = async (check, what, timeoutMs = 15_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value as any;
      if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    ...stack,
    request: (path, init) => fetch(`${stack.appUrl}${path}`, { redirect: "manual", ...init }),
    inbox: async () => ((await (await fetch(`${stack.sesEndpoint}/store`)).json()) as { emails: InboxEmail[] }).emails,
    waitFor,
    dispose: async () => {
      await stack.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
