import { describe, expect, it } from "vitest";
import {
  billContract,
  Contract,
  contractEndsOnBoard,
  contractForMonth,
  contractPeriods,
  coversDay,
  mayReadContracts,
  NoContractForMonthError,
  PolishIban,
  requireContractForMonth,
  requireContractOnDay,
  VisitOutsideContractError,
  withContract,
  ContractOverlapError,
} from "../../functions/core/contract.js";
import { demoData } from "../../functions/core/demo-data.js";
import { messageFor } from "../../functions/core/errors.js";
import { newReport, reportProblems } from "../../functions/core/report.js";
import { seedProgrammes } from "../../functions/core/programme.js";

const declarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: true, voluntarySickness: false, ppk: false };
const krakow = (over: Partial<Record<string, unknown>> = {}) =>
  Contract.parse({ number: "AOU/2025/001", programmeId: "krakow-aou", from: "2025-01-01", to: "2027-12-31", bankAccount: "PL61 1090 1014 0000 0712 1981 2874", declarations, ...over });
const anna = { assistantId: "p-anna-nowak", programmeId: "krakow-aou" };

describe("Polish IBAN", () => {
  it.each([
    ["PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"],
    ["pl61109010140000071219812874", "PL61109010140000071219812874"],
    ["61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"],
    ["27114020040000300201355387", "PL27114020040000300201355387"],
  ])("accepts %s and stores %s", (input, stored) => {
    expect(PolishIban.parse(input)).toBe(stored);
  });

  it.each([
    ["PL61 1090 1014 0000 0712 1981 2875", "mod 97"], // one digit off: the checksum catches it
    ["PL62109010140000071219812874", "mod 97"],
    ["DE89370400440532013000", "PL"],
    ["1090 1014 0000 0712 1981 287", "26"],
    ["PL61-1090-1014", "26"],
  ])("refuses %s, saying why (%s)", (input, why) => {
    const result = PolishIban.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toContain(why);
  });
});

describe("Contract", () => {
  it("normalises the account and keeps the declarations payroll needs", () => {
    const contract = krakow();
    expect(contract.bankAccount).toBe("PL61109010140000071219812874");
    expect(contract.declarations).toEqual(declarations);
  });

  it.each([
    [{ to: "2024-12-31" }, "to"],
    [{ number: "AOU#1" }, "number"],
    [{ from: "2025-02-30" }, "from"],
    [{ declarations: { ...declarations, studentUnder26: true } }, "declarations.turns26On"],
    [{ declarations: { ...declarations, pesel: "90010112345" } }, "declarations"],
    [{ salary: 1 }, ""],
  ])("refuses %o naming the field %s", (over, field) => {
    const result = Contract.safeParse({ ...krakow(), ...over });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain(field);
  });

  it("accepts a student under 26 with the day they turn 26", () => {
    expect(krakow({ declarations: { ...declarations, studentUnder26: true, turns26On: "2027-03-14" } }).declarations.turns26On).toBe("2027-03-14");
  });
});

