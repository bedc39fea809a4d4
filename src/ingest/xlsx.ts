import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import type { ConnectorDef } from '../project/types.js';
import { IngestError } from './errors.js';
import { scanCsv } from './csv.js';
import type { Scan, ScanContext } from './scan.js';

type XlsxConnector = Extract<ConnectorDef, { type: 'xlsx' }>;
const ROW_HEADER = '__pakhuis_row';

/** The text of a cell as an export would show it; numbers use the source's decimal separator. */
function cellText(value: ExcelJS.CellValue, decimal: ',' | '.'): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'number') return decimal === ',' ? String(value).replace('.', ',') : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, decimal);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return String(value);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * XLSX is read with exceljs (DuckDB's excel extension cannot be downloaded offline) and written to a
 * UTF-8 CSV with the spreadsheet row number in an extra column; that CSV then lands like any other.
 */
export async function scanXlsx(ctx: ScanContext, c: XlsxConnector, label: string): Promise<Scan> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(c.path);
  } catch (e) {
    throw new IngestError(
      `${label}: cannot read as XLSX (${(e as Error).message})`,
      'check that the file is an Excel .xlsx workbook (not .xls or CSV)',
    );
  }
  const sheet = c.sheet ? wb.getWorksheet(c.sheet) : wb.worksheets[0];
  if (!sheet) {
    throw new IngestError(
      `${label}: no sheet ${c.sheet ? `"${c.sheet}"` : ''} in the workbook; sheets: ${wb.worksheets.map((w) => `"${w.name}"`).join(', ')}`,
      'set connector.sheet to one of the sheet names',
    );
  }
  const width = sheet.columnCount;
  const header = sheet.getRow(c.headerRow);
  const headers = Array.from({ length: width }, (_, i) =>
    cellText(header.getCell(i + 1).value, c.number.decimal),
  );
  if (headers.every((h) => h.trim() === ''))
    throw new IngestError(
      `${label}: row ${c.headerRow} of sheet "${sheet.name}" is empty; expected the header`,
      'set connector.header_row to the row with the column names',
    );
  const path = join(ctx.tmpDir, `${ctx.loadId}.xlsx.csv`);
  const out = createWriteStream(path);
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write([ROW_HEADER, ...headers].map(csvField).join(',') + '\n');
  let rows = 0;
  for (let r = c.headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (!row.hasValues) continue;
    const cells = Array.from({ length: width }, (_, i) =>
      cellText(row.getCell(i + 1).value, c.number.decimal),
    );
    await write([String(r), ...cells].map(csvField).join(',') + '\n');
    rows++;
  }
  out.end();
  await once(out, 'finish');
  const scan = await scanCsv(
    ctx,
    { ...c, type: 'csv', path, delimiter: ',', encoding: 'utf-8', quote: '"' },
    label,
    ROW_HEADER,
  );
  scan.notes = [`sheet "${sheet.name}"`, `${rows} non-empty rows`];
  const cleanup = scan.cleanup;
  scan.cleanup = async () => {
    await cleanup();
    const { rm } = await import('node:fs/promises');
    await rm(path, { force: true });
  };
  return scan;
}
