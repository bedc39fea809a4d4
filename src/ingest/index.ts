import type { SourceDef } from '../project/types.js';
import { scanCsv } from './csv.js';
import { scanJson } from './json.js';
import { scanParquet } from './parquet.js';
import type { Scan, ScanContext } from './scan.js';
import { scanXlsx } from './xlsx.js';

/** The connector for a source's declared type. */
export function scanSource(ctx: ScanContext, label: string): Promise<Scan> {
  const c = ctx.source.connector;
  switch (c.type) {
    case 'csv':
      return scanCsv(ctx, c, label);
    case 'xlsx':
      return scanXlsx(ctx, c, label);
    case 'json':
      return scanJson(ctx, c, label);
    case 'parquet':
      return scanParquet(ctx, c, label);
  }
}

export type { SourceDef };
