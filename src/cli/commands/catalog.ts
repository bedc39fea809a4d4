import { existsSync, writeFileSync } from 'node:fs';
import { catalogEntries, type CatalogEntry } from '../../catalog/catalog.js';
import { CatalogError, dcatCatalog, type DatasetFacts } from '../../catalog/dcat.js';
import type { Project } from '../../project/types.js';
import { closest } from '../../util/text.js';
import { statePath } from '../../build/build.js';
import { StateStore } from '../../state/store.js';
import { CliError, EXIT } from '../errors.js';
import { formatRows, type OutputFormat } from '../format.js';

/** `pakhuis catalog`: the bronnenregister, one line per source. */
export function runCatalogList(project: Project, format: OutputFormat): string {
  const rows = catalogEntries(project).map((e) => ({
    source: e.source.name,
    title: e.source.title,
    owner: e.source.owner,
    domain: e.source.domain ?? '',
    access: e.source.catalog.access,
    refresh: e.source.refresh,
    last_load: e.lastLoad?.loaded_at.slice(0, 16).replace('T', ' ') ?? 'never',
    rows: e.lastLoad ? e.lastLoad.rows_loaded : null,
    quarantined: e.lastLoad ? e.lastLoad.rows_quarantined : null,
    stale: e.stale ? 'yes' : '',
    score: e.score?.score ?? null,
    fg_approved: e.source.privacy.fgApproval ? e.source.privacy.fgApproval.date : 'NO',
  }));
  return formatRows(
    rows,
    [
      'source',
      'title',
      'owner',
      'domain',
      'access',
      'refresh',
      'last_load',
      'rows',
      'quarantined',
      'stale',
      'score',
      'fg_approved',
    ],
    format,
  );
}

/** `pakhuis catalog show <source>`: every field of one source, its columns, checks, profile and score history. */
export function runCatalogShow(
  project: Project,
  name: string,
  o: { json: boolean; column?: string },
): string {
  const entry = catalogEntries(project, { only: name, profiles: true })[0];
  if (!entry) {
    const hint = closest(
      name,
      project.sources.map((s) => s.name),
    );
    throw new CliError(`no source "${name}"${hint ? `; did you mean "${hint}"?` : ''}`, EXIT.usage);
  }
  if (o.column) return columnHistory(project, entry, o.column, o.json);
  if (o.json) return JSON.stringify(entryJson(entry), null, 2);
  const s = entry.source;
  const p = s.privacy;
  const kv = (k: string, v: string | undefined): string => `  ${`${k}:`.padEnd(18)}${v ?? '—'}`;
  const profileOf = new Map(entry.profile.map((c) => [c.column, c]));
  const lines = [
    `${s.title} (${s.name})`,
    ...(s.description ? [`  ${s.description}`] : []),
    '',
    'Catalog (DCAT-AP-DONL)',
    kv('identifier', s.catalog.identifier),
    kv('publisher', project.catalog.publisherUri),
    kv('creator', s.catalog.creator ?? `Gemeente ${project.municipality.name}`),
    kv(
      'contact',
      [s.catalog.contact.name, s.catalog.contact.email].filter(Boolean).join(' <') +
        (s.catalog.contact.email ? '>' : ''),
    ),
    kv('theme', s.catalog.theme.join(', ')),
    kv('access', s.catalog.access),
    kv('licence', s.catalog.licence),
    kv('language', s.catalog.language.join(', ')),
    kv('status', s.catalog.status),
    '',
    'Operation',
    kv('owner', s.owner),
    kv('steward', s.steward),
    kv('domain', s.domain),
    kv('file', s.connector.declaredPath),
    kv('refresh', `${s.refresh}${entry.stale ? ' — STALE: the delivery is older than this' : ''}`),
    kv('last load', entry.lastLoad ? `${entry.lastLoad.loaded_at} (${entry.lastLoad.status})` : 'never'),
    kv('content since', entry.contentSince),
    kv(
      'rows',
      entry.lastLoad
        ? `${entry.lastLoad.rows_loaded} loaded, ${entry.lastLoad.rows_quarantined} quarantined of ${entry.lastLoad.rows_read}`
        : undefined,
    ),
    '',
    'Privacy',
    kv('legal basis', `AVG art. 6(1)(${p.legalBasis.ground}) — ${p.legalBasis.law}`),
    kv('purposes', p.purposes.join(', ')),
    kv('data subjects', p.dataSubjects.join(', ')),
    kv(
      'FG approval',
      p.fgApproval
        ? `${p.fgApproval.by}, ${p.fgApproval.date}`
        : 'none: loads, but no model or query may use it',
    ),
    kv(
      'retention',
      'years' in p.retention
        ? `${p.retention.years} years on ${p.retention.column}`
        : `permanent (${p.retention.reason})`,
    ),
    '',
    'Columns',
    formatRows(
      s.columns.map((c) => {
        const pr = profileOf.get(c.name);
        return {
          column: c.name,
          type: c.type,
          classification:
            c.classification +
            (c.identifierKind ? `:${c.identifierKind}` : c.category ? `:${c.category}` : ''),
          generalise: c.generalise ?? '',
          nulls: pr && pr.rows > 0 ? `${((100 * pr.nulls) / pr.rows).toFixed(1)}%` : '',
          distinct: pr?.distinct ?? '',
          range:
            pr?.min !== null && pr?.min !== undefined
              ? `${pr.min} … ${pr.max}`
              : pr?.minLength !== null && pr?.minLength !== undefined
                ? `length ${pr.minLength}–${pr.maxLength}`
                : '',
          top: pr ? (pr.patterns[0]?.pattern ?? pr.topValues[0]?.value ?? '') : '',
          description: c.description ?? '',
        };
      }),
      ['column', 'type', 'classification', 'generalise', 'nulls', 'distinct', 'range', 'top', 'description'],
      'table',
    ),
    '',
    `Checks (last load)${entry.score ? ` — quality score ${entry.score.score}` : ''}`,
    entry.checks.length === 0
      ? '  none declared or not loaded yet'
      : formatRows(
          entry.checks,
          ['check', 'dimension', 'severity', 'status', 'failed', 'evaluated', 'message'],
          'table',
        ),
    '',
    'Score history',
    entry.history.length === 0
      ? '  none yet'
      : formatRows(
          entry.history.map((h) => ({ ...h, at: h.at.slice(0, 16).replace('T', ' ') })),
          ['at', 'score', 'completeness', 'validity', 'uniqueness', 'timeliness', 'consistency'],
          'table',
        ),
  ];
  return lines.join('\n');
}

