import { describe, expect, it } from "vitest";
import { ForbiddenError, isApproverOf, languageOf, requireOwner, requireReader, requireRole } from "../../functions/core/auth.js";
import { seedProgramme } from "../../functions/core/programme.js";

const anna = { id: "p-anna", roles: [{ programmeId: "krakow-aou", role: "assistant" as const }] };
const piotr = { id: "p-piotr", roles: [{ programmeId: "krakow-aou", role: "assistant" as const }] };
const krakowApprover = { id: "p-krakow-approver", roles: [{ programmeId: "krakow-aou", role: "approver" as const }] };
const wroclawApprover = { id: "p-wroclaw-approver", roles: [{ programmeId: "wroclaw-ao", role: "approver" as const }] };
const annasReport = { assistantId: "p-anna", programmeId: "krakow-aou" };

describe("roles and ownership", () => {
  it("lets an assistant change only their own reports", () => {
    expect(() => requireOwner(anna, annasReport)).not.toThrow();
    expect(() => requireOwner(piotr, annasReport)).toThrow(ForbiddenError);
    expect(() => requireOwner(krakowApprover, annasReport)).toThrow(ForbiddenError);
  });

  it("lets staff of the programme read, and nobody else", () => {
    expect(() => requireReader(krakowApprover, annasReport)).not.toThrow();
    expect(() => requireReader(wroclawApprover, annasReport)).toThrow(ForbiddenError);
    expect(() => requireReader(piotr, annasReport)).toThrow(ForbiddenError);
  });

  it("makes approvers only of the programmes that name them", () => {
    const krakow = seedProgramme("krakow-aou")!;
    expect(isApproverOf(krakowApprover, krakow)).toBe(true);
    expect(isApproverOf(wroclawApprover, krakow)).toBe(false);
    expect(isApproverOf({ id: "p-krakow-approver", roles: anna.roles }, krakow)).toBe(false);
    expect(() => requireRole(anna, "approver")).toThrow(ForbiddenError);
  });
});

describe("the request's language", () => {
  it.each([
    [undefined, "pl"],
    ["en", "en"],
    ["en-GB,en;q=0.9", "en"],
    ["pl-PL,pl;q=0.9,en;q=0.8", "pl"],
    ["de-DE,en;q=0.5", "en"],
    ["en;q=0.2,pl;q=0.8", "pl"],
    ["fr", "pl"],
  ])("reads %s as %s", (header, lang) => {
    expect(languageOf(header)).toBe(lang);
  });
});
