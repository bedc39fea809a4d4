/**
 * CBS StatLine through OData v3 (https://opendata.cbs.nl). Two services serve the same tables:
 * - `ODataApi/odata/<table>/…` answers at most 10,000 rows per request;
 * - `ODataFeed/odata/<table>/…` pages through any size, each page linking the next by
 *   `odata.nextLink`, and answers Atom XML unless asked for `$format=json`.
 *
 * Decision: data sets and dimensions are always read through ODataFeed, following every next link.
 * Whether a filtered result would pass 10,000 rows is unknown before reading it (finding out costs a
 * `$count` request), and reading through the cap would silently lose rows; one code path that is
 * correct at any size is worth more. CBS's own clients do the same (cbsodataR and the Python
 * cbsodata package download data from ODataFeed). Metadata (TableInfos, DataProperties, the service
 * document) is small and read through ODataApi; the next link is followed there too.
 */
import { z } from 'zod';
import { normaliseHeader } from '../util/text.js';
import { CbsMeasureError } from './errors.js';
import { CbsHttp, type HttpOptions, type RequestContext } from './http.js';
import {
  allOf,
  anyEq,
  exactCodes,
  expectShape,
  memo,
  nearest,
  toDimensionCodes,
  type CellStatus,
  type DimensionCode,
  type JsonObject,
} from './odata.js';

export const V3_BASE_URL = 'https://opendata.cbs.nl';
const NEXT_LINK = 'odata.nextLink';

const dataPropertySchema = z.looseObject({
  ID: z.number(),
  ParentID: z.number().nullable().optional(),
  Type: z.string(),
  Key: z.string(),
  Title: z.string(),
  Unit: z.string().nullable().optional(),
  Datatype: z.string().nullable().optional(),
  Decimals: z.number().nullable().optional(),
});
/** One entry of DataProperties: a Topic (measure), TopicGroup, Dimension, TimeDimension or GeoDetail. */
export type DataProperty = z.infer<typeof dataPropertySchema>;

const tableInfoSchema = z.looseObject({
  Identifier: z.string(),
  Title: z.string(),
  Period: z.string().nullable().optional(),
  Modified: z.string().nullable().optional(),
});
export type TableInfo = z.infer<typeof tableInfoSchema>;

const serviceDocumentSchema = z.array(z.looseObject({ name: z.string(), url: z.string() }));

/** A row of a data set: dimension keys trimmed, measures as numbers (or text), symbols as null. */
export interface V3Row {
  values: Record<string, string | number | null>;
  /** measures that are null, and why (only those; an empty object when all are there) */
  missing: Record<string, CellStatus>;
}

export interface DataSetQuery {
  /** an OData v3 `$filter`, sent as written: codes padded (see `anyEq`), or `containsAny('v3', …)` */
  filter?: string;
  /**
   * exact codes per dimension, trimmed; sent in the padded form after looking them up in the
   * dimension (read once per client: for WijkenEnBuurten that is every region of the country, so
   * for one gemeente's regions a prefix filter, `containsAny('v3', …)`, is cheaper)
   */
  where?: Record<string, string[]>;
  /** column keys as in DataProperties (find them by stem or title with `resolveMeasure`) */
  select?: string[];
}

/** A measure found in DataProperties. */
export interface ResolvedMeasure {
  /** the key in this table, e.g. `AantalInwoners_5` */
  key: string;
  /** the key without its numeric suffix, stable across years: `AantalInwoners` */
  stem: string;
  title: string;
  unit: string | null;
  datatype: string | null;
  decimals: number | null;
}

export class CbsV3 {
  readonly http: CbsHttp;
  private readonly properties = new Map<string, Promise<DataProperty[]>>();
  private readonly dimensions = new Map<string, Promise<DimensionCode[]>>();

  constructor(options: Partial<HttpOptions> = {}) {
    this.http = new CbsHttp({ baseUrl: V3_BASE_URL, ...options });
  }

  /** The entity sets of a table (TableInfos, TypedDataSet, DataProperties, the dimensions, …). */
  async serviceDocument(table: string): Promise<Array<{ name: string; url: string }>> {
    const url = this.url('ODataApi', table, '');
    return expectShape(serviceDocumentSchema, await this.read(url, table, ''), url, 'a service document');
  }

