import { buildRegister, registerToCsv, registerToMarkdown } from '../../privacy/register.js';
import type { Project } from '../../project/types.js';

/** The AVG art. 30 processing register, with DPIA flags, generated from the definitions. */
export function runRegister(project: Project, format: 'md' | 'csv' | 'json'): string {
  const register = buildRegister(project);
  if (format === 'json')
    return JSON.stringify(
      { municipality: project.municipality, controller: project.privacy.controller, processings: register },
      null,
      2,
    );
  if (format === 'csv') return registerToCsv(register);
  return registerToMarkdown(project, register);
}
