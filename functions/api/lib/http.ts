import { ZodError, type ZodType, type z } from "zod";
import { languageOf } from "../../core/auth.js";
import { DomainError, messageFor, PathParameterTooLongError, ValidationError, type Lang } from "../../core/errors.js";
import { CrossSiteFormError, DirectApiAccessError, FormExpectedError, JsonExpectedError, MalformedJsonError, MAX_BODY_BYTES, MAX_PATH_PARAMETER_CHARS, MethodNotAllowedError, PayloadTooLargeError, PreconditionFailedError, RepeatedParameterError } from "../../core/http-errors.js";
import { messagePage, pageTitles } from "../../core/approval-page.js";
import { clock } from "../../adapters/clock.js";
import { appUrl } from "../../adapters/config.js";
import { count, instrumented, logger } from "../../adapters/observability.js";
import { cameThroughCloudFront } from "../../adapters/origin-verify.js";
import { ORIGIN_VERIFY_HEADER } from "../../core/origin-verify.js";

/** The API Gateway HTTP API (payload 2.0) event, as far as Karta reads it. */
export interface HttpEvent {
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  cookies?: string[];
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  /** "POST /api/reports/{reportId}/submit": the route, never the path with its ids and tokens. */
  routeKey?: string;
  requestContext?: { http?: { method?: string }; requestId?: string };
}

/** The longest path parameter a route reads (core/http-errors.ts; the OpenAPI document says the same). */
export { MAX_PATH_PARAMETER_CHARS };

export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** One request: typed access to path, query, cookies and the body parsed with a core schema. */
export class HttpRequest {
  readonly lang: Lang;
  readonly now: Date;
  readonly method: string;
  private readonly headers: Record<string, string>;

