import { MethodNotAllowedError, NoRouteError } from "../core/http-errors.js";
import { allowedMethods } from "./lib/routes.js";
import { api, page, type HttpEvent } from "./lib/http.js";
import type { LambdaContext } from "../adapters/observability.js";

const refuse = async (req: { event: HttpEvent; method: string }) => {
  const path = req.event.rawPath ?? "/";
  const allow = allowedMethods(path);
  throw allow.length ? new MethodNotAllowedError(req.method, allow) : new NoRouteError(path.slice(0, 200));
};
const asJson = api(refuse);
const asPage = page(refuse);

/**
 * ANY /api/{proxy+} and ANY /approve/{proxy+} — what no route of functions/api/lib/routes.ts takes:
 * 405 with Allow when the path has other methods, else 404. Approval links are opened in a
 * browser, so under /approve/ the answer is a page; under /api/ the usual JSON error.
 */
export const handler = (event: HttpEvent, context?: LambdaContext) => ((event.rawPath ?? "").startsWith("/approve/") ? asPage(event, context) : asJson(event, context));
