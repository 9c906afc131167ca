import { fieldMessages, type FieldIssue } from "./field-messages.js";
import { Beneficiary } from "./beneficiary.js";
import { BeneficiariesImportError } from "./errors.js";
import { namedRows, readTable, type RefuseFile, type RowError } from "./spreadsheet-import.js";

const beneficiaryColumns = {
  code: { names: ["koduczestnika", "kodbeneficjenta", "kod", "uczestnik", "beneficiarycode", "code"], pl: "kod uczestnika", en: "beneficiary code" },
  initials: { names: ["inicjaly", "initials"], pl: "inicjały", en: "initials" },
};

const refuseBeneficiaries: RefuseFile = (rows) => new BeneficiariesImportError(rows);

/**
 * Reads a register of beneficiaries (CSV or XLSX: "kod uczestnika", "inicjały") and checks every
 * row: the codes' and initials' form, repeats within the file and codes the programme has. Any
 * problem refuses the whole file listing every row (nothing is written).
 */
export async function importBeneficiariesFile(fileName: string, bytes: Uint8Array, ctx: { programmeId: string; existingCodes: ReadonlySet<string> }): Promise<Beneficiary[]> {
  const rows = namedRows(await readTable(fileName, bytes, refuseBeneficiaries), beneficiaryColumns, refuseBeneficiaries);
  const errors: RowError[] = [];
  if (rows.length === 0) errors.push({ row: 1, pl: "plik nie zawiera żadnego uczestnika.", en: "the file contains no beneficiaries." });
  const seen = new Map<string, number>();
  const out: Beneficiary[] = [];
  for (const r of rows) {
    const parsed = Beneficiary.safeParse({ programmeId: ctx.programmeId, code: r.code, initials: r.initials });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] === "code" ? { pl: "kod uczestnika", en: "beneficiary code" } : { pl: "inicjały", en: "initials" };
        const value = issue.path[0] === "code" ? r.code : r.initials;
        const why = fieldMessages(issue as FieldIssue);
        errors.push({ row: r.row, pl: `${field.pl} „${value}” jest niepoprawny (${why.pl}).`, en: `${field.en} "${value}" is not valid (${why.en}).` });
      }
      continue;
    }
    const b = parsed.data;
    const earlier = seen.get(b.code);
    if (earlier !== undefined) errors.push({ row: r.row, pl: `kod ${b.code} powtarza wiersz ${earlier}. Zostaw jeden wiersz.`, en: `code ${b.code} repeats row ${earlier}. Keep one row.` });
    else if (ctx.existingCodes.has(b.code)) errors.push({ row: r.row, pl: `uczestnik ${b.code} już jest w programie. Usuń wiersz albo zmień dane uczestnika na jego stronie.`, en: `beneficiary ${b.code} is already in the programme. Remove the row or change the beneficiary on its page.` });
    seen.set(b.code, r.row);
    out.push(b);
  }
  if (errors.length) throw new BeneficiariesImportError(errors);
  return out;
}
