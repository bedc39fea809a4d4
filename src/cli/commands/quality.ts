import { catalogEntries } from '../../catalog/catalog.js';
import { currentUser } from '../../privacy/authorise.js';
import { PrivacyServices } from '../../privacy/services.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';
import { formatRows, type OutputFormat } from '../format.js';

/**
 * `pakhuis quality [--owner <name>] [--source <name>]`: the quality score of each source at its
 * last load with its trend, and what fails, with example rows (file row numbers; values only as
 * they landed: pseudonymised, generalised, or hidden for sensitive data). Showing examples is a data
 * access, so it is written to the audit log.
 */
export function runQuality(
  project: Project,
  o: { owner?: string; source?: string; format: OutputFormat },
): string {
  let entries = catalogEntries(project);
  if (o.owner) {
    const owners = [...new Set(entries.map((e) => e.source.owner))];
    entries = entries.filter((e) => e.source.owner.toLowerCase() === (o.owner as string).toLowerCase());
    if (entries.length === 0)
      throw new CliError(`no source has owner "${o.owner}"; owners: ${owners.join(', ')}`, EXIT.usage);
  }
  if (o.source) {
    entries = entries.filter((e) => e.source.name === o.source);
    if (entries.length === 0) throw new CliError(`no source "${o.source}"`, EXIT.usage);
  }
  const overview = entries.map((e) => {
    const [now, before] = e.history;
    return {
      source: e.source.name,
      owner: e.source.owner,
      score: now?.score ?? null,
      change:
        now?.score != null && before?.score != null ? Number((now.score - before.score).toFixed(2)) : null,
      trend: e.history
        .slice(0, 6)
        .reverse()
        .map((h) => h.score ?? '–')
        .join(' → '),
      completeness: now?.completeness ?? null,
      validity: now?.validity ?? null,
      uniqueness: now?.uniqueness ?? null,
      timeliness: now?.timeliness ?? null,
      consistency: now?.consistency ?? null,
      stale: e.stale ? 'yes' : '',
      failing: e.checks.filter((c) => c.status !== 'pass').length,
    };
  });
  const failing = entries.flatMap((e) =>
    e.checks
      .filter((c) => c.status !== 'pass')
      .map((c) => ({
        source: e.source.name,
        check: c.check,
        column: c.column,
        severity: c.severity,
        status: c.status,
        failed: c.failed,
        evaluated: c.evaluated,
        message: c.message,
        examples: c.examples
          .map((x) => [x.row !== undefined ? `row ${x.row}` : '', x.value ?? ''].filter(Boolean).join(': '))
          .join('; '),
      })),
  );
  const shown = failing.reduce((n, f) => n + (f.examples ? f.examples.split('; ').length : 0), 0);
  if (shown > 0) {
    const privacy = PrivacyServices.open(project);
    try {
      privacy.audit.append({
        actor: currentUser(),
        role: null,
        purpose: null,
        action: 'quality_read',
        resource: [...new Set(failing.map((f) => f.source))].join(', '),
        rows: shown,
        detail: { owner: o.owner ?? null, source: o.source ?? null },
      });
    } finally {
      privacy.close();
    }
  }
  if (o.format === 'json') return JSON.stringify({ overview, failing }, null, 2);
  return [
    formatRows(
      overview,
      [
        'source',
        'owner',
        'score',
        'change',
        'trend',
        'completeness',
        'validity',
        'uniqueness',
        'timeliness',
        'consistency',
        'stale',
        'failing',
      ],
      o.format,
    ),
    '',
    failing.length === 0
      ? 'Every check passes.'
      : formatRows(
          failing,
          ['source', 'check', 'severity', 'status', 'failed', 'evaluated', 'message', 'examples'],
          o.format,
        ),
  ].join('\n');
}
