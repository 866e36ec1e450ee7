import ExcelJS from 'exceljs';

/**
 * A list as an xlsx workbook (SPEC 4), for spreadsheets: what ui/output.ts hands over (headings in
 * the user's language, labels for codes, text already made inert) written with real dates (Date
 * cells with a date format), real numbers and booleans, an autofilter over the header row, the
 * header row frozen and column widths fitted to their content. Text is always written as a string
 * value, never as a formula. Loaded only when `--format xlsx` is asked for (exceljs is big).
 */

/** A day, or an instant as its wall-clock time (a spreadsheet's dates have no zone). */
export interface XlsxDate {
  /** Its fields in UTC are the wall-clock ones: exceljs writes a Date's UTC fields. */
  date: Date;
  time: boolean;
}
export type XlsxCell = string | number | boolean | null | XlsxDate;

const DAY_FORMAT = 'dd/mm/yyyy';
const INSTANT_FORMAT = 'dd/mm/yyyy hh:mm';
/** The widest a column is fitted to (characters); longer text is wrapped by the spreadsheet. */
const MAX_WIDTH = 60;

export async function writeWorkbook(
  heads: readonly string[],
  rows: readonly (readonly XlsxCell[])[],
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'chorus-admin';
  const sheet = workbook.addWorksheet('chorus-admin');
  sheet.addRow([...heads]).font = { bold: true };
  const widths = heads.map((h) => h.length);
  for (const values of rows) {
    const row = sheet.addRow(values.map((v) => (v !== null && typeof v === 'object' ? v.date : v)));
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      if (v !== null && typeof v === 'object') {
        cell.numFmt = v.time ? INSTANT_FORMAT : DAY_FORMAT;
        widths[i] = Math.max(widths[i] ?? 0, v.time ? 16 : 10);
        return;
      }
      const text = v === null ? '' : String(v);
      if (text.includes('\n')) cell.alignment = { wrapText: true, vertical: 'top' };
      widths[i] = Math.max(widths[i] ?? 0, ...text.split('\n').map((l) => l.length));
    });
  }
  sheet.columns.forEach((col, i) => {
    col.width = Math.min(MAX_WIDTH, (widths[i] ?? 8) + 2);
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: 1, column: Math.max(1, heads.length) },
  };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
