import type { Engine } from '../engine/engine.js';
import type { SourceDef, TextOptions } from '../project/types.js';

/**
 * What a connector hands to the one landing step (land.ts): a relation over the input file in which
 * each declared column is a text column (or a typed one, for typed formats), plus what it found.
 * Connectors only read; they never convert or write tables — landing does that the same way for all.
 */
export interface Scan {
  /** SQL relation (a table function call or subquery) to select from */
  relation: string;
  /** for each declared column: the SQL expression over `relation` that yields its raw value */
  columns: Map<string, string>;
  /** true when the raw values already carry engine types (Parquet); false when they are text */
  typed: boolean;
  /** how the text is written (numbers, dates, null markers) */
  text?: TextOptions;
  /** an expression giving the source row number, when the format has one; otherwise rowid + firstRow */
  rowNumber?: string;
  /** the source row number of the first data record (the header is row 1 in a spreadsheet) */
  firstRow: number;
  /** a table with structural rejects (DuckDB's reject_errors shape), when the reader produced one */
  rejectsTable?: string;
  /** source headers or keys that are not declared: they are not read, and reported */
  dropped: string[];
  /** notes for the load report (encoding used, delimiter found, …) */
  notes: string[];
  /** remove temporary files and tables */
  cleanup(): Promise<void>;
}

export interface ScanContext {
  engine: Engine;
  source: SourceDef;
  /** a unique id for this load, safe for table and file names */
  loadId: string;
  /** a folder for temporary files of this load */
  tmpDir: string;
}
