// A text/csv or XLSX body cannot be sent cross-site without a CORS preflight (not a "simple"
// content type), which keeps the import routes as safe from CSRF as the JSON ones.
const extensions: Record<string, string> = {
  "text/csv": "csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
};

/** The spreadsheet types an import takes. */
export const spreadsheetTypes = Object.keys(extensions);

/** `<what>.csv` or `<what>.xlsx` for the request's content type, or undefined for any other type. */
export function spreadsheetFileName(contentType: string | undefined, what: string): string | undefined {
  const ext = extensions[contentType?.split(";")[0].trim().toLowerCase() ?? ""];
  return ext ? `${what}.${ext}` : undefined;
}
