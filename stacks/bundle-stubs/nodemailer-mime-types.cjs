// Stands in for nodemailer/lib/mime-funcs/mime-types.js (a 76 KB table of every file type) in
// the Lambda bundles (stacks/bundling.ts). Karta gives every attachment its content type
// (functions/core/email/mime.ts), so nodemailer only looks a type up by name when one is
// missing; this answers the same API for the types Karta sends and nodemailer's defaults
// otherwise. tests/unit/bundle-stubs.test.ts compares it with the real table.
"use strict";
const path = require("path");

const byExtension = new Map([
  ["csv", "text/csv"],
  ["xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ["zip", "application/zip"],
  ["pdf", "application/pdf"],
  ["txt", "text/plain"],
  ["html", "text/html"],
  ["png", "image/png"],
]);
const byType = new Map([...byExtension].map(([extension, type]) => [type, extension]));

module.exports = {
  detectMimeType(filename) {
    if (!filename) return "application/octet-stream";
    const parsed = path.parse(filename);
    const extension = (parsed.ext.substr(1) || parsed.name || "").split("?").shift().trim().toLowerCase();
    return byExtension.get(extension) || "application/octet-stream";
  },
  detectExtension(mimeType) {
    if (!mimeType) return "bin";
    const parts = mimeType.toLowerCase().trim().split("/");
    const rootType = parts.shift().trim();
    const known = byType.get(`${rootType}/${parts.join("/").trim()}`);
    if (known) return known;
    return rootType === "text" ? "txt" : "bin";
  },
};
