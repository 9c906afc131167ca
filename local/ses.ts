import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import sesModule from "aws-ses-v2-local";
// The same CommonJS module instance the server writes to.
import * as store from "aws-ses-v2-local/dist/store.js";

export interface LocalSes {
  endpoint: string;
  inboxUrl: string;
  stop(): Promise<void>;
}

/**
 * aws-ses-v2-local on 127.0.0.1 (it would listen on every interface by default). Sent e-mails
 * are appended to a journal so the inbox survives a restart of the local stack.
 */
export async function startSes(opts: { port: number; journal?: string }): Promise<LocalSes> {
  const journal = opts.journal;
  // The store is module-global: start from the journal only (a restart in the same process).
  store.clearStore();
  if (journal && existsSync(journal)) {
    for (const line of readFileSync(journal, "utf8").split("\n")) {
      if (line.trim()) store.saveEmail(JSON.parse(line));
    }
  }
  let persisted = store.getStoreReadonly().emails.length;
  // CommonJS default export seen from ESM: the function is under .default.
  const sesServer = ((sesModule as any).default ?? sesModule) as typeof sesModule;
  const server: Server = await sesServer({ host: "127.0.0.1", port: opts.port });
  if (journal) {
    server.on("request", (_req, res) => {
      res.on("finish", () => {
        const emails = store.getStoreReadonly().emails;
        for (; persisted < emails.length; persisted++) appendFileSync(journal, JSON.stringify(emails[persisted]) + "\n");
      });
    });
  }
  const address = server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
