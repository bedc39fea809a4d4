import type { ColumnType, Dialect, Generalisation } from '../engine/dialect.js';
import { DuckDBEngine } from '../engine/duckdb.js';
import type { Engine } from '../engine/engine.js';
import { compileRefs } from '../project/refs.js';
import { compileModel, LINKS_SCHEMA } from '../project/compile.js';
import {
  nodeSchema,
  SCHEMA,
  type CheckDef,
  type CheckType,
  type ColumnDef,
  type IndicatorDef,
  type IndicatorSide,
  type ModelDef,
  type NodeDef,
  type Project,
  type PublicationDef,
  type SourceDef,
} from '../project/types.js';
import { didYouMean, LineageError } from './graph.js';

/**
 * Column-level lineage and impact analysis with the engine's own binder, not a parser of our own.
 *
 * A scratch in-memory DuckDB gets one empty table per source, shaped as the loader lands it, and one
 * VIEW per model, created in dependency order from its compiled SQL: creating a view binds it, so a
 * model that names a column that is not there fails exactly as its build would. Impact analysis binds
 * the project twice, as defined and with one column removed or retyped, and compares the two.
 */

export interface OutputColumn {
  name: string;
  /** the engine's type, e.g. VARCHAR, BIGINT, DECIMAL(18,4) */
  type: string;
}

export interface ModelColumns {
  model: string;
  file: string;
  /** empty when the model does not bind */
  columns: OutputColumn[];
  /** why the model does not bind: the engine's error (first line), or `depends on <model>` */
  error?: string;
}

export type ColumnChange = 'remove' | { type: ColumnType };

export type ImpactTarget =
  | { source: string; column: string; change: ColumnChange }
  /** a model column; the change defaults to removing it */
  | { model: string; column: string; change?: ColumnChange };

export interface ImpactReport {
  target: { kind: 'source' | 'model'; node: string; file: string; column: string; change: ColumnChange };
  /** sources and models that no longer bind, with the engine's error (first line) */
  broken: Array<{ node: string; kind: 'source' | 'model'; file: string; error: string }>;
  /** models that cannot be built because a model they read no longer builds */
  downstream: Array<{ node: string; file: string; reason: string }>;
  /** output columns of models that still bind, and are gone (`after: null`) or of another type */
  columnChanges: Array<{ node: string; column: string; before: string; after: string | null }>;
  /** checks of nodes that still build that no longer bind, or read a column whose type changes */
  checks: Array<{
    node: string;
    check: string;
    type: CheckType;
    file: string;
    line: number | null;
    reason: string;
  }>;
  /** publications whose model no longer builds, or whose declared columns are gone or retyped */
  publications: Array<{ node: string; file: string; reason: string }>;
  /** indicators whose models no longer build, or whose columns, period columns or filters no longer bind */
  indicators: Array<{ node: string; file: string; reason: string }>;
  notes: string[];
}

/** The outcome of binding one node or check in the scratch database. */
type BindState =
  | { status: 'ok'; columns: OutputColumn[] }
  | { status: 'error'; error: string }
  | { status: 'blocked'; by: string[] };

interface Scratch {
  nodes: Map<string, BindState>;
  /** by checkKey */
  checks: Map<string, BindState>;
  /** each indicator's reads of its models (columns, period columns and filters), bound */
  indicators: Map<string, BindState>;
}

/** One column of one source or model, removed or retyped. */
interface Variant {
  node: string;
  column: string;
  change: ColumnChange;
}

/** `{{ this }}` in a sql check: the checked table. */
const THIS = /\{\{\s*this\s*\}\}/g;

/** Every model's output columns and engine types, in dependency order. */
export async function modelColumns(project: Project): Promise<ModelColumns[]> {
  const { nodes } = await bindProject(project);
  return inOrder(project, project.models).map((m) => {
    const state = nodes.get(m.name) as BindState;
    const error = failure(state);
    return {
      model: m.name,
      file: m.file,
      columns: state.status === 'ok' ? state.columns : [],
      ...(error ? { error } : {}),
    };
  });
}

