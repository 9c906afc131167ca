import { DeleteItemCommand, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { localClient, type TableProperties } from "./dynamo.js";

/**
 * DynamoDB Time to Live on the virtual clock: dynalite has none, so whenever the clock moves the
 * local stack deletes the items whose TTL attribute (from the template's
 * TimeToLiveSpecification) is at or before "now". AWS deletes them lazily, within days; here it
 * is at once. A Scan is fine for an emulation (Karta's own code never scans), but a big table
 * (the benchmark's month) makes it slow, so sweeps are at least `minIntervalMs` of real time apart:
 * the first request sweeps at once, later ones within the interval coalesce into one at its end.
 */
export class LocalTimeToLive {
  private running: Promise<number> = Promise.resolve(0);
  private lastSweep = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly endpoint: string,
    private readonly tableName: string,
    private readonly attribute: string,
    private readonly keyNames: string[],
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
    private readonly minIntervalMs = 5 * 60_000,
  ) {}

  /** Asks for a sweep (the clock moved): now, or once at the end of the current interval. */
  request(): void {
    if (this.closed || this.trailing) return;
    const wait = this.lastSweep + this.minIntervalMs - Date.now();
    if (wait <= 0) {
      void this.sweep();
      return;
    }
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      if (!this.closed) void this.sweep();
    }, wait);
    this.trailing.unref();
  }

  /** Stops asking and waits for a sweep in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
    await this.running;
  }

  /** The TTL attribute of a template's table, when Time to Live is enabled on it. */
  static attributeOf(props: TableProperties): string | undefined {
    const spec = props.TimeToLiveSpecification;
    return spec?.Enabled ? spec.AttributeName : undefined;
  }

  /** Deletes what has expired; calls are serialised. Resolves to the number deleted. */
  sweep(): Promise<number> {
    this.lastSweep = Date.now();
    this.running = this.running.then(() => this.deleteExpired()).catch((error) => {
      this.log(`ttl: ${(error as Error).message}`);
      return 0;
    });
    return this.running;
  }

  private async deleteExpired(): Promise<number> {
    const client = localClient(this.endpoint);
    const epoch = String(Math.floor(this.now().getTime() / 1000));
    let deleted = 0;
    try {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: "#ttl <= :now",
            ExpressionAttributeNames: { "#ttl": this.attribute, ...Object.fromEntries(this.keyNames.map((name, i) => [`#k${i}`, name])) },
            ExpressionAttributeValues: { ":now": { N: epoch } },
            ProjectionExpression: this.keyNames.map((_, i) => `#k${i}`).join(", "),
            ExclusiveStartKey: start,
          }),
        );
        for (const key of page.Items ?? []) {
          await client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key }));
          deleted += 1;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    } finally {
      client.destroy();
    }
    return deleted;
  }
}
