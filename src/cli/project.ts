import { loadProject } from '../project/load.js';
import type { Project } from '../project/types.js';
import { CliError, EXIT } from './errors.js';

/** Load the project or stop with every definition error (exit 2). */
export function requireProject(dir: string): Project {
  const { project, errors } = loadProject(dir);
  if (!project) {
    throw new CliError(
      `${errors.length} definition error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => e.toString()).join('\n')}`,
      EXIT.usage,
    );
  }
  return project;
}
