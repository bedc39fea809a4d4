import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { DuckDBEngine } from '../engine/duckdb.js';
import type { Engine } from '../engine/engine.js';
import { IngestError } from '../ingest/errors.js';
import { ingestSource } from '../ingest/ingest.js';
import { BAG_LOOKUP, BAG_LOOKUP_DDL, QUARANTINE_DDL } from '../ingest/land.js';
import { compileModel } from '../project/compile.js';
import {
  nodeSchema,
  SCHEMA,
  type CbsDownload,
  type IndicatorDef,
  type ModelDef,
  type NodeDef,
  type Project,
  type PublicationDef,
  type SourceDef,
} from '../project/types.js';
import { publish } from '../publish/publish.js';
import { PublishError } from '../publish/errors.js';
import { StateStore, type StepStatus } from '../state/store.js';
import { currentUser, upstreamSources } from '../privacy/authorise.js';
import { PrivacyServices } from '../privacy/services.js';
import { KeyError } from '../privacy/keys.js';
import { VersionStore } from './versions.js';
import { definitionFingerprint, diffFingerprints } from '../project/fingerprint.js';
import { areaEdges, type Edge } from '../geo/areas.js';
import { evaluateCheck, isRowCheck, type CheckContext, type CheckResult } from '../quality/checks.js';
import { profileTable } from '../quality/profile.js';
import { qualityScore } from '../quality/score.js';
import { manifest, runResults, writeArtifacts, type ModelColumns } from './artifacts.js';
import { loadAreaModel, type AreaModel } from '../geo/area-model.js';
import { buildIndicator, createIndicatorTables } from '../indicators/step.js';
import { downloadCbs } from '../cbs/download.js';
import { protectedSignalInputs, type ProtectedUse } from '../privacy/signals.js';
import { CbsError } from '../cbs/errors.js';

export interface StepOutcome {
  node: string;
  kind: NodeDef['kind'];
  status: StepStatus;
  rows: number | null;
  durationMs: number;
  error?: string;
  fix?: string;
  detail?: Record<string, unknown>;
}

export interface BuildSummary {
  runId: number;
  status: 'success' | 'failed';
  version: string | null;
  previousVersion: string | null;
  steps: StepOutcome[];
  durationMs: number;
}

