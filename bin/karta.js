#!/usr/bin/env node
// The `karta` command: runs the TypeScript CLI through tsx so that the same sources serve
// the local stack, the CLI and the Lambda bundles.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/esm");
const child = spawn(
  process.execPath,
  ["--import", tsx, "--no-warnings=ExperimentalWarning", join(root, "local/cli/main.ts"), ...process.argv.slice(2)],
  {
    stdio: "inherit",
    // Node 20 runs the local stack; Lambda runs nodejs22.x, so the SDK's Node-version notice is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
