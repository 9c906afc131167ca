import { readLocalInfo, type LocalInfo } from "../runtime.js";

/** The running local stack (from .data/local.json), or a clear message and exit status 2. */
export function runningStack(): LocalInfo | undefined {
  const info = readLocalInfo(process.env.KARTA_DATA_DIR);
  if (!info) {
    console.error("karta: the local stack is not running here (start it with `npm start`) / lokalny stos nie działa");
    return undefined;
  }
  return info;
}

export async function callLocal(info: LocalInfo, path: string, init?: RequestInit): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${info.appUrl}${path}`, init);
  } catch {
    throw new Error(`cannot reach the local stack at ${info.appUrl} — is \`npm start\` running?`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}
