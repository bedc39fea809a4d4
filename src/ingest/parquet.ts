import type { ConnectorDef } from '../project/types.js';
import { IngestError } from './errors.js';
import { matchHeaders } from './headers.js';
import type { Scan, ScanContext } from './scan.js';

type ParquetConnector = Extract<ConnectorDef, { type: 'parquet' }>;

/** Parquet is typed: values keep their types and are cast to the declared ones. */
export async function scanParquet(ctx: ScanContext, c: ParquetConnector, label: string): Promise<Scan> {
  const d = ctx.engine.dialect;
  const relation = d.readParquet(c.path);
  let names: string[];
  try {
    names = (await ctx.engine.describe(`SELECT * FROM ${relation}`))
      .map((k) => k.name)
      .filter((n) => n !== 'file_row_number');
  } catch (e) {
    throw new IngestError(
      `${label}: cannot read as Parquet: ${(e as Error).message.split('\n')[0]}`,
      'check that the file is a Parquet file',
    );
  }
  const { index, dropped } = matchHeaders(ctx.source, names, label);
  return {
    relation,
    columns: new Map([...index].map(([name, i]) => [name, d.quoteIdentifier(names[i] as string)])),
    typed: true,
    rowNumber: 'file_row_number + 1',
    firstRow: 1,
    dropped,
    notes: [],
    cleanup: async () => {},
  };
}
