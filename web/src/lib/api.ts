// The only module that talks to the server. Every path and payload of the JSON API the web app
// uses is here, so a change of the contract (docs/api.md) is a change of this file.
import { activeLang } from "../i18n/i18n";

const BASE = (import.meta.env.VITE_API_URL as string | undefined)?.replace(/\/$/, "") ?? "";

/** The API answered with an error: `code` and a message in the reader's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The request never reached the server, or its answer never came back (no connection, or one that hangs). */
export class OfflineError extends Error {
  constructor(cause?: unknown) {
    super("offline", { cause });
    this.name = "OfflineError";
  }
}

const unauthenticatedListeners = new Set<() => void>();
/** Called when any request answers 401 (the session has expired). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => void unauthenticatedListeners.delete(listener);
}

/**
 * How long a request may wait for its answer before it counts as offline: a connection that looks
 * up but answers nothing ("lie-fi") must not leave a save hanging on "Zapisywanie…". Files
 * (the coordinator's order import) get longer.
 */
export const REQUEST_TIMEOUT_MS = 15_000;
const FILE_TIMEOUT_MS = 120_000;

export async function request<T>(method: string, path: string, body?: unknown, opts: { quiet401?: boolean; headers?: Record<string, string> } = {}): Promise<T> {
  let response: Response;
  let text: string;
  // A Blob is sent as itself, typed by its own `type` (the orders import takes the file, not JSON).
  const file = body instanceof Blob ? body : undefined;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      credentials: "include",
      headers: {
        accept: "application/json",
        "accept-language": activeLang(),
        ...(body === undefined ? {} : { "content-type": file ? file.type : "application/json" }),
        ...opts.headers,
      },
      body: body === undefined ? undefined : (file ?? JSON.stringify(body)),
      signal: AbortSignal.timeout(file ? FILE_TIMEOUT_MS : REQUEST_TIMEOUT_MS),
    });
    // the body is read under the same timeout: an answer can stall halfway
    text = response.status === 204 || response.status === 202 ? "" : await response.text();
  } catch (error) {
    throw new OfflineError(error);
  }
  if (response.status === 204 || response.status === 202) return undefined as T;
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    if (response.status === 401 && !opts.quiet401) for (const l of unauthenticatedListeners) l();
    const error = json?.error ?? {};
    throw new ApiError(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? response.statusText, error.details);
  }
  return json as T;
}

export const apiUrl = (path: string) => `${BASE}${path}`;
export const get = <T>(path: string, opts?: { quiet401?: boolean }) => request<T>("GET", path, undefined, opts);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});
export const put = <T>(path: string, body?: unknown) => request<T>("PUT", path, body ?? {});
export const del = <T>(path: string) => request<T>("DELETE", path);
export const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : "";
};
