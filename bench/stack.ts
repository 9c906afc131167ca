import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { localClient } from "../local/dynamo.js";
import { startLocalStack, type LocalStack } from "../local/runtime.js";
import { DynamoMeter } from "./dynamo-meter.js";

export interface BenchStack extends LocalStack {
  meter: DynamoMeter;
  dispose(): Promise<void>;
}

/** A private local stack (own data folder, free ports, frozen virtual clock, no demo seed) with a DynamoDB meter. */
export async function startBenchStack(startAt: Date, log: (line: string) => void = () => {}): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "karta-bench-"));
  const stack = await startLocalStack({ dataDir, port: 0, sesPort: 0, realtime: false, startAt, seed: false, log });
  await tableActive(stack.dynamoEndpoint, stack.tableName);
  const meter = new DynamoMeter().install();
  return {
    ...stack,
    meter,
    dispose: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** dynalite answers ResourceNotFound to writes while a new table is still CREATING. */
async function tableActive(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (let i = 0; i < 200; i++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === "ACTIVE" && (Table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE")) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`Table ${tableName} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}
