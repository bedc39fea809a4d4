import ExcelJS from 'exceljs';

/** A table to export: column headers, and rows of text, numbers or empty cells. */
export interface ExportTable {
  name: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, and tab/CR that some readers strip
 * first) is prefixed with an apostrophe (OWASP "CSV injection"); numbers stay numbers.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface CsvOptions {
  /** ';' (Dutch Excel, the default) or ',' */
  delimiter?: ';' | ',';
  /** ',' writes 1234,5 (Dutch Excel, the default); '.' writes 1234.5 */
  decimal?: ',' | '.';
}

/** CSV that Dutch Excel opens correctly: UTF-8 with BOM, ';', decimal comma, CRLF, quoted where needed. */
export function toCsv(t: ExportTable, o: CsvOptions = {}): string {
  const delimiter = o.delimiter ?? ';';
  const decimal = o.decimal ?? ',';
  const field = (v: string | number | null): string => {
    if (v === null) return '';
    const s = typeof v === 'number' ? String(v).replace('.', decimal) : neutralise(v);
    return s.includes(delimiter) || /["\r\n]/.test(s) || (typeof v === 'number' && decimal === delimiter)
      ? `"${s.replaceAll('"', '""')}"`
      : s;
  };
  return `\uFEFF${[t.columns.map(field), ...t.rows.map((r) => r.map(field))].map((r) => r.join(delimiter)).join('\r\n')}\r\n`;
}

/** An XLSX workbook with one sheet per table (bold header, frozen first row). */
export async function toXlsx(tables: ExportTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Datapakhuis';
  // fixed dates: the same data gives the same workbook
  wb.created = new Date(Date.UTC(2000, 0, 1));
  wb.modified = wb.created;
  for (const t of tables) {
    const ws = wb.addWorksheet(t.name.slice(0, 31));
    ws.addRow(t.columns).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map((v) => (typeof v === 'string' ? neutralise(v) : v)));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((c, i) => {
      c.width = Math.min(
        60,
        Math.max(
          10,
          ...[t.columns[i] ?? '', ...t.rows.map((r) => String(r[i] ?? ''))].map((s) => s.length + 2),
        ),
      );
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
