/**
 * The wijken and buurten of one municipality from PDOK's "CBS Wijken en Buurten <year>" OGC API,
 * normalised to one shape, for writing the project's area GeoJSON.
 *
 * Property names differ between vintages and services: the OGC API has `wijkcode`/`wijknaam`,
 * `buurtcode`/`buurtnaam`, `gemeentecode`, `water` (JA/NEE) and `jaarstatcode` (e.g. `2024WK040001`);
 * older PDOK/CBS files have `statcode`/`statnaam`/`jrstatcode`, the CBS shapefiles `WK_CODE`,
 * `BU_NAAM`, `JRSTATCODE`… Names are matched case-insensitively against those variants.
 *
 * The Wijk- en Buurtkaart also holds water: buurten whose code ends in 9997 (inland water) or 9998
 * (sea and estuaries), marked `water: "JA"`. They are left out unless `includeWater` is set, as
 * nobody lives there and they would swallow geocoded points in harbours.
 */
import type { MultiPolygon, Polygon } from '../geo/pip.js';
import {
  fetchFeatures,
  PdokError,
  type Feature,
  type FeatureCollection,
  type FetchFeaturesOptions,
} from './features.js';

export type AreaLevel = 'wijk' | 'buurt';

export interface Area {
  /** CBS code: `WK` + 6 digits or `BU` + 8 digits. */
  code: string;
  name: string;
  level: AreaLevel;
  /** The gemeente code of a wijk, the wijk code of a buurt. */
  parent: string;
  year: number;
  /** True for water areas (only present with `includeWater`). */
  water: boolean;
  /** WGS84 lon/lat. */
  geometry: Polygon | MultiPolygon;
}

export interface FetchAreasOptions extends Omit<
  FetchFeaturesOptions,
  'baseUrl' | 'collection' | 'filter' | 'bbox' | 'bboxCrs'
> {
  /** Default: PDOK's API for `year` (see `wijkenEnBuurtenUrl`). */
  baseUrl?: string;
  /** The vintage of the division; checked against the features' `jaar`/`jaarstatcode`. */
  year: number;
  /** CBS gemeente code, e.g. `GM0400`. */
  gemeente: string;
  includeWater?: boolean;
}

/** PDOK's OGC API for the CBS wijk- en buurtkaart of a year. */
export function wijkenEnBuurtenUrl(year: number): string {
  return `https://api.pdok.nl/cbs/wijken-en-buurten-${year}/ogc/v1`;
}

const COLLECTION: Record<AreaLevel, string> = { wijk: 'wijken', buurt: 'buurten' };

/** Property name variants per field and level, in order of preference (matched case-insensitively). */
const NAMES = {
  code: { wijk: ['wijkcode', 'statcode', 'wk_code'], buurt: ['buurtcode', 'statcode', 'bu_code'] },
  name: { wijk: ['wijknaam', 'statnaam', 'wk_naam'], buurt: ['buurtnaam', 'statnaam', 'bu_naam'] },
  gemeente: ['gemeentecode', 'gm_code'],
  wijk: ['wijkcode', 'wk_code'],
  yearCode: ['jaarstatcode', 'jrstatcode'],
  year: ['jaar'],
  water: ['water'],
} as const;

const CODE_PATTERN: Record<AreaLevel, RegExp> = { wijk: /^WK\d{6}$/, buurt: /^BU\d{8}$/ };

/** The wijken (first) and buurten of a municipality, each sorted by code. */
export async function fetchAreas(options: FetchAreasOptions): Promise<Area[]> {
  const { year, gemeente, includeWater = false, baseUrl = wijkenEnBuurtenUrl(year), ...rest } = options;
  if (!/^GM\d{4}$/.test(gemeente))
    throw new PdokError(
      `"${gemeente}" is not a CBS gemeente code`,
      baseUrl,
      undefined,
      'use GM followed by four digits, e.g. GM0400',
    );
  const fetchLevel = async (level: AreaLevel): Promise<Area[]> => {
    const fc = await fetchFeatures({
      ...rest,
      baseUrl,
      collection: COLLECTION[level],
      filter: { gemeentecode: gemeente },
    });
    const areas = fc.features.map((f) => toArea(f, level, year, gemeente, baseUrl));
    return mergeByCode(areas.filter((a) => includeWater || !a.water));
  };
  const [wijken, buurten] = await Promise.all([fetchLevel('wijk'), fetchLevel('buurt')]);
  const wijkCodes = new Set(wijken.map((w) => w.code));
  for (const b of buurten)
    if (!wijkCodes.has(b.parent))
      throw new PdokError(
        `buurt ${b.code} (${b.name}) lies in wijk ${b.parent}, which ${baseUrl} did not return for ${gemeente}`,
        baseUrl,
        undefined,
        includeWater
          ? 'the wijken and buurten collections disagree: report it to CBS/PDOK'
          : 'try includeWater (the wijk may be a water wijk)',
      );
  return [...wijken, ...buurten];
}

