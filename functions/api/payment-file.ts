import { createHash, randomUUID } from "node:crypto";
import { NotFoundError } from "../core/errors.js";
import { elixirO, paymentFileName, payrollCsv, payrollOf, transfersCsv, transfersOf } from "../core/exports/payments.js";
import { appendBatchAuditEvent } from "../adapters/audit-events.js";
import { api, download } from "./lib/http.js";
import { paymentsOf } from "./lib/payments.js";

/** The files of GET /api/batches/{batchId}/payments/{file}, by their name in the path. */
const FILES = {
  "transfers.pli": { kind: "elixir", contentType: "text/plain; charset=windows-1250" },
  "transfers.csv": { kind: "transfers-csv", contentType: "text/csv; charset=utf-8" },
  "payroll.csv": { kind: "payroll-csv", contentType: "text/csv; charset=utf-8" },
  "payroll.xlsx": { kind: "payroll-xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
} as const;
type FileName = keyof typeof FILES;

/**
 * GET /api/batches/{batchId}/payments/{file}?day=YYYY-MM-DD — the batch's transfer file
 * (`transfers.pli` Elixir-O, `transfers.csv`) or payroll export (`payroll.csv`, `payroll.xlsx`),
 * written on request from the batch's lines and the contracts (finance, admin), audited with its
 * SHA-256. Refused as a whole (422, every assistant and field listed) when any assistant lacks a
 * valid account or declarations: nothing half-written.
 */
export const handler = api(async (req) => {
  const { person, header, payees, on, programme } = await paymentsOf(req);
  const name = req.param("file");
  if (!Object.hasOwn(FILES, name)) throw new NotFoundError("plik płatności / payment file", name.slice(0, 40));
  const file = FILES[name as FileName];
  let content: Buffer;
  if (file.kind === "elixir" || file.kind === "transfers-csv") {
    const transfers = transfersOf(header, payees, on, programme.payments);
    content = file.kind === "elixir" ? elixirO(transfers, programme.payments!, on) : transfersCsv(transfers, on);
  } else {
    const payroll = payrollOf(header, payees, on, programme.payments);
    content = file.kind === "payroll-csv" ? payrollCsv(payroll) : await (await import("../core/exports/payroll-xlsx.js")).payrollXlsx(payroll);
  }
  const fileName = paymentFileName(header, file.kind);
  const sha256 = createHash("sha256").update(content).digest("hex");
  await appendBatchAuditEvent({ id: randomUUID(), batchId: header.batchId, at: req.now.toISOString(), actorId: person.id, type: "batch.payment_file_generated", name: fileName, bytes: content.length, sha256, via: "session" });
  return download(fileName, file.contentType, content, { "x-karta-sha256": sha256 });
});
