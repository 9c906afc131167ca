/** `karta` CLI entry: dispatches to one module per command; each returns the exit status. */
type Command = { summary: string; load: () => Promise<{ main(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  start: { summary: "start the embedded local stack (what `npm start` runs)", load: () => import("./start.js") },
  clock: { summary: "clock show | set <ISO instant> | advance <3d|6h|30m>", load: () => import("./clock.js") },
  deadline: { summary: "deadline <programme> <YYYY-MM> [<YYYY-MM>]", load: () => import("./deadline.js") },
  cycle: { summary: "cycle status|start <programme> <YYYY-MM>", load: () => import("./cycle.js") },
  "audit-pack": { summary: "audit-pack verify <pack.zip> [--previous <pack.zip|sha256>]", load: () => import("./audit-pack.js") },
  orders: { summary: "orders import <programme> <YYYY-MM> <file.csv|xlsx>", load: () => import("./orders.js") },
};

export function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  karta ${name.padEnd(10)} ${c.summary}`);
  return ["Usage:", ...lines].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`karta: unknown command "${name}" / nieznane polecenie\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.main(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`karta: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