/**
 * The target of `pakhuis lineage impact <node>.<column>`: a source or model column. An unknown node
 * or column is a LineageError that suggests the closest name.
 */
export function impactTarget(project: Project, spec: string, change: ColumnChange): ImpactTarget {
  const dot = spec.indexOf('.');
  if (dot <= 0 || dot === spec.length - 1)
    throw new LineageError(`"${spec}" is not <source or model>.<column>, e.g. personen.geboortedatum`);
  const node = spec.slice(0, dot);
  const column = spec.slice(dot + 1);
  if (project.sources.some((s) => s.name === node)) return { source: node, column, change };
  if (project.models.some((m) => m.name === node)) return { model: node, column, change };
  const publication = project.publications.find((p) => p.name === node);
  if (publication)
    throw new LineageError(
      `${node} is a publication; impact analysis takes a column of a source or model (it publishes model ${publication.model})`,
    );
  const names = [...project.sources, ...project.models].map((n) => n.name);
  throw new LineageError(`no source or model is named "${node}"${didYouMean(node, names)}`);
}

/**
 * What breaks when a source column is removed or retyped, or a model column removed (or retyped):
 * binds the project as defined and as changed, and reports every difference.
 */
export async function impact(project: Project, target: ImpactTarget): Promise<ImpactReport> {
  const variant: Variant =
    'source' in target
      ? { node: target.source, column: target.column, change: target.change }
      : { node: target.model, column: target.column, change: target.change ?? 'remove' };
  const kind = 'source' in target ? 'source' : 'model';
  const baseline = await bindProject(project);
  const { file, notes } = validateTarget(project, baseline, kind, variant);
  const comparison: Comparison = { project, variant, baseline, changed: await bindProject(project, variant) };
  return {
    target: { kind, node: variant.node, file, column: variant.column, change: variant.change },
    ...nodeImpact(comparison),
    checks: checkImpact(comparison),
    publications: publicationImpact(comparison),
    indicators: indicatorImpact(comparison),
    notes,
  };
}

/** The project bound as defined and with the variant applied. */
interface Comparison {
  project: Project;
  variant: Variant;
  baseline: Scratch;
  changed: Scratch;
}

/** Sources and models that break, are blocked by one that breaks, or change their output columns. */
function nodeImpact(c: Comparison): Pick<ImpactReport, 'broken' | 'downstream' | 'columnChanges'> {
  const out: Pick<ImpactReport, 'broken' | 'downstream' | 'columnChanges'> = {
    broken: [],
    downstream: [],
    columnChanges: [],
  };
  for (const node of inOrder(c.project, [...c.project.sources, ...c.project.models])) {
    const before = c.baseline.nodes.get(node.name) as BindState;
    const after = c.changed.nodes.get(node.name) as BindState;
    if (before.status !== 'ok') continue; // already broken as defined: not this change's doing
    if (after.status === 'error')
      out.broken.push({ node: node.name, kind: node.kind, file: node.file, error: after.error });
    else if (after.status === 'blocked')
      out.downstream.push({ node: node.name, file: node.file, reason: `depends on ${after.by.join(', ')}` });
    else if (node.name !== c.variant.node)
      for (const d of columnDiff(before.columns, after.columns))
        out.columnChanges.push({ node: node.name, ...d });
  }
  return out;
}

/** Checks that no longer bind or read a retyped column, on nodes that still build (the others' go with them). */
function checkImpact(c: Comparison): ImpactReport['checks'] {
  const out: ImpactReport['checks'] = [];
  for (const node of inOrder(c.project, [...c.project.sources, ...c.project.models])) {
    if (c.changed.nodes.get(node.name)?.status !== 'ok') continue;
    for (const check of node.checks) {
      const before = c.baseline.checks.get(checkKey(node.name, check)) as BindState;
      const after = c.changed.checks.get(checkKey(node.name, check)) as BindState;
      if (before.status !== 'ok') continue;
      const reason =
        after.status === 'ok'
          ? columnDiff(before.columns, after.columns)
              .map((d) => `reads ${d.column}, whose type changes from ${d.before} to ${d.after}`)
              .join('; ')
          : after.status === 'blocked'
            ? `reads ${after.by.join(', ')}, which no longer builds`
            : after.error;
      if (reason)
        out.push({
          node: node.name,
          check: check.id,
          type: check.type,
          file: node.kind === 'model' ? (node.metaFile ?? node.file) : node.file,
          line: check.line ?? null,
          reason,
        });
    }
  }
  return out;
}

