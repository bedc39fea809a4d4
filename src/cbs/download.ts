import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CbsDownload } from '../project/types.js';
import { kerncijfersForMunicipality } from './kwb.js';
import { CbsV3 } from './v3.js';
import type { HttpOptions } from './http.js';

/**
 * Download a Kerncijfers-type table for the municipality's areas to a JSON file: one object per
 * area with code, level, name, period and one key per measure stem (null where CBS has no figure —
 * a secret cell is never 0). The `cbs` connector lands that file like any JSON source.
 */
export async function downloadCbs(
  d: CbsDownload,
  gemeente: string,
  path: string,
  http: Partial<HttpOptions> = {},
): Promise<{ rows: number; period: string; title: string; secret: number }> {
  const result = await kerncijfersForMunicipality({
    client: new CbsV3({ baseUrl: d.baseUrl, ...http }),
    table: d.table,
    gemeente,
    measures: d.measures,
  });
  const rows = result.rows.map((r) => ({
    code: r.code,
    level: r.level,
    name: r.name,
    period: r.period,
    ...r.measures,
  }));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(rows, null, 1));
  return {
    rows: rows.length,
    period: result.period,
    title: result.title,
    secret: result.rows.reduce((n, r) => n + Object.keys(r.missing).length, 0),
  };
}