  constructor(readonly event: HttpEvent) {
    this.headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? ""]));
    const asked = event.queryStringParameters?.lang;
    this.lang = asked === "en" || asked === "pl" ? asked : languageOf(this.headers["accept-language"]);
    this.now = clock.now();
    this.method = (event.requestContext?.http?.method ?? "GET").toUpperCase();
  }

  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()] || undefined;
  }

  cookie(name: string): string | undefined {
    const all = [...(this.event.cookies ?? []), ...(this.header("cookie")?.split(";") ?? [])];
    for (const c of all) {
      const eq = c.indexOf("=");
      if (eq > 0 && c.slice(0, eq).trim() === name) return decodeCookie(c.slice(eq + 1).trim());
    }
    return undefined;
  }

  param(name: string): string {
    const value = this.event.pathParameters?.[name];
    if (!value) throw new ValidationError(new ZodError([{ code: "custom", path: [name], message: "missing path parameter", input: undefined }]), "path");
    if (value.length > MAX_PATH_PARAMETER_CHARS) throw new PathParameterTooLongError(name, value.length, MAX_PATH_PARAMETER_CHARS);
    return value;
  }

  /** Refuses any over-long path parameter (400), whether or not the route reads it through `param`. */
  checkPathParameters(): void {
    for (const [name, value] of Object.entries(this.event.pathParameters ?? {})) {
      if (value && value.length > MAX_PATH_PARAMETER_CHARS) throw new PathParameterTooLongError(name, value.length, MAX_PATH_PARAMETER_CHARS);
    }
  }

  /** One query parameter; given more than once it is refused (400), never one of the values read. */
  query(name: string): string | undefined {
    this.refuseRepeated([name]);
    return this.event.queryStringParameters?.[name] || undefined;
  }

  /** The query string parsed with a schema (400 with the fields to fix; a repeated parameter 400). */
  queryAs<S extends ZodType>(schema: S): z.infer<S> {
    this.refuseRepeated(Object.keys(this.event.queryStringParameters ?? {}));
    return parseWith(schema, this.event.queryStringParameters ?? {}, "query");
  }

  /**
   * API Gateway (payload 2.0) joins a repeated parameter's values with commas in
   * queryStringParameters ("a,b"); rawQueryString still shows each one, so count there.
   */
  private refuseRepeated(names: string[]): void {
    const raw = new URLSearchParams(this.event.rawQueryString ?? "");
    for (const name of names) {
      const times = raw.getAll(name).length;
      if (times > 1) throw new RepeatedParameterError(name, times);
    }
  }

  /**
   * Refuses a form posted from another site (403). Origin when the browser sends a real one;
   * Sec-Fetch-Site, which no page can forge, when sent; else Referer. A post with none of them
   * (some mail clients and older browsers strip them) or with `Origin: null` alone (what a page
   * with Referrer-Policy: no-referrer, like ours, makes its forms send) passes: the link's
   * secret is still needed.
   */
  requireOwnOrigin(): void {
    const own = new URL(appUrl()).origin;
    const origin = this.header("origin");
    const site = this.header("sec-fetch-site");
    const referer = this.header("referer");
    if (origin && origin !== "null" && origin !== own) throw new CrossSiteFormError(origin.slice(0, 200));
    if (site && site !== "same-origin" && site !== "none") throw new CrossSiteFormError(`Sec-Fetch-Site: ${site.slice(0, 40)}`);
    if (!origin && referer && originOf(referer) !== own) throw new CrossSiteFormError(originOf(referer) ?? "Referer");
  }

  rawBody(): string {
    const body = this.event.body ?? "";
    const text = this.event.isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
    const size = Buffer.byteLength(text);
    if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(size, MAX_BODY_BYTES);
    return text;
  }

  /** The body as bytes (a file upload): API Gateway sends binary bodies base64-encoded. */
  bodyBytes(): Buffer {
    const body = this.event.body ?? "";
    const bytes = this.event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
    if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(bytes.length, MAX_BODY_BYTES);
    return bytes;
  }

  /**
   * The JSON body parsed with a core schema. JSON only: an HTML form cannot send it cross-site
   * without a CORS preflight, which (with the SameSite=Lax cookie) keeps sessions safe from CSRF.
   */
  json<S extends ZodType>(schema: S): z.infer<S> {
    const type = this.header("content-type");
    if (!type || !/^application\/(.+\+)?json\b/i.test(type)) throw new JsonExpectedError(type);
    const text = this.rawBody();
    let value: unknown;
    try {
      // a byte order mark some editors and Windows tools put before the text is no part of the JSON
      value = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch {
      throw new MalformedJsonError();
    }
    return parseWith(schema, value, "body");
  }

  /**
   * An application/x-www-form-urlencoded body (the pages' forms). Any other type is refused (415):
   * text/plain is what a cross-site form sends without a preflight. A repeated field is refused.
   */
  form(): Record<string, string> {
    const type = this.header("content-type");
    const text = this.rawBody();
    if ((type || text) && !/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type ?? "")) throw new FormExpectedError(type);
    const fields = new URLSearchParams(text);
    for (const name of new Set(fields.keys())) if (fields.getAll(name).length > 1) throw new RepeatedParameterError(name, fields.getAll(name).length);
    return Object.fromEntries(fields);
  }

  /** Refuses a change when the client sent If-Match with a revision other than the current one. */
  checkRevision(rev: number): void {
    const expected = this.header("if-match")?.replace(/^W\//, "").replace(/"/g, "").trim();
    if (expected && expected !== "*" && expected !== String(rev)) throw new PreconditionFailedError(expected, rev);
  }
}

/** The origin of a URL, or undefined for junk. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** A cookie value with malformed percent-encoding is no cookie (a client's junk must not be a 500). */
function decodeCookie(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function parseWith<S extends ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(result.error, what);
  return result.data;
}

const securityHeaders = { "x-content-type-options": "nosniff", "cache-control": "no-store", "referrer-policy": "no-referrer" };

export function json(statusCode: number, body?: unknown, extra: Partial<HttpResult> = {}): HttpResult {
  return {
    statusCode,
    ...extra,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }), ...securityHeaders, ...extra.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

/** A file the browser saves (payload 2.0: a binary body travels base64-encoded with isBase64Encoded). */
export function download(name: string, contentType: string, content: Buffer, extra: Record<string, string> = {}): HttpResult {
  return {
    statusCode: 200,
    headers: { "content-type": contentType, "content-disposition": `attachment; filename="${name.replace(/["\\\r\n]/g, "_")}"`, ...securityHeaders, ...extra },
    body: content.toString("base64"),
    isBase64Encoded: true,
  };
}

