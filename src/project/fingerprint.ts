import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_FILE } from './load.js';

/** SHA-256 of every definition file of a project (project-relative path → hash). */
export function definitionFingerprint(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (rel: string): void => {
    out[rel] = createHash('sha256')
      .update(readFileSync(join(root, rel)))
      .digest('hex');
  };
  add(PROJECT_FILE);
  for (const dir of ['sources', 'models', 'publications']) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of readdirSync(join(root, dir)).sort()) if (/\.(ya?ml|sql)$/.test(f)) add(`${dir}/${f}`);
  }
  return out;
}

/** What changed between two fingerprints. */
export function diffFingerprints(
  before: Record<string, string>,
  after: Record<string, string>,
): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: Object.keys(after).filter((f) => !(f in before)),
    removed: Object.keys(before).filter((f) => !(f in after)),
    changed: Object.keys(after).filter((f) => f in before && before[f] !== after[f]),
  };
}
