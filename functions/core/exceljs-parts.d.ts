// exceljs's main entry loads the whole library (reader, writer, CSV, streaming reader), about
// 1.2 MB in a bundle; Karta loads only the part each use needs (exceljs 4.4, pinned), typed by
// the library's own declarations.
declare module "exceljs/lib/doc/workbook.js" {
  import type ExcelJS from "exceljs";
  const Workbook: typeof ExcelJS.Workbook;
  export default Workbook;
}

declare module "exceljs/lib/stream/xlsx/workbook-writer.js" {
  import type ExcelJS from "exceljs";
  const WorkbookWriter: typeof ExcelJS.stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
