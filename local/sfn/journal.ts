import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { HistoryEvent } from "./history.js";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** A callback task's token and what became of it; kept so a resumed execution finds it again. */
export interface TaskTokenRecord {
  /** Where in the execution the token was issued: `<map path>/<state name>#<visit>`. */
  key: string;
  stateName: string;
  startedAt: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  lastHeartbeatAt: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "CLOSED";
  output?: string;
  error?: string;
  cause?: string;
}

/** Everything known about one execution; one JSON file per execution under the data directory. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** How many times the execution was started from its input (1 + resumes). */
  runs: number;
  stateTransitions: number;
  tokens: Record<string, TaskTokenRecord>;
  /** Deadlines of relative Wait states, so a resumed Wait keeps its original end. */
  waits: Record<string, string>;
  history: HistoryEvent[];
}

export class Journal {
  constructor(private readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
  }

  loadAll(): ExecutionRecord[] {
    const records: ExecutionRecord[] = [];
    for (const machine of readdirSync(this.dataDir, { withFileTypes: true })) {
      if (!machine.isDirectory()) continue;
      for (const file of readdirSync(join(this.dataDir, machine.name))) {
        if (!file.endsWith(".json")) continue;
        records.push(JSON.parse(readFileSync(join(this.dataDir, machine.name, file), "utf8")) as ExecutionRecord);
      }
    }
    return records;
  }

  save(record: ExecutionRecord): void {
    const machineName = record.stateMachineArn.split(":").pop()!;
    writeAtomically(join(this.dataDir, machineName, `${record.name}.json`), JSON.stringify(record));
  }

  /** A random secret kept with the journal: task tokens are an HMAC of their place in the execution. */
  secret(): Buffer {
    const file = join(this.dataDir, "task-token.secret");
    if (!existsSync(file)) writeAtomically(file, randomBytes(32).toString("hex"));
    return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  }
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
