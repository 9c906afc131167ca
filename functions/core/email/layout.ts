import { escapeHtml } from "../exports/safe-cell.js";

export interface EmailBlock {
  /** Plain paragraphs (escaped in HTML). */
  paragraphs?: string[];
  /** A simple table: header row and body rows (escaped). */
  table?: { head: string[]; rows: string[][] };
  /** A numbered list, each item with its own link (the URL on its own line in text). */
  links?: { text: string; label: string; url: string }[];
  /** One call to action (a link button in HTML, the URL on its own line in text). */
  action?: { label: string; url: string };
}

export interface EmailContent {
  subject: string;
  /** The heading inside the message. */
  title: string;
  blocks: EmailBlock[];
  /** A closing line, e.g. why the person receives this e-mail. */
  footer?: string;
}

/**
 * Renders every Karta e-mail the same way: a plain-text part that reads well on a phone and
 * an HTML part with all person-supplied text escaped. Polish first; texts come from callers.
 */
export function renderEmail(content: EmailContent): { subject: string; text: string; html: string } {
  const text: string[] = [content.title, ""];
  const html: string[] = [
    `<!doctype html><html lang="pl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.5;max-width:640px;margin:0 auto;padding:16px">`,
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.title)}</h1>`,
  ];
  for (const block of content.blocks) {
    for (const paragraph of block.paragraphs ?? []) {
      text.push(paragraph, "");
      html.push(`<p>${escapeHtml(paragraph)}</p>`);
    }
    if (block.table) {
      const widths = block.table.head.map((h, i) => Math.max(h.length, ...block.table!.rows.map((r) => (r[i] ?? "").length)));
      const line = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
      text.push(line(block.table.head), ...block.table.rows.map(line), "");
      html.push(
        `<table style="border-collapse:collapse;margin:8px 0 16px" cellpadding="6"><thead><tr>`,
        ...block.table.head.map((h) => `<th style="text-align:left;border-bottom:2px solid #444">${escapeHtml(h)}</th>`),
        `</tr></thead><tbody>`,
        ...block.table.rows.map(
          (row) => `<tr>${row.map((c) => `<td style="border-bottom:1px solid #ccc">${escapeHtml(c ?? "")}</td>`).join("")}</tr>`,
        ),
        `</tbody></table>`,
      );
    }
    if (block.links?.length) {
      block.links.forEach((item, i) => text.push(`${i + 1}. ${item.text}`, `   ${item.label}: ${item.url}`));
      text.push("");
      html.push(
        `<ol style="padding-left:20px">`,
        ...block.links.map((item) => `<li style="margin-bottom:8px">${escapeHtml(item.text)}<br><a href="${escapeHtml(item.url)}">${escapeHtml(item.label)}</a></li>`),
        `</ol>`,
      );
    }
    if (block.action) {
      text.push(`${block.action.label}:`, block.action.url, "");
      html.push(
        `<p><a href="${escapeHtml(block.action.url)}" style="display:inline-block;background:#0b5394;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${escapeHtml(block.action.label)}</a></p>`,
        `<p style="font-size:12px;color:#555">${escapeHtml(block.action.url)}</p>`,
      );
    }
  }
  if (content.footer) {
    text.push("--", content.footer);
    html.push(`<hr><p style="font-size:12px;color:#555">${escapeHtml(content.footer)}</p>`);
  }
  html.push("</body></html>");
  return { subject: content.subject, text: text.join("\n").trimEnd() + "\n", html: html.join("\n") };
}
