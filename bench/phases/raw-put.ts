import { DynamoDBClient, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { pool, type Progress } from "../progress.js";
import { median, percentile, round } from "../stats.js";

export interface ThroughputResult {
  count: number;
  seconds: number;
  perSecond: number;
  medianMs: number;
  p99Ms: number;
}

/** Moves every key attribute under a BENCH# prefix so the copies never show in the application's queries. */
export function benchCopy(item: Item): Item {
  const copy: Item = { ...item };
  for (const [name, value] of Object.entries(item)) if (/^(pk|sk|gsi\d(pk|sk))$/.test(name) && value.S) copy[name] = { S: `BENCH#${value.S}` };
  return copy;
}
type Item = Record<string, AttributeValue>;

/** The raw baseline: the same items written with plain PutItem, `concurrency` in flight, one client. */
export async function rawPutBaseline(endpoint: string, tableName: string, items: Item[], concurrency: number, bar?: Progress): Promise<ThroughputResult> {
  const client = new DynamoDBClient({
    endpoint,
    region: "eu-central-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const latencies: number[] = [];
    const started = performance.now();
    await pool(
      items,
      concurrency,
      async (item) => {
        const t = performance.now();
        await client.send(new PutItemCommand({ TableName: tableName, Item: benchCopy(item) }));
        latencies.push(performance.now() - t);
      },
      bar,
    );
    const seconds = (performance.now() - started) / 1000;
    return { count: items.length, seconds: round(seconds, 2), perSecond: round(items.length / seconds, 1), medianMs: round(median(latencies), 2), p99Ms: round(percentile(latencies, 99), 2) };
  } finally {
    client.destroy();
  }
}
