import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatBankAccount } from "../../functions/core/exports/format.js";
import { safeCellText } from "../../functions/core/exports/safe-cell.js";

// The regular-expression versions the fast ones replaced (they run for every batch line): the oracle.
function formatBankAccountByRegex(account: string): string {
  const compact = account.replace(/[\s-]/g, "").toUpperCase();
  const match = /^(PL)?(\d{26})$/.exec(compact);
  if (!match) return account.trim();
  const groups = [match[2].slice(0, 2), ...match[2].slice(2).match(/\d{4}/g)!];
  return `${match[1] ?? ""}${groups.join(" ")}`;
}
const FORMULA_START = /^[\s\u00a0\u2000-\u200b\u3000\ufeff]*[=+\-@\t\r＝＋－＠]/u;
const safeCellTextByRegex = (raw: string) => {
  const value = raw.replace(/[\n\v\f\r\u0085\u2028\u2029]+/gu, " ");
  return FORMULA_START.test(value) ? `'${value}` : value;
};

const digits = (n: number) => fc.array(fc.constantFrom(..."0123456789"), { minLength: n, maxLength: n }).map((d) => d.join(""));
const noise = fc.constantFrom("", " ", "-", "\u00a0", "\t", "x", "PL", "pl", "ą", "1");

describe("bank account formatting", () => {
  it("groups an NRB and an IBAN, and leaves other text alone", () => {
    expect(formatBankAccount("61109010140000071219812874")).toBe("61 1090 1014 0000 0712 1981 2874");
    expect(formatBankAccount("pl61 1090-1014 0000 0712 1981 2874")).toBe("PL61 1090 1014 0000 0712 1981 2874");
    expect(formatBankAccount(" brak rachunku ")).toBe("brak rachunku");
    expect(formatBankAccount("")).toBe("");
  });

  it("agrees with the regular-expression version on generated accounts with spaces, dashes and junk", () => {
    const account = fc.tuple(noise, digits(26), noise, fc.integer({ min: 0, max: 26 })).map(([a, d, b, at]) => `${a}${d.slice(0, at)}${b}${d.slice(at)}`);
    fc.assert(fc.property(fc.oneof(account, fc.string(), digits(26), digits(25)), (value) => formatBankAccount(value) === formatBankAccountByRegex(value)), { numRuns: 5000 });
  });
});

describe("formula neutralising", () => {
  it("agrees with the regular expression on any text, including formula starts after spaces", () => {
    const risky = fc.tuple(fc.constantFrom("", " ", "\u3000", "\ufeff", "\u00a0"), fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", "\u2028", "＝", "a", "Z", "0", "ż"), fc.string()).map((p) => p.join(""));
    fc.assert(fc.property(fc.oneof(risky, fc.string(), fc.string({ unit: "grapheme" })), (value) => safeCellText(value) === safeCellTextByRegex(value)), { numRuns: 5000 });
  });
});
