// exceljs's main entry loads the whole library (reader, writer, CSV, streaming reader), about
// 1.2 MB in a bundle; the orders import loads only the workbook it reads XLSX with (exceljs 4.4,
// pinned), typed by the library's own declarations. The batch XLSX is written without exceljs
// (functions/core/exports/xlsx.ts).
declare module "exceljs/lib/doc/workbook.js" {
  import type ExcelJS from "exceljs";
  const Workbook: typeof ExcelJS.Workbook;
  export default Workbook;
}
