import { copyFileSync, existsSync } from 'node:fs';
import { keyFilePath, writeKeyFile } from '../../privacy/keys.js';
import { PrivacyServices } from '../../privacy/services.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';
import { runBuild } from './build.js';

/**
 * Rotate the pseudonymisation key: a new key file (the old one kept beside it as .previous), the
 * vault emptied (its pseudonyms are the old ones), and a full build that re-pseudonymises every
 * source from its input files consistently under the new key.
 */
export async function runKeysRotate(project: Project): Promise<string> {
  if (process.env[project.privacy.key.env]) {
    throw new CliError(
      `the key comes from $${project.privacy.key.env}; rotate it where that variable is set, then run \`pakhuis build --full\``,
      EXIT.usage,
    );
  }
  if (!project.privacy.key.file)
    throw new CliError('no privacy.key.file in pakhuis.yaml to rotate', EXIT.usage);
  const file = keyFilePath(project.privacy.key.file);
  if (existsSync(file)) copyFileSync(file, `${file}.previous`);
  writeKeyFile(project.privacy.key.file, true);
  const privacy = PrivacyServices.open(project);
  privacy.vault.clear();
  privacy.audit.append({
    actor: process.env['PAKHUIS_USER'] ?? 'cli',
    role: null,
    purpose: null,
    action: 'definition_change',
    resource: 'pseudonymisation key',
    rows: null,
    detail: { rotated: true },
  });
  privacy.close();
  await runBuild(project, { full: true, command: 'keys rotate' });
  return `Rotated the key in ${file} (previous key in ${file}.previous) and rebuilt every source.`;
}
