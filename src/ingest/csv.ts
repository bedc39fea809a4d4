import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { ConnectorDef } from '../project/types.js';
import { IngestError } from './errors.js';
import { matchHeaders } from './headers.js';
import type { Scan, ScanContext } from './scan.js';

type CsvConnector = Extract<ConnectorDef, { type: 'csv' }>;
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

const SAMPLE_BYTES = 1 << 20;
const DELIMITERS = [';', ',', '\t', '|'] as const;

export interface CsvSniff {
  encoding: CsvEncoding;
  delimiter: string;
  headers: string[];
}

/** Look at the start of the file: encoding, delimiter and the header record. */
export async function sniffCsv(
  path: string,
  label: string,
  c: Pick<CsvConnector, 'encoding' | 'delimiter' | 'quote'>,
): Promise<CsvSniff> {
  const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new IngestError(
      `${label}: cannot open the file (${e.code ?? e.message})`,
      'check connector.path and the data folder in pakhuis.yaml',
    );
  });
  let sample: Buffer;
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SAMPLE_BYTES, 0);
    sample = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (sample.length === 0)
    throw new IngestError(
      `${label}: the file is empty (0 bytes)`,
      'export the data again; an empty file has no header and no rows',
    );
  if (sample[0] === 0x50 && sample[1] === 0x4b) {
    throw new IngestError(
      `${label}: this is a ZIP container (an .xlsx?), not a CSV file`,
      'use connector type xlsx, or export as CSV',
    );
  }
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    throw new IngestError(
      `${label}: binary content (a NUL byte at byte ${nul}); this is not a text CSV file`,
      'check that the right file was delivered; UTF-16 exports must be saved as UTF-8 or Windows-1252',
    );
  }
  const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
  let encoding: CsvEncoding;
  if (c.encoding === 'windows-1252') encoding = 'windows-1252';
  else if (bom) encoding = 'utf-8-bom';
  else if (c.encoding === 'utf-8' || isUtf8(sample, sample.length < SAMPLE_BYTES)) encoding = 'utf-8';
  else encoding = 'windows-1252';

  const text = new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(
    bom ? sample.subarray(3) : sample,
  );
  const delimiter = c.delimiter === 'auto' ? detectDelimiter(text, c.quote) : c.delimiter;
  const headers = firstRecord(text, delimiter, c.quote);
  if (headers.every((h) => h.trim() === ''))
    throw new IngestError(
      `${label}: the first line is empty; expected a header`,
      'remove empty lines above the header',
    );
  return { encoding, delimiter, headers };
}

function isUtf8(sample: Buffer, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** The candidate that splits the header record into the most fields (outside quotes). */
export function detectDelimiter(text: string, quote: string): string {
  const header = headerText(text, quote);
  let best: string = ';';
  let bestCount = -1;
  for (const d of DELIMITERS) {
    const n = splitRecord(header, d, quote).length;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** The text of the first record (a quoted field may span lines). */
function headerText(text: string, quote: string): string {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === quote) inQuote = !inQuote;
    else if (!inQuote && (ch === '\n' || ch === '\r')) return text.slice(0, i);
  }
  return text;
}

function splitRecord(record: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuote = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i] as string;
    if (inQuote) {
      if (ch === quote && record[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) inQuote = false;
      else field += ch;
    } else if (ch === quote) inQuote = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export function firstRecord(text: string, delimiter: string, quote: string): string[] {
  return splitRecord(headerText(text, quote), delimiter, quote);
}

/** Re-encode a Windows-1252 file as UTF-8, streaming. */
async function transcode(from: string, to: string): Promise<void> {
  const decoder = new TextDecoder('windows-1252');
  await pipeline(
    createReadStream(from),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
      },
      flush(done) {
        done(null, Buffer.from(decoder.decode(), 'utf8'));
      },
    }),
    createWriteStream(to),
  );
}

/**
 * Scan a CSV file. `rowNumberHeader` names a column that carries the source row number (used when
 * another connector, such as xlsx, writes an intermediate CSV).
 */
export async function scanCsv(
  ctx: ScanContext,
  c: CsvConnector,
  label: string,
  rowNumberHeader?: string,
): Promise<Scan> {
  const sniff = await sniffCsv(c.path, label, c);
  const rowIndex = rowNumberHeader === undefined ? -1 : sniff.headers.indexOf(rowNumberHeader);
  const { index, dropped } = matchHeaders(
    ctx.source,
    sniff.headers.map((h, i) => (i === rowIndex ? '' : h)),
    label,
  );
  const temps: string[] = [];
  let path = c.path;
  if (sniff.encoding === 'windows-1252') {
    path = join(ctx.tmpDir, `${ctx.loadId}.utf8.csv`);
    await transcode(c.path, path);
    temps.push(path);
  }
  const d = ctx.engine.dialect;
  const rejects = `pakhuis_rejects_${ctx.loadId}`;
  const relation = d.readCsv(path, {
    delimiter: sniff.delimiter,
    quote: c.quote,
    columns: sniff.headers.map((_, i) => `c${i}`),
    rejectsTable: rejects,
  });
  const columns = new Map([...index].map(([name, i]) => [name, d.quoteIdentifier(`c${i}`)]));
  return {
    relation,
    columns,
    typed: false,
    text: c,
    firstRow: 2,
    ...(rowIndex >= 0 ? { rowNumber: `CAST(${d.quoteIdentifier(`c${rowIndex}`)} AS BIGINT)` } : {}),
    rejectsTable: rejects,
    dropped,
    notes: [
      `encoding ${sniff.encoding}`,
      `delimiter ${JSON.stringify(sniff.delimiter)}`,
      ...(sniff.headers.some((h) => h.trim() === '')
        ? [`${sniff.headers.filter((h) => h.trim() === '').length} empty header field(s) ignored`]
        : []),
    ],
    cleanup: async () => {
      for (const t of temps) await rm(t, { force: true });
      await ctx.engine.run(
        `DROP TABLE IF EXISTS ${d.quoteIdentifier(rejects)}; DROP TABLE IF EXISTS ${d.quoteIdentifier(`${rejects}_scan`)}`,
      );
    },
  };
}
