import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { isMonth } from "../../functions/core/calendar.js";
import { DomainError } from "../../functions/core/errors.js";

const usage = "usage: karta orders import <programme> <YYYY-MM> <file.csv|xlsx> [--table <name>] [--by <personId>]";

/** Points the adapters at the running local stack (`.data/local.json`) unless the environment or --table says otherwise. */
function useLocalStack(table: string | undefined): void {
  const file = join(process.env.KARTA_DATA_DIR ?? join(process.cwd(), ".data"), "local.json");
  if (existsSync(file)) {
    const info = JSON.parse(readFileSync(file, "utf8")) as { tableName?: string; dynamoEndpoint?: string };
    if (info.tableName) process.env.TABLE_NAME ??= info.tableName;
    if (info.dynamoEndpoint) process.env.AWS_ENDPOINT_URL_DYNAMODB ??= info.dynamoEndpoint;
    process.env.AWS_REGION ??= "eu-central-1";
    process.env.AWS_ACCESS_KEY_ID ??= "local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  }
  if (table) process.env.TABLE_NAME = table;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

/** `karta orders import <programme> <YYYY-MM> <file>`: validates every row, then writes all orders or none. */
export async function main(input: string[]): Promise<number> {
  const args = [...input];
  const table = option(args, "--table");
  const by = option(args, "--by");
  const [sub, programmeId, month, path] = args;
  if (sub !== "import" || !programmeId || !month || !path || args.length !== 4) {
    console.error(usage);
    return 2;
  }
  if (!isMonth(month)) {
    console.error(`karta orders: "${month}" is not a month, use YYYY-MM / podaj miesiąc jako RRRR-MM`);
    return 2;
  }
  if (!existsSync(path)) {
    console.error(`karta orders: file not found: ${path} / nie ma pliku`);
    return 2;
  }
  useLocalStack(table);
  if (!process.env.TABLE_NAME) {
    console.error("karta orders: no table — start the local stack (`npm start`) or pass --table / brak tabeli");
    return 2;
  }
  // Imported lazily so that the DynamoDB client is created after the environment is set.
  const { getProgramme } = await import("../../functions/adapters/programmes.js");
  const { importServiceOrders } = await import("../../functions/adapters/service-orders.js");
  try {
    const programme = await getProgramme(programmeId);
    const bytes = new Uint8Array(readFileSync(path));
    let lastShown = 0;
    const orders = await importServiceOrders({
      programmeId,
      month,
      fileName: basename(path),
      bytes,
      issuedBy: by ?? programme.coordinatorIds[0] ?? "cli",
      now: new Date().toISOString(),
      onProgress: (written, total) => {
        if (total >= 200 && (written - lastShown >= 100 || written === total)) {
          lastShown = written;
          console.error(`… ${written}/${total}`);
        }
      },
    });
    console.log(`imported ${orders.length} service orders for ${programmeId} ${month} / zaimportowano zleceń: ${orders.length}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`${error.messages.pl}\n\n${error.messages.en}`);
      return 1;
    }
    throw error;
  }
}
