import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthFor } from "../support/templates.js";
import { accessOf, actionsOf, kartaFunctions, type KartaFunction } from "./functions.js";
import { fileActions, stateMachineActions, tableActions } from "../../stacks/permissions.js";
import type { SynthResult } from "../../local/synth.js";

let synth: SynthResult;
let functions: KartaFunction[];

beforeAll(async () => {
  synth = await synthFor("prod");
  functions = kartaFunctions(synth, "prod");
}, 240_000);

interface Suppression {
  stack: string;
  resource: string;
  id: string;
  reason: string;
}

function suppressionsIn(result: SynthResult): Suppression[] {
  return Object.entries(result.templates).flatMap(([stack, template]) =>
    Object.entries(template.Resources).flatMap(([resource, r]) =>
      (((r.Metadata?.cdk_nag as any)?.rules_to_suppress ?? []) as { id: string; reason: string }[]).map((s) => ({
        stack,
        resource,
        id: s.id,
        reason: s.reason,
      })),
    ),
  );
}

const nagFindings = (level: "error" | "warning") =>
  synth.annotations.filter((a) => a.level === level && a.message.startsWith("AwsSolutions-"));
const suppressedFindings = () =>
  synth.annotations.filter((a) => a.level === "info" && a.message.includes("was triggered but suppressed"));

describe("cdk-nag AwsSolutions on the prod app", () => {
  it("ran over the prod assembly", () => {
    expect(synth.checked).toBe(true);
    // With logIgnores the pack records each suppressed finding, which proves it visited the stacks.
    expect(suppressedFindings().length).toBeGreaterThan(0);
  });

  it("leaves no unsuppressed error or warning", () => {
    const show = (list: typeof synth.annotations) => list.map((a) => `${a.path}: ${a.message.split("\n")[0]}`);
    expect(show(nagFindings("error"))).toEqual([]);
    expect(show(nagFindings("warning"))).toEqual([]);
  });

  it("gives every suppression a written reason", () => {
    const suppressions = suppressionsIn(synth);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) {
      expect(s.reason.length, `${s.stack}/${s.resource} ${s.id}`).toBeGreaterThanOrEqual(40);
      expect(s.id).toMatch(/^AwsSolutions-[A-Z]+[0-9]+$/);
    }
  });
});

