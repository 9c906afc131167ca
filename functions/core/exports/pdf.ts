import { existsSync, readFileSync } from "node:fs";
import { brotliDecompressSync } from "node:zlib";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { create as parseFont, type Font } from "fontkit";
import PDFDocument from "pdfkit";
import { amountInWords } from "./amount-words.js";
import { BILL_COLUMNS, billText, type ColumnValue, type PaymentColumn } from "./columns.js";
import {
  clockHours,
  decimalHours,
  displayZloty,
  formatBankAccount,
  monthLabel,
  warsawDateTime,
} from "./format.js";
import { BatchHeader, BatchLine, ReportCard, type CardVisit } from "./model.js";
import { pdfParagraph, pdfText } from "./safe-cell.js";
import { opaqueSignaturePng } from "../signature-image.js";

// The standard PDF fonts have no Polish letters (ą, ł, ż…); DejaVu Sans has them. fonts/ holds
// subsets of it (Latin, Greek, Cyrillic, punctuation and symbols: scripts/subset-fonts.sh) that are
// a fifth of the full fonts' size. Parsing one costs ~30 ms per document, so it is parsed once
// per cold start; pdfkit accepts the parsed font and embeds a subset of it once per document.
// fontkit caches glyphs with the code points of their first use; a letter first reached as a
// component of a composite (C inside Ć) would be cached without its code point and later
// documents would lose it from their text layer, so every mapped glyph is cached up front.
// DejaVu's ligatures (ff, fi, ffi…) put one glyph for two letters into the text layer, so an id
// or a hash copied from a card read "ﬀ" and matched nothing in the CSV. pdfkit lays text out
// through the parsed font's layout() (with no features unless a call passes them), so turning
// them off there covers every text drawn and measured; kerning stays.
const NO_LIGATURES = { liga: false, clig: false, dlig: false, hlig: false, rlig: false };
const loadFont = (file: string): Font => {
  const font = parseFont(fontBytes(file)) as Font;
  for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
  const layout = font.layout.bind(font);
  font.layout = ((text: string, features?: unknown, ...rest: unknown[]) =>
    (layout as (...args: unknown[]) => ReturnType<Font["layout"]>)(text, features ?? NO_LIGATURES, ...rest)) as Font["layout"];
  return font;
};

/**
 * fonts/ sits next to this module in the source; a Lambda bundle is a single file elsewhere, with
 * fonts/ copied to its root (stacks/bundling.ts, pdfFonts), so the lookup climbs from here to the
 * first fonts/ that has the file, as Node climbs to node_modules. The bundle's copy is
 * brotli-compressed (`<file>.br`) to keep the bundle under 1 MB.
 */
function fontBytes(file: string): Buffer {
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    const candidate = new URL(`fonts/${file}`, dir);
    if (existsSync(candidate)) return readFileSync(candidate);
    const compressed = new URL(`fonts/${file}.br`, dir);
    if (existsSync(compressed)) return brotliDecompressSync(readFileSync(compressed));
    if (new URL("..", dir).href === dir.href) {
      throw new Error(`PDF font ${file} is in no fonts/ folder above ${fileURLToPath(import.meta.url)} (stacks/bundling.ts, pdfFonts)`);
    }
  }
}

const FONT_REGULAR = loadFont("DejaVuSans-subset.ttf") as unknown as Buffer;
const FONT_BOLD = loadFont("DejaVuSans-Bold-subset.ttf") as unknown as Buffer;
const REGULAR = "Karta";
const BOLD = "Karta-Bold";

const MARGIN = 50;
const KIND_LABEL = { main: "główna", supplementary: "uzupełniająca" } as const;

type Doc = PDFKit.PDFDocument;

