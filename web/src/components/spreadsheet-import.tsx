import type { FormEvent } from "react";

const SPREADSHEETS = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The form that sends a CSV or XLSX file (orders, beneficiaries): its title, what the file holds, the file, the button. */
export function SpreadsheetImportForm(props: { id: string; title: string; hint: string; label: string; button: string; busy: boolean; onFile(file?: File): void; onSubmit(event: FormEvent): void }) {
  return (
    <form className="import-orders" onSubmit={props.onSubmit}>
      <h2>{props.title}</h2>
      <p className="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      <div className="field">
        <label htmlFor={props.id}>{props.label}</label>
        <input id={props.id} type="file" accept={SPREADSHEETS} aria-describedby={`${props.id}-hint`} required onChange={(e) => props.onFile(e.target.files?.[0])} />
      </div>
      <button type="submit" className="button primary" disabled={props.busy}>
        {props.button}
      </button>
    </form>
  );
}
