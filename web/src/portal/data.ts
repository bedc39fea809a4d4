import { getAll, type Area, type Indicator } from '../shared/api.js';

/**
 * The portal's lists that every page needs (indicators, areas): fetched once per page load and
 * shared by the pages and the footer.
 */
const cache = new Map<string, Promise<unknown>>();

function once<T>(path: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(path) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

export const loadIndicators = (path: string): Promise<Indicator[]> =>
  once(path, () => getAll<Indicator>(path, 'indicators'));

export const loadAreas = (path: string): Promise<Area[]> => once(path, () => getAll<Area>(path, 'areas'));

/** The years of the indicators' periods, oldest first. */
export const yearsOf = (indicators: Indicator[] | undefined): string[] =>
  [...new Set((indicators ?? []).flatMap((i) => (i.periods ?? []).map((p) => p.slice(0, 4))))].sort();

export const areaHref = (code: string): string => `/gebieden/${encodeURIComponent(code)}`;
export const indicatorHref = (id: string): string => `/indicatoren/${encodeURIComponent(id)}`;