/** Creates a document with the Polish font registered (embedded once, subset to the glyphs used). */
async function render(
  out: Writable,
  info: { title: string; createdAt: string },
  draw: (doc: Doc) => void,
): Promise<void> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    autoFirstPage: false,
    font: null as unknown as string,
    lang: "pl-PL",
    displayTitle: true,
    // pdfkit stamps the current time unless told otherwise; the batch time keeps output reproducible
    info: {
      Title: pdfText(info.title),
      Author: "Karta",
      Creator: "Karta",
      Producer: "Karta",
      CreationDate: new Date(info.createdAt),
    },
  });
  const done = finished(out);
  done.catch(() => undefined); // awaited below; a failed draw rejects it before that
  doc.pipe(out);
  try {
    doc.registerFont(REGULAR, FONT_REGULAR);
    doc.registerFont(BOLD, FONT_BOLD);
    doc.font(REGULAR).fontSize(10);
    doc.addPage();
    draw(doc);
    doc.end();
  } catch (error) {
    doc.unpipe(out);
    out.destroy(error as Error);
    throw error;
  }
  await done;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGIN * 2;
}

function bottom(doc: Doc): number {
  return doc.page.height - MARGIN;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function title(doc: Doc, text: string, subtitle?: string): void {
  doc.font(BOLD).fontSize(15).text(text, MARGIN, doc.y, { width: contentWidth(doc), align: "center" });
  if (subtitle) doc.font(REGULAR).fontSize(10).text(subtitle, { width: contentWidth(doc), align: "center" });
  doc.moveDown(1.2);
}

/** Label–value pairs in two columns; values are user text and go through pdfText. */
function fields(doc: Doc, pairs: [label: string, value: string][], labelWidth = 170): void {
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of pairs) {
    const text = pdfText(value) || "—";
    // each part measured in the font it is drawn in: bold values measured in the regular font
    // came out a line short and the next block was printed over them (a bill of 6 reports)
    const labelHeight = doc.font(REGULAR).fontSize(10).heightOfString(label, { width: labelWidth - 8 });
    const height = Math.max(labelHeight, doc.font(BOLD).heightOfString(text, { width: valueWidth }));
    ensureSpace(doc, height + 4);
    const y = doc.y;
    doc.font(REGULAR).fillColor("#444").text(label, MARGIN, y, { width: labelWidth - 8 });
    doc.fillColor("black").font(BOLD).text(text, MARGIN + labelWidth, y, { width: valueWidth });
    doc.font(REGULAR);
    doc.y = y + height + 4;
  }
  doc.x = MARGIN;
}

type TableColumn = { heading: string; width: number; align?: "left" | "right" | "center" };

/** A table that breaks across pages and repeats its heading row on each page. */
function table(doc: Doc, columns: TableColumn[], rows: string[][], fontSize = 8.5): void {
  const padding = 3;
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  const scale = contentWidth(doc) / totalWidth;
  const widths = columns.map((c) => c.width * scale);

  const drawRow = (cells: string[], font: string, shade: boolean): void => {
    doc.font(font).fontSize(fontSize);
    const height =
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i] - padding * 2 }))) + padding * 2;
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      if (!shade) drawRow(columns.map((c) => c.heading), BOLD, true);
      doc.font(font).fontSize(fontSize);
    }
    const y = doc.y;
    let x = MARGIN;
    if (shade) doc.rect(MARGIN, y, contentWidth(doc), height).fill("#eeeeee").fillColor("black");
    cells.forEach((cell, i) => {
      doc.rect(x, y, widths[i], height).lineWidth(0.5).stroke("#999999");
      doc.fillColor("black").text(cell, x + padding, y + padding, { width: widths[i] - padding * 2, align: columns[i].align ?? "left" });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = y + height;
  };

  drawRow(columns.map((c) => c.heading), BOLD, true);
  for (const row of rows) drawRow(row, REGULAR, false);
  doc.moveDown(0.8);
}

function signatureLine(doc: Doc, x: number, y: number, width: number, caption: string): void {
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.7).dash(2, { space: 2 }).stroke("black").undash();
  doc.font(REGULAR).fontSize(8).fillColor("#444").text(caption, x, y + 4, { width, align: "center" }).fillColor("black");
}

