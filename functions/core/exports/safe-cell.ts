// OWASP "CSV injection": a spreadsheet treats a cell starting with = + - @ (or a tab/CR
// that it strips first) as a formula; a leading apostrophe makes it plain text again.
const FORMULA_START = /^[\s\u00a0\u2000-\u200b\u3000\ufeff]*[=+\-@\t\r＝＋－＠]/u;

// A line break inside a cell ends the record for importers that ignore or lose the CSV quoting
// (LibreOffice's Polish import evaluated the rest of "Anna\n=10+20" as a formula), and each
// line of a wrapped XLSX cell reads as a cell of its own when copied: the apostrophe at the
// start of the cell protects neither. A name never needs one, so every break becomes a space.
const LINE_BREAKS = /[\n\v\f\r\u0085\u2028\u2029]+/gu;
const HAS_LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/u;

/** Text that no spreadsheet will read as a formula: on one line, a formula-like start behind an apostrophe. */
export function safeCellText(value: string): string {
  const text = HAS_LINE_BREAK.test(value) ? value.replace(LINE_BREAKS, " ") : value;
  // Most cells start with a letter or a digit: no formula, no regular expression needed.
  const first = text.charCodeAt(0);
  if ((first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A spreadsheet cell value: numbers, dates and booleans pass, text is neutralised. */
export function safeCell<T>(value: T): T | string {
  return typeof value === "string" ? safeCellText(value) : value;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe to place in HTML element content or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// Control characters and bidi overrides could hide or reorder text on a printed document.
const PDF_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** One line of text for a PDF: no control characters, whitespace runs collapsed. */
export function pdfText(value: string): string {
  return value.replace(PDF_UNSAFE, "").replace(/[\t\n\r]+/g, " ").trim();
}

/** Multi-line text for a PDF: line breaks kept, other control characters removed. */
export function pdfParagraph(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(PDF_UNSAFE, "").replace(/\t/g, " ").trim();
}
