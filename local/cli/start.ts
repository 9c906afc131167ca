import { startLocalStack } from "../runtime.js";

/** `karta start`: the whole system on 127.0.0.1 with demo data; Ctrl-C stops it cleanly. */
export async function main(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error("Usage: karta start   (PORT picks the app port, default 3000)");
    return 2;
  }
  const started = Date.now();
  console.log("Karta: starting the local stack (synthesising the stacks, first start takes longer)…");
  const stack = await startLocalStack({ realtime: process.env.KARTA_CLOCK_REALTIME !== "0" });
  console.log(
    [
      "",
      `Karta is running (${((Date.now() - started) / 1000).toFixed(1)} s).`,
      `  App:          ${stack.appUrl}`,
      `  E-mail inbox: ${stack.inboxUrl}   (every e-mail the system sends, links clickable)`,
      `  Virtual time: ${stack.clock.now().toISOString()}   (npx karta clock advance 1d)`,
      "Sign in with a demo address (e.g. anna.nowak@asystent.example.pl), then open the link from the inbox.",
      "Ctrl-C stops everything; the data stays in .data/.",
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