describe("least privilege", () => {
  it("grants each function exactly the table actions it declares, on the table and its named indexes", () => {
    for (const fn of functions) {
      const access = accessOf(fn.handler);
      const expected =
        access.table === "none" ? [] : access.table === "read" ? [...tableActions.read] : [...tableActions.read, ...tableActions.write];
      expect(actionsOf(fn.statements, "dynamodb:"), fn.handler).toEqual(expected.sort());
      for (const statement of fn.statements.filter((s) => actionsOf([s], "dynamodb:").length)) {
        const resources = JSON.stringify(statement.Resource);
        expect(resources, fn.handler).not.toMatch(/index\/\*|"\*"/);
        expect(resources, fn.handler).toContain("DataTable");
      }
    }
  });

  it("uses the table key only through DynamoDB and the files key only through S3", () => {
    for (const fn of functions) {
      const onKey = (key: string) => fn.statements.filter((s) => actionsOf([s], "kms:").length && JSON.stringify(s.Resource).includes(key));
      expect(fn.statements.filter((s) => actionsOf([s], "kms:").length), fn.handler).toHaveLength(onKey("TableKey").length + onKey("FilesKey").length);
      for (const statement of onKey("TableKey")) {
        expect(statement.Condition, fn.handler).toEqual({ StringEquals: { "kms:ViaService": "dynamodb.eu-central-1.amazonaws.com" } });
      }
      for (const statement of onKey("FilesKey")) {
        expect(statement.Condition, fn.handler).toEqual({ StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } });
      }
      expect(onKey("TableKey").length > 0, fn.handler).toBe(accessOf(fn.handler).table !== "none");
      const files = [...(accessOf(fn.handler).files ?? []), ...(accessOf(fn.handler).archive ?? []), ...(accessOf(fn.handler).pages ?? [])];
      expect(actionsOf(onKey("FilesKey"), "kms:"), fn.handler).toEqual([...new Set(files.flatMap((a) => fileActions[a].kms))].sort());
    }
  });

  it("lets only assemble-batch write payment files (batches/*), only the page steps write page parts (pages/*) and only archive-month write audit packs (archive/*); each reads only what it needs", () => {
    const prefixes = ["batches", "archive", "pages"] as const;
    const writers: Record<string, string[]> = { batches: [], archive: [], pages: [] };
    const readers: Record<string, string[]> = { batches: [], archive: [], pages: [] };
    for (const fn of functions) {
      const access = accessOf(fn.handler);
      const declaredOn = { batches: access.files ?? [], archive: access.archive ?? [], pages: access.pages ?? [] };
      for (const prefix of prefixes) {
        const declared = declaredOn[prefix];
        const onPrefix = fn.statements.filter((s) => actionsOf([s], "s3:").length && JSON.stringify(s.Resource).includes(`/${prefix}/*`));
        expect(actionsOf(onPrefix, "s3:"), `${fn.handler} on ${prefix}/`).toEqual([...new Set(declared.flatMap((a) => fileActions[a].s3))].sort());
        for (const statement of onPrefix) expect(JSON.stringify(statement.Resource), fn.handler).toContain("Files");
        if (actionsOf(onPrefix, "s3:").includes("s3:PutObject")) writers[prefix].push(fn.handler);
        if (actionsOf(onPrefix, "s3:").includes("s3:GetObject")) readers[prefix].push(fn.handler);
      }
      // nothing on the bucket outside those prefixes
      const elsewhere = fn.statements.filter((s) => actionsOf([s], "s3:").length && !/\/(batches|archive|pages)\/\*/.test(JSON.stringify(s.Resource)));
      expect(elsewhere, fn.handler).toEqual([]);
    }
    expect(writers).toEqual({
      batches: ["functions/workflow/assemble-batch.handler"],
      archive: ["functions/workflow/archive-month.handler"],
      pages: ["functions/workflow/build-batch.handler", "functions/workflow/write-batch-page.handler"],
    });
    expect(readers.batches.sort()).toEqual(["functions/api/batch-file.handler", "functions/workflow/archive-month.handler", "functions/workflow/send-batch.handler"]);
    expect(readers.pages).toEqual(["functions/workflow/assemble-batch.handler"]);
    expect(readers.archive).toEqual([]);
  });

  it("grants state-machine actions only where declared, each on its own machine", () => {
    for (const fn of functions) {
      const access = accessOf(fn.handler);
      const expected = [...new Set([...(access.approval ?? []), ...(access.cycle ?? [])].flatMap((a) => stateMachineActions[a]))].sort();
      expect(actionsOf(fn.statements, "states:"), fn.handler).toEqual(expected);
      for (const [machine, declared] of [["ReportApproval", access.approval ?? []], ["MonthlyCycle", access.cycle ?? []]] as const) {
        const onMachine = fn.statements.filter((s) => actionsOf([s], "states:").length && JSON.stringify(s.Resource).includes(machine));
        expect(actionsOf(onMachine, "states:"), `${fn.handler} on ${machine}`).toEqual(
          [...new Set(declared.flatMap((a) => stateMachineActions[a]))].sort(),
        );
      }
    }
  });

  it("lets only e-mailing functions send, only from the identity and configuration set", () => {
    for (const fn of functions) {
      const ses = fn.statements.filter((s) => actionsOf([s], "ses:").length);
      expect(actionsOf(ses, "ses:"), fn.handler).toEqual(accessOf(fn.handler).sendEmail ? ["ses:GetAccount", "ses:SendEmail"] : []);
      // GetAccount (the send quota the sender paces to) names no resource, in a statement of its own
      const sending = ses.filter((s) => actionsOf([s], "ses:SendEmail").length);
      for (const statement of ses.filter((s) => !sending.includes(s))) expect([statement.Action].flat(), fn.handler).toEqual(["ses:GetAccount"]);
      for (const statement of sending) {
        const resources = JSON.stringify(statement.Resource);
        expect(resources).toContain(":identity/");
        expect(resources).toContain(":configuration-set/");
        expect(resources).not.toContain("identity/*");
      }
    }
  });

  it("reads the link secret only where declared", () => {
    for (const fn of functions) {
      const reads = JSON.stringify(fn.statements.filter((s) => actionsOf([s], "ssm:").length)).includes("LINK_SECRET");
      expect(reads, fn.handler).toBe(Boolean(accessOf(fn.handler).linkSecret));
    }
  });

  it("has no wildcard actions and no '*' resource except X-Ray's and SES GetAccount's", () => {
    for (const fn of functions) {
      for (const statement of fn.statements) {
        const actions = [statement.Action].flat();
        expect(actions.filter((a) => a.includes("*")), fn.handler).toEqual([]);
        if (statement.Resource === "*" || (Array.isArray(statement.Resource) && statement.Resource.includes("*"))) {
          expect(actions.every((a) => a.startsWith("xray:") || a === "ses:GetAccount"), `${fn.handler}: ${actions}`).toBe(true);
        }
      }
    }
  });
});

afterAll(() => {
  if (!synth) return;
  const suppressions = suppressionsIn(synth);
  const reasons = new Set(suppressions.map((s) => `${s.id} ${s.reason}`));
  console.log(
    `infra: ${Object.keys(synth.templates).length} stacks, ${nagFindings("error").length} nag errors, ` +
      `${nagFindings("warning").length} nag warnings, ${suppressedFindings().length} findings suppressed by ` +
      `${reasons.size} suppressions with written reasons (${new Set(suppressions.map((s) => s.id)).size} rules), ` +
      `${functions.length} functions checked for least privilege`,
  );
});
