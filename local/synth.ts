import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { withLock } from "./lock.js";

export interface Template {
  Resources: Record<string, { Type: string; Properties?: any; Metadata?: Record<string, unknown>; DependsOn?: unknown }>;
  Outputs?: Record<string, unknown>;
}

export interface SynthResult {
  stage: string;
  outDir: string;
  /** Stack name → CloudFormation template. */
  templates: Record<string, Template>;
  /** Asset directory of each function bundle (from the cloud assembly). */
  assets: Record<string, string>;
  /** Errors, warnings and infos recorded on constructs at synth (cdk-nag findings among them). */
  annotations: Annotation[];
  /** Whether the cdk-nag AwsSolutions pack ran over this assembly. */
  checked: boolean;
  fromCache: boolean;
}

export interface Annotation {
  stack: string;
  path: string;
  level: "error" | "warning" | "info";
  message: string;
}

const root = resolve(import.meta.dirname, "..");
const inputs = ["sst.config.ts", "stacks", "functions", "package.json", "web/src", "web/index.html"];

/** Stage settings are inputs too: the KARTA_* variables and the .env files SST loads for the stage. */
function hashTree(stage: string): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(Object.entries(process.env).filter(([name]) => name.startsWith("KARTA_")).sort()));
  for (const file of [".env", ".env.local", `.env.${stage}`, `.env.${stage}.local`]) if (existsSync(join(root, file))) hash.update(readFileSync(join(root, file)));
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else {
      hash.update(relative(root, path));
      hash.update(readFileSync(path));
    }
  };
  for (const input of inputs) walk(join(root, input));
  return hash.digest("hex").slice(0, 16);
}

/**
 * Synthesises the SST stacks offline, in this process, exactly as `sst deploy` would build
 * them (functions bundled by SST's esbuild pipeline), and returns the templates. The result is
 * cached under .sst/synth/<stage> by a hash of the sources, so a second start is instant.
 */
export async function synthesise(opts: { stage: string; region?: string; outDir?: string; force?: boolean; settings?: Record<string, string> }): Promise<SynthResult> {
  // SST builds every function into the shared .sst/artifacts: one synth at a time per checkout,
  // across processes (parallel test files, a running `npm start`, the benchmark).
  return withLock(join(root, ".sst", "synth.lock"), async () => {
    // `settings` (e.g. local/trial-settings.ts) stand in for .env.<stage> during this synthesis only.
    const previous = Object.fromEntries(Object.keys(opts.settings ?? {}).map((name) => [name, process.env[name]]));
    Object.assign(process.env, opts.settings ?? {});
    try {
      return await synthesiseLocked(opts);
    } finally {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
}

async function synthesiseLocked(opts: { stage: string; region?: string; outDir?: string; force?: boolean }): Promise<SynthResult> {
  // Another region (us-east-1: the stage's edge stack, sst.config.ts) synthesises into its own folder.
  const outDir = opts.outDir ?? join(root, ".sst", "synth", opts.region ? `${opts.stage}-${opts.region}` : opts.stage);
  const stamp = join(outDir, "karta-source-hash");
  // cdk-nag (AwsSolutions) runs on every deployable stage; the local stage skips it to start fast.
  const checked = opts.stage !== "local";
  const sourceHash = hashTree(opts.stage);
  if (!opts.force && existsSync(stamp) && readFileSync(stamp, "utf8") === sourceHash) {
    return { ...readAssembly(outDir), stage: opts.stage, outDir, checked, fromCache: true };
  }

  // CDK never empties its output directory: without this, bundles of earlier syntheses pile up.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  process.env.SST_TELEMETRY_DISABLED = "1";
  // NODE_ENV=test makes SST skip the deferred steps that need an AWS account (bootstrap lookups).
  const previousNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "test";
  const cwd = process.cwd();
  process.chdir(root);
  let restoreBundling = () => {};
  try {
    const { initProject, useProject } = await import("sst/project.js");
    await initProject({ stage: opts.stage, root });
    const project = useProject();
    const { App } = await import("sst/constructs/App.js");
    const app = new App(
      {
        mode: "deploy",
        stage: opts.stage,
        name: project.config.name,
        region: opts.region ?? project.config.region,
        account: "000000000000",
      } as any,
      { outdir: outDir },
    );
    // Restored afterwards: SST's handler registry is process-wide, and a later synth of a
    // deployable stage in the same process (tests, the benchmark) must bundle for real.
    if (!checked) restoreBundling = await skipBundling();
    // initProject loads the config shallowly (without stacks); the stacks come from the config itself.
    const config = (await import(join(root, "sst.config.ts"))).default;
    await config.stacks(app);
    await app.finish();
    if (checked) {
      const { Aspects } = await import("aws-cdk-lib");
      const { AwsSolutionsChecks } = await import("cdk-nag");
      Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true, reports: false, logIgnores: true }));
    }
    app.synth();
  } finally {
    restoreBundling();
    process.chdir(cwd);
    if (previousNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previousNodeEnv;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(stamp, sourceHash);
  return { ...readAssembly(outDir), stage: opts.stage, outDir, checked, fromCache: false };
}

/**
 * The local stage runs handlers from source (template metadata "karta:handler"), so its synth
 * skips SST's esbuild bundling (and the npm install SST runs in every bundle) and points each
 * function at one empty placeholder. Deployable stages are always bundled for real.
 */
async function skipBundling(): Promise<() => void> {
  const { useRuntimeHandlers } = await import("sst/runtime/handlers.js");
  const { useFunctions } = await import("sst/constructs/Function.js");
  const placeholder = join(root, ".sst", "synth", "local-placeholder");
  mkdirSync(placeholder, { recursive: true });
  writeFileSync(join(placeholder, "README"), "Local stage: functions run from source; see local/synth.ts.\n");
  const handlers = useRuntimeHandlers() as { build: (id: string, mode: string) => Promise<unknown> };
  const build = handlers.build;
  handlers.build = async (functionID: string) => {
    const fn = useFunctions().fromID(functionID) as { handler?: string } | undefined;
    return { type: "success", out: placeholder, handler: fn?.handler ?? "index.handler" };
  };
  return () => {
    handlers.build = build;
  };
}

const levels = { "aws:cdk:error": "error", "aws:cdk:warning": "warning", "aws:cdk:info": "info" } as const;

function readAssembly(outDir: string): Pick<SynthResult, "templates" | "assets" | "annotations"> {
  const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8"));
  const templates: Record<string, Template> = {};
  const assets: Record<string, string> = {};
  const annotations: Annotation[] = [];
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === "aws:cloudformation:stack") {
      templates[name] = JSON.parse(readFileSync(join(outDir, artifact.properties.templateFile), "utf8"));
      for (const [path, entries] of Object.entries<any[]>(artifact.metadata ?? {})) {
        for (const entry of entries) {
          const level = levels[entry.type as keyof typeof levels];
          if (level) annotations.push({ stack: name, path, level, message: String(entry.data) });
        }
      }
    }
    if (artifact.type === "cdk:asset-manifest") {
      const assetManifest = JSON.parse(readFileSync(join(outDir, artifact.properties.file), "utf8"));
      for (const [id, file] of Object.entries<any>(assetManifest.files ?? {})) {
        if (file.source?.packaging === "zip" || file.source?.path) assets[id] = resolve(outDir, file.source.path);
      }
    }
  }
  return { templates, assets, annotations };
}
