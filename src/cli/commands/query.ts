import { openCurrent } from '../../build/current.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';
import { formatRows, type OutputFormat } from '../format.js';

/** Run one read-only SELECT against the published version. */
export async function runQuery(
  project: Project,
  sql: string,
  format: OutputFormat,
  limit: number,
): Promise<string> {
  const { engine } = await openCurrent(project).catch((e: Error) => {
    throw new CliError(e.message, EXIT.failure);
  });
  try {
    const single = await engine.isSingleSelect(sql).catch((e: Error) => {
      throw new CliError(`the query does not parse: ${e.message.split('\n')[0]}`, EXIT.usage);
    });
    if (!single)
      throw new CliError(
        '`pakhuis query` runs exactly one SELECT statement (the warehouse is read-only here)',
        EXIT.usage,
      );
    const columns = (
      await engine.describe(sql).catch((e: Error) => {
        throw new CliError(e.message.split('\n')[0] ?? e.message, EXIT.usage);
      })
    ).map((c) => c.name);
    const rows = await engine.query(`SELECT * FROM (${sql}) AS q LIMIT ${Math.max(0, Math.floor(limit))}`);
    return formatRows(rows, columns, format);
  } finally {
    await engine.close();
  }
}