export function html(statusCode: number, body: string, extra: Partial<HttpResult> = {}): HttpResult {
  return {
    statusCode,
    ...extra,
    headers: {
      "content-type": "text/html; charset=utf-8",
      // img-src data: for the signature images of the approval page (inline PNGs, nothing fetched)
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      "x-frame-options": "DENY",
      ...securityHeaders,
      ...extra.headers,
    },
    body,
  };
}

/** Any thrown error as a DomainError (zod errors from core parsing are invalid input, 400), or undefined for a bug. */
function asDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (error instanceof ZodError) return new ValidationError(error);
  return undefined;
}

/**
 * One log line per answer (route, status, the refusal's code; the person id once the session is
 * known), with API Gateway's request id as correlation_id to join the access log. Every 4xx
 * counts in the Refusals metric by its code.
 */
function logAnswer(event: HttpEvent, result: HttpResult, known: DomainError | undefined, started: number): void {
  const refused = result.statusCode >= 400 && result.statusCode < 500;
  const code = known?.code ?? (refused ? codeOf(result) : undefined);
  if (refused) count.refusal(code!);
  const line = { route: event.routeKey, status: result.statusCode, ...(code ? { code } : {}), ms: Math.round(performance.now() - started) };
  if (result.statusCode >= 500) logger.warn("failed", line);
  else logger.info(refused ? "refused" : "answered", line);
}

/** The error code of a 4xx a route answered itself (not thrown): from its JSON body, else HTTP_<status>. */
function codeOf(result: HttpResult): string {
  try {
    const code = JSON.parse(result.body ?? "").error?.code;
    if (typeof code === "string" && code) return code;
  } catch {
    // not JSON (a page)
  }
  return `HTTP_${result.statusCode}`;
}

type Route = (req: HttpRequest) => Promise<HttpResult>;

/**
 * Refuses (403) a request that did not come through CloudFront, before any route runs: the
 * API's own domain must not be a way around the WAF (adapters/origin-verify.ts).
 */
async function requireCloudFront(req: HttpRequest): Promise<void> {
  if (!(await cameThroughCloudFront(req.header(ORIGIN_VERIFY_HEADER)))) throw new DirectApiAccessError(appUrl());
}

/** Runs a route; a thrown error becomes `refusal(known, error, lang)` (known = a DomainError), bugs are logged. */
function guarded(route: Route, refusal: (known: DomainError | undefined, error: unknown, lang: Lang) => HttpResult) {
  return instrumented(async (event: HttpEvent): Promise<HttpResult> => {
    const started = performance.now();
    if (event.requestContext?.requestId) logger.appendKeys({ correlation_id: event.requestContext.requestId });
    let lang: Lang = "pl";
    let result: HttpResult;
    let known: DomainError | undefined;
    try {
      const req = new HttpRequest(event);
      lang = req.lang;
      await requireCloudFront(req);
      req.checkPathParameters();
      result = await route(req);
    } catch (error) {
      known = asDomainError(error);
      if (!known) logger.error("unhandled error", { route: event.routeKey, error });
      result = refusal(known, error, lang);
    }
    logAnswer(event, result, known, started);
    return result;
  });
}

/** A JSON route: DomainError → `{ error: { code, message } }` with its status, in the request's language; bugs → 500. */
export function api(route: Route) {
  return guarded(route, (known, error, lang) =>
    known
      ? json(known.status, { error: { code: known.code, message: messageFor(known, lang), ...(known.details ? { details: known.details } : {}) } }, { headers: refusalHeaders(known) })
      : json(500, { error: { code: "INTERNAL", message: messageFor(error, lang) } }),
  );
}

/** A page route (links opened in a browser): errors are a clear HTML page with the same status. */
export function page(route: Route) {
  return guarded(route, (known, error, lang) => html(known?.status ?? 500, messagePage(lang, pageTitles.refused[lang], messageFor(known ?? error, lang)), { headers: refusalHeaders(known) }));
}

/** A 405 names the methods the path has (RFC 9110: Allow). */
function refusalHeaders(known: DomainError | undefined): Record<string, string> {
  return known instanceof MethodNotAllowedError ? { allow: known.allow.join(", ") } : {};
}