export function statePath(project: Project): string {
  return join(project.paths.state, 'state.sqlite');
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * One build: every source and model of the project, in dependency order, into a new warehouse
 * version that is published only when every step succeeded. Use `Build.start`, then `execute`
 * each step of `steps` (a caller may render progress around each), then `finish`.
 */
export class Build {
  readonly steps: NodeDef[];
  private readonly outcomes = new Map<string, StepOutcome>();
  private readonly started = Date.now();

  private constructor(
    readonly project: Project,
    readonly state: StateStore,
    readonly versions: VersionStore,
    readonly runId: number,
    private readonly engine: DuckDBEngine,
    readonly version: { version: string; file: string },
    private readonly previous: { version: string; run_id: number } | undefined,
    private readonly full: boolean,
    readonly privacy: PrivacyServices,
  ) {
    const byName = new Map<string, NodeDef>(
      [...project.sources, ...project.models, ...project.publications, ...project.indicators].map((n) => [
        n.name,
        n,
      ]),
    );
    this.steps = project.order.map((n) => byName.get(n) as NodeDef);
  }

  static async start(project: Project, opts: { full?: boolean; command?: string } = {}): Promise<Build> {
    if (project.engine.type !== 'duckdb') {
      throw new IngestError(
        `engine "${project.engine.type}" is not available yet in this version`,
        'set engine.type: duckdb in pakhuis.yaml',
      );
    }
    let privacy: PrivacyServices;
    try {
      privacy = PrivacyServices.open(project);
    } catch (e) {
      if (e instanceof KeyError) throw new IngestError(e.message, e.fix);
      throw e;
    }
    const state = new StateStore(statePath(project));
    state.reapAbandoned();
    recordDefinitionChanges(project, state, privacy);
    const versions = new VersionStore(project.engine.path);
    const runId = state.startRun(opts.command ?? 'build');
    const version = versions.versionFor(runId);
    const path = versions.pathOf(version.file);
    await rm(path, { force: true });
    await rm(`${path}.wal`, { force: true });
    const engine = await DuckDBEngine.open(
      path,
      project.engine.memoryLimit ? { memoryLimit: project.engine.memoryLimit } : {},
    );
    const current = versions.current();
    if (current && existsSync(versions.pathOf(current.file))) {
      await engine.run(
        `ATTACH ${engine.dialect.quoteString(versions.pathOf(current.file))} AS prev (READ_ONLY)`,
      );
    }
    for (const schema of [...Object.values(SCHEMA), 'links']) await engine.ensureSchema(schema);
    await createIndicatorTables(engine);
    await engine.run(QUARANTINE_DDL(engine));
    await engine.run(BAG_LOOKUP_DDL(engine));
    await engine.run(
      `CREATE TABLE ${engine.dialect.qualify(SCHEMA.system, 'retention_log')} (source VARCHAR, column_name VARCHAR, cutoff DATE, rows_removed BIGINT)`,
    );
    const pairs = [
      ...new Map(project.privacy.links.map((l) => [`${l.domains[0]}__${l.domains[1]}`, l])).values(),
    ];
    for (const link of pairs) {
      await engine.run(
        `CREATE TABLE ${engine.dialect.qualify('links', `${link.domains[0]}__${link.domains[1]}`)} (source VARCHAR, column_name VARCHAR, ${engine.dialect.quoteIdentifier(`pseudonym_${link.domains[0]}`)} VARCHAR, ${engine.dialect.quoteIdentifier(`pseudonym_${link.domains[1]}`)} VARCHAR)`,
      );
    }
    return new Build(project, state, versions, runId, engine, version, current, opts.full ?? false, privacy);
  }

  /** progress of the engine statement running now, 0..100 or -1 */
  progress(): number {
    return this.engine.progress().percentage;
  }

  outcome(node: string): StepOutcome | undefined {
    return this.outcomes.get(node);
  }

  async execute(node: NodeDef): Promise<StepOutcome> {
    const t0 = Date.now();
    const startedAt = new Date().toISOString();
    const deps = node.kind === 'source' ? [] : node.refs;
    const blocked = deps.filter((d) => {
      const o = this.outcomes.get(d);
      return !o || o.status === 'failed' || o.status === 'skipped';
    });
    let outcome: StepOutcome;
    if (blocked.length > 0) {
      outcome = {
        node: node.name,
        kind: node.kind,
        status: 'skipped',
        rows: null,
        durationMs: 0,
        error: `skipped: ${blocked.join(', ')} did not build`,
      };
    } else {
      try {
        outcome =
          node.kind === 'source'
            ? await this.loadSource(node)
            : node.kind === 'model'
              ? await this.buildModel(node)
              : node.kind === 'indicator'
                ? await this.buildIndicator(node)
                : await this.buildPublication(node);
      } catch (e) {
        const err = e as Error;
        outcome = {
          node: node.name,
          kind: node.kind,
          status: 'failed',
          rows: null,
          durationMs: Date.now() - t0,
          error: err.message.split('\n')[0] ?? err.message,
          ...(e instanceof IngestError ? { fix: e.fix } : {}),
        };
        if (node.kind === 'source') this.recordFailedLoad(node, outcome.error as string, Date.now() - t0);
      }
    }
    outcome.durationMs = Date.now() - t0;
    this.outcomes.set(node.name, outcome);
    this.state.recordStep({
      run_id: this.runId,
      node: node.name,
      kind: node.kind,
      status: outcome.status,
      started_at: startedAt,
      duration_ms: outcome.durationMs,
      rows: outcome.rows,
      error: outcome.error ?? null,
    });
    return outcome;
  }

  private newLoadId(source: string): string {
    return `${this.version.version}_${source}_${randomBytes(3).toString('hex')}`;
  }

  private recordFailedLoad(source: SourceDef, error: string, durationMs: number): void {
    this.state.recordLoad({
      id: this.newLoadId(source.name),
      run_id: this.runId,
      source: source.name,
      file: source.connector.declaredPath,
      sha256: '',
      bytes: 0,
      definition_hash: source.definitionHash,
      archived_as: '',
      rows_read: 0,
      rows_loaded: 0,
      rows_quarantined: 0,
      dropped_columns: '[]',
      notes: '[]',
      status: 'failed',
      error,
      duration_ms: durationMs,
      loaded_at: new Date().toISOString(),
    });
  }

  private async loadSource(source: SourceDef): Promise<StepOutcome> {
    const t0 = Date.now();
    const path = source.connector.path;
    const download =
      source.connector.type === 'json' && source.connector.download
        ? await this.download(source, source.connector.download)
        : undefined;
    const label = download ? source.connector.declaredPath : relative(this.project.root, path);
    const info = await stat(path).catch(() => {
      throw new IngestError(
        `${label}: file not found (declared in ${source.file})`,
        'deliver the file, or correct connector.path',
      );
    });
    const sha = await fileSha256(path);
    const loadId = this.newLoadId(source.name);
    const base = {
      run_id: this.runId,
      source: source.name,
      file: source.connector.declaredPath,
      sha256: sha,
      bytes: info.size,
      definition_hash: source.definitionHash,
      loaded_at: new Date().toISOString(),
    };
    const e = this.engine;
    const d = e.dialect;

    // Unchanged input and definition: carry the table over from the current version.
    const previousLoad = this.previous
      ? this.state.lastLoadIn(this.previous.version, source.name)
      : undefined;
    if (
      !this.full &&
      previousLoad &&
      previousLoad.sha256 === sha &&
      previousLoad.definition_hash === source.definitionHash
    ) {
      const table = d.qualify(SCHEMA.sources, source.name);
      await e.run(`CREATE TABLE ${table} AS SELECT * FROM prev.${table}`);
      await e.run(
        `INSERT INTO ${d.qualify(SCHEMA.system, 'quarantine')} SELECT $1, source, row_number, column_name, value, reason_code, reason
         FROM prev.${d.qualify(SCHEMA.system, 'quarantine')} WHERE load_id = $2`,
        [loadId, previousLoad.id],
      );
      for (const link of this.linksOf(source)) {
        await e.run(`INSERT INTO ${link.table} SELECT * FROM prev.${link.table} WHERE source = $1`, [
          source.name,
        ]);
      }
      // the BAG's geocoding lookup comes with it (every version since the lookup existed has one)
      if (this.isBag(source))
        await e
          .run(
            `INSERT INTO ${d.qualify(SCHEMA.system, BAG_LOOKUP)} SELECT * FROM prev.${d.qualify(SCHEMA.system, BAG_LOOKUP)}`,
          )
          .catch((err: Error) => {
            throw new IngestError(
              `${source.file}: the previous version has no geocoding lookup to reuse (${err.message.split('\n')[0] ?? ''})`,
              'run `pakhuis build --full` once',
            );
          });
      const removed = await this.applyRetention(source);
      this.state.recordLoad({
        ...previousLoad,
        ...base,
        id: loadId,
        notes: JSON.stringify([
          `unchanged since load ${previousLoad.id}: reused`,
          ...(removed > 0 ? [`retention removed ${removed} rows`] : []),
        ]),
        status: 'reused',
        error: null,
        duration_ms: Date.now() - t0,
      });
      const [kept] = await e.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      // The rows are those of the previous load: so are its row checks and profile.
      const carried = this.state.checkResults({ loadId: previousLoad.id }).filter(isRowCheck);
      const profile = this.state.profiles({ loadId: previousLoad.id });
      this.state.recordProfile(this.runId, loadId, source.name, profile);
      const quality = await this.checkSource(source, loadId, carried, {
        rowsRead: previousLoad.rows_read,
        rowsQuarantined: previousLoad.rows_quarantined,
        dropped: JSON.parse(previousLoad.dropped_columns) as string[],
        sha,
      });
      return {
        node: source.name,
        kind: 'source',
        status: quality.failed ? 'failed' : 'reused',
        rows: kept?.n ?? 0,
        durationMs: 0,
        ...(quality.failed ? { error: quality.failed, fix: quality.fix } : {}),
        detail: {
          sha256: sha,
          reusedFrom: previousLoad.id,
          retentionRemoved: removed,
          quality: quality.summary,
        },
      };
    }

    // Archive the raw input by its checksum, so this load can be traced and replayed.
    const archiveDir = join(this.project.paths.state, 'archive');
    await mkdir(archiveDir, { recursive: true });
    const archived = join(archiveDir, `${sha}${extname(path)}`);
    if (!existsSync(archived)) await copyFile(path, archived);

    const hasIdentifiers = source.columns.some((c) => c.classification === 'identifier');
    const domain = source.domain as string;
    const result = await ingestSource(e, source, {
      loadId,
      tmpDir: join(this.project.paths.state, 'tmp'),
      projectRoot: this.project.root,
      privacy: {
        ...(hasIdentifiers
          ? {
              pads: this.privacy.padsFor(domain),
              vault: (_column: string, pairs: Array<{ pseudonym: string; identifier: string }>) =>
                this.privacy.vault.store(domain, pairs),
              links: this.linksOf(source).map((l) => ({
                table: l.table,
                otherPads: this.privacy.padsFor(l.other),
                thisIsFirst: l.thisIsFirst,
              })),
            }
          : {}),
        ...(source.geocode ? { buurtEdges: this.buurtEdges(source.geocode.crs) } : {}),
        ...(source.geocodeBag || this.isBag(source) ? { geocodePads: this.privacy.padsFor('geocode') } : {}),
        ...(this.isBag(source) ? { bagRegister: this.project.areas.bag } : {}),
      },
      quality: {
        referenceDate: this.referenceDate,
        ...(this.retentionKeep(source) ? { keep: this.retentionKeep(source) as string } : {}),
        resolve: (n) => this.qualified(n),
      },
    });
    const removed = await this.applyRetention(source);
    const geo = result.geocoded
      ? [
          source.geocodeBag
            ? `geocoded to buurt through the BAG: ${result.geocoded.matched} rows; not found in the BAG: ${result.geocoded.unmatched}`
            : `geocoded to buurt: ${result.geocoded.matched} rows; outside every buurt: ${result.geocoded.unmatched}`,
        ]
      : [];
    this.state.recordLoad({
      ...base,
      id: loadId,
      archived_as: relative(this.project.root, archived),
      rows_read: result.rowsRead,
      rows_loaded: result.rowsLoaded,
      rows_quarantined: result.rowsQuarantined,
      dropped_columns: JSON.stringify(result.dropped),
      notes: JSON.stringify([
        ...(download ? [download.note] : []),
        ...result.notes,
        ...geo,
        ...(result.rowsEmptied > 0
          ? [`${result.rowsEmptied} values could not be read and landed empty (listed in pakhuis.quarantine)`]
          : []),
        ...(removed > 0 ? [`retention removed ${removed} rows`] : []),
      ]),
      status: 'success',
      error: null,
      duration_ms: Date.now() - t0,
    });
    const table = d.qualify(SCHEMA.sources, source.name);
    this.state.recordProfile(
      this.runId,
      loadId,
      source.name,
      await profileTable(
        e,
        table,
        source.columns
          .filter((c) => c.generalise !== 'buurt') // used for geocoding: they do not land
          .map((c) => ({ name: c.name, classification: c.classification })),
        this.project.privacy.k,
      ),
    );
    const quality = await this.checkSource(source, loadId, result.checks, {
      rowsRead: result.rowsRead,
      rowsQuarantined: result.rowsQuarantined,
      dropped: result.dropped,
      sha,
    });
    return {
      node: source.name,
      kind: 'source',
      status: quality.failed ? 'failed' : 'success',
      rows: result.rowsLoaded - removed,
      durationMs: 0,
      ...(quality.failed ? { error: quality.failed, fix: quality.fix } : {}),
      detail: {
        quality: quality.summary,
        sha256: sha,
        rowsRead: result.rowsRead,
        rowsQuarantined: result.rowsQuarantined,
        dropped: result.dropped,
        notes: result.notes,
        pseudonyms: result.pseudonyms,
        geocoded: result.geocoded ?? null,
        retentionRemoved: removed,
      },
    };
  }

  /** Fetch a CBS table for the municipality into the source's download file. */
  private async download(source: SourceDef, d: CbsDownload): Promise<{ note: string }> {
    try {
      const r = await downloadCbs(d, this.project.municipality.code, source.connector.path);
      return {
        note: `downloaded ${d.table} (${r.title}, ${r.period}) from ${d.baseUrl}: ${r.rows} areas${r.secret > 0 ? `, ${r.secret} cells without a figure (secret or unknown: null, never 0)` : ''}`,
      };
    } catch (e) {
      if (e instanceof CbsError) throw new IngestError(`${source.file}: ${e.message}`, e.fix);
      throw e;
    }
  }

  /** is this the source the project names as its BAG address register */
  private isBag(source: SourceDef): boolean {
    return this.project.areas.bag?.source === source.name;
  }

  /** the date the data describes: 'today' for checks */
  private get referenceDate(): string {
    return this.project.referenceDate ?? new Date().toISOString().slice(0, 10);
  }

  private qualified(name: string): string {
    const node = this.steps.find((n) => n.name === name);
    if (!node) throw new Error(`unknown node ${name}`);
    return this.engine.dialect.qualify(nodeSchema(node), name);
  }

  /** the rows a source keeps under its retention period, as a condition over `t`, if it has one */
  private retentionKeep(source: SourceDef): string | undefined {
    const r = source.privacy.retention;
    if (!('years' in r)) return undefined;
    const col = `t.${this.engine.dialect.quoteIdentifier(r.column)}`;
    return `(${col} IS NULL OR ${col} >= ${retentionCutoff(r.years)})`;
  }

  /**
   * The source's checks on the whole table (and those reading other nodes), with the row checks
   * run while landing; their results, the quality score, and whether an error-severity check failed.
   */
  private async checkSource(
    source: SourceDef,
    loadId: string,
    rowResults: CheckResult[],
    facts: { rowsRead: number; rowsQuarantined: number; dropped: string[]; sha: string },
  ): Promise<{ failed?: string; fix?: string; summary: Record<string, unknown> }> {
    const d = this.engine.dialect;
    const table = d.qualify(SCHEMA.sources, source.name);
    const previous = this.state.previousLoad(source.name, this.runId);
    const ctx = this.tableContext(source.name, table, source.columns, {
      ...(previous ? { previousRows: previous.rows_loaded } : {}),
      deliveredColumns: [...source.columns.map((c) => c.header), ...facts.dropped],
    });
    const results = [...rowResults];
    for (const check of source.checks.filter((c) => !isRowCheck(c)))
      results.push(await evaluateCheck(ctx, check));
    const firstSeen = this.state.firstLoadOf(source.name, facts.sha);
    const score = qualityScore(results, {
      rowsRead: facts.rowsRead,
      rowsQuarantined: facts.rowsQuarantined,
      refresh: source.refresh,
      contentAgeDays: firstSeen ? Math.floor((Date.now() - Date.parse(firstSeen)) / 86_400_000) : 0,
    });
    this.state.recordChecks(this.runId, loadId, results);
    this.state.recordScore(this.runId, loadId, source.name, score);
    return this.verdict(source.file, results, score);
  }

  /** How checks read a built table `t` of this version. */
  private tableContext(
    node: string,
    table: string,
    columns: SourceDef['columns'],
    facts: CheckContext['facts'],
  ): CheckContext {
    const d = this.engine.dialect;
    return {
      engine: this.engine,
      node,
      from: `${table} AS t`,
      value: (column) => `t.${d.quoteIdentifier(column)}`,
      columnDef: (column) => columns.find((c) => c.name === column),
      referenceDate: this.referenceDate,
      resolve: (n) => this.qualified(n),
      self: table,
      ...(facts ? { facts } : {}),
    };
  }

  /** Every check of a model, on its table (no source row numbers: examples show values). */
  private async checkModel(
    model: ModelDef,
  ): Promise<{ failed?: string; fix?: string; summary: Record<string, unknown> }> {
    const d = this.engine.dialect;
    const table = d.qualify(SCHEMA.models, model.name);
    const upstream = upstreamSources(this.project, model.name).flatMap((s) => s.columns);
    const columns = (await this.engine.describe(`SELECT * FROM ${table}`)).map((c) => c.name);
    // a model column is shown as carefully as the source column of that name
    const ctx = this.tableContext(model.name, table, upstream, { deliveredColumns: columns });
    const results: CheckResult[] = [];
    for (const check of model.checks) results.push(await evaluateCheck(ctx, check));
    const score = qualityScore(results);
    this.state.recordChecks(this.runId, null, results);
    if (results.length > 0) this.state.recordScore(this.runId, null, model.name, score);
    return this.verdict(model.metaFile ?? model.file, results, score);
  }

  private verdict(
    file: string,
    results: CheckResult[],
    score: ReturnType<typeof qualityScore>,
  ): { failed?: string; fix?: string; summary: Record<string, unknown> } {
    const blocking = results.filter(
      (r) => r.severity === 'error' && (r.status === 'fail' || r.status === 'error'),
    );
    const summary = {
      score: score.score,
      checks: results.length,
      failed: results.filter((r) => r.status !== 'pass').map((r) => `${r.check}: ${r.message}`),
    };
    if (blocking.length === 0) return { summary };
    const first = blocking[0] as CheckResult;
    return {
      failed: `check ${first.check} failed: ${first.message}${blocking.length > 1 ? ` (and ${blocking.length - 1} more)` : ''}`,
      fix: `see \`pakhuis quality\`; correct the data at the source, or the check in ${file} (severity: warn reports without stopping)`,
      summary,
    };
  }

  private readonly edgeCache = new Map<string, Edge[]>();

  /** the buurt boundaries of the project, in one coordinate system */
  private buurtEdges(crs: 'wgs84' | 'rd'): Edge[] {
    const file = this.project.areas.buurten;
    if (!file)
      throw new IngestError(
        'a source geocodes to buurten, but pakhuis.yaml has no areas.buurten',
        'set areas.buurten to a GeoJSON file of the buurten (WGS84, CBS statcode per feature)',
      );
    const cached = this.edgeCache.get(crs) ?? areaEdges(file, crs);
    this.edgeCache.set(crs, cached);
    return cached;
  }

  /** the declared links this source's linking domain takes part in */
  private linksOf(source: SourceDef): Array<{ table: string; other: string; thisIsFirst: boolean }> {
    if (!source.domain || !source.columns.some((c) => c.classification === 'identifier')) return [];
    const pairs = [
      ...new Map(this.project.privacy.links.map((l) => [`${l.domains[0]}__${l.domains[1]}`, l])).values(),
    ];
    return pairs
      .filter((l) => l.domains.includes(source.domain as string))
      .map((l) => ({
        table: this.engine.dialect.qualify('links', `${l.domains[0]}__${l.domains[1]}`),
        other: l.domains[0] === source.domain ? l.domains[1] : l.domains[0],
        thisIsFirst: l.domains[0] === source.domain,
      }));
  }

  /** Remove rows older than the source's retention period; log the count. */
  private async applyRetention(source: SourceDef): Promise<number> {
    const r = source.privacy.retention;
    if (!('years' in r)) return 0;
    const d = this.engine.dialect;
    const table = d.qualify(SCHEMA.sources, source.name);
    const cutoff = retentionCutoff(r.years);
    const removed = await this.engine.run(
      `DELETE FROM ${table} WHERE ${d.quoteIdentifier(r.column)} < ${cutoff}`,
    );
    await this.engine.run(
      `INSERT INTO ${d.qualify(SCHEMA.system, 'retention_log')} SELECT $1, $2, ${cutoff}, $3`,
      [source.name, r.column, removed],
    );
    if (removed > 0) {
      this.privacy.audit.append({
        actor: currentUser(),
        role: null,
        purpose: null,
        action: 'retention',
        resource: `sources.${source.name}`,
        rows: removed,
        detail: { column: r.column, years: r.years, run: this.runId },
      });
    }
    return removed;
  }

  private async buildPublication(pub: PublicationDef): Promise<StepOutcome> {
    const result = await publish(this.engine, this.project, pub).catch((e: unknown) => {
      if (e instanceof PublishError) throw new IngestError(`${pub.file}: ${e.message}`, e.fix);
      throw e;
    });
    if (result.findings.length > 0) {
      const f = result.findings[0];
      throw new IngestError(
        `${pub.file}: the disclosure auditor found ${result.findings.length} problem(s); first: ${f ? JSON.stringify(f) : ''}`,
        'nothing is published while the auditor objects; report this as a bug in the suppression',
      );
    }
    return {
      node: pub.name,
      kind: 'publication',
      status: 'success',
      rows: result.cells,
      durationMs: 0,
      detail: { suppressed: result.suppressed },
    };
  }

  private areaModel?: AreaModel;

  private async buildIndicator(ind: IndicatorDef): Promise<StepOutcome> {
    this.areaModel ??= loadAreaModel(this.project);
    const result = await buildIndicator(this.engine, this.project, ind, this.areaModel, this.referenceDate);
    if (result.findings.length > 0) {
      throw new IngestError(
        `${ind.file}: the disclosure auditor found ${result.findings.length} problem(s) in the published values; first: ${JSON.stringify(result.findings[0])}`,
        'nothing is published while the auditor objects; report this as a bug in the suppression',
      );
    }
    return {
      node: ind.name,
      kind: 'indicator',
      status: 'success',
      rows: result.values,
      durationMs: 0,
      detail: { periods: result.periods, unassigned: result.unassigned, suppressed: result.suppressed },
    };
  }

  private signalViolations?: Promise<ProtectedUse[]>;

  private async buildModel(model: ModelDef): Promise<StepOutcome> {
    if (model.signal) {
      this.signalViolations ??= protectedSignalInputs(this.project);
      const uses = (await this.signalViolations).filter((u) => u.model === model.name);
      if (uses.length > 0)
        throw new IngestError(
          `${model.metaFile ?? model.file}: signal model ${model.name} uses protected column${uses.length > 1 ? 's' : ''} ${uses.map((u) => `${u.source}.${u.column}`).join(', ')} (${uses[0]?.how ?? ''})`,
          'protected data (nationality, ethnicity, migration background) may never select or score persons: remove it from the model and everything it reads',
        );
    }
    const unapproved = upstreamSources(this.project, model.name).filter((s) => !s.privacy.fgApproval);
    if (unapproved.length > 0) {
      throw new IngestError(
        `${model.file} uses source${unapproved.length > 1 ? 's' : ''} ${unapproved.map((s) => s.name).join(', ')} without FG approval`,
        `the FG approves a source by adding privacy.fg_approval (by, date) to ${unapproved.map((s) => s.file).join(', ')}; until then it loads but no model may use it`,
      );
    }
    const sql = compileModel(this.project, model, this.engine.dialect);
    if (!(await this.engine.isSingleSelect(sql).catch(() => false))) {
      // Report the engine's own parse error if there is one.
      await this.engine.describe(sql).catch((e: Error) => {
        throw new IngestError(
          `${model.file}: ${e.message.split('\n')[0]}`,
          'correct the SQL; run it with `pakhuis query` against the current version to try it',
        );
      });
      throw new IngestError(
        `${model.file}: a model must be exactly one SELECT statement`,
        'remove other statements; the build creates the table itself',
      );
    }
    let rows: number;
    try {
      rows = await this.engine.createTableAs(SCHEMA.models, model.name, sql);
    } catch (e) {
      throw new IngestError(
        `${model.file}: ${(e as Error).message.split('\n')[0]}`,
        'correct the SQL; run it with `pakhuis query` against the current version to try it',
      );
    }
    const quality = await this.checkModel(model);
    return {
      node: model.name,
      kind: 'model',
      status: quality.failed ? 'failed' : 'success',
      rows,
      durationMs: 0,
      ...(quality.failed ? { error: quality.failed, fix: quality.fix } : {}),
      ...(model.checks.length > 0 ? { detail: { quality: quality.summary } } : {}),
    };
  }

  /** Publish the new version if every step succeeded; otherwise throw it away. */
  async finish(): Promise<BuildSummary> {
    const steps = this.steps
      .map((s) => this.outcomes.get(s.name))
      .filter((o): o is StepOutcome => o !== undefined);
    const failed = steps.filter((s) => s.status === 'failed' || s.status === 'skipped');
    const complete = steps.length === this.steps.length && failed.length === 0;
    const path = this.versions.pathOf(this.version.file);
    const modelColumns: ModelColumns = new Map();
    for (const m of this.project.models) {
      if (await this.engine.tableExists(SCHEMA.models, m.name))
        modelColumns.set(
          m.name,
          await this.engine.describe(`SELECT * FROM ${this.engine.dialect.qualify(SCHEMA.models, m.name)}`),
        );
    }
    if (complete && this.project.areas.buurten) {
      // the area model of this version, for queries and the faces: codes, names, levels, years, members
      this.areaModel ??= loadAreaModel(this.project);
      const m = this.areaModel;
      const d = this.engine.dialect;
      await this.engine.run(
        `CREATE TABLE ${d.qualify(SCHEMA.system, 'areas')} AS SELECT * FROM (SELECT unnest(from_json($1, '[{"code":"VARCHAR","name":"VARCHAR","level":"VARCHAR","parent":"VARCHAR","year":"INTEGER","buurten":["VARCHAR"]}]'), recursive := true)) AS a`,
        [JSON.stringify(m.areas.map((a) => ({ ...a, buurten: m.members.get(a.code) ?? [] })))],
      );
    }
    if (complete) {
      const d = this.engine.dialect;
      await this.engine.run(
        `CREATE TABLE ${d.qualify(SCHEMA.system, 'version_info')} AS SELECT $1 AS version, $2 AS run_id, now() AS built_at, $3 AS municipality_code, $4 AS municipality_name`,
        [this.version.version, this.runId, this.project.municipality.code, this.project.municipality.name],
      );
      if (this.previous) await this.engine.run('DETACH prev');
      await this.engine.run('CHECKPOINT');
    }
    await this.engine.close();
    if (complete) {
      this.versions.publish({
        version: this.version.version,
        file: this.version.file,
        run_id: this.runId,
        published_at: new Date().toISOString(),
      });
      this.state.finishRun(this.runId, 'success', this.version.version, null);
      this.versions.prune(this.liveVersionFiles());
    } else {
      await rm(path, { force: true });
      await rm(`${path}.wal`, { force: true });
      const first = failed[0];
      const error = first ? `${first.node}: ${first.error ?? 'failed'}` : 'the build did not run every step';
      this.state.finishRun(this.runId, 'failed', null, error);
    }
    const run = this.state.run(this.runId);
    writeArtifacts(this.project.paths.state, this.runId, {
      'manifest.json': manifest(this.project, modelColumns, new Date().toISOString()),
      'run_results.json': runResults({
        runId: this.runId,
        command: run?.command ?? 'build',
        status: complete ? 'success' : 'failed',
        version: complete ? this.version.version : null,
        startedAt: run?.started_at ?? new Date(this.started).toISOString(),
        finishedAt: run?.finished_at ?? new Date().toISOString(),
        steps,
        checks: this.state.checkResults({ runId: this.runId }),
        scores: this.state.runScores(this.runId),
      }),
    });
    this.privacy.audit.append({
      actor: currentUser(),
      role: null,
      purpose: null,
      action: 'build',
      resource: complete ? this.version.version : `run ${this.runId}`,
      rows: steps.reduce((n, s) => n + (s.rows ?? 0), 0),
      detail: { run: this.runId, status: complete ? 'success' : 'failed', steps: steps.length },
    });
    this.state.close();
    this.privacy.close();
    return {
      runId: this.runId,
      status: complete ? 'success' : 'failed',
      version: complete ? this.version.version : null,
      previousVersion: this.previous?.version ?? null,
      steps,
      durationMs: Date.now() - this.started,
    };
  }

  /** version files of runs still in progress (other processes) must not be pruned */
  private liveVersionFiles(): Set<string> {
    return new Set(
      this.state
        .runs(20)
        .filter((r) => r.status === 'running')
        .map((r) => this.versions.versionFor(r.id).file),
    );
  }
}

function retentionCutoff(years: number): string {
  return `CAST(current_date - INTERVAL ${Math.floor(years)} YEAR AS DATE)`;
}

/** A change to the definitions (a source, a model, a publication, pakhuis.yaml) is written to the audit log. */
function recordDefinitionChanges(project: Project, state: StateStore, privacy: PrivacyServices): void {
  const now = definitionFingerprint(project.root);
  const before = state.getSetting('definitions');
  if (before !== undefined) {
    const diff = diffFingerprints(JSON.parse(before) as Record<string, string>, now);
    const n = diff.added.length + diff.removed.length + diff.changed.length;
    if (n > 0) {
      privacy.audit.append({
        actor: currentUser(),
        role: null,
        purpose: null,
        action: 'definition_change',
        resource: [...diff.added, ...diff.removed, ...diff.changed].join(', '),
        rows: n,
        detail: diff,
      });
    }
  }
  state.setSetting('definitions', JSON.stringify(now));
}

/** Run every step without rendering; for scripts and tests. */
export async function buildProject(
  project: Project,
  opts: { full?: boolean; onStep?: (o: StepOutcome) => void } = {},
): Promise<BuildSummary> {
  const build = await Build.start(project, opts);
  for (const step of build.steps) {
    const outcome = await build.execute(step);
    if (opts.onStep) opts.onStep(outcome);
  }
  return build.finish();
}

export type { Engine };
