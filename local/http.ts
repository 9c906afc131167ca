import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import type { LocalRoute } from "./template.js";
import type { LocalLambda } from "./lambda.js";
import { securityHeaders } from "../stacks/security-headers.js";
import { ORIGIN_VERIFY_HEADER } from "../functions/core/origin-verify.js";

const MAX_BODY = 6 * 1024 * 1024; // API Gateway's payload limit

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  params: string[];
  specificity: number;
}

function compile(route: LocalRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const greedy = segment.match(/^\{(.+)\+\}$/);
      if (greedy) {
        params.push(greedy[1]);
        return "(.+)";
      }
      const param = segment.match(/^\{(.+)\}$/);
      if (param) {
        params.push(param[1]);
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const literal = route.path.split("/").filter((s) => !s.startsWith("{")).length;
  // API Gateway: a full match, then a match with path variables, then a greedy {proxy+} match;
  // at the same path an explicit method before ANY.
  const greedy = /\{[^}]+\+\}$/.test(route.path);
  const specificity = (greedy ? 0 : 1000) + literal * 10 - params.length + (route.method === "ANY" ? 0 : 0.5);
  return { ...route, pattern: new RegExp(`^${source}$`), params, specificity };
}

/** The route API Gateway would pick for a request: the most specific path among those whose method (or ANY) fits. */
export function selectRoute(routes: LocalRoute[], method: string, rawPath: string): LocalRoute | undefined {
  return pick(routes.map(compile).sort(bySpecificity), method, rawPath);
}

const bySpecificity = (a: CompiledRoute, b: CompiledRoute) => b.specificity - a.specificity;

/** No HEAD-for-GET: API Gateway routes HEAD only to HEAD (or ANY) routes. */
function pick(sorted: CompiledRoute[], method: string, rawPath: string): CompiledRoute | undefined {
  return sorted.find((r) => r.pattern.test(rawPath) && (r.method === method || r.method === "ANY"));
}

/** A path segment decoded as API Gateway does; malformed percent-encoding stays as sent. */
function decodePart(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** What the local API hands the event builder: the request as Node received it. */
export interface RawRequest {
  method: string;
  /** The request target as sent: path and raw query string. */
  url: string;
  /** Node's headersDistinct: each header name (lower case) with every value it was sent with. */
  headers: Record<string, string[] | undefined>;
  body: Buffer;
}

/**
 * The API Gateway HTTP API event (payload format 2.0) for a request on a route: header names in
 * lower case and repeated headers joined with commas, cookies in `cookies`, rawQueryString as
 * sent, repeated query parameters joined with commas in queryStringParameters ("a,b"), path
 * parameters decoded, text bodies as text and others base64.
 */
export function apiGatewayEvent(route: LocalRoute & { params?: string[]; pattern?: RegExp }, request: RawRequest, requestId: string = crypto.randomUUID()) {
  const compiled = route.pattern && route.params ? (route as CompiledRoute) : compile(route);
  const question = request.url.indexOf("?");
  const rawPath = question < 0 ? request.url : request.url.slice(0, question);
  const rawQueryString = question < 0 ? "" : request.url.slice(question + 1);
  const match = rawPath.match(compiled.pattern);
  const pathParameters = Object.fromEntries(compiled.params.map((name, i) => [name, decodePart(match?.[i + 1] ?? "")]));
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headers)) {
    if (!values?.length) continue;
    if (name === "cookie") cookies.push(...values.flatMap((v) => v.split(/;\s*/)).filter(Boolean));
    else headers[name.toLowerCase()] = values.join(",");
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) query[name] = name in query ? `${query[name]},${value}` : value;
  // Like API Gateway: text types arrive as text, anything else base64 (the XLSX type's
  // "openxmlformats" is not XML text).
  const body = request.body;
  const textual = /^\s*(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded)\b)/i.test(headers["content-type"] ?? "") || body.length === 0;
  const method = request.method.toUpperCase();
  return {
    version: "2.0",
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString,
    cookies: cookies.length ? cookies : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: compiled.params.length ? pathParameters : undefined,
    requestContext: {
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
      requestId,
      routeKey: `${route.method} ${route.path}`,
      stage: "$default",
      timeEpoch: Date.now(),
    },
    body: body.length ? (textual ? body.toString("utf8") : body.toString("base64")) : undefined,
    isBase64Encoded: body.length > 0 && !textual,
  };
}

/**
 * The API Gateway (HTTP API, payload 2.0) of the local stack: routes from the template, the
 * same Lambda handlers, and the built web app for every other path.
 */
export class LocalHttpApi {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: LocalRoute[],
    private readonly lambda: LocalLambda,
    private readonly opts: {
      webDir: string;
      /** The origin-verify value CloudFront would add (local/runtime.ts `originVerify`; local and tests only). */
      originVerify?: string;
      extra?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
    },
  ) {
    this.routes = routes.map(compile).sort(bySpecificity);
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.dispatch(req, res).catch((error) => {
      console.error(`local http: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Internal Server Error" }));
    });
  };

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (this.opts.extra && (await this.opts.extra(req, res, url))) return;
    const method = (req.method ?? "GET").toUpperCase();
    const rawPath = (req.url ?? "/").split("?")[0];
    const route = pick(this.routes, method, rawPath);
    if (route) return this.invoke(route, req, res);
    if (this.routes.some((r) => r.pattern.test(rawPath)) || url.pathname.startsWith("/api/")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Not Found" }));
      return;
    }
    this.serveStatic(url.pathname, res, method);
  }

  private async invoke(route: CompiledRoute, req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "Request Entity Too Large" }));
        req.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    // As CloudFront does, the origin header replaces any value the client sent under that name.
    const headers = this.opts.originVerify ? { ...req.headersDistinct, [ORIGIN_VERIFY_HEADER]: [this.opts.originVerify] } : req.headersDistinct;
    const event = apiGatewayEvent(route, { method: req.method ?? "GET", url: req.url ?? "/", headers, body: Buffer.concat(chunks) });
    const result = (await this.lambda.invoke(route.functionArn, event)) as any;
    const response = typeof result === "object" && result && "statusCode" in result
      ? result
      : { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result) };
    const outHeaders: Record<string, string | string[]> = { ...(response.headers ?? {}) };
    if (response.cookies?.length) outHeaders["set-cookie"] = response.cookies;
    res.writeHead(response.statusCode, outHeaders);
    const payload = response.body === undefined ? "" : response.isBase64Encoded ? Buffer.from(response.body, "base64") : response.body;
    res.end(req.method === "HEAD" ? undefined : payload);
  }

  private serveStatic(pathname: string, res: ServerResponse, method: string) {
    const dir = this.opts.webDir;
    const safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, safe);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("Karta: the web app is not built yet (npm run build:web).");
      return;
    }
    const types: Record<string, string> = {
      ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
      ".png": "image/png", ".json": "application/json", ".ico": "image/x-icon", ".woff2": "font/woff2", ".webmanifest": "application/manifest+json",
    };
    const immutable = file.includes(`${join(dir, "assets")}`);
    res.writeHead(200, {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      // the same security headers as CloudFront's response headers policy (stacks/Web.ts)
      ...securityHeaders,
    });
    if (method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  }
}
