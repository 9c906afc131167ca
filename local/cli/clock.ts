import { callLocal, runningStack } from "./local-client.js";

const usage = "Usage: karta clock show | set <ISO instant> | advance <duration, e.g. 3d, 6h, 30m>";

/** `karta clock …`: reads or moves the virtual clock of the running local stack. */
export async function main(args: string[]): Promise<number> {
  const [action, value] = args;
  if (!action || !["show", "set", "advance"].includes(action) || (action !== "show" && !value) || args.length > 2) {
    console.error(usage);
    return 2;
  }
  if (action === "set" && Number.isNaN(new Date(value).getTime())) {
    console.error(`karta: "${value}" is not an ISO instant (e.g. 2026-12-03T08:00:00Z) / niepoprawna data`);
    return 2;
  }
  const info = runningStack();
  if (!info) return 2;
  const body =
    action === "show"
      ? await callLocal(info, "/local/clock")
      : await callLocal(info, "/local/clock", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(action === "set" ? { set: value } : { advance: value }),
        });
  const warsaw = new Date(body.now).toLocaleString("pl-PL", { timeZone: "Europe/Warsaw" });
  console.log(`${body.now}  (Europe/Warsaw: ${warsaw})`);
  return 0;
}
