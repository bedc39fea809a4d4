import { getAll, type IndicatorValue } from '../shared/api.js';
/** The portal's lists (indicators, areas) come from the shared cache: fetched once per page load. */
export { loadAreas, loadPublished as loadIndicators, yearsOf } from '../shared/lists.js';

/** A published indicator's values, every page of them (not cached: a page asks for one indicator at a time). */
export const loadValues = (path: string, signal: AbortSignal): Promise<IndicatorValue[]> =>
  getAll<IndicatorValue>(path, 'values', signal);

export const areaHref = (code: string): string => `/gebieden/${encodeURIComponent(code)}`;
export const indicatorHref = (id: string): string => `/indicatoren/${encodeURIComponent(id)}`;