/** Publications whose model no longer builds, or whose declared columns are gone or retyped. */
function publicationImpact(c: Comparison): ImpactReport['publications'] {
  const out: ImpactReport['publications'] = [];
  for (const pub of c.project.publications) {
    const before = c.baseline.nodes.get(pub.model) as BindState;
    const after = c.changed.nodes.get(pub.model) as BindState;
    if (before.status !== 'ok') continue;
    const declared = publicationColumns(pub);
    const reasons =
      after.status !== 'ok'
        ? [`its model ${pub.model} no longer builds`]
        : columnDiff(before.columns, after.columns).flatMap((d) =>
            declared
              .filter(([, column]) => column === d.column)
              .map(([role]) =>
                d.after === null
                  ? `${role} column ${d.column} is no longer in ${pub.model}`
                  : `${role} column ${d.column} changes type from ${d.before} to ${d.after}`,
              ),
          );
    if (reasons.length > 0) out.push({ node: pub.name, file: pub.file, reason: reasons.join('; ') });
  }
  return out;
}

/**
 * Bind every source and model (and their checks) in a fresh scratch database, optionally with one
 * column changed. Sandboxed: definitions cannot reach files or the network from here.
 */
async function bindProject(project: Project, variant?: Variant): Promise<Scratch> {
  const engine = await DuckDBEngine.open(':memory:', { sandbox: true });
  try {
    const d = engine.dialect;
    const byName = new Map<string, NodeDef>(
      [...project.sources, ...project.models, ...project.publications].map((n) => [n.name, n]),
    );
    const table = (name: string): string => d.qualify(nodeSchema(byName.get(name) as NodeDef), name);
    for (const schema of [SCHEMA.sources, SCHEMA.models, LINKS_SCHEMA]) await engine.ensureSchema(schema);
    // the declared links, shaped as the build makes them, so models reading link('a', 'b') bind
    for (const l of project.privacy.links) {
      const [a, b] = l.domains;
      await engine.run(
        `CREATE TABLE IF NOT EXISTS ${d.qualify(LINKS_SCHEMA, `${a}__${b}`)} (source VARCHAR, column_name VARCHAR, ${d.quoteIdentifier(`pseudonym_${a}`)} VARCHAR, ${d.quoteIdentifier(`pseudonym_${b}`)} VARCHAR)`,
      );
    }

    const nodes = new Map<string, BindState>();
    const unbuilt = (names: string[]): string[] => names.filter((n) => nodes.get(n)?.status !== 'ok');
    const built = inOrder(project, [...project.sources, ...project.models]);
    for (const node of built) {
      const blockedBy = node.kind === 'model' ? unbuilt(node.refs) : [];
      if (blockedBy.length > 0) {
        nodes.set(node.name, { status: 'blocked', by: blockedBy });
        continue;
      }
      const change = variant?.node === node.name ? variant : undefined;
      nodes.set(
        node.name,
        await bind(async () => {
          const select =
            node.kind === 'source'
              ? landedSelect(d, node, change)
              : await modelSelect(engine, project, node, change);
          await engine.run(
            `CREATE ${node.kind === 'source' ? 'TABLE' : 'VIEW'} ${table(node.name)} AS ${select}`,
          );
          return engine.describe(table(node.name));
        }),
      );
    }

    const checks = new Map<string, BindState>();
    for (const node of built) {
      if (nodes.get(node.name)?.status !== 'ok') continue;
      for (const check of node.checks) {
        const blockedBy = unbuilt(check.refs.filter((r) => r !== node.name));
        checks.set(
          checkKey(node.name, check),
          blockedBy.length > 0
            ? { status: 'blocked', by: blockedBy }
            : await bind(async () => {
                const read: OutputColumn[] = [];
                for (const probe of checkProbes(d, node, check, table)) {
                  await requireSingleSelect(engine, probe.sql);
                  const columns = await engine.describe(probe.sql);
                  // named after the node read, so that a relationships check's two sides stay apart
                  if (probe.reads)
                    read.push(...columns.map((c) => ({ name: `${probe.reads}.${c.name}`, type: c.type })));
                }
                return read;
              }),
        );
      }
    }
    const indicators = new Map<string, BindState>();
    for (const ind of project.indicators) {
      const models = [ind.numerator, ...(ind.denominator ? [ind.denominator] : [])];
      const blockedBy = unbuilt([...new Set(models.map((m) => m.model))]);
      indicators.set(
        ind.name,
        blockedBy.length > 0
          ? { status: 'blocked', by: blockedBy }
          : await bind(async () => {
              const read: OutputColumn[] = [];
              for (const side of models) {
                const sql = indicatorProbe(d, ind, side, table(side.model));
                await requireSingleSelect(engine, sql);
                read.push(...(await engine.describe(sql)));
              }
              return read;
            }),
      );
    }
    return { nodes, checks, indicators };
  } finally {
    await engine.close();
  }
}