describe("a day covered by a contract", () => {
  it.each([
    ["2025-01-01", true],
    ["2026-11-15", true],
    ["2027-12-31", true], // Kraków contracts end on 2027-12-31, that day included
    ["2028-01-01", false],
    ["2024-12-31", false],
  ])("the Kraków contract covers %s: %s", (date, covered) => {
    expect(coversDay(krakow(), date)).toBe(covered);
  });

  it("lets an order or a report be for a month the contract only touches", () => {
    const late = krakow({ from: "2026-11-20", to: "2026-12-05" });
    expect(contractForMonth([late], "krakow-aou", "2026-11")).toBe(late);
    expect(contractForMonth([late], "krakow-aou", "2026-12")).toBe(late);
    expect(contractForMonth([late], "krakow-aou", "2027-01")).toBeUndefined();
    expect(contractForMonth([late], "wroclaw-ao", "2026-11")).toBeUndefined();
  });

  it("refuses an order of 2028-01 on a contract ending 2027-12-31, in Polish and English", () => {
    expect(() => requireContractForMonth([krakow()], anna, "2027-12")).not.toThrow();
    const error = (() => {
      try {
        requireContractForMonth([krakow()], anna, "2028-01");
      } catch (e) {
        return e;
      }
    })() as NoContractForMonthError;
    expect(error).toBeInstanceOf(NoContractForMonthError);
    expect(error.status).toBe(422);
    expect(messageFor(error, "pl")).toContain("2028-01");
    expect(messageFor(error, "pl")).toContain("01.01.2025–31.12.2027");
    expect(messageFor(error, "en")).toContain("no contract in programme krakow-aou covering 2028-01");
  });

  it("refuses a visit outside the contract naming the date and the contract's dates", () => {
    const short = krakow({ to: "2026-11-15" });
    expect(() => requireContractOnDay([short], anna, "2026-11-15")).not.toThrow();
    expect(() => requireContractOnDay([short], anna, "2026-11-16")).toThrow(VisitOutsideContractError);
    try {
      requireContractOnDay([short], anna, "2026-11-16", "v1");
    } catch (e) {
      expect(messageFor(e, "pl")).toMatch(/16\.11\.2026.*AOU\/2025\/001: 01\.01\.2025–15\.11\.2026/);
      expect(messageFor(e, "en")).toMatch(/16\.11\.2026.*AOU\/2025\/001: 01\.01\.2025–15\.11\.2026/);
    }
  });

  it("checks a report for submission against the contract: the month, then each visit's day", () => {
    const programme = seedProgrammes.find((p) => p.id === "krakow-aou")!;
    const report = { ...newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" }) };
    const visit = { id: "v1", date: "2026-11-20", start: "2026-11-20T15:00:00.000Z", end: "2026-11-20T16:00:00.000Z", mode: "in-person", scopeIds: [], description: "x" };
    const withVisit = { ...report, visits: [visit as never] };
    const ctx = (contracts: Contract[]) => ({ programme, otherVisits: [], now: "2026-12-01T10:00:00.000Z", order: { orderedMinutes: 600 }, contracts: contractPeriods(contracts, { roles: [] }) });
    const codes = (contracts: Contract[]) => reportProblems(withVisit, ctx(contracts)).map((p) => p.code);
    expect(codes([krakow()])).not.toContain("VISIT_OUTSIDE_CONTRACT");
    expect(codes([krakow({ to: "2026-11-15" })])).toContain("VISIT_OUTSIDE_CONTRACT");
    expect(codes([krakow({ to: "2026-10-31" })])).toContain("NO_CONTRACT_FOR_MONTH");
  });
});

describe("legacy contract fields (the migration rule)", () => {
  const legacy = { contractNumber: "AOU/2024/009", roles: [{ programmeId: "krakow-aou", role: "assistant" }, { programmeId: "wroclaw-ao", role: "assistant" }, { programmeId: "x", role: "coordinator" }] };

  it("counts a person's legacy contract number as an open-dated contract in each programme they assist in", () => {
    const periods = contractPeriods([], legacy);
    expect(periods).toEqual([
      { number: "AOU/2024/009", programmeId: "krakow-aou", legacy: true },
      { number: "AOU/2024/009", programmeId: "wroclaw-ao", legacy: true },
    ]);
    expect(() => requireContractForMonth(periods, anna, "2031-05")).not.toThrow();
  });

  it("stops counting it in a programme once a contract is recorded there", () => {
    const periods = contractPeriods([krakow()], legacy);
    expect(periods.filter((p) => p.programmeId === "krakow-aou")).toEqual([{ number: "AOU/2025/001", programmeId: "krakow-aou", from: "2025-01-01", to: "2027-12-31" }]);
    expect(() => requireContractForMonth(periods, anna, "2028-01")).toThrow(NoContractForMonthError);
    expect(periods.some((p) => p.programmeId === "wroclaw-ao" && p.legacy)).toBe(true);
  });

  it("gives a person with neither no contract at all", () => {
    expect(contractPeriods([], { roles: legacy.roles })).toEqual([]);
  });

  it("pays a month's bill to the recorded contract's account, else to the legacy one", () => {
    const person = { contractNumber: "OLD/1", bankAccount: "61109010140000071219812874" };
    expect(billContract(person, [krakow({ bankAccount: "27114020040000300201355387" })], "krakow-aou", "2026-11")).toEqual({ contractNumber: "AOU/2025/001", bankAccount: "PL27114020040000300201355387" });
    expect(billContract(person, [], "krakow-aou", "2026-11")).toEqual(person);
  });
});

describe("several contracts of one assistant", () => {
  it("keeps contracts of one programme from sharing a day", () => {
    const first = krakow({ number: "A/1", from: "2025-01-01", to: "2025-12-31" });
    const next = krakow({ number: "A/2", from: "2026-01-01", to: "2027-12-31" });
    expect(withContract([first], next).map((c) => c.number)).toEqual(["A/1", "A/2"]);
    expect(() => withContract([first], krakow({ number: "A/3", from: "2025-12-31", to: "2026-06-30" }))).toThrow(ContractOverlapError);
    // the same number is a change of that contract, not an overlap
    expect(withContract([first], krakow({ number: "A/1", to: "2026-03-31" }))[0]!.to).toBe("2026-03-31");
    // another programme's contract may run at the same time
    expect(withContract([first], krakow({ number: "W/1", programmeId: "wroclaw-ao" }))).toHaveLength(2);
  });
});

describe("the coordinator's board", () => {
  it.each([
    ["2027-12-31", "2027-12-01", "ending"],
    ["2027-12-31", "2027-11-30", "ending"],
    ["2027-12-31", "2027-11-29", undefined],
    ["2027-12-31", "2028-01-01", "ended"],
  ])("a contract ending %s on %s is %s", (to, today, state) => {
    expect(contractEndsOnBoard([{ to }], today)[0]?.state).toBe(state);
  });
});

describe("who reads contracts", () => {
  it.each([
    [{ id: "p-anna", roles: [] }, "krakow-aou", true],
    [{ id: "p-c", roles: [{ programmeId: "krakow-aou", role: "coordinator" }] }, "krakow-aou", true],
    [{ id: "p-f", roles: [{ programmeId: "krakow-aou", role: "finance" }] }, "krakow-aou", true],
    [{ id: "p-c", roles: [{ programmeId: "wroclaw-ao", role: "coordinator" }] }, "krakow-aou", false],
    [{ id: "p-ap", roles: [{ programmeId: "krakow-aou", role: "approver" }] }, "krakow-aou", false],
    [{ id: "p-piotr", roles: [{ programmeId: "krakow-aou", role: "assistant" }] }, "krakow-aou", false],
    [{ id: "p-centre", centreAdmin: true, roles: [] }, "krakow-aou", true],
  ])("%o reads p-anna's contracts of %s: %s", (reader, programmeId, may) => {
    expect(mayReadContracts(reader, "p-anna", programmeId)).toBe(may);
  });
});

describe("demo data", () => {
  it("gives every demo assistant a contract; Kraków's end on 2027-12-31", () => {
    const data = demoData("2026-11");
    const assistants = data.people.filter((p) => p.roles.some((r) => r.role === "assistant"));
    expect(data.contracts.map((c) => c.personId).sort()).toEqual(assistants.map((a) => a.id).sort());
    for (const { contract } of data.contracts.filter((c) => c.contract.programmeId === "krakow-aou")) expect(contract.to).toBe("2027-12-31");
    for (const { contract } of data.contracts) expect(PolishIban.safeParse(contract.bankAccount).success).toBe(true);
  });
});