function footer(doc: Doc, text: string): void {
  doc.font(REGULAR).fontSize(7).fillColor("#666");
  const height = doc.heightOfString(pdfText(text), { width: contentWidth(doc) }) + 6;
  ensureSpace(doc, height);
  doc.text(pdfText(text), MARGIN, doc.y + 6, { width: contentWidth(doc) }).fillColor("black");
}

/** Writes a pre-filled bill ("rachunek do umowy zlecenia") for one assistant's month, with the amount in Polish words. */
export async function writeBillPdf(line: BatchLine, header: BatchHeader, out: Writable): Promise<void> {
  const l = BatchLine.parse(line);
  const h = BatchHeader.parse(header);
  const heading = `Rachunek do umowy zlecenia nr ${pdfText(l.contractNumber)} za miesiąc ${monthLabel(l.month)}`;
  await render(out, { title: heading, createdAt: h.createdAt }, (doc) => {
    title(doc, heading, `${pdfText(h.programmeName)} · paczka ${pdfText(h.batchId)} (${KIND_LABEL[h.kind]})`);
    doc.font(REGULAR).fontSize(10).text(`Data wystawienia: ${warsawDateTime(h.createdAt).slice(0, 10)}`, { align: "right" });
    doc.moveDown(0.8);
    fields(doc, [
      ["Zleceniobiorca", l.assistantName],
      ["Nr umowy zlecenia", l.contractNumber],
      ["Okres rozliczeniowy", monthLabel(l.month)],
      ["Nr rachunku bankowego", formatBankAccount(l.bankAccount)],
      ...accountingFields(h),
    ]);
    doc.moveDown(0.8);
    // One row per report and rate, as approved: hours × rate = amount on every row; the total is their sum.
    // The columns are those of the payment files (columns.ts) that the bill shows.
    const rows = l.rateLines.map((rate, index) => BILL_COLUMNS.map((c) => billCell(c, c.value({ header: h, line: l, rate, index }))));
    if (rows.length > 1) {
      const totals = { reports: l.reportIds.length, minutes: l.minutes, grosze: l.grossGrosze };
      rows.push(BILL_COLUMNS.map((c, i) => (i === 0 ? "Razem" : c.total ? billCell(c, c.total(totals, h)) : "")));
    }
    table(
      doc,
      BILL_COLUMNS.map((c) => ({ heading: c.bill!.heading ?? c.heading, width: c.bill!.width, align: c.type === "text" ? "left" : "right" })),
      rows,
      9,
    );
    fields(doc, [
      ["Do wypłaty (brutto)", displayZloty(l.grossGrosze)],
      ["Słownie", amountInWords(l.grossGrosze)],
      // the table lists every report by number; the count lets a reader check none is missing
      ["Liczba sprawozdań miesięcznych", String(reportNumbers(l).length)],
    ]);
    doc.moveDown(0.8);
    doc
      .font(REGULAR)
      .fontSize(9)
      .text(
        "Oświadczam, że usługi objęte umową zostały wykonane w podanym wymiarze godzin, zgodnie ze sprawozdaniami " +
          "miesięcznymi. Należność proszę przekazać na wskazany rachunek bankowy. Potrącenia podatku i składek " +
          "zgodnie z oświadczeniami zleceniobiorcy.",
        { width: contentWidth(doc), align: "justify" },
      );
    ensureSpace(doc, 75);
    const half = (contentWidth(doc) - 20) / 2;
    const y = doc.y + 40;
    signatureLine(doc, MARGIN + half + 20, y, half, "data i podpis zleceniobiorcy");
    doc.x = MARGIN;
    doc.y = y + 30;
    // The three checks a public body's bill goes through before payment; the check on the merits
    // is the approval of the reports in Karta, printed here, and signed on paper where the centre asks.
    checkBlock(doc, "Sprawdzono pod względem merytorycznym", approvalText(l));
    checkBlock(doc, "Sprawdzono pod względem formalnym i rachunkowym");
    checkBlock(doc, "Zatwierdzono do wypłaty");
    footer(doc, `Karta · paczka ${h.batchId} · wygenerowano ${warsawDateTime(h.createdAt)} (czas warszawski)`);
  });
}

