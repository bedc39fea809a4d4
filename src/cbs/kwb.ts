/**
 * Kerncijfers wijken en buurten (KWB): CBS's yearly table of key figures per gemeente, wijk and
 * buurt (85984NED is 2024). A table holds one year (no Perioden dimension: the year is in
 * TableInfos.Period) and its region dimension is `WijkenEnBuurten`, whose codes are the level
 * (GM/WK/BU) and the gemeente number: GM0400, WK040001, BU04000100. The topic `SoortRegio_<n>` says
 * the level in words (Gemeente, Wijk, Buurt). Data is CBS open data: publish it with "Bron: CBS"
 * (CC BY 4.0).
 */
import { CbsError, CbsMeasureError } from './errors.js';
import { containsAny, type CellStatus } from './odata.js';
import { measureStem, resolveMeasure, type CbsV3, type ResolvedMeasure } from './v3.js';

export const REGION_DIMENSION = 'WijkenEnBuurten';

export type RegionLevel = 'gemeente' | 'wijk' | 'buurt';

export interface KwbRow {
  /** trimmed: GM0400, WK040001, BU04000100 */
  code: string;
  level: RegionLevel;
  /** the region's title in the WijkenEnBuurten dimension */
  name: string;
  /** TableInfos.Period (e.g. "2024"), or the time dimension's key if the table has one */
  period: string;
  /** by stem (AantalInwoners), stable across years; null when CBS has no figure (never 0) */
  measures: Record<string, number | null>;
  /** the null measures, and why (secret, unknown or impossible) */
  missing: Record<string, CellStatus>;
}

export interface KwbResult {
  table: string;
  title: string;
  period: string;
  /** what each stem is in this table: key, title, unit, decimals */
  measures: ResolvedMeasure[];
  /** the gemeente, then its wijken, then its buurten, each by code */
  rows: KwbRow[];
}

export interface KwbOptions {
  client: CbsV3;
  /** e.g. 85984NED */
  table: string;
  /** e.g. GM0400 */
  gemeente: string;
  /** by stem (AantalInwoners), key (AantalInwoners_5) or title (Aantal inwoners) */
  measures: string[];
}

const LEVEL_ORDER: RegionLevel[] = ['gemeente', 'wijk', 'buurt'];
const PREFIX: Record<string, RegionLevel> = { GM: 'gemeente', WK: 'wijk', BU: 'buurt' };

/**
 * The key figures of one gemeente, its wijken and its buurten. Measures are found by stem or title,
 * so the same call works on every year's table although CBS renumbers the keys.
 */
export async function kerncijfersForMunicipality(options: KwbOptions): Promise<KwbResult> {
  const { client, table } = options;
  const number = gemeenteNumber(options.gemeente);
  const [info, properties] = await Promise.all([client.tableInfos(table), client.dataProperties(table)]);
  if (!properties.some((p) => p.Key === REGION_DIMENSION)) {
    throw new CbsError(
      `table ${table} has no ${REGION_DIMENSION} dimension`,
      'use a Kerncijfers wijken en buurten table (85984NED is 2024)',
    );
  }
  const measures = options.measures.map((m) => numericMeasure(properties, m));
  const stems = new Map<string, string>();
  for (const { stem, key } of measures) {
    const other = stems.get(stem);
    if (other !== undefined && other !== key) {
      throw new CbsMeasureError(
        `${other} and ${key} have the same stem "${stem}", by which the rows name their measures`,
        'ask for one of them at a time',
        [other, key],
      );
    }
    stems.set(stem, key);
  }
  // SoortRegio says the level in words; without it the code prefix does.
  const soortRegio = properties.find((p) => p.Type === 'Topic' && measureStem(p.Key) === 'SoortRegio')?.Key;
  const time = properties.find((p) => p.Type === 'TimeDimension')?.Key;

  // By prefix, with substringof: no padding to get right, and one request instead of three.
  const prefixes = ['GM', 'WK', 'BU'].map((level) => `${level}${number}`);
  const [data, regions] = await Promise.all([
    client.typedDataSet(table, {
      filter: containsAny('v3', REGION_DIMENSION, prefixes),
      select: [REGION_DIMENSION, time, soortRegio, ...measures.map((m) => m.key)].filter(
        (c): c is string => c !== undefined,
      ),
    }),
    client.dimension(table, REGION_DIMENSION, { filter: containsAny('v3', 'Key', prefixes) }),
  ]);
  const names = new Map(regions.map((r) => [r.key, r.title]));

  const rows: KwbRow[] = [];
  for (const { values, missing } of data) {
    const code = String(values[REGION_DIMENSION] ?? '');
    if (!prefixes.some((p) => code.startsWith(p))) continue;
    const period = time ? String(values[time]) : info.Period?.trim();
    if (!period) {
      throw new CbsError(
        `table ${table} says neither in TableInfos nor in a time dimension which period it is`,
        'report it to CBS',
      );
    }
    rows.push({
      code,
      level: level(soortRegio ? values[soortRegio] : undefined, code),
      name: names.get(code) ?? code,
      period,
      measures: Object.fromEntries(measures.map((m) => [m.stem, values[m.key] as number | null])),
      missing: Object.fromEntries(
        measures
          .filter((m) => missing[m.key] !== undefined)
          .map((m) => [m.stem, missing[m.key] as CellStatus]),
      ),
    });
  }
  rows.sort(
    (a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.code.localeCompare(b.code),
  );
  return { table, title: info.Title.trim(), period: info.Period?.trim() ?? '', measures, rows };
}

/** GM0400 → 0400 */
function gemeenteNumber(gemeente: string): string {
  const match = /^GM(\d{4})$/.exec(gemeente.trim().toUpperCase());
  if (!match) {
    throw new CbsError(
      `"${gemeente}" is not a CBS gemeente code`,
      'write GM and the four-digit gemeente number, e.g. GM0400 (Den Helder)',
    );
  }
  return match[1] as string;
}

function numericMeasure(properties: Parameters<typeof resolveMeasure>[0], wanted: string): ResolvedMeasure {
  const measure = resolveMeasure(properties, wanted);
  if (measure.datatype === 'String') {
    throw new CbsMeasureError(
      `"${wanted}" is ${measure.key}, a text (${measure.title}), not a number`,
      'ask for numeric measures only; names and codes are in the rows already',
      [measure.key],
    );
  }
  return measure;
}

/** SoortRegio says it in words ("Gemeente  ", trimmed already); the code prefix is the fallback. */
function level(soortRegio: unknown, code: string): RegionLevel {
  const word = typeof soortRegio === 'string' ? soortRegio.toLowerCase() : '';
  if (word === 'gemeente' || word === 'wijk' || word === 'buurt') return word;
  return PREFIX[code.slice(0, 2)] as RegionLevel;
}
