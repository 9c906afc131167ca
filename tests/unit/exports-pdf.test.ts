import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  amountInWords,
  writeBillPdf,
  writeReportCardPdf,
  type BatchHeader,
  type BatchLine,
  type ReportCard,
} from "../../functions/core/exports/index.js";
import { krakowBatch, reportCard, signaturePng } from "../fixtures/exports/batch.js";

async function render(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = buffer(out);
  bytes.catch(() => undefined); // a failing write rejects it too; the write's own error is what the test sees
  await write(out);
  return bytes;
}

async function textOf(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    // table cells wrap, so compare with whitespace runs collapsed
    return (await parser.getText()).text.replace(/\s+/g, " ");
  } finally {
    await parser.destroy();
  }
}

const bill = (line: BatchLine, header: BatchHeader) => render((out) => writeBillPdf(line, header, out));
const card = (c: ReportCard) => render((out) => writeReportCardPdf(c, out));

describe("amount in Polish words", () => {
  it.each([
    [0, "zero złotych 00/100"],
    [100, "jeden złoty 00/100"],
    [205, "dwa złote 05/100"],
    [1_200, "dwanaście złotych 00/100"],
    [2_200, "dwadzieścia dwa złote 00/100"],
    [11_199, "sto jedenaście złotych 99/100"],
    [57_600, "pięćset siedemdziesiąt sześć złotych 00/100"],
    [100_000, "tysiąc złotych 00/100"],
    [345_600, "trzy tysiące czterysta pięćdziesiąt sześć złotych 00/100"],
    [1_382_400, "trzynaście tysięcy osiemset dwadzieścia cztery złote 00/100"],
    [2_200_000, "dwadzieścia dwa tysiące złotych 00/100"],
    [50_000_001, "pięćset tysięcy złotych 01/100"],
    [123_456_789_01, "sto dwadzieścia trzy miliony czterysta pięćdziesiąt sześć tysięcy siedemset osiemdziesiąt dziewięć złotych 01/100"],
  ])("writes %i grosze as %s", (grosze, words) => {
    expect(amountInWords(grosze)).toBe(words);
  });
});

describe("PDF bill", () => {
  it("renders Polish letters, the contract, the amount in figures and in words", async () => {
    const { header, lines } = krakowBatch();
    const line = { ...lines[0], assistantName: "Łódź żółć ĄĘŚ Ćma Ńę Źdźbło" };

    const text = await textOf(await bill(line, header));

    expect(text).toContain("Rachunek do umowy zlecenia nr AOU/1/2026 za miesiąc");
    expect(text).toContain("listopad 2026");
    expect(text).toContain("Łódź żółć ĄĘŚ Ćma Ńę Źdźbło");
    expect(text).toContain("61 1090 1014 0000 0712 1981 2800");
    expect(text).toContain("3 456,00 zł");
    expect(text).toContain("96,00 zł");
    expect(text).toContain("36:00");
    expect(text).toContain("trzy tysiące czterysta pięćdziesiąt sześć złotych 00/100");
    expect(text).toContain("podpis zleceniobiorcy");
  });

  it("is byte-for-byte the same when rendered twice (no clock inside)", async () => {
    const { header, lines } = krakowBatch();

    const [first, second] = [await bill(lines[1], header), await bill(lines[1], header)];

    expect(first.subarray(0, 5).toString()).toBe("%PDF-");
    expect(first.equals(second)).toBe(true);
  });
});

