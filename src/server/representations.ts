import { toCsv, toXlsx, type ExportTable } from '../export/table.js';
import type { ReadStatus } from '../indicators/read.js';
import { XLSX_TYPE, type Computed } from './route.js';

export function json(value: unknown, headers: Record<string, string> = {}): Computed {
  return { body: JSON.stringify(value), headers };
}

/** How a value without a number reads in a download (the words of the Dutch area profile). */
export const STATUS_NL: Record<ReadStatus, string> = {
  ok: '',
  suppressed: 'geheim',
  missing: 'ontbreekt',
  not_applicable: 'n.v.t.',
};

/** A table as a download: XLSX, or CSV for Dutch Excel (UTF-8 BOM, `;`, decimal comma). */
export async function download(type: string, table: ExportTable, filename: string): Promise<Computed> {
  const xlsx = type === XLSX_TYPE;
  return {
    body: xlsx ? await toXlsx([table]) : toCsv(table),
    headers: { 'Content-Disposition': `attachment; filename="${filename}.${xlsx ? 'xlsx' : 'csv'}"` },
  };
}
