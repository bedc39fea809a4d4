import { getJson, type IndicatorValue } from '../shared/api.js';
import { loadAreas, once } from '../shared/lists.js';
export { loadAreas, loadPublished, yearsOf } from '../shared/lists.js';
import type { InternalIndicator, RestrictedValues, SourceSummary } from './types.js';

/** GET /internal/indicators: every indicator with owner, sources, target and published (metadata). */
export const loadIndicators = (path: string): Promise<InternalIndicator[]> =>
  once(path, () => getJson<{ indicators: InternalIndicator[] }>(path).then((b) => b.indicators));

/** Restricted values (not cached: every read is audited with the purpose), with the areas' names. */
export async function loadValues(path: string, signal: AbortSignal): Promise<IndicatorValue[]> {
  const [body, areas] = await Promise.all([getJson<RestrictedValues>(path, signal), loadAreas('/areas')]);
  const names = new Map(areas.map((a) => [a.code, a.name]));
  return body.values.map((v) => ({ ...v, areaName: names.get(v.area) ?? v.area }));
}

/** The periods of a set of values, oldest first. */
export const periodsOf = (values: IndicatorValue[] | undefined): string[] =>
  [...new Set((values ?? []).map((v) => v.period))].sort();

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