function toArea(f: Feature, level: AreaLevel, year: number, gemeente: string, baseUrl: string): Area {
  const props = lowerCaseKeys(f.properties ?? {});
  const get = (names: readonly string[]): string | undefined => {
    for (const n of names) {
      const v = props.get(n);
      if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
    }
    return undefined;
  };
  const code = get(NAMES.code[level]);
  const where = `${COLLECTION[level]} feature ${f.id ?? '?'} of ${baseUrl}`;
  const fail = (what: string, fix: string): PdokError =>
    new PdokError(`${where}: ${what}`, baseUrl, 200, fix);
  if (!code || !CODE_PATTERN[level].test(code))
    throw fail(
      `no ${level} code (looked for ${NAMES.code[level].join(', ')}; found ${code ?? 'none'})`,
      'check that baseUrl is a CBS wijken-en-buurten API',
    );

  // The gemeente is part of the code (GM0400 → WK0400xx, BU0400xxxx); the property must agree.
  const gemeenteOfCode = `GM${code.slice(2, 6)}`;
  const gemeenteProp = get(NAMES.gemeente);
  if (gemeenteOfCode !== gemeente || (gemeenteProp !== undefined && gemeenteProp !== gemeente))
    throw fail(
      `${code} belongs to ${gemeenteProp ?? gemeenteOfCode}, not ${gemeente}: the server ignored the gemeentecode filter`,
      'check that the collection offers gemeentecode as a property filter',
    );

  const yearCode = get(NAMES.yearCode);
  const served = get(NAMES.year) ?? (yearCode && /^\d{4}/.test(yearCode) ? yearCode.slice(0, 4) : undefined);
  if (served !== undefined && Number(served) !== year)
    throw fail(
      `${code} is from the ${served} division, not ${year}`,
      `use the API of ${year} (${wijkenEnBuurtenUrl(year)}) or ask for year ${served}`,
    );

  const g = f.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon'))
    throw fail(`${code} has geometry ${g?.type ?? 'null'}, not a (Multi)Polygon`, 'report it to CBS/PDOK');

  return {
    code,
    name: get(NAMES.name[level]) ?? code,
    level,
    parent: level === 'wijk' ? gemeente : (get(NAMES.wijk) ?? `WK${code.slice(2, 8)}`),
    year,
    water: get(NAMES.water)?.toUpperCase() === 'JA',
    geometry: g as Polygon | MultiPolygon,
  };
}

function lowerCaseKeys(properties: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(properties).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * One area per code, sorted. Should a code come in several features (as gemeenten do for their land
 * and water parts), their polygons are joined into one MultiPolygon.
 */
function mergeByCode(areas: Area[]): Area[] {
  const byCode = new Map<string, Area>();
  for (const a of areas) {
    const seen = byCode.get(a.code);
    if (!seen) byCode.set(a.code, a);
    else
      byCode.set(a.code, {
        ...seen,
        water: seen.water && a.water,
        geometry: {
          type: 'MultiPolygon',
          coordinates: [...polygons(seen.geometry), ...polygons(a.geometry)],
        },
      });
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function polygons(g: Polygon | MultiPolygon): MultiPolygon['coordinates'] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * Areas as a GeoJSON FeatureCollection with the property names the project's area files use
 * (`statcode`, `statnaam`, `jrstatcode`, `rubriek`, as in `data/areas/`), plus `parent` and `jaar`.
 */
export function areasToFeatureCollection(areas: readonly Area[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: areas.map((a) => ({
      type: 'Feature',
      id: a.code,
      geometry: a.geometry,
      properties: {
        statcode: a.code,
        statnaam: a.name,
        jrstatcode: `${a.year}${a.code}`,
        rubriek: a.level,
        parent: a.parent,
        jaar: a.year,
        water: a.water,
      },
    })),
  };
}
