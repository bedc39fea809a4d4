import { open } from 'node:fs/promises';
import type { ConnectorDef } from '../project/types.js';
import { IngestError } from './errors.js';
import { matchHeaders } from './headers.js';
import type { Scan, ScanContext } from './scan.js';

type JsonConnector = Extract<ConnectorDef, { type: 'json' }>;

async function detectFormat(path: string, label: string): Promise<'array' | 'ndjson'> {
  const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new IngestError(
      `${label}: cannot open the file (${e.code ?? e.message})`,
      'check connector.path and the data folder in pakhuis.yaml',
    );
  });
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (head.length === 0) throw new IngestError(`${label}: the file is empty`, 'export the data again');
    if (head.startsWith('[')) return 'array';
    if (head.startsWith('{')) return 'ndjson';
    throw new IngestError(
      `${label}: not JSON (starts with ${JSON.stringify(head.slice(0, 20))})`,
      'deliver a JSON array of objects, or one JSON object per line (NDJSON)',
    );
  } finally {
    await handle.close();
  }
}

/** JSON arrays and NDJSON through DuckDB's json reader; every declared key is read as text. */
export async function scanJson(ctx: ScanContext, c: JsonConnector, label: string): Promise<Scan> {
  const format = c.format === 'auto' ? await detectFormat(c.path, label) : c.format;
  const d = ctx.engine.dialect;
  const probe = d.readJson(c.path, { format });
  let keys: string[];
  try {
    keys = (await ctx.engine.describe(`SELECT * FROM ${probe}`)).map((k) => k.name);
  } catch (e) {
    throw new IngestError(
      `${label}: invalid ${format === 'array' ? 'JSON' : 'NDJSON'}: ${(e as Error).message.split('\n')[0]}`,
      'repair the export; every record must be a JSON object',
    );
  }
  const { index, dropped } = matchHeaders(ctx.source, keys, label);
  const wanted = [...new Set(index.values())].map((i) => keys[i] as string);
  const relation = d.readJson(c.path, { format, columns: wanted });
  return {
    relation,
    columns: new Map([...index].map(([name, i]) => [name, d.quoteIdentifier(keys[i] as string)])),
    typed: false,
    text: c,
    firstRow: 1,
    dropped,
    notes: [`format ${format}`],
    cleanup: async () => {},
  };
}
