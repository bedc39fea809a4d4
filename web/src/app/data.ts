import { getAll, getJson, type Area, type Indicator, type IndicatorValue } from '../shared/api.js';
import type { InternalIndicator, RestrictedValues, SourceSummary } from './types.js';

/** Lists every page of the app needs, fetched once per page load (and again after a failure). */
const cache = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** GET /internal/indicators: every indicator with owner, sources, target and published (metadata). */
export const loadIndicators = (path: string): Promise<InternalIndicator[]> =>
  once(path, () => getJson<{ indicators: InternalIndicator[] }>(path).then((b) => b.indicators));

/** GET /api/v1/areas: gemeente, wijken, buurten (public). */
export const loadAreas = (path: string): Promise<Area[]> => once(path, () => getAll<Area>(path, 'areas'));

/** GET /api/v1/indicators: the published indicators with their periods (public). */
export const loadPublished = (path: string): Promise<Indicator[]> =>
  once(path, () => getAll<Indicator>(path, 'indicators'));

/** Restricted values (not cached: every read is audited with the purpose), with the areas' names. */
export async function loadValues(path: string, signal: AbortSignal): Promise<IndicatorValue[]> {
  const [body, areas] = await Promise.all([getJson<RestrictedValues>(path, signal), loadAreas('/areas')]);
  const names = new Map(areas.map((a) => [a.code, a.name]));
  return body.values.map((v) => ({ ...v, areaName: names.get(v.area) ?? v.area }));
}

/** The periods of a set of values, oldest first. */
export const periodsOf = (values: IndicatorValue[] | undefined): string[] =>
  [...new Set((values ?? []).map((v) => v.period))].sort();

/** The latest of the periods (or ''). */
export const latest = (periods: string[]): string => periods.at(-1) ?? '';

/** The years of the indicators' periods, oldest first. */
export const yearsOf = (indicators: Indicator[] | undefined): string[] =>
  [...new Set((indicators ?? []).flatMap((i) => (i.periods ?? []).map((p) => p.slice(0, 4))))].sort();

export const areaHref = (code: string): string => `/app/gebieden/${encodeURIComponent(code)}`;
export const indicatorHref = (id: string): string => `/app/indicatoren/${encodeURIComponent(id)}`;
export const sourceHref = (name: string): string => `/app/catalogus/${encodeURIComponent(name)}`;

/** GET /internal/catalog: each source's purposes (metadata, any signed-in role). */
export const loadSourcePurposes = (path: string): Promise<Map<string, string[]>> =>
  once(path, () =>
    getJson<{ sources: SourceSummary[] }>(path).then(
      (b) => new Map(b.sources.map((s) => [s.name, s.purposes])),
    ),
  );

/**
 * Whether the purpose may read an indicator, as authorise() decides it: every source it is built
 * from must be declared for the purpose. Only to leave dead ends out of a list; the server decides.
 */
export const allowedFor = (i: InternalIndicator, purpose: string, purposes: Map<string, string[]>): boolean =>
  purpose !== '' && i.sources.every((s) => purposes.get(s.name)?.includes(purpose) ?? false);
