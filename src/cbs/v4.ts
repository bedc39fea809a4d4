/**
 * CBS StatLine through OData v4: `https://odata4.cbs.nl/CBS/<table>/…` (CBS documents the same
 * service as `https://datasets.cbs.nl/odata/v1/CBS/<table>`; both are a base URL away). A table is
 * a set of entity sets: `Observations` (the data in long format, one row per measure per
 * combination of dimension codes: `Id, Measure, ValueAttribute, Value, <dimension columns>`),
 * `MeasureCodes`, `MeasureGroups`, `Dimensions`, `<Dim>Codes`, `<Dim>Groups` and the `Properties`
 * singleton. Collections page with `@odata.nextLink`. Region codes are padded as in v3 (CBS's own
 * snelstartgids shows `"NL00      "`), so codes are looked up before they go into a filter.
 */
import { z } from 'zod';
import { CbsError } from './errors.js';
import { CbsHttp, type HttpOptions, type RequestContext } from './http.js';
import {
  allOf,
  anyEq,
  exactCodes,
  expectShape,
  memo,
  toDimensionCodes,
  type CellStatus,
  type DimensionCode,
  type JsonObject,
} from './odata.js';

export const V4_BASE_URL = 'https://odata4.cbs.nl';
const NEXT_LINK = '@odata.nextLink';

const measureCodeSchema = z.looseObject({
  Identifier: z.string(),
  Title: z.string(),
  Unit: z.string().nullable().optional(),
  DataType: z.string().nullable().optional(),
  Decimals: z.number().nullable().optional(),
});
export type MeasureCode = z.infer<typeof measureCodeSchema>;

const dimensionSchema = z.looseObject({ Identifier: z.string(), Title: z.string(), Kind: z.string() });
/** A dimension; `Kind` is `Dimension`, `TimeDimension`, or a geographical kind. */
export type Dimension = z.infer<typeof dimensionSchema>;

const observationSchema = z.looseObject({
  Measure: z.string(),
  Value: z.number().nullable(),
  ValueAttribute: z.string().nullable().optional(),
});

/** One observation, long format: dimension columns trimmed, `status` read from `ValueAttribute`. */
export interface Observation {
  Measure: string;
  /** as served: null stays null */
  Value: number | null;
  ValueAttribute: string | null;
  status: CellStatus;
  [column: string]: string | number | null | undefined;
}

export interface ObservationQuery {
  /** an OData v4 `$filter`, sent as written (codes padded, or `containsAny('v4', …)`) */
  filter?: string;
  /** measure identifiers (`MeasureCodes`), e.g. `T001036` */
  measures?: string[];
  /** exact codes per dimension, trimmed; sent in the padded form after looking them up */
  dimensions?: Record<string, string[]>;
}

export interface V4Options extends Partial<HttpOptions> {
  /** `CBS` (StatLine) or another catalog, e.g. `CBS-asd` */
  catalog?: string;
}

export class CbsV4 {
  readonly http: CbsHttp;
  private readonly catalog: string;
  private readonly cache = new Map<string, Promise<JsonObject[]>>();

  constructor(options: V4Options = {}) {
    const { catalog = 'CBS', ...http } = options;
    this.http = new CbsHttp({ baseUrl: V4_BASE_URL, ...http });
    this.catalog = catalog;
  }

  async measureCodes(table: string): Promise<MeasureCode[]> {
    return this.parsed(table, 'MeasureCodes', z.array(measureCodeSchema), 'MeasureCodes');
  }

  async dimensions(table: string): Promise<Dimension[]> {
    return this.parsed(table, 'Dimensions', z.array(dimensionSchema), 'Dimensions');
  }

  /** The codes of one dimension (`<Dim>Codes`), keys trimmed, e.g. `dimensionCodes(t, 'WijkenEnBuurten')`. */
  async dimensionCodes(table: string, dimension: string): Promise<DimensionCode[]> {
    const entity = `${dimension}Codes`;
    return toDimensionCodes(await this.cached(table, entity), 'Identifier', this.url(table, entity));
  }

  /** The `Properties` singleton: title, period, modification date, observation count, … */
  async properties(table: string): Promise<JsonObject> {
    const url = this.url(table, 'Properties');
    const body = await this.http.getJson(url, notFound(table, 'Properties'));
    return expectShape(z.record(z.string(), z.unknown()), body, url, 'the Properties singleton');
  }

  /** Every observation that matches, across all pages. */
  async observations(table: string, query: ObservationQuery = {}): Promise<Observation[]> {
    const measures = query.measures
      ? anyEq(
          'Measure',
          exactCodes(
            query.measures,
            (await this.measureCodes(table)).map((m) => ({ key: m.Identifier.trim(), rawKey: m.Identifier })),
            `MeasureCodes of ${table}`,
          ),
        )
      : undefined;
    const dimensions = await Promise.all(
      Object.entries(query.dimensions ?? {}).map(async ([dim, codes]) =>
        anyEq(dim, exactCodes(codes, await this.dimensionCodes(table, dim), `dimension ${dim} of ${table}`)),
      ),
    );
    const url = this.url(table, 'Observations', { $filter: allOf(query.filter, measures, ...dimensions) });
    const rows = await this.http.collect(url, NEXT_LINK, notFound(table, 'Observations'));
    return expectShape(z.array(observationSchema), rows, url, 'Observations').map(toObservation);
  }

