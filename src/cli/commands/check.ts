import { loadProject } from '../../project/load.js';
import { CliError, EXIT } from '../errors.js';

export function runCheck(dir: string, json: boolean): string {
  const { project, errors } = loadProject(dir);
  if (json) {
    const out = JSON.stringify(
      {
        ok: errors.length === 0,
        errors: errors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message, fix: e.fix })),
      },
      null,
      2,
    );
    if (!project) throw new CliError(out, EXIT.usage);
    return out;
  }
  if (!project)
    throw new CliError(
      `${errors.length} definition error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => e.toString()).join('\n')}`,
      EXIT.usage,
    );
  return `${project.municipality.name} (${project.municipality.code}): ${project.sources.length} sources, ${project.models.length} models — OK\norder: ${project.order.join(' → ')}`;
}