describe("PDF monthly report card", () => {
  it("lists every visit with date, scope, start, end and mode, the totals and the approval", async () => {
    const c = reportCard({ programmeName: "Kraków AOU", beneficiaryCode: "AOU-42", beneficiaryInitials: "Ż.Ł." });
    c.visits[0] = { ...c.visits[0], date: "2026-11-07", start: "22:30", end: "01:15", endDate: "2026-11-08", minutes: 165 };
    c.visits[1] = { ...c.visits[1], mode: "zdalnie", justification: "uczestnik w szpitalu", note: "Łódź żółć ĄĘŚ" };
    c.totalMinutes = c.visits.reduce((s, v) => s + v.minutes, 0);
    c.amountGrosze = Math.round((c.totalMinutes * 9600) / 60);
    c.rateLines = [{ rateGrosze: 9600, minutes: c.totalMinutes, amountGrosze: c.amountGrosze }];

    const text = await textOf(await card(c));

    expect(text).toContain("Sprawozdanie miesięczne z realizacji usług");
    expect(text).toContain("AOU-42 (Ż.Ł.)");
    for (const heading of ["Data", "Zakres usługi", "Początek", "Koniec", "Forma"]) expect(text).toContain(heading);
    expect(text).toMatch(/2026-11-07\s+22:30\s+01:15\s+2026-11-08/);
    expect(text).toContain("edukacja i kwalifikacje; sprawy urzędowe");
    expect(text).toContain("zdalnie");
    expect(text).toContain("uczestnik w szpitalu");
    expect(text).toContain("Łódź żółć ĄĘŚ");
    expect(text).toContain(`Liczba wizyt ${c.visits.length}`);
    expect(text).toContain("7:45 h (7,75 h)");
    expect(text).toContain("744,00 zł");
    expect(text).toContain("siedemset czterdzieści cztery złote 00/100");
    expect(text).toContain("Ewa Żak, 2026-12-04 11:15 (czas warszawski)");
    expect(text).toContain("3f".repeat(20));
    expect(text).toContain("Podpis: asystent");
    expect(text).toContain("Podpis: uczestnik");
  });

  it("keeps every letter searchable after an earlier document drew composite letters (Ć, Ź)", async () => {
    const { header, lines } = krakowBatch();
    await bill({ ...lines[0], assistantName: "Ćma Źdźbło Ńę Ąę" }, header);

    const text = await textOf(await card(reportCard()));

    expect(text).toContain("Czas Zakres usługi");
  });

  it("embeds both signature images", async () => {
    const pdf = await card(reportCard());

    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const images = await parser.getImage({ imageThreshold: 1 });
    await parser.destroy();

    expect(images.pages.flatMap((p) => p.images)).toHaveLength(2);
  });

  it("is byte-for-byte the same however many cards render at once, with transparent signature pads", async () => {
    // a signature pad's canvas: black strokes on transparent pixels (RGBA), as the phone sends it
    const pad = (width: number, height: number, slope = 1) => {
      const png = new PNG({ width, height });
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const ink = Math.abs(y - Math.round(((x * slope) / width) * height) % height) < 3;
          png.data.set(ink ? [20, 20, 60, 255] : [0, 0, 0, 0], i);
        }
      }
      return PNG.sync.write(png);
    };
    const c = reportCard();
    c.signatures[0].imagePng = pad(400, 150);
    c.signatures[1].imagePng = pad(400, 150, 2);
    const renders = await Promise.all(Array.from({ length: 24 }, () => card(c)));

    for (const pdf of renders) expect(pdf.equals(renders[0])).toBe(true);
  });

  it("continues a long visit list onto further pages", async () => {
    const pdf = await card(reportCard({ minutes: 60 * 80 }));

    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { total, text } = await parser.getText();
    await parser.destroy();

    expect(total).toBeGreaterThan(1);
    expect(text).toContain("80:00 h");
  });

  it("refuses a signature image that is not a PNG", async () => {
    const c = reportCard();
    c.signatures[0].imagePng = Buffer.from("GIF89a not a png");

    await expect(card(c)).rejects.toThrow(/PNG/);
  });

  it("fails cleanly on a damaged PNG that only looks like one", async () => {
    const c = reportCard();
    c.signatures[0].imagePng = Buffer.concat([signaturePng().subarray(0, 8), Buffer.from("garbage, not chunks")]);

    await expect(card(c)).rejects.toThrow();
  });

  it("draws HTML and control characters in names as inert text", async () => {
    const c = reportCard({ assistantName: "<b>Anna</b>\u0007 & <script>x</script>" });
    c.signatures[1] = { ...c.signatures[1], imagePng: signaturePng(3) };

    const text = await textOf(await card(c));

    expect(text).toContain("<b>Anna</b> & <script>x</script>");
    expect(text).not.toContain("\u0007");
  });
});
