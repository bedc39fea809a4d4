import { watch, type FSWatcher } from 'node:fs';
import { NoVersionError, openCurrent } from '../build/current.js';
import { VersionStore, type VersionPointer } from '../build/versions.js';
import type { Engine } from '../engine/engine.js';
import { loadAreaModel, type Area, type AreaModel } from '../geo/area-model.js';
import { publicStatus, readValues, type ValueRow } from '../indicators/read.js';
import { loadProject } from '../project/load.js';
import { SCHEMA, type IndicatorDef, type Project, type PublicationDef } from '../project/types.js';
import { RepresentationCache, shortHash, type Representation } from './cache.js';
import { PublicEngine, publicTables } from './guard.js';
import { ApiProblem } from './problem.js';
import { API_VERSION } from './version.js';

/** The small part of a pino logger the read layer uses. */
export interface ReaderLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ReaderOptions {
  /** look at current.json this often as well, in case a file event is missed (ms; 0 = only events) */
  pollMs?: number;
  cache?: { maxEntries?: number; maxBytes?: number };
  log?: ReaderLog;
}

/** One row of a publication's public table, as the API shows it. */
export interface PublicationRow {
  area: string;
  level: string;
  period: string;
  category: string | null;
  value: number | null;
  count: number | null;
  denominator: number | null;
  status: ValueRow['status'];
  marker: string | null;
}

/**
 * One published warehouse version, opened read-only and sandboxed, with everything the public API
 * shows from it: the public indicator values (read once, in memory), the areas, the publications,
 * and a cache of computed responses. Public data does not change within a version, so every response
 * is computed once and its ETag derives from the version.
 */
export class PublishedVersion {
  private users = 0;
  private retired = false;
  private closing: Promise<void> | undefined;
  private readonly cache: RepresentationCache;
  private readonly memo = new Map<string, unknown>();

  private constructor(
    private readonly engine: PublicEngine,
    readonly pointer: VersionPointer,
    readonly project: Project,
    /** the version id plus a hash of what shapes the responses: the ETag prefix */
    readonly tag: string,
    readonly areaModel: AreaModel,
    /** gemeente, wijken and buurten; custom areas overlap them and are never published */
    readonly areas: Area[],
    /** the indicators with a public table in this version */
    readonly indicators: IndicatorDef[],
    /** public values by indicator id (suppressed cells carry no number) */
    readonly values: Map<string, ValueRow[]>,
    readonly publications: PublicationDef[],
    /** every period with a published value, sorted */
    readonly periods: string[],
    cache: ReaderOptions['cache'],
  ) {
    this.cache = new RepresentationCache(cache?.maxEntries, cache?.maxBytes);
  }

  static async open(project: Project, opts: ReaderOptions = {}): Promise<PublishedVersion> {
    const { engine: raw, pointer } = await openCurrent(project, { sandbox: true });
    const engine = new PublicEngine(raw, publicTables(project));
    try {
      const exists = (name: string): Promise<boolean> => engine.tableExists(SCHEMA.public, name);
      const indicators: IndicatorDef[] = [];
      for (const i of project.indicators) if (await exists(i.name)) indicators.push(i);
      const publications: PublicationDef[] = [];
      for (const p of project.publications) if (await exists(p.name)) publications.push(p);
      const values = new Map<string, ValueRow[]>(indicators.map((i) => [i.name, []]));
      for (const v of await readValues(engine, indicators, 'public')) values.get(v.indicator)?.push(v);
      const periods = [...new Set([...values.values()].flat().map((v) => v.period))].sort();
      const areaModel = loadAreaModel(project);
      const tag = `${pointer.version}-${shortHash(
        JSON.stringify(pointer),
        API_VERSION,
        JSON.stringify([project.indicators, project.publications, project.areas, project.catalog]),
      )}`;
      return new PublishedVersion(
        engine,
        pointer,
        project,
        tag,
        areaModel,
        areaModel.areas.filter((a) => a.level !== 'custom'),
        indicators,
        values,
        publications,
        periods,
        opts.cache,
      );
    } catch (e) {
      await engine.close();
      throw e;
    }
  }

  /** a response of this version: computed on first use, then served from memory */
  represent(key: string, compute: () => Promise<Representation> | Representation): Promise<Representation> {
    return this.cache.get(key, compute);
  }