/** The programme's accounting settings as bill fields, those it has. */
function accountingFields(h: BatchHeader): [string, string][] {
  const fields: [string, string][] = [];
  if (h.costCentre) fields.push(["Miejsce powstania kosztów (MPK)", h.costCentre]);
  if (h.budgetClassification) fields.push(["Klasyfikacja budżetowa", budgetClassificationText(h.budgetClassification)]);
  if (h.projectCode) fields.push(["Kod projektu", h.projectCode]);
  return fields;
}

/** "dział 852, rozdział 85295, § 4170". */
export function budgetClassificationText(c: NonNullable<BatchHeader["budgetClassification"]>): string {
  return `dział ${c.section}, rozdział ${c.chapter}, § ${c.paragraph}`;
}

function approvalText(line: BatchLine): string | undefined {
  if (!line.approvals?.length) return undefined;
  const who = line.approvals.map((a) => `${pdfText(a.approvedBy)}, ${warsawDateTime(a.approvedAt)} (${a.reports === 1 ? "1 sprawozdanie" : `sprawozdań: ${a.reports}`})`);
  return `Sprawozdania zatwierdzone elektronicznie w Karcie (czas warszawski): ${who.join("; ")}.`;
}

/** One check of the bill: its heading, what Karta knows of it, and places for the date and the signature, kept on one page. */
function checkBlock(doc: Doc, heading: string, text?: string): void {
  const width = contentWidth(doc);
  const headingHeight = doc.font(BOLD).fontSize(9).heightOfString(heading, { width });
  const textHeight = text ? doc.font(REGULAR).fontSize(8.5).heightOfString(text, { width }) + 4 : 0;
  const lines = 30;
  ensureSpace(doc, headingHeight + textHeight + lines + 12);
  const y = doc.y;
  doc.font(BOLD).fontSize(9).fillColor("black").text(heading, MARGIN, y, { width });
  if (text) doc.font(REGULAR).fontSize(8.5).text(text, MARGIN, y + headingHeight + 2, { width });
  const lineY = y + headingHeight + textHeight + 22;
  const third = (width - 20) / 3;
  signatureLine(doc, MARGIN, lineY, third, "data");
  signatureLine(doc, MARGIN + third + 20, lineY, third * 2, "podpis i pieczątka");
  doc.x = MARGIN;
  doc.y = lineY + 20;
}

function billCell(column: PaymentColumn, value: ColumnValue): string {
  return column.type === "text" && typeof value === "string" ? pdfText(value) : billText(column.type, value);
}

/** The numbers of a bill's reports, each once, in the order of its rows. */
function reportNumbers(line: BatchLine): string[] {
  const seen = new Set<string>();
  for (const rate of line.rateLines) seen.add(rate.reportNumber ?? rate.reportId);
  for (const id of line.reportIds) if (!line.rateLines.some((r) => r.reportId === id)) seen.add(id);
  return [...seen];
}

function visitEnd(visit: CardVisit): string {
  return visit.endDate && visit.endDate !== visit.date ? `${visit.end}\n${visit.endDate}` : visit.end;
}

function visitMode(visit: CardVisit): string {
  const mode = pdfText(visit.mode);
  return visit.justification ? `${mode}\nUzasadnienie: ${pdfParagraph(visit.justification)}` : mode;
}

