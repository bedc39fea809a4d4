/**
 * Writers for the exported files, with the shapes municipal systems really produce: `;` or `,`
 * separated text in UTF-8 (with or without BOM) or Windows-1252, CRLF or LF, quoted fields with
 * embedded newlines, Dutch number formats, JSON arrays and NDJSON (XLSX: see xlsx.ts).
 *
 * Text files are streamed in ~1 MB chunks with synchronous writes (deterministic and fast); no file
 * is built as one giant string.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeCp1252Into } from './encoding.js';

export type TextEncoding = 'utf8' | 'cp1252';

const CHUNK = 1 << 20;

/**
 * A buffered, synchronous text file sink. Text is encoded into a reusable 1 MB byte buffer right
 * away, so row strings die young (cheap for the garbage collector even at 10× size).
 */
export class FileSink {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(CHUNK * 3 + 16);
  private pos = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly encoding: TextEncoding,
    bom = false,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    if (bom) this.write('\uFEFF');
  }

  write(text: string): void {
    if (text.length > CHUNK) {
      for (let i = 0; i < text.length; i += CHUNK) this.write(text.slice(i, i + CHUNK));
      return;
    }
    if (this.pos + text.length * 3 > this.buf.length) this.flush();
    if (this.encoding === 'cp1252') this.pos += encodeCp1252Into(text, this.buf, this.pos);
    else this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface CsvOptions {
  separator: ';' | ',';
  eol: '\r\n' | '\n';
  encoding: TextEncoding;
  bom?: boolean;
  /**
   * Which fields are quoted: 'minimal' quotes only fields that need it (separator, quote, CR/LF);
   * 'spaces' also quotes text with a space or apostrophe (as some registry exports do).
   */
  quoting?: 'minimal' | 'spaces';
  /** Column indexes that are always quoted (free text). */
  alwaysQuote?: readonly number[];
}

/** A CSV file writer that counts records the way a spreadsheet does (the header is record 1). */
export class CsvWriter {
  private readonly sink: FileSink;
  private readonly needs: RegExp;
  private readonly always: boolean[];
  /** Records written so far, the header included. */
  records = 0;

  constructor(
    path: string,
    readonly columns: readonly string[],
    private readonly opts: CsvOptions,
  ) {
    this.sink = new FileSink(path, opts.encoding, opts.bom ?? false);
    const sep = opts.separator;
    this.needs = opts.quoting === 'spaces' ? new RegExp(`[${sep}"\\r\\n '’]`) : new RegExp(`[${sep}"\\r\\n]`);
    this.always = columns.map((_, i) => opts.alwaysQuote?.includes(i) ?? false);
    this.writeRaw(columns.map((c) => this.field(c, -1)).join(sep));
  }

  private field(value: string, col: number): string {
    if ((col >= 0 && this.always[col]) || this.needs.test(value)) return `"${value.replace(/"/g, '""')}"`;
    return value;
  }

  /** Format a record as it appears in the file (without the line ending). */
  format(values: readonly string[]): string {
    let line = '';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) line += this.opts.separator;
      line += this.field(values[i] as string, i);
    }
    return line;
  }

  private writeRaw(line: string): number {
    this.sink.write(line);
    this.sink.write(this.opts.eol);
    return ++this.records;
  }

  /** Write one record; returns its record number (the header is 1, the first data record 2). */
  row(values: readonly string[]): number {
    if (values.length !== this.columns.length) {
      throw new Error(`${this.sink.path}: ${values.length} values for ${this.columns.length} columns`);
    }
    return this.writeRaw(this.format(values));
  }

  /** Data records written (the header excluded). */
  get dataRows(): number {
    return this.records - 1;
  }

  close(): { path: string; rows: number; bytes: number } {
    this.sink.close();
    return { path: this.sink.path, rows: this.dataRows, bytes: this.sink.bytes };
  }
}

/** A JSON array written one element per line; element numbers count from 1. */
export class JsonArrayWriter {
  private readonly sink: FileSink;
  count = 0;

  constructor(path: string) {
    this.sink = new FileSink(path, 'utf8');
    this.sink.write('[');
  }

  /** Write one element; returns its 1-based position in the array. */
  item(value: unknown): number {
    this.sink.write(this.count === 0 ? '\n' : ',\n');
    this.sink.write(JSON.stringify(value));
    return ++this.count;
  }

  close(): { path: string; rows: number; bytes: number } {
    this.sink.write(this.count === 0 ? ']\n' : '\n]\n');
    this.sink.close();
    return { path: this.sink.path, rows: this.count, bytes: this.sink.bytes };
  }
}

/** Newline-delimited JSON; line numbers count from 1. */
export class NdjsonWriter {
  private readonly sink: FileSink;
  count = 0;

  constructor(path: string) {
    this.sink = new FileSink(path, 'utf8');
  }

  line(value: unknown): number {
    this.sink.write(JSON.stringify(value));
    this.sink.write('\n');
    return ++this.count;
  }

  close(): { path: string; rows: number; bytes: number } {
    this.sink.close();
    return { path: this.sink.path, rows: this.count, bytes: this.sink.bytes };
  }
}

/** Write pretty-printed JSON (truth files). */
export function writeJson(path: string, value: unknown): { path: string; rows: number; bytes: number } {
  const sink = new FileSink(path, 'utf8');
  sink.write(JSON.stringify(value, null, 2));
  sink.write('\n');
  sink.close();
  return { path, rows: Array.isArray(value) ? value.length : 1, bytes: sink.bytes };
}

// ---------------------------------------------------------------------------------------------
// Dutch number formats

/** `1234.5` → `1.234,50` (thousands dot, decimal comma). */
export function nlAmount(value: number, decimals = 2, thousands = true): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const dot = fixed.indexOf('.');
  const int = dot < 0 ? fixed : fixed.slice(0, dot);
  let grouped = int;
  if (thousands && int.length > 3) {
    grouped = '';
    for (let i = 0; i < int.length; i++) {
      if (i > 0 && (int.length - i) % 3 === 0) grouped += '.';
      grouped += int[i];
    }
  }
  return `${value < 0 ? '-' : ''}${grouped}${dot < 0 ? '' : `,${fixed.slice(dot + 1)}`}`;
}

export { writeXlsx, type CellValue, type SheetSpec } from './xlsx.js';