  /** derived data of this version, computed once (OData rows, lookups) */
  derived<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Read from the version's engine (only public tables pass its guard); the engine outlives the read. */
  async read<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    if (this.closing)
      throw new ApiProblem(
        503,
        'version_replaced',
        'Er is net een nieuwe versie gepubliceerd; probeer het opnieuw.',
      );
    this.users++;
    try {
      return await fn(this.engine);
    } finally {
      this.users--;
      if (this.retired && this.users === 0) void this.close();
    }
  }

  /** the rows of a publication's public table (values only where published, as readValues does) */
  publicationRows(pub: PublicationDef): Promise<PublicationRow[]> {
    return this.read(async (engine) => {
      const rows = await engine.query<
        Omit<PublicationRow, 'status'> & { status: string; reason: string | null }
      >(
        `SELECT area_code AS area, area_level AS level, period, category, status, value, count, denominator, marker, missing_reason AS reason
         FROM ${engine.dialect.qualify(SCHEMA.public, pub.name)} ORDER BY period, area_code, category`,
      );
      return rows.map((r) => {
        const published = r.status === 'published';
        return {
          area: r.area,
          level: r.level,
          period: r.period,
          category: r.category,
          value: published ? r.value : null,
          count: published ? r.count : null,
          denominator: published ? r.denominator : null,
          status: publicStatus(r.status, r.reason),
          marker: r.marker,
        };
      });
    });
  }

  /** A newer version is current: close the engine once the reads in progress are done. */
  retire(): Promise<void> {
    this.retired = true;
    return this.users === 0 ? this.close() : Promise.resolve();
  }

  private close(): Promise<void> {
    this.closing ??= this.engine.close();
    return this.closing;
  }
}

/**
 * Keeps the current published version open: opens it at start, and again whenever a build publishes
 * a new one (`current.json` is replaced by an atomic rename, so the folder is watched, with a slow
 * poll as a fallback). Until a version exists the server is alive but not ready.
 */
export class PublishedReader {
  private version: PublishedVersion | null = null;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private refreshing: Promise<boolean> | undefined;
  private closed = false;

  constructor(
    private project: Project,
    private readonly opts: ReaderOptions = {},
  ) {}

  /** the version being served, or null while none is published (not ready) */
  get current(): PublishedVersion | null {
    return this.version;
  }

  async start(): Promise<void> {
    await this.refresh();
    const store = new VersionStore(this.project.engine.path);
    try {
      this.watcher = watch(store.dir, (_event, file) => {
        if (file !== 'current.json') return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.refresh(), 50);
      });
      this.watcher.on('error', (e) => this.opts.log?.warn({ err: e }, 'watching the versions folder failed'));
    } catch (e) {
      this.opts.log?.warn({ err: e }, 'cannot watch the versions folder; polling only');
    }
    const pollMs = this.opts.pollMs ?? 5_000;
    if (pollMs > 0) {
      this.timer = setInterval(() => void this.refresh(), pollMs);
      this.timer.unref();
    }
  }

  /** Open the published version if it is not the one being served. True when a new version was opened. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    if (this.closed) return false;
    const pointer = new VersionStore(this.project.engine.path).current();
    if (!pointer || pointer.file === this.version?.pointer.file) return false;
    const project = this.version ? this.reloadProject() : this.project;
    let next: PublishedVersion;
    try {
      next = await PublishedVersion.open(project, this.opts);
    } catch (e) {
      if (!(e instanceof NoVersionError))
        this.opts.log?.warn({ err: e }, 'cannot open the published version');
      return false;
    }
    if (this.closed) {
      await next.retire();
      return false;
    }
    const old = this.version;
    this.version = next;
    this.project = project;
    this.opts.log?.info(
      { version: next.pointer.version, run: next.pointer.run_id, indicators: next.indicators.length },
      'serving published version',
    );
    await old?.retire();
    return true;
  }

  /** A new build may come with new definitions: read them again (keep the old ones if they do not load). */
  private reloadProject(): Project {
    const { project, errors } = loadProject(this.project.root);
    if (project) return project;
    this.opts.log?.warn(
      { errors: errors.map(String) },
      'the project definitions do not load; serving the new version with the previous definitions',
    );
    return this.project;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    await this.refreshing;
    const v = this.version;
    this.version = null;
    await v?.retire();
  }
}