  /** The table's description: title, period, modification date, default selection, … */
  async tableInfos(table: string): Promise<TableInfo> {
    const url = this.url('ODataApi', table, 'TableInfos');
    const [info] = expectShape(
      z.array(tableInfoSchema).min(1),
      await this.read(url, table, 'TableInfos'),
      url,
      'TableInfos',
    );
    return info as TableInfo;
  }

  /** Every measure (Topic), group and dimension of the table; cached per client. */
  dataProperties(table: string): Promise<DataProperty[]> {
    return memo(this.properties, table, async () => {
      const url = this.url('ODataApi', table, 'DataProperties');
      return expectShape(
        z.array(dataPropertySchema),
        await this.read(url, table, 'DataProperties'),
        url,
        'DataProperties',
      );
    });
  }

  /**
   * The codes of a dimension, e.g. `WijkenEnBuurten` or `Perioden`, with keys trimmed (and as
   * served, padded, in `rawKey`). Read through ODataFeed: WijkenEnBuurten has more than 10,000 codes.
   */
  async dimension(table: string, key: string, options: { filter?: string } = {}): Promise<DimensionCode[]> {
    const load = async () => {
      const url = this.url('ODataFeed', table, key, { $filter: options.filter });
      return toDimensionCodes(await this.read(url, table, key), 'Key', url);
    };
    return options.filter === undefined ? memo(this.dimensions, `${table}/${key}`, load) : load();
  }

  /** Rows with numbers (and null for symbols), through ODataFeed. */
  typedDataSet(table: string, query: DataSetQuery = {}): Promise<V3Row[]> {
    return this.dataSet(table, 'TypedDataSet', query);
  }

  /**
   * Rows as CBS shows them, every value a string (numbers with `.` as decimal point, right-aligned
   * with spaces, "." for unknown, blank for impossible); read into the same form as the typed set.
   */
  untypedDataSet(table: string, query: DataSetQuery = {}): Promise<V3Row[]> {
    return this.dataSet(table, 'UntypedDataSet', query);
  }

  private async dataSet(table: string, entity: string, query: DataSetQuery): Promise<V3Row[]> {
    const where = await Promise.all(
      Object.entries(query.where ?? {}).map(async ([dim, codes]) =>
        anyEq(dim, exactCodes(codes, await this.dimension(table, dim), `dimension ${dim} of ${table}`)),
      ),
    );
    const url = this.url('ODataFeed', table, entity, {
      $filter: allOf(query.filter, ...where),
      $select: query.select?.join(','),
    });
    const [rows, properties] = await Promise.all([this.read(url, table, entity), this.dataProperties(table)]);
    return normaliseRows(rows, properties);
  }

  private url(
    service: 'ODataApi' | 'ODataFeed',
    table: string,
    entity: string,
    query: Record<string, string | undefined> = {},
  ) {
    return this.http.url(`${service}/odata/${encodeURIComponent(table)}/${entity}`, {
      $format: 'json',
      ...query,
    });
  }

  private read(url: string, table: string, entity: string): Promise<JsonObject[]> {
    return this.http.collect(url, NEXT_LINK, notFound(table, entity));
  }
}

function notFound(table: string, entity: string): RequestContext {
  return {
    notFound:
      `check the table id "${table}" (e.g. 85984NED for Kerncijfers wijken en buurten 2024; StatLine shows it)` +
      (entity ? ` and that the table has "${entity}" (serviceDocument(table) lists what it has)` : ''),
  };
}

const NUMBER = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/;
/** What CBS writes instead of a number (see `CellStatus`). */
const SYMBOLS = new Map<string, CellStatus>([
  ['', 'impossible'],
  ['.', 'unavailable'],
  ['x', 'confidential'],
]);

/** One cell of a measure column, typed (number or null) or untyped (text). */
export function readCell(
  raw: unknown,
  numeric: boolean,
): { value: string | number | null; status: CellStatus } {
  if (raw === null || raw === undefined) return { value: null, status: 'unavailable' };
  if (typeof raw === 'number') return { value: raw, status: 'ok' };
  const text = String(raw).trim();
  const symbol = SYMBOLS.get(text);
  if (symbol) return { value: null, status: symbol };
  if (!numeric) return { value: text, status: 'ok' };
  return NUMBER.test(text) ? { value: Number(text), status: 'ok' } : { value: null, status: 'unavailable' };
}

