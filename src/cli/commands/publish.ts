import { openCurrent } from '../../build/current.js';
import { verifyPublished } from '../../publish/publish.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';

/** The independent disclosure auditor over every public table of the published version. */
export async function runPublishVerify(project: Project): Promise<string> {
  const { engine, pointer } = await openCurrent(project).catch((e: Error) => {
    throw new CliError(e.message, EXIT.failure);
  });
  try {
    const results = await verifyPublished(engine);
    const lines = results.map(
      (r) =>
        `${r.findings.length === 0 ? '✔' : '✖'} public.${r.table}: ${r.cells} cells, ${r.findings.length} finding(s)${r.findings.map((f) => `\n    ${JSON.stringify(f)}`).join('')}`,
    );
    const bad = results.filter((r) => r.findings.length > 0);
    const summary = `${pointer.version}: ${results.length} public table(s) audited, ${bad.length} with findings`;
    if (bad.length > 0) throw new CliError([...lines, summary].join('\n'), EXIT.failure);
    return [...lines, summary].join('\n');
  } finally {
    await engine.close();
  }
}