/** What an indicator reads of one side's model, as one SELECT: its columns, period columns and filter. */
function indicatorProbe(d: Dialect, ind: IndicatorDef, side: IndicatorSide, model: string): string {
  const cols = [
    ind.area,
    side.period.date,
    side.period.from,
    side.period.to,
    side.sum,
    ind.type === 'mean' ? ind.value : undefined,
  ].filter((c): c is string => c !== undefined);
  return `SELECT ${[...new Set(cols)].map((c) => `m.${d.quoteIdentifier(c)}`).join(', ')}
    FROM ${model} AS m, (SELECT DATE '2000-01-01' AS period_start, DATE '2000-12-31' AS period_end) AS p
    ${side.filter ? `WHERE ${side.filter}` : ''}`;
}

/** Indicators whose models no longer build, or that no longer bind: a column they read is gone or its filter fails. */
function indicatorImpact(c: Comparison): ImpactReport['indicators'] {
  const out: ImpactReport['indicators'] = [];
  for (const ind of c.project.indicators) {
    const before = c.baseline.indicators.get(ind.name);
    const after = c.changed.indicators.get(ind.name);
    if (before?.status !== 'ok' || !after) continue;
    if (after.status === 'blocked')
      out.push({ node: ind.name, file: ind.file, reason: `depends on ${after.by.join(', ')}` });
    else if (after.status === 'error') out.push({ node: ind.name, file: ind.file, reason: after.error });
    else {
      const retyped = columnDiff(before.columns, after.columns).filter((x) => x.after !== null);
      if (retyped.length > 0)
        out.push({
          node: ind.name,
          file: ind.file,
          reason: retyped
            .map((x) => `column ${x.column} changes type from ${x.before} to ${x.after}`)
            .join('; '),
        });
    }
  }
  return out;
}

/** A column as the loader lands it: identifiers as pseudonym text, quasi-identifiers generalised. */
interface LandedColumn {
  name: string;
  type: ColumnType;
  identifier: boolean;
  generalise?: Generalisation;
}

/** Geocoded coordinates do not land: the buurt code they are geocoded to does. */
function landedColumns(source: SourceDef): LandedColumn[] {
  const declared = source.columns.flatMap((c): LandedColumn[] =>
    c.generalise === 'buurt'
      ? []
      : [
          {
            name: c.name,
            type: c.type,
            identifier: c.classification === 'identifier',
            generalise: c.generalise,
          },
        ],
  );
  const geocoded: LandedColumn[] = [source.geocode?.to, source.geocodeBag?.to]
    .filter((t): t is string => t !== undefined)
    .map((name) => ({ name, type: 'text', identifier: false }));
  return [...declared, ...geocoded];
}

/**
 * A SELECT of no rows with a source's landed columns, the change applied to the declared type. The
 * generalisation is the dialect's own expression, so a generalised year is an integer, as it lands.
 */
