/**
 * Security headers of the web app, one definition for CloudFront (stacks/Web.ts, a response
 * headers policy on the app's default behaviour) and the local stack's static server
 * (local/http.ts), so the local app is served as the deployed one.
 *
 * The CSP fits the built app (web/): one module script and one stylesheet from the same origin,
 * no inline script or <style> (React's `style={{…}}` sets properties through the CSSOM, which
 * style-src does not restrict), the icon as a data: URI, fetch only to the same origin (/api,
 * /local, /approve go through the same distribution or the same local server), a service worker
 * from /sw.js. Presigned downloads are navigations (location.assign), not fetches.
 * No upgrade-insecure-requests: the local stack is plain HTTP on 127.0.0.1.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Two years, subdomains included (browsers ignore it over plain HTTP, i.e. locally). */
export const hstsSeconds = 63_072_000;

export const referrerPolicy = "strict-origin-when-cross-origin";

/** The same headers as plain HTTP header names and values (the local static server). */
export const securityHeaders: Record<string, string> = {
  "content-security-policy": contentSecurityPolicy,
  "strict-transport-security": `max-age=${hstsSeconds}; includeSubDomains`,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": referrerPolicy,
};
