import { loadProject } from '../../project/load.js';
import { DefinitionError } from '../../project/types.js';
import { protectedSignalInputs } from '../../privacy/signals.js';
import { CliError, EXIT } from '../errors.js';

/**
 * `pakhuis check`: the definitions as the loader reads them, and then what only the engine can
 * tell from them — whether a protected column feeds a signal model.
 */
export async function runCheck(dir: string, json: boolean): Promise<string> {
  const loaded = loadProject(dir);
  const { project } = loaded;
  const errors = [...loaded.errors];
  if (project) {
    for (const u of await protectedSignalInputs(project))
      errors.push(
        new DefinitionError(
          u.file,
          undefined,
          `signal model ${u.model} uses protected column ${u.source}.${u.column}: ${u.how}`,
          'protected data (nationality, ethnicity, migration background) may never select or score persons: remove the column from the model and everything it reads',
        ),
      );
  }
  if (json) {
    const out = JSON.stringify(
      {
        ok: errors.length === 0,
        errors: errors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message, fix: e.fix })),
      },
      null,
      2,
    );
    if (errors.length > 0) throw new CliError(out, EXIT.usage);
    return out;
  }
  if (!project || errors.length > 0)
    throw new CliError(
      `${errors.length} definition error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => e.toString()).join('\n')}`,
      EXIT.usage,
    );
  return `${project.municipality.name} (${project.municipality.code}): ${project.sources.length} sources, ${project.models.length} models, ${project.indicators.length} indicators — OK\norder: ${project.order.join(' → ')}`;
}
