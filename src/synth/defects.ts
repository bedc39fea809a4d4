/**
 * Planted data-quality defects: which records get one, and the exact log of where they ended up
 * (file, column, record numbers) for `truth/quality_defects.json`.
 */
import type { Rng } from './random.js';

export type DefectKind =
  | 'invalid_bsn'
  | 'duplicate_row'
  | 'missing_postcode'
  | 'future_date'
  | 'mojibake'
  | 'unparseable_date'
  | 'unparseable_number';

export const DEFECT_DESCRIPTIONS: Record<DefectKind, string> = {
  invalid_bsn: 'BSN that fails the elfproef (one digit mistyped)',
  duplicate_row: 'exact copy of the record directly before it (not a new person or case)',
  missing_postcode: 'postcode empty although the address has one',
  future_date: 'date after the reference date 31-12-2024 (typing error in the year)',
  mojibake:
    'mis-encoded text: the UTF-8 bytes of the name were stored as if they were Windows-1252 (e.g. "MÃ¼ller" for "Müller")',
  unparseable_date: 'not a calendar date (e.g. 31-02-1987 or 29-02 in a non-leap year)',
  unparseable_number: 'text where a number is expected (e.g. "n.v.t.", "onbekend")',
};

export interface DefectEntry {
  file: string;
  column: string;
  defect: DefectKind;
  description: string;
  count: number;
  /** Record numbers: in CSV/XLSX the header is record 1; in JSON the 1-based array element; in NDJSON the line. */
  rows: number[];
}

export class DefectLog {
  private readonly entries: DefectEntry[] = [];

  private entry(file: string, column: string, defect: DefectKind): DefectEntry {
    let e = this.entries.find((x) => x.file === file && x.column === column && x.defect === defect);
    if (!e) {
      e = { file, column, defect, description: DEFECT_DESCRIPTIONS[defect], count: 0, rows: [] };
      this.entries.push(e);
    }
    return e;
  }

  /** Make sure the defect is listed (with count 0 when nothing was planted, e.g. at tiny sizes). */
  declare(file: string, column: string, defect: DefectKind): void {
    this.entry(file, column, defect);
  }

  add(file: string, column: string, defect: DefectKind, row: number): void {
    const e = this.entry(file, column, defect);
    e.rows.push(row);
    e.count++;
  }

  list(): DefectEntry[] {
    return this.entries.map((e) => ({ ...e, rows: [...e.rows] }));
  }
}

export interface DefectSpec<K extends string> {
  kind: K;
  /** Share of records (e.g. 0.001); at least one when the file has 20 or more records. */
  rate: number;
  eligible?: (i: number) => boolean;
}

/** Assign defect kinds to distinct record indexes (no record gets two defects). */
export function planDefects<K extends string>(
  rng: Rng,
  n: number,
  specs: readonly DefectSpec<K>[],
): Map<number, K> {
  const out = new Map<number, K>();
  for (const spec of specs) {
    const k = n >= 20 ? Math.max(1, Math.round(spec.rate * n)) : 0;
    let found = 0;
    for (let attempt = 0; found < k && attempt < 200 + k * 400; attempt++) {
      const i = rng.int(n);
      if (out.has(i) || (spec.eligible && !spec.eligible(i))) continue;
      out.set(i, spec.kind);
      found++;
    }
  }
  return out;
}