  private url(table: string, entity: string, query: Record<string, string | undefined> = {}): string {
    return this.http.url(`${encodeURIComponent(this.catalog)}/${encodeURIComponent(table)}/${entity}`, query);
  }

  private cached(table: string, entity: string): Promise<JsonObject[]> {
    return memo(this.cache, `${table}/${entity}`, () =>
      this.http.collect(this.url(table, entity), NEXT_LINK, notFound(table, entity)),
    );
  }

  private async parsed<T extends z.ZodType>(table: string, entity: string, schema: T, what: string) {
    return expectShape(schema, await this.cached(table, entity), this.url(table, entity), what);
  }
}

function notFound(table: string, entity: string): RequestContext {
  return {
    notFound: `check the table id "${table}" and the catalog (not every StatLine table is in OData v4 yet), and that the table has "${entity}"`,
  };
}

/**
 * `ValueAttribute` → status. `None` is a plain value; `Impossible` (StatLine's blank: cannot occur)
 * and `Confidential` (secret) come with a null Value. Any other attribute keeps its value and is
 * `unavailable` when the value is null; the attribute itself is kept on the row.
 */
export function observationStatus(
  valueAttribute: string | null | undefined,
  value: number | null,
): CellStatus {
  if (valueAttribute === 'Impossible') return 'impossible';
  if (valueAttribute === 'Confidential') return 'confidential';
  return value === null ? 'unavailable' : 'ok';
}

function toObservation(row: z.infer<typeof observationSchema>): Observation {
  const observation: Observation = {
    Measure: row.Measure.trim(),
    Value: row.Value,
    ValueAttribute: row.ValueAttribute ?? null,
    status: observationStatus(row.ValueAttribute, row.Value),
  };
  for (const [name, value] of Object.entries(row)) {
    if (Object.hasOwn(observation, name)) continue;
    observation[name] = typeof value === 'number' || value === null ? value : String(value).trim();
  }
  return observation;
}

/** A wide row: one area (and period), a value per measure title. */
export interface WideRow {
  area: string;
  period: string | null;
  values: Record<string, number | null>;
  /** measures that are null, and why */
  missing: Record<string, CellStatus>;
}

export interface PivotOptions {
  /** to name the columns by title (a title two measures share gets its identifier added) */
  measures: MeasureCode[];
  /** the region dimension, e.g. `WijkenEnBuurten` */
  area: string;
  /** the time dimension (e.g. `Perioden`), or */
  periodDimension?: string;
  /** the period of a table without one (Kerncijfers wijken en buurten: one table per year) */
  period?: string;
}

/**
 * Long to wide: a row per area code + period, a column per measure title. Any other dimension must
 * be filtered to one code first; two observations for the same cell are an error, not a silent
 * overwrite.
 */
export function pivot(observations: Observation[], options: PivotOptions): WideRow[] {
  const titles = measureTitles(options.measures);
  const fixed = new Set(['Id', 'Measure', 'Value', 'ValueAttribute', 'StringValue', 'status', options.area]);
  if (options.periodDimension) fixed.add(options.periodDimension);
  const rows = new Map<string, WideRow>();
  for (const o of observations) {
    const area = String(o[options.area] ?? '');
    const period = options.periodDimension
      ? String(o[options.periodDimension] ?? '')
      : (options.period ?? null);
    const id = JSON.stringify([area, period]);
    let row = rows.get(id);
    if (!row) {
      row = { area, period, values: {}, missing: {} };
      rows.set(id, row);
    }
    const title = titles.get(o.Measure) ?? o.Measure;
    if (Object.hasOwn(row.values, title)) {
      const others = Object.keys(o).filter((k) => !fixed.has(k));
      throw new CbsError(
        `two observations of "${title}" for ${area}${period ? ` in ${period}` : ''}`,
        others.length > 0
          ? `filter ${others.join(', ')} to one code before pivoting`
          : 'give periodDimension when the table has a time dimension',
      );
    }
    row.values[title] = o.Value;
    if (o.status !== 'ok') row.missing[title] = o.status;
  }
  return [...rows.values()];
}

function measureTitles(measures: MeasureCode[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const m of measures) count.set(m.Title.trim(), (count.get(m.Title.trim()) ?? 0) + 1);
  return new Map(
    measures.map((m) => {
      const title = m.Title.trim();
      return [m.Identifier.trim(), (count.get(title) ?? 0) > 1 ? `${title} (${m.Identifier.trim()})` : title];
    }),
  );
}
