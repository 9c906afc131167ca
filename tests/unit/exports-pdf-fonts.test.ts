import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { create as parseFont, type Font } from "fontkit";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { writeBillPdf, writeReportCardPdf } from "../../functions/core/exports/index.js";
import { krakowBatch, reportCard } from "../fixtures/exports/batch.js";

// The PDFs embed subsets of DejaVu Sans (scripts/subset-fonts.sh); a character left out of them
// prints as an empty box and is lost from the text layer, so these tests list what must stay.
const FONT_DIR = new URL("../../functions/core/exports/fonts/", import.meta.url);
const FONTS = ["DejaVuSans-subset.ttf", "DejaVuSans-Bold-subset.ttf"];
const loadFont = (file: string) => parseFont(readFileSync(new URL(file, FONT_DIR))) as Font;

/** Files whose text ends up in a PDF: the templates, the formats, and the labels of the card. */
const PRINTED_SOURCES = [
  "functions/core/exports/pdf.ts",
  "functions/core/exports/amount-words.ts",
  "functions/core/exports/format.ts",
  "functions/core/batch.ts",
  "functions/core/programme.ts",
];

const REQUIRED: [what: string, characters: string][] = [
  ["Polish letters", "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"],
  ["Ukrainian letters", "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя’"],
  ["Russian and Belarusian letters", "ЁЫЪЭёыъэЎў"],
  ["Czech, Slovak, Lithuanian, Romanian, German, Vietnamese letters", "čďěňřšťůžČŘŠŽėįųūĖŲșțȘȚäöüßÄÖÜđơưĐƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"],
  ["Greek letters", "ΑΒΓΔΩαβγδεπσςω"],
  ["combining marks (names typed decomposed)", "\u0301\u0307\u0328\u0306\u030c"],
  ["punctuation and spaces", "–—‘’‚“”„…•·‰′″‹›«»§¶°±×÷\u00a0\u00ad\u2009\u202f"],
  ["currency and letterlike symbols", "€£$¥₴₽¢№™℃©®"],
  ["arrows, math and pasted bullets", "→←↔⇒−≤≥≠≈∞√½¼¾²³■□▪●○◦✓✔"],
  ["ligatures and the replacement character", "ﬁﬂ\ufffd"],
];

function nonAsciiOf(path: string): string {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  return [...new Set(text.match(/[^\x00-\x7f]/gu) ?? [])].join("");
}

function missing(font: Font, characters: string): string[] {
  return [...characters]
    .map((c) => c.codePointAt(0)!)
    .filter((codePoint) => !font.hasGlyphForCodePoint(codePoint))
    .map((codePoint) => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")} ${String.fromCodePoint(codePoint)}`);
}

async function textOf(write: (out: PassThrough) => Promise<void>): Promise<string> {
  const out = new PassThrough();
  const bytes = buffer(out);
  bytes.catch(() => undefined); // a failing write rejects it too; the write's own error is what the test sees
  await write(out);
  const parser = new PDFParse({ data: new Uint8Array(await bytes) });
  try {
    // table cells wrap, so compare with whitespace runs collapsed
    return (await parser.getText()).text.replace(/\s+/g, " ");
  } finally {
    await parser.destroy();
  }
}

describe.each(FONTS)("subset font %s", (file) => {
  const font = loadFont(file);

  it.each(REQUIRED)("has a glyph for every %s", (_what, characters) => {
    expect(missing(font, characters)).toEqual([]);
  });

  it.each(PRINTED_SOURCES)("has a glyph for every non-ASCII character of %s", (path) => {
    const characters = nonAsciiOf(path);

    expect(characters.length).toBeGreaterThan(0);
    expect(missing(font, characters)).toEqual([]);
  });

  it.each([
    ["Basic Latin", 0x20, 0x7e],
    ["Latin-1 Supplement", 0xa0, 0xff],
    ["Latin Extended-A", 0x100, 0x17f],
    ["Latin Extended-B", 0x180, 0x24f],
    ["Greek", 0x370, 0x3ff],
    ["Cyrillic", 0x400, 0x4ff],
  ])("keeps the whole %s block", (_block, first, last) => {
    const assigned = Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i))
      .filter((c) => /\p{Assigned}/u.test(c))
      .join("");

    expect(missing(font, assigned)).toEqual([]);
  });

  it("still kerns (GPOS kept)", () => {
    const [a, v] = font.layout("AV").positions;

    expect(a.xAdvance).toBeLessThan(font.glyphForCodePoint(0x41).advanceWidth);
    expect(v.xAdvance).toBe(font.glyphForCodePoint(0x56).advanceWidth);
  });
});

describe("PDF text with the subset fonts", () => {
  it("brings back a Polish and a Cyrillic name, typographic punctuation and symbols", async () => {
    const { header, lines } = krakowBatch();
    const line = { ...lines[0], assistantName: "Żaneta Łuczyńska-Ґудзь (Олена Їжакевич)" };

    const text = await textOf((out) => writeBillPdf(line, header, out));

    expect(text).toContain("Żaneta Łuczyńska-Ґудзь (Олена Їжакевич)");
    expect(text).toContain("3 456,00 zł");
  });

  it("brings back Cyrillic and punctuation in a report card's names and free text", async () => {
    const c = reportCard({ assistantName: "Євгенія Шевчук", beneficiaryCode: "AOU-7", beneficiaryInitials: "Ґ.Ї." });
    c.visits[0] = { ...c.visits[0], note: "„Zakupy” – apteka № 5 → dom… Допомога з покупками" };

    const text = await textOf((out) => writeReportCardPdf(c, out));

    expect(text).toContain("Євгенія Шевчук");
    expect(text).toContain("AOU-7 (Ґ.Ї.)");
    expect(text).toContain("„Zakupy” – apteka № 5 → dom… Допомога з покупками");
  });
});
