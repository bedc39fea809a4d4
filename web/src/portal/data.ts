/** The portal's lists (indicators, areas) come from the shared cache: fetched once per page load. */
export { loadAreas, loadPublished as loadIndicators, yearsOf } from '../shared/lists.js';

export const areaHref = (code: string): string => `/gebieden/${encodeURIComponent(code)}`;
export const indicatorHref = (id: string): string => `/indicatoren/${encodeURIComponent(id)}`;
