import { ZodError, type ZodType, type z } from "zod";
import { languageOf } from "../../core/auth.js";
import { DomainError, messageFor, PathParameterTooLongError, ValidationError, type Lang } from "../../core/errors.js";
import { JsonExpectedError, MalformedJsonError, MAX_BODY_BYTES, PayloadTooLargeError, PreconditionFailedError } from "../../core/http-errors.js";
import { messagePage, pageTitles } from "../../core/approval-page.js";
import { clock } from "../../adapters/clock.js";

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
  requestContext?: { http?: { method?: string } };
}

/**
 * The longest path parameter a route reads. Karta's ids are far shorter (report ids 25 characters,
 * batch ids like krakow-aou-2026-11-p01, contract numbers, beneficiary codes); a longer one is a
 * client's junk and must not reach DynamoDB, whose keys are capped at 2,048 / 1,024 bytes.
 */
export const MAX_PATH_PARAMETER_CHARS = 200;

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

  query(name: string): string | undefined {
    return this.event.queryStringParameters?.[name] || undefined;
  }

  /** The query string parsed with a schema (400 with the fields to fix). */
  queryAs<S extends ZodType>(schema: S): z.infer<S> {
    return parseWith(schema, this.event.queryStringParameters ?? {}, "query");
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
      value = JSON.parse(text);
    } catch {
      throw new MalformedJsonError();
    }
    return parseWith(schema, value, "body");
  }

  /** An application/x-www-form-urlencoded body (the approval page's form). */
  form(): Record<string, string> {
    return Object.fromEntries(new URLSearchParams(this.rawBody()));
  }

  /** Refuses a change when the client sent If-Match with a revision other than the current one. */
  checkRevision(rev: number): void {
    const expected = this.header("if-match")?.replace(/^W\//, "").replace(/"/g, "").trim();
    if (expected && expected !== "*" && expected !== String(rev)) throw new PreconditionFailedError(expected, rev);
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

function unexpected(error: unknown, event: HttpEvent): void {
  console.error(JSON.stringify({ level: "error", message: "unhandled error", path: event.rawPath, error: (error as Error)?.stack ?? String(error) }));
}

type Route = (req: HttpRequest) => Promise<HttpResult>;

/** Runs a route; a thrown error becomes `refusal(known, error, lang)` (known = a DomainError), bugs are logged. */
function guarded(route: Route, refusal: (known: DomainError | undefined, error: unknown, lang: Lang) => HttpResult) {
  return async (event: HttpEvent): Promise<HttpResult> => {
    let lang: Lang = "pl";
    try {
      const req = new HttpRequest(event);
      lang = req.lang;
      req.checkPathParameters();
      return await route(req);
    } catch (error) {
      const known = asDomainError(error);
      if (!known) unexpected(error, event);
      return refusal(known, error, lang);
    }
  };
}

/** A JSON route: DomainError → `{ error: { code, message } }` with its status, in the request's language; bugs → 500. */
export function api(route: Route) {
  return guarded(route, (known, error, lang) =>
    known
      ? json(known.status, { error: { code: known.code, message: messageFor(known, lang), ...(known.details ? { details: known.details } : {}) } })
      : json(500, { error: { code: "INTERNAL", message: messageFor(error, lang) } }),
  );
}

/** A page route (links opened in a browser): errors are a clear HTML page with the same status. */
export function page(route: Route) {
  return guarded(route, (known, error, lang) => html(known?.status ?? 500, messagePage(lang, pageTitles.refused[lang], messageFor(known ?? error, lang))));
}