function landedSelect(d: Dialect, source: SourceDef, change: Variant | undefined): string {
  const selects: string[] = [];
  for (const col of landedColumns(source)) {
    const changed = change?.column === col.name ? change.change : undefined;
    if (changed === 'remove') continue;
    const type = changed ? changed.type : col.type;
    const value = `CAST(NULL AS ${d.sqlType(col.identifier ? 'text' : type)})`;
    const lands = col.generalise ? d.generalise(col.generalise, value, 'current_date') : value;
    selects.push(`${lands} AS ${d.quoteIdentifier(col.name)}`);
  }
  if (selects.length === 0) throw new Error(`no columns are left for source ${source.name} to land`);
  return `SELECT ${selects.join(', ')} LIMIT 0`;
}

/** A model's SQL compiled as the build compiles it, with the change applied to its output. */
async function modelSelect(
  engine: Engine,
  project: Project,
  model: ModelDef,
  change: Variant | undefined,
): Promise<string> {
  const sql = compileModel(project, model, engine.dialect);
  await requireSingleSelect(engine, sql);
  if (!change) return sql;
  const d = engine.dialect;
  const col = d.quoteIdentifier(change.column);
  // the newlines keep a trailing -- comment in the model from swallowing the closing parenthesis
  const from = `(\n${sql}\n) AS ${d.quoteIdentifier(model.name)}`;
  return change.change === 'remove'
    ? `SELECT * EXCLUDE (${col}) FROM ${from}`
    : `SELECT * REPLACE (CAST(${col} AS ${d.sqlType(change.change.type)}) AS ${col}) FROM ${from}`;
}

/**
 * The statements a check needs to bind, over the node it checks. A probe that `reads` a node also
 * has its output types compared: a check on a column whose type changes may no longer hold.
 */
function checkProbes(
  d: Dialect,
  node: SourceDef | ModelDef,
  check: CheckDef,
  table: (name: string) => string,
): Array<{ sql: string; reads?: string }> {
  // the checked table is `t` when checks run (see quality/checks.ts), so a where clause may say t.col
  const self = `${table(node.name)} AS t`;
  const p = check.params;
  const named = [
    ...(check.column ? [check.column] : []),
    ...(check.columns ?? []),
    // a source's schema check is about the delivered file's headers, a model's about its columns
    ...(check.type === 'schema' && node.kind === 'model'
      ? ((p['required'] as string[] | undefined) ?? [])
      : []),
  ];
  const probes: Array<{ sql: string; reads?: string }> = [];
  if (named.length > 0)
    probes.push({
      sql: `SELECT ${named.map((c) => d.quoteIdentifier(c)).join(', ')} FROM ${self}`,
      reads: node.name,
    });
  if (check.where) probes.push({ sql: `SELECT 1 FROM ${self} WHERE (${check.where})` });
  if (check.type === 'relationships') {
    const to = String(p['to']);
    const field = String(p['field'] ?? check.column);
    probes.push({ sql: `SELECT ${d.quoteIdentifier(field)} FROM ${table(to)}`, reads: to });
  }
  if (check.type === 'aggregate')
    probes.push({ sql: `SELECT ${String(p['expression'])} FROM ${self}`, reads: node.name });
  if (check.type === 'sql')
    probes.push({ sql: compileRefs(String(p['sql']), table).replace(THIS, table(node.name)) });
  return probes;
}

/** Definitions are single SELECTs; anything else is refused before it runs. */
async function requireSingleSelect(engine: Engine, sql: string): Promise<void> {
  if (!(await engine.isSingleSelect(sql))) throw new Error('not exactly one SELECT statement');
}

