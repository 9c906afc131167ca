import { startLocalStack } from "../runtime.js";

const usage = `Usage: karta start [--empty [--admin <e-mail>] [--data <dir>]]   (PORT picks the app port, default 3000)
  --empty          a first start with no demo data: only the centre administrator (default ${"administrator@centrum.example.pl"}),
                   whose sign-in link arrives in the local inbox; the data goes to .data-empty/ unless --data names another folder`;

/** `karta start`: the whole system on 127.0.0.1 with demo data (or, with --empty, none); Ctrl-C stops it cleanly. */
export async function main(args: string[]): Promise<number> {
  const options = { empty: false, admin: "administrator@centrum.example.pl", data: undefined as string | undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--empty") options.empty = true;
    else if (arg === "--admin" && args[i + 1]) options.admin = args[++i];
    else if (arg === "--data" && args[i + 1]) options.data = args[++i];
    else {
      console.error(usage);
      return 2;
    }
  }
  const started = Date.now();
  console.log("Karta: starting the local stack (synthesising the stacks, first start takes longer)…");
  const stack = await startLocalStack({
    realtime: process.env.KARTA_CLOCK_REALTIME !== "0",
    ...(options.empty ? { seed: false, admin: options.admin, dataDir: options.data ?? ".data-empty" } : options.data ? { dataDir: options.data } : {}),
  });
  console.log(
    [
      "",
      `Karta is running (${((Date.now() - started) / 1000).toFixed(1)} s).`,
      `  App:          ${stack.appUrl}`,
      `  E-mail inbox: ${stack.inboxUrl}   (every e-mail the system sends, links clickable)`,
      `  Virtual time: ${stack.clock.now().toISOString()}   (npx karta clock advance 1d)`,
      options.empty
        ? `No demo data: open the inbox, follow the sign-in link sent to ${options.admin} and set up the centre (docs/admin.md).`
        : "Sign in with a demo address (e.g. anna.nowak@asystent.example.pl), then open the link from the inbox.",
      `Ctrl-C stops everything; the data stays in ${stack.dataDir}/.`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      console.log("\nKarta: stopping…");
      await stack.stop();
      resolve();
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
  return 0;
}