/** Trim every text (CBS pads keys and text measures), read measure cells and note the missing ones. */
function normaliseRows(rows: JsonObject[], properties: DataProperty[]): V3Row[] {
  const topics = new Map(properties.filter((p) => p.Type === 'Topic').map((p) => [p.Key, p]));
  return rows.map((raw) => {
    const row: V3Row = { values: {}, missing: {} };
    for (const [name, value] of Object.entries(raw)) {
      const topic = topics.get(name);
      if (!topic) {
        row.values[name] = typeof value === 'number' || value === null ? value : String(value).trim();
        continue;
      }
      const cell = readCell(value, topic.Datatype !== 'String');
      row.values[name] = cell.value;
      if (cell.status !== 'ok') row.missing[name] = cell.status;
    }
    return row;
  });
}

/** A key without the numeric suffix CBS adds per table: `AantalInwoners_5` → `AantalInwoners`. */
export function measureStem(key: string): string {
  return key.replace(/_\d+$/, '');
}

/**
 * Find a measure by key, key stem or title. CBS numbers measure keys by their position in the table,
 * so the same measure is `AantalInwoners_5` in one year's Kerncijfers wijken en buurten and
 * `AantalInwoners_4` in another; the stem and the title stay. Titles are not unique (85984NED has
 * two "Appartement": kWh and m³), stems need not be either: an ambiguous or absent name is an error
 * listing the candidates with their unit and group.
 */
export function resolveMeasure(properties: DataProperty[], wanted: string): ResolvedMeasure {
  const topics = properties.filter((p) => p.Type === 'Topic');
  const stem = measureStem(wanted.trim()).toLowerCase();
  const title = normaliseHeader(wanted);
  const exact = topics.filter((p) => p.Key === wanted.trim());
  const matches =
    exact.length > 0
      ? exact
      : topics.filter((p) => measureStem(p.Key).toLowerCase() === stem || normaliseHeader(p.Title) === title);
  const describe = describer(properties);
  if (matches.length === 1) return resolved(matches[0] as DataProperty);
  if (matches.length > 1) {
    const candidates = matches.map(describe);
    throw new CbsMeasureError(
      `"${wanted}" matches ${matches.length} measures: ${candidates.join('; ')}`,
      'name the measure by its full key, or by a stem or title only it has',
      candidates,
    );
  }
  const near = nearest(wanted, [
    ...topics.map((p) => measureStem(p.Key)),
    ...topics.map((p) => p.Title.trim()),
  ]);
  const candidates = topics
    .filter((p) => near.includes(measureStem(p.Key)) || near.includes(p.Title.trim()))
    .map(describe);
  throw new CbsMeasureError(
    `"${wanted}" is not a measure of this table (looked for it as key, key stem and title)`,
    candidates.length > 0
      ? `did you mean one of: ${candidates.join('; ')}?`
      : 'the table has no measures; check the table id',
    candidates,
  );
}

function resolved(p: DataProperty): ResolvedMeasure {
  return {
    key: p.Key,
    stem: measureStem(p.Key),
    title: p.Title.trim(),
    unit: p.Unit ?? null,
    datatype: p.Datatype ?? null,
    decimals: p.Decimals ?? null,
  };
}

/** `Appartement_54 "Appartement" [kWh] in Energie › … › Naar woningtype` */
function describer(properties: DataProperty[]): (p: DataProperty) => string {
  const byId = new Map(properties.map((p) => [p.ID, p]));
  return (p) => {
    const groups: string[] = [];
    let parent = byId.get(p.ParentID ?? -1);
    for (let depth = 0; parent && depth < 10; depth++, parent = byId.get(parent.ParentID ?? -1)) {
      groups.unshift(parent.Title.trim());
    }
    return `${p.Key} "${p.Title.trim()}"${p.Unit ? ` [${p.Unit}]` : ''}${groups.length > 0 ? ` in ${groups.join(' › ')}` : ''}`;
  };
}
