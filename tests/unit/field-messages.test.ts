import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ValidationError } from "../../functions/core/errors.js";
import { CreateReportInput, OrderInput, RoleGrant } from "../../functions/core/api-inputs.js";
import { Visit } from "../../functions/core/report.js";
import { Contract } from "../../functions/core/contract.js";
import { OverviewQuery } from "../../functions/core/overview.js";

/** The refusal a person reads for this input: both languages, and each field's issues. */
function refusal(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  expect(result.success, "the input is refused").toBe(false);
  return new ValidationError(result.error!, "body");
}

// Words of zod's own English messages ("Invalid input: expected string, received undefined", "Too small: expected string to have >=1 characters").
const zodEnglish = /Invalid input|expected string|received|Too (small|big)|to have|Unrecognized key|Invalid option/;

describe("field errors a person reads (issue 20, item 5)", () => {
  it.each([
    ["a blank justification", Visit, { id: "v1", date: "2026-11-05", start: "2026-11-05T15:00:00Z", end: "2026-11-05T16:00:00Z", scopeIds: ["a"], mode: "standard", justification: "  " }, "justification", "nie może być puste", "must not be empty"],
    ["a missing field", CreateReportInput, { programmeId: "krakow-aou", month: "2026-11" }, "beneficiaryCode", "pole jest wymagane", "this field is required"],
    ["a wrong type", OrderInput, { month: "2026-11", assistantId: "p-anna", beneficiaryCode: "KR-AOU-001", orderedMinutes: "360" }, "orderedMinutes", "zły typ: podaj liczbę", "wrong type: give a number"],
    ["a month in the wrong format", CreateReportInput, { programmeId: "krakow-aou", month: "11/2026", beneficiaryCode: "KR-AOU-001" }, "month", "oczekiwano RRRR-MM", "expected YYYY-MM"],
    ["an unknown role", RoleGrant, { programmeId: "krakow-aou", role: "boss" }, "role", "dozwolone wartości: „assistant”", "allowed values: \"assistant\"".replace(/"/g, "„").replace(/„$/, "”")],
    ["an unknown field", RoleGrant, { programmeId: "krakow-aou", role: "assistant", extra: 1 }, "(root)", "nieznane pola: „extra”", "unknown fields: „extra”"],
  ])("%s: the Polish text is Polish, the English English, naming the field", (_what, schema, input, field, pl, en) => {
    const error = refusal(schema as z.ZodType, input);
    expect(error.messages.pl).toContain(`${field}: ${pl}`);
    expect(error.messages.en).toContain(`${field}: ${en}`);
    expect(error.messages.pl).not.toMatch(zodEnglish);
    expect(error.messages.en).not.toMatch(zodEnglish);
  });

  it("splits a schema's own bilingual message (bilingual(pl, en)) into its two languages", () => {
    const error = refusal(Contract, { number: "AOU/2026/1", programmeId: "krakow-aou", from: "2026-12-01", to: "2026-11-30", bankAccount: "PL61109010140000071219812874", declarations: { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: true, voluntarySickness: false, ppk: false } });
    expect(error.messages.pl).toContain("to: koniec umowy nie może być przed jej początkiem");
    expect(error.messages.pl).not.toContain("the contract cannot end");
    expect(error.messages.en).toContain("to: the contract cannot end before it starts");
    expect(error.messages.en).not.toContain("koniec umowy");
  });

  it("gives the web app each field's text in both languages, with zod's code", () => {
    const error = refusal(OverviewQuery, { from: "2025-01", to: "2026-12" });
    expect(error.details).toEqual({ issues: [{ path: "to", code: "custom", message: "at most 12 months per request", messagePl: "najwyżej 12 miesięcy w jednym zapytaniu" }] });
  });
});