async function bind(f: () => Promise<OutputColumn[]>): Promise<BindState> {
  try {
    return { status: 'ok', columns: await f() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { status: 'error', error: message.split('\n')[0] ?? message };
  }
}

/** The target must exist as defined; returns its node's file and notes on how the change lands. */
function validateTarget(
  project: Project,
  baseline: Scratch,
  kind: 'source' | 'model',
  v: Variant,
): { file: string; notes: string[] } {
  const noSuchColumn = (names: string[]): LineageError =>
    new LineageError(
      `${kind} ${v.node} has no column "${v.column}"${didYouMean(v.column, names)} (its columns: ${names.join(', ')})`,
    );
  if (kind === 'model') {
    const model = project.models.find((m) => m.name === v.node);
    if (!model) throw noSuchNode(project.models, 'model', v.node);
    const state = baseline.nodes.get(v.node) as BindState;
    if (state.status !== 'ok')
      throw new LineageError(
        `model ${v.node} does not bind as defined, so its columns are unknown: ${failure(state)}`,
      );
    const names = state.columns.map((c) => c.name);
    if (!names.includes(v.column)) throw noSuchColumn(names);
    return { file: model.file, notes: [] };
  }
  const source = project.sources.find((s) => s.name === v.node);
  if (!source) throw noSuchNode(project.sources, 'source', v.node);
  const names = [...source.columns.map((c) => c.name), ...(source.geocode ? [source.geocode.to] : [])];
  if (!names.includes(v.column)) throw noSuchColumn(names);
  const col = source.columns.find((c) => c.name === v.column);
  return { file: source.file, notes: col ? landingNotes(source, col, v) : [] };
}

/** How a change to a declared column shows in what lands, where the binder cannot tell. */
function landingNotes(source: SourceDef, col: ColumnDef, v: Variant): string[] {
  const name = `${source.name}.${col.name}`;
  if (col.generalise === 'buurt')
    return [
      `${name} is geocoded to ${source.geocode?.to} and does not land itself: the change affects the geocoding, not the landed columns`,
    ];
  if (v.change === 'remove') return [];
  const type = v.change.type;
  const notes: string[] = [];
  if (col.classification === 'identifier')
    notes.push(`${name} is an identifier: it lands as pseudonymised text whatever its declared type`);
  else if (col.generalise)
    notes.push(
      `${name} lands generalised (${col.generalise}): the new type is that of the value before it is generalised`,
    );
  // the loader checks every value against these while landing; under another type they may no longer
  // make sense (values M, V, O for an integer), which only a load shows
  const declared = [
    ...(col.values ? [`values ${col.values.join(', ')}`] : []),
    ...(col.min !== undefined ? [`min ${col.min}`] : []),
    ...(col.max !== undefined ? [`max ${col.max}`] : []),
    ...(col.pattern ? [`pattern ${col.pattern}`] : []),
  ];
  if (declared.length > 0)
    notes.push(`${name} declares ${declared.join('; ')}: make sure these still fit type ${type}`);
  return notes;
}

function noSuchNode(nodes: Array<{ name: string }>, kind: string, name: string): LineageError {
  return new LineageError(
    `no ${kind} is named "${name}"${didYouMean(
      name,
      nodes.map((n) => n.name),
    )}`,
  );
}

/** Columns present before that are gone or of another type after, by name. */
function columnDiff(
  before: OutputColumn[],
  after: OutputColumn[],
): Array<{ column: string; before: string; after: string | null }> {
  return before.flatMap((b) => {
    const a = after.find((c) => c.name === b.name);
    return a?.type === b.type ? [] : [{ column: b.name, before: b.type, after: a?.type ?? null }];
  });
}

/** The model columns a publication declares, with their role. */
function publicationColumns(pub: PublicationDef): Array<[string, string]> {
  const roles: Array<[string, string | undefined]> = [
    ['area', pub.area],
    ['count', pub.count],
    ['value', pub.value],
    ['numerator', pub.numerator],
    ['denominator', pub.denominator],
    ['period', pub.period],
    ['category', pub.category?.column],
  ];
  return roles.filter((r): r is [string, string] => r[1] !== undefined);
}

function failure(state: BindState): string | undefined {
  return state.status === 'error'
    ? state.error
    : state.status === 'blocked'
      ? `depends on ${state.by.join(', ')}`
      : undefined;
}

function checkKey(node: string, check: CheckDef): string {
  return `${node}\u0000${check.id}`;
}

/** `nodes` in the project's dependency order. */
function inOrder<T extends { name: string }>(project: Project, nodes: T[]): T[] {
  const position = new Map(project.order.map((n, i) => [n, i]));
  return [...nodes].sort((a, b) => (position.get(a.name) ?? 0) - (position.get(b.name) ?? 0));
}
