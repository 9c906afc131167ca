import { PassThrough, type Writable } from "node:stream";
import { PAGE_PARTS, writeBatchPage, type PagePart } from "../../functions/core/exports/index.js";
import { krakowBatch } from "../../tests/fixtures/exports/batch.js";
const { header, lines, cards } = krakowBatch({ assistants: 67, beneficiaries: 6 });
const bytes: Record<string, number> = {};
const outs = Object.fromEntries(PAGE_PARTS.map((p) => { const o = new PassThrough(); bytes[p] = 0; o.on("data", (c: Buffer) => (bytes[p] += c.length)); return [p, o as Writable]; })) as Record<PagePart, Writable>;
const t = performance.now();
const index = await writeBatchPage(header, { page: 0, assistantsBefore: 0, reportsBefore: 0, rowsBefore: 0 }, () => lines, () => cards, outs);
console.log("cards", cards.length, "ms", Math.round(performance.now() - t), bytes, "rss MB", Math.round(process.memoryUsage().rss / 1e6), index.cards.records.length);
