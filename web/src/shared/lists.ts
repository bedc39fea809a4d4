import { getAll, type Area, type Indicator } from './api.js';
import { yearOf } from './format.js';

/** What a face fetches once per page load (and again after a failure), by key. */
const cache = new Map<string, Promise<unknown>>();

/** The promise of `load` for `key`: the first call loads, later ones share it; a failure is forgotten. */
export function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** GET /api/v1/areas: gemeente, wijken, buurten (public). */
export const loadAreas = (path: string): Promise<Area[]> => once(path, () => getAll<Area>(path, 'areas'));

/** GET /api/v1/indicators: the published indicators with their periods (public). */
export const loadPublished = (path: string): Promise<Indicator[]> =>
  once(path, () => getAll<Indicator>(path, 'indicators'));

/** The years of the indicators' periods, oldest first. */
export const yearsOf = (indicators: Indicator[] | undefined): string[] =>
  [...new Set((indicators ?? []).flatMap((i) => (i.periods ?? []).map(yearOf)))].sort();
