import { existsSync } from 'node:fs';
import { statePath } from '../build/build.js';
import type { CheckResult } from '../quality/checks.js';
import type { ColumnProfile } from '../quality/profile.js';
import { REFRESH_DAYS, type QualityScore } from '../quality/score.js';
import type { Project, SourceDef } from '../project/types.js';
import { StateStore, type LoadRecord } from '../state/store.js';

/** One source in the bronnenregister: its definition and what the loads made of it. */
export interface CatalogEntry {
  source: SourceDef;
  /** the newest successful or reused load */
  lastLoad?: LoadRecord;
  /** when the delivered content last changed (the first load of its checksum) */
  contentSince?: string;
  /** the delivery is older than its declared refresh */
  stale: boolean;
  score?: QualityScore & { at: string };
  /** score history, newest first */
  history: Array<QualityScore & { at: string; run_id: number }>;
  checks: CheckResult[];
  /** the column profiles of the last load; empty unless asked for (`profiles: true`) */
  profile: ColumnProfile[];
}

export interface CatalogOptions {
  now?: Date;
  /** one source only (the others are not read) */
  only?: string;
  /** also read the column profiles of each last load (the heaviest part; only a source's detail shows them) */
  profiles?: boolean;
}

/**
 * The catalog of a project: the definitions joined with the run history in the state store. Reads
 * no warehouse data; profiles and check examples hold only what their classification allows.
 */
export function catalogEntries(project: Project, o: CatalogOptions = {}): CatalogEntry[] {
  const now = o.now ?? new Date();
  const state = existsSync(statePath(project)) ? new StateStore(statePath(project)) : undefined;
  try {
    // the newest successful or reused load of each source, from one read of the history (newest first)
    const latest = new Map<string, LoadRecord>();
    for (const l of state?.loads() ?? [])
      if ((l.status === 'success' || l.status === 'reused') && !latest.has(l.source)) latest.set(l.source, l);
    return project.sources
      .filter((s) => o.only === undefined || s.name === o.only)
      .map((source) => {
        const lastLoad = latest.get(source.name);
        const contentSince = lastLoad ? state?.firstLoadOf(source.name, lastLoad.sha256) : undefined;
        const interval = REFRESH_DAYS[source.refresh];
        const stale =
          interval !== undefined &&
          contentSince !== undefined &&
          (now.getTime() - Date.parse(contentSince)) / 86_400_000 > interval;
        const history = state?.scores(source.name) ?? [];
        return {
          source,
          ...(lastLoad ? { lastLoad } : {}),
          ...(contentSince ? { contentSince } : {}),
          stale,
          ...(history[0] ? { score: history[0] } : {}),
          history,
          checks: lastLoad && state ? state.checkResults({ loadId: lastLoad.id }) : [],
          profile: o.profiles && lastLoad && state ? state.profiles({ loadId: lastLoad.id }) : [],
        };
      });
  } finally {
    state?.close();
  }
}
