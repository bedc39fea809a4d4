import { openCurrent } from '../../build/current.js';
import { authorise, AuthorisationError, principalFor } from '../../privacy/authorise.js';
import { PrivacyServices } from '../../privacy/services.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';
import { formatRows, type OutputFormat } from '../format.js';

export interface QueryOptions {
  format: OutputFormat;
  limit: number;
  role: string;
  purpose: string;
}

/**
 * Run one read-only SELECT against the published version, for a role and a purpose: authorised by
 * the central authorise(), on a connection that cannot read files, and written to the audit log
 * (refusals too).
 */
export async function runQuery(project: Project, sql: string, o: QueryOptions): Promise<string> {
  const who = (() => {
    try {
      return principalFor(project, o.role);
    } catch (e) {
      if (e instanceof AuthorisationError) throw new CliError(e.message, EXIT.usage);
      throw e;
    }
  })();
  const privacy = PrivacyServices.open(project);
  const { engine } = await openCurrent(project, { sandbox: true }).catch((e: Error) => {
    privacy.close();
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
    const refs = await engine.referencedTables(sql);
    const unqualified = refs.tables.filter((t) => !t.includes('.'));
    const refusal =
      refs.functions.length > 0
        ? `table functions (${refs.functions.join(', ')}) are not allowed: query the warehouse tables`
        : unqualified.length > 0
          ? `qualify every table with its schema (sources.…, models.…): ${unqualified.join(', ')}`
          : undefined;
    const decision = refusal
      ? { allowed: false, reason: refusal, sources: [] }
      : authorise(project, who, 'query', { tables: refs.tables }, o.purpose);
    if (!decision.allowed) {
      privacy.audit.append({
        actor: who.user,
        role: who.role.name,
        purpose: o.purpose,
        action: 'denied',
        resource: refs.tables.join(', ') || '(none)',
        rows: null,
        detail: { attempted: 'query', reason: decision.reason },
      });
      throw new CliError(`refused: ${decision.reason}`, EXIT.usage);
    }
    const columns = (
      await engine.describe(sql).catch((e: Error) => {
        throw new CliError(e.message.split('\n')[0] ?? e.message, EXIT.usage);
      })
    ).map((c) => c.name);
    const rows = await engine.query(`SELECT * FROM (${sql}) AS q LIMIT ${Math.max(0, Math.floor(o.limit))}`);
    privacy.audit.append({
      actor: who.user,
      role: who.role.name,
      purpose: o.purpose,
      action: 'query',
      resource: refs.tables.join(', '),
      rows: rows.length,
      detail: { sql, sources: decision.sources },
    });
    return formatRows(rows, columns, o.format);
  } finally {
    await engine.close();
    privacy.close();
  }
}
