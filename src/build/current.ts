import { existsSync } from 'node:fs';
import { DuckDBEngine } from '../engine/duckdb.js';
import type { Project } from '../project/types.js';
import { VersionStore, type VersionPointer } from './versions.js';

export class NoVersionError extends Error {}

/** Open the published version for reading. Builds write other files, so this never waits for one. */
export async function openCurrent(
  project: Project,
  opts: { sandbox?: boolean } = {},
): Promise<{ engine: DuckDBEngine; pointer: VersionPointer }> {
  const versions = new VersionStore(project.engine.path);
  const pointer = versions.current();
  if (!pointer || !existsSync(versions.pathOf(pointer.file))) {
    throw new NoVersionError('no published warehouse version yet; run `pakhuis build` first');
  }
  const engine = await DuckDBEngine.open(versions.pathOf(pointer.file), {
    readOnly: true,
    sandbox: opts.sandbox ?? false,
  });
  return { engine, pointer };
}