/** The profile of one column at each load, newest first: how it changed over time. */
function columnHistory(project: Project, entry: CatalogEntry, column: string, json: boolean): string {
  if (!entry.source.columns.some((c) => c.name === column)) {
    throw new CliError(
      `source ${entry.source.name} has no column "${column}"; columns: ${entry.source.columns.map((c) => c.name).join(', ')}`,
      EXIT.usage,
    );
  }
  const state = new StateStore(statePath(project));
  try {
    const history = state.profiles({ source: entry.source.name, column });
    if (json) return JSON.stringify(history, null, 2);
    return formatRows(
      history.map((p) => ({
        at: p.at.slice(0, 16).replace('T', ' '),
        rows: p.rows,
        null_share: p.rows > 0 ? `${((100 * p.nulls) / p.rows).toFixed(2)}%` : '',
        distinct: p.distinct,
        min: p.min,
        max: p.max,
        mean: p.mean === null ? null : Number(p.mean.toFixed(2)),
        length: p.minLength === null ? null : `${p.minLength}–${p.maxLength}`,
        patterns: p.patterns.map((x) => `${x.pattern} (${x.count})`).join(', '),
        top_values: p.topValues.map((x) => `${x.value} (${x.count})`).join(', '),
      })),
      ['at', 'rows', 'null_share', 'distinct', 'min', 'max', 'mean', 'length', 'patterns', 'top_values'],
      'table',
    );
  } finally {
    state.close();
  }
}

function entryJson(e: CatalogEntry): Record<string, unknown> {
  return {
    name: e.source.name,
    title: e.source.title,
    description: e.source.description ?? null,
    owner: e.source.owner,
    steward: e.source.steward ?? null,
    domain: e.source.domain ?? null,
    refresh: e.source.refresh,
    catalog: e.source.catalog,
    privacy: e.source.privacy,
    columns: e.source.columns,
    lastLoad: e.lastLoad ?? null,
    contentSince: e.contentSince ?? null,
    stale: e.stale,
    score: e.score ?? null,
    history: e.history,
    checks: e.checks,
    profile: e.profile,
  };
}

/** `pakhuis catalog export --format dcat`: the public-facing metadata as DCAT-AP-DONL JSON-LD. */
export function runCatalogExport(project: Project, o: { out?: string }): string {
  const facts = new Map<string, DatasetFacts>(
    catalogEntries(project).flatMap((e) =>
      e.lastLoad
        ? [[e.source.name, { lastLoad: e.lastLoad.loaded_at, rows: e.lastLoad.rows_loaded }] as const]
        : [],
    ),
  );
  // publications change when a build publishes a new version
  const published = lastPublishedRun(project);
  if (published) for (const p of project.publications) facts.set(p.name, { lastLoad: published });
  let doc: Record<string, unknown>;
  try {
    doc = dcatCatalog(project, facts);
  } catch (e) {
    if (e instanceof CatalogError) throw new CliError(e.message, EXIT.usage);
    throw e;
  }
  const text = JSON.stringify(doc, null, 2);
  if (!o.out) return text;
  writeFileSync(o.out, text + '\n');
  const datasets = (doc['dcat:dataset'] as unknown[] | undefined)?.length ?? 0;
  return `wrote ${o.out}: ${datasets} datasets (publications and public sources only)`;
}

function lastPublishedRun(project: Project): string | undefined {
  if (!existsSync(statePath(project))) return undefined;
  const state = new StateStore(statePath(project));
  try {
    return state.runs(100).find((r) => r.status === 'success' && r.version)?.finished_at ?? undefined;
  } finally {
    state.close();
  }
}
