import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { SCHEMA, type SourceDef } from '../project/types.js';
import { scanSource } from './index.js';
import { land, type LandChecks, type LandPrivacy, type LandResult } from './land.js';

export interface IngestResult extends LandResult {
  dropped: string[];
  notes: string[];
}

/**
 * Land one source into the open warehouse version: scan with its connector, then land. A CSV whose
 * encoding was guessed from its start as UTF-8 but holds Windows-1252 further on is read again as such.
 */
export async function ingestSource(
  engine: Engine,
  source: SourceDef,
  opts: { loadId: string; tmpDir: string; projectRoot: string; privacy?: LandPrivacy; quality?: LandChecks },
): Promise<IngestResult> {
  await mkdir(opts.tmpDir, { recursive: true });
  const label = relative(opts.projectRoot, source.connector.path) || source.connector.path;
  const attempt = async (s: SourceDef): Promise<IngestResult> => {
    const scan = await scanSource({ engine, source: s, loadId: opts.loadId, tmpDir: opts.tmpDir }, label);
    try {
      const result = await land(engine, s, scan, opts.loadId, label, opts.privacy, opts.quality);
      return { ...result, dropped: scan.dropped, notes: scan.notes };
    } finally {
      await scan.cleanup();
    }
  };
  const c = source.connector;
  let first: IngestResult | undefined;
  let failure: unknown;
  try {
    first = await attempt(source);
  } catch (e) {
    failure = e;
  }
  if (c.type === 'csv' && c.encoding === 'auto' && (await hadInvalidEncoding(engine, opts.loadId))) {
    await clearQuarantine(engine, opts.loadId);
    const result = await attempt({ ...source, connector: { ...c, encoding: 'windows-1252' } });
    return {
      ...result,
      notes: [...result.notes, 'not valid UTF-8 past the first megabyte: read as Windows-1252'],
    };
  }
  if (first) return first;
  throw failure;
}

async function hadInvalidEncoding(engine: Engine, loadId: string): Promise<boolean> {
  if (!(await engine.tableExists(SCHEMA.system, 'quarantine'))) return false;
  const rows = await engine.query(
    `SELECT 1 FROM ${engine.dialect.qualify(SCHEMA.system, 'quarantine')} WHERE load_id = $1 AND reason_code = 'invalid_encoding' LIMIT 1`,
    [loadId],
  );
  return rows.length > 0;
}

async function clearQuarantine(engine: Engine, loadId: string): Promise<void> {
  await engine.run(`DELETE FROM ${engine.dialect.qualify(SCHEMA.system, 'quarantine')} WHERE load_id = $1`, [
    loadId,
  ]);
}
