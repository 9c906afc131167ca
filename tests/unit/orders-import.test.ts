import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { demoData } from "../../functions/core/demo-data.js";
import { OrdersImportError } from "../../functions/core/errors.js";
import { importOrdersFile, parseHours, type OrdersImportContext } from "../../functions/core/orders-import.js";

function context(over: Partial<OrdersImportContext> = {}): OrdersImportContext {
  const data = demoData("2026-11");
  return {
    programme: data.programmes.find((p) => p.id === "krakow-aou")!,
    month: "2026-11",
    assistants: data.people,
    beneficiaries: data.beneficiaries,
    existingOrders: [],
    issuedBy: "p-krakow-coordinator",
    now: "2026-11-02T08:00:00.000Z",
    ...over,
  };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

async function refusal(promise: Promise<unknown>): Promise<OrdersImportError> {
  try {
    await promise;
  } catch (error) {
    return error as OrdersImportError;
  }
  throw new Error("expected the import to be refused");
}

describe("orders import", () => {
  it("imports a Polish semicolon CSV with a BOM and decimal commas", async () => {
    const csv = "\uFEFFe-mail asystenta;kod uczestnika;godziny\r\nAnna.Nowak@asystent.example.pl;KR-AOU-001;6\r\nanna.nowak@asystent.example.pl;kr-aou-002;6,5\r\npiotr.kowalski@asystent.example.pl;KR-AOU-007;1:30\r\n";
    const orders = await importOrdersFile("zlecenia.csv", utf8(csv), context());
    expect(orders.map((o) => [o.assistantId, o.beneficiaryCode, o.orderedMinutes])).toEqual([
      ["p-anna-nowak", "KR-AOU-001", 360],
      ["p-anna-nowak", "KR-AOU-002", 390],
      ["p-piotr-kowalski", "KR-AOU-007", 90],
    ]);
    expect(orders[0]).toMatchObject({ programmeId: "krakow-aou", month: "2026-11", issuedBy: "p-krakow-coordinator", issuedAt: "2026-11-02T08:00:00.000Z" });
  });

  it("imports an English comma CSV without a BOM", async () => {
    const csv = 'assistant e-mail,beneficiary code,hours\nanna.nowak@asystent.example.pl,KR-AOU-003,"4,25"\n';
    const orders = await importOrdersFile("orders.csv", utf8(csv), context());
    expect(orders).toHaveLength(1);
    expect(orders[0].orderedMinutes).toBe(255);
  });

  it("imports an XLSX sheet (numbers, hyperlinked e-mails)", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Zlecenia");
    sheet.addRow(["E-mail asystenta", "Kod uczestnika", "Godziny"]);
    sheet.addRow([{ text: "maria.wisniewska@asystent.example.pl", hyperlink: "mailto:maria.wisniewska@asystent.example.pl" }, "KR-AOU-013", 6]);
    sheet.addRow(["maria.wisniewska@asystent.example.pl", "KR-AOU-014", 7.5]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const orders = await importOrdersFile("zlecenia.xlsx", bytes, context());
    expect(orders.map((o) => [o.assistantId, o.beneficiaryCode, o.orderedMinutes])).toEqual([
      ["p-maria-wisniewska", "KR-AOU-013", 360],
      ["p-maria-wisniewska", "KR-AOU-014", 450],
    ]);
  });

  it("refuses a malformed file as a whole, with every bad row numbered", async () => {
    const csv = [
      "e-mail asystenta;kod uczestnika;godziny",
      "anna.nowak@asystent.example.pl;KR-AOU-001;6", // row 2: fine
      "nobody@example.pl;KR-AOU-002;6", // row 3: unknown assistant
      "anna.nowak@asystent.example.pl;XX-999;6", // row 4: unknown beneficiary
      "anna.nowak@asystent.example.pl;KR-AOU-003;sześć", // row 5: bad hours
      "anna.nowak@asystent.example.pl;KR-AOU-001;2", // row 6: duplicate of row 2
      "anna.nowak@asystent.example.pl;KR-AOU-004;0", // row 7: zero hours
      "koordynator@mops-krakow.example.pl;KR-AOU-005;6", // row 8: not an assistant
    ].join("\n");
    const error = await refusal(importOrdersFile("zlecenia.csv", utf8(csv), context()));
    expect(error).toBeInstanceOf(OrdersImportError);
    const rows = (error.details as { rows: { row: number }[] }).rows.map((r) => r.row);
    expect(rows).toEqual([3, 4, 5, 6, 7, 8]);
    expect(error.messages.pl).toContain("wiersz 4: nieznany kod uczestnika „XX-999”");
    expect(error.messages.en).toContain("row 6: repeats the order of row 2");
    expect(error.messages.pl).toContain("nic nie zapisano");
  });

  it("refuses a 7th beneficiary for an assistant, counting orders already stored", async () => {
    const existing = (await importOrdersFile("a.csv", utf8("email;kod;godziny\n" + [1, 2, 3, 4, 5].map((n) => `anna.nowak@asystent.example.pl;KR-AOU-00${n};6`).join("\n")), context()));
    const csv = "email;kod;godziny\nanna.nowak@asystent.example.pl;KR-AOU-006;6\nanna.nowak@asystent.example.pl;KR-AOU-007;6\n";
    const error = await refusal(importOrdersFile("b.csv", utf8(csv), context({ existingOrders: existing })));
    expect((error.details as { rows: { row: number }[] }).rows.map((r) => r.row)).toEqual([3]);
    expect(error.messages.en).toContain("more than 6 beneficiaries");
  });

  it("refuses a file without the required columns", async () => {
    const error = await refusal(importOrdersFile("x.csv", utf8("imię;nazwisko\nAnna;Nowak\n"), context()));
    expect(error.messages.pl).toContain("wiersz 1: brak kolumn");
  });

  it("refuses an empty file and a file that is not UTF-8", async () => {
    expect((await refusal(importOrdersFile("x.csv", utf8(""), context()))).messages.en).toContain("row 1");
    const latin2 = new Uint8Array([0x6b, 0x6f, 0x64, 0xb3, 0x0a]);
    expect((await refusal(importOrdersFile("x.csv", latin2, context()))).messages.pl).toContain("UTF-8");
  });

  it.each([
    ["6", 360],
    ["6,5", 390],
    ["6.25", 375],
    ["1:20", 80],
    ["0", undefined],
    ["-1", undefined],
    ["1,333", undefined],
    ["745", undefined],
    ["abc", undefined],
  ])("reads hours %s as %s minutes", (text, minutes) => {
    expect(parseHours(text)).toBe(minutes);
  });
});