/** Writes the monthly report card ("sprawozdanie miesięczne z realizacji usług") with every visit, totals, signatures and approval. */
export async function writeReportCardPdf(card: ReportCard, out: Writable): Promise<void> {
  const c = ReportCard.parse(card);
  const heading = "Sprawozdanie miesięczne z realizacji usług";
  await render(out, { title: `${heading} ${c.reportNumber ?? c.reportId} v${c.version}`, createdAt: c.approvedAt }, (doc) => {
    title(doc, c.reportNumber ? `${heading} nr ${pdfText(c.reportNumber)}` : heading, `${pdfText(c.programmeName)} · ${monthLabel(c.month)}`);
    const beneficiary = c.beneficiaryInitials ? `${c.beneficiaryCode} (${c.beneficiaryInitials})` : c.beneficiaryCode;
    fields(doc, [
      ["Asystent (zleceniobiorca)", c.assistantName],
      ["Uczestnik", beneficiary],
      ["Miesiąc", monthLabel(c.month)],
      ...(c.reportNumber ? [["Nr sprawozdania", c.reportNumber] as [string, string]] : []),
      ["Sprawozdanie (id w Karcie)", `${c.reportId}, wersja ${c.version}`],
    ]);
    doc.moveDown(0.6);
    table(
      doc,
      [
        { heading: "Lp.", width: 5, align: "right" },
        { heading: "Data", width: 12.5 },
        { heading: "Początek", width: 10 },
        { heading: "Koniec", width: 12.5 },
        { heading: "Czas", width: 7, align: "right" },
        { heading: "Zakres usługi", width: 26 },
        { heading: "Forma", width: 15 },
        { heading: "Uwagi", width: 12 },
      ],
      c.visits.map((v, i) => [
        String(i + 1),
        v.date,
        v.start,
        visitEnd(v),
        clockHours(v.minutes),
        v.scopes.map(pdfText).join("; ") || "—",
        visitMode(v),
        v.note ? pdfParagraph(v.note) : "",
      ]),
    );
    fields(doc, [
      ["Liczba wizyt", String(c.visits.length)],
      ["Łączny czas", `${clockHours(c.totalMinutes)} h (${decimalHours(c.totalMinutes)} h)`],
      c.rateLines.length === 1
        ? ["Stawka brutto za godzinę", displayZloty(c.rateLines[0].rateGrosze)]
        : ["Stawki brutto za godzinę", c.rateLines.map((r) => `${clockHours(r.minutes)} h × ${displayZloty(r.rateGrosze)} = ${displayZloty(r.amountGrosze)}`).join("; ")],
      ["Kwota brutto", `${displayZloty(c.amountGrosze)} (słownie: ${amountInWords(c.amountGrosze)})`],
    ]);
    doc.moveDown(0.8);
    signatures(doc, c);
    doc.moveDown(0.8);
    fields(doc, [
      ["Potwierdzenie merytoryczne", `${c.approvedBy}, ${warsawDateTime(c.approvedAt)} (czas warszawski)`],
      ["Skrót treści (SHA-256)", c.contentHash],
    ]);
    footer(doc, `Karta · sprawozdanie ${c.reportId} wersja ${c.version}`);
  });
}

function signatures(doc: Doc, card: ReportCard): void {
  const boxWidth = (contentWidth(doc) - 20) / 2;
  const boxHeight = 110;
  card.signatures.forEach((signature, i) => {
    const column = i % 2;
    if (column === 0) ensureSpace(doc, boxHeight + 10);
    const x = MARGIN + column * (boxWidth + 20);
    const y = doc.y;
    doc.rect(x, y, boxWidth, boxHeight).lineWidth(0.5).stroke("#999999");
    doc.font(BOLD).fontSize(9).text(`Podpis: ${pdfText(signature.role)}`, x + 6, y + 6, { width: boxWidth - 12 });
    if (signature.imagePng) {
      doc.image(opaqueSignaturePng(signature.imagePng), x + 6, y + 22, { fit: [boxWidth - 12, 56], align: "center", valign: "center" });
    } else {
      doc.font(REGULAR).fontSize(8).fillColor("#666").text("(brak obrazu podpisu)", x + 6, y + 44, { width: boxWidth - 12, align: "center" }).fillColor("black");
    }
    doc
      .font(REGULAR)
      .fontSize(8)
      .text(`${pdfText(signature.signer)} · ${pdfText(signature.signedAtWarsaw)}`, x + 6, y + boxHeight - 26, { width: boxWidth - 12 });
    doc.x = MARGIN;
    doc.y = column === 1 || i === card.signatures.length - 1 ? y + boxHeight + 10 : y;
  });
}
