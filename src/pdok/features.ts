/**
 * A client for PDOK's OGC API Features (https://api.pdok.nl/…/ogc/v1), served by PDOK's GoKoala.
 *
 * What is surprising about it:
 * - Paging is by cursor: every page carries a `links` entry with `rel: "next"` (an absolute URL
 *   with an opaque `cursor=` parameter) until the last page. `numberMatched` is not sent, only
 *   `numberReturned`. The other query parameters may not change between pages (GoKoala checks a
 *   checksum over them), so the `next` link is followed exactly as given.
 * - `limit` above the server's maximum (1000 at PDOK) is silently lowered, not refused.
 * - Unknown query parameters are refused with 400: a `filter` key must be one of the collection's
 *   configured property filters (for CBS wijken en buurten e.g. `gemeentecode`), without wildcards.
 * - `crs` and `bbox-crs` take CRS URIs (`http://www.opengis.net/def/crs/EPSG/0/28992`), not
 *   `EPSG:28992`; the response names the CRS in a `Content-Crs: <uri>` header. Without `crs`, and
 *   from servers without OGC API Features Part 2, coordinates are CRS84 (lon/lat).
 * - With `f=json` the geometry stays in the GeoJSON `geometry` member even when it is RD.
 *
 * We request CRS84 by default: PDOK transforms RD to WGS84 with the exact (RDNAPTRANS) procedure,
 * while our own `rd.ts` series is good to about a metre. RD can still be requested (e.g. to compare
 * with a municipality's own RD data); it is converted to WGS84 with `rd.ts` on arrival, so callers
 * always get lon/lat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { rdToWgs84 } from '../geo/rd.js';

export type PdokCrs = 'CRS84' | 'EPSG:28992';

export const CRS_URI: Readonly<Record<PdokCrs, string>> = {
  CRS84: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
  'EPSG:28992': 'http://www.opengis.net/def/crs/EPSG/0/28992',
};

/** EPSG:4326 lists latitude first (CRS84 is the same datum with longitude first). */
const EPSG_4326_URI = 'http://www.opengis.net/def/crs/EPSG/0/4326';

export interface Geometry {
  type: string;
  coordinates?: unknown;
  geometries?: Geometry[];
}

export interface Feature {
  type: 'Feature';
  id?: string | number;
  geometry: Geometry | null;
  properties: Record<string, unknown> | null;
  bbox?: number[];
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

export interface FetchFeaturesOptions {
  /** The API's landing page, e.g. `https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1`. */
  baseUrl: string;
  collection: string;
  /** The CRS to request (default CRS84). The result is WGS84 lon/lat either way. */
  crs?: PdokCrs;
  /** Property filters, sent as `property=value` query parameters. */
  filter?: Record<string, string>;
  /** [minX, minY, maxX, maxY] in `bboxCrs`. */
  bbox?: readonly [number, number, number, number];
  /** The CRS of `bbox` (default: `crs`). */
  bboxCrs?: PdokCrs;
  /** Features per page (default 1000, PDOK's maximum). */
  limit?: number;
  /** Give up after this many pages (default 100). */
  maxPages?: number;
  /** Retries per page on network errors, timeouts, 429 and 5xx (default 4). */
  retries?: number;
  /** Per request, including reading the body (default 30 s). */
  timeoutMs?: number;
  /** First backoff; it doubles per retry, with jitter (default 500 ms). */
  backoffMs?: number;
  /** Longest wait between retries, also the longest `Retry-After` honoured (default 30 s). */
  maxWaitMs?: number;
}

/** A PDOK request that failed; the message names the URL (and status), `fix` says what to do. */
export class PdokError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'PdokError';
  }
}

/** Query parameters the client sets itself; a property filter may not use these names. */
const RESERVED = new Set([
  'f',
  'limit',
  'crs',
  'bbox',
  'bbox-crs',
  'cursor',
  'filter',
  'filter-crs',
  'datetime',
]);

const DEFAULTS = {
  limit: 1000,
  maxPages: 100,
  retries: 4,
  timeoutMs: 30_000,
  backoffMs: 500,
  maxWaitMs: 30_000,
};

type Settings = FetchFeaturesOptions & typeof DEFAULTS;

/** The URL of the first page. */
export function itemsUrl(o: FetchFeaturesOptions): string {
  const url = new URL(
    `${o.baseUrl.replace(/\/+$/, '')}/collections/${encodeURIComponent(o.collection)}/items`,
  );
  const q = url.searchParams;
  q.set('f', 'json');
  q.set('limit', String(o.limit ?? DEFAULTS.limit));
  q.set('crs', CRS_URI[o.crs ?? 'CRS84']);
  if (o.bbox) {
    q.set('bbox', o.bbox.join(','));
    q.set('bbox-crs', CRS_URI[o.bboxCrs ?? o.crs ?? 'CRS84']);
  }
  for (const [name, value] of Object.entries(o.filter ?? {})) {
    if (RESERVED.has(name))
      throw new PdokError(
        `filter property "${name}" is a query parameter of the API itself`,
        url.href,
        undefined,
        `use the option of that name instead of filter.${name}`,
      );
    q.set(name, value);
  }
  return url.href;
}

/**
 * All features of a collection (optionally filtered), following `rel=next` links until there are
 * none, in WGS84 lon/lat whatever CRS the server answered in.
 */
export async function fetchFeatures(options: FetchFeaturesOptions): Promise<FeatureCollection> {
  const o: Settings = {
    ...DEFAULTS,
    ...stripUndefined(options),
    baseUrl: options.baseUrl,
    collection: options.collection,
  };
  let url = itemsUrl(o);
  const fetched = new Set<string>();
  const ids = new Set<string | number>();
  const features: Feature[] = [];
  let numberMatched: number | undefined;
  for (let page = 1; ; page++) {
    fetched.add(url);
    const { body, contentCrs } = await getJson(url, o);
    const fc = asFeatureCollection(body, url);
    if (page === 1 && typeof fc.numberMatched === 'number') numberMatched = fc.numberMatched;
    const toLonLat = positionConverter(contentCrs, url);
    for (const f of fc.features) {
      if (f.id !== undefined) {
        if (ids.has(f.id))
          throw new PdokError(
            `feature ${f.id} of "${o.collection}" came twice, again on page ${page} (${url})`,
            url,
            200,
            'the server pages inconsistently (the data may have changed while paging): run the fetch again',
          );
        ids.add(f.id);
      }
      features.push(toWgs84(f, toLonLat, url));
    }
    const next = nextLink(fc.links, url);
    if (!next) break;
    if (fetched.has(next))
      throw new PdokError(
        `page ${page} of "${o.collection}" links (rel=next) back to a page already fetched: ${next}`,
        url,
        200,
        'the server sends a paging loop: report it to the service provider',
      );
    if (page >= o.maxPages)
      throw new PdokError(
        `"${o.collection}" has more than ${o.maxPages} pages of ${o.limit} features (next: ${next})`,
        next,
        undefined,
        'narrow the query with a filter or bbox, or raise maxPages',
      );
    url = next;
  }
  if (numberMatched !== undefined && numberMatched !== features.length)
    throw new PdokError(
      `"${o.collection}": the server announced ${numberMatched} features (numberMatched) but sent ${features.length}`,
      itemsUrl(o),
      200,
      'the data may have changed while paging: run the fetch again',
    );
  return { type: 'FeatureCollection', features };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface Page {
  type?: unknown;
  features: Feature[];
  links?: unknown;
  numberMatched?: unknown;
  numberReturned?: unknown;
}

function asFeatureCollection(body: unknown, url: string): Page {
  const shapeError = (what: string): PdokError =>
    new PdokError(
      `the response of ${url} is not a GeoJSON FeatureCollection: ${what}`,
      url,
      200,
      'check that baseUrl is an OGC API Features landing page (…/ogc/v1) and the collection holds features',
    );
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw shapeError('not a JSON object');
  const page = body as Partial<Page>;
  if (!Array.isArray(page.features)) throw shapeError('it has no "features" array');
  if (typeof page.numberReturned === 'number' && page.numberReturned !== page.features.length)
    throw shapeError(
      `numberReturned is ${page.numberReturned} but it holds ${page.features.length} features`,
    );
  page.features.forEach((f: unknown, i) => {
    const feature = f as Partial<Feature> | null;
    if (
      typeof feature !== 'object' ||
      feature === null ||
      feature.type !== 'Feature' ||
      !('geometry' in feature)
    )
      throw shapeError(`features[${i}] is not a GeoJSON Feature`);
  });
  return page as Page;
}

/** The `rel=next` link, resolved against the page it came from (GoKoala sends absolute URLs). */
function nextLink(links: unknown, base: string): string | undefined {
  if (!Array.isArray(links)) return undefined;
  const next = links.find((l: unknown) => (l as { rel?: unknown } | null)?.rel === 'next') as
    { href?: unknown } | undefined;
  if (!next) return undefined;
  if (typeof next.href !== 'string' || next.href === '')
    throw new PdokError(`the rel=next link of ${base} has no href`, base, 200, 'report it to the service');
  return new URL(next.href, base).href;
}

/** One GET with timeout and retries; the body parsed as JSON, with the Content-Crs header. */
async function getJson(url: string, o: Settings): Promise<{ body: unknown; contentCrs: string | null }> {
  for (let attempt = 0; ; attempt++) {
    let status: number;
    let text: string;
    let headers: Headers;
    try {
      const res = await fetch(url, {
        headers: { Accept: 'application/geo+json, application/json;q=0.9', 'User-Agent': 'datapakhuis' },
        // The signal also covers reading the body, so a stalled transfer times out too.
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      status = res.status;
      headers = res.headers;
      text = await res.text();
    } catch (e) {
      if (attempt < o.retries) {
        await sleep(backoff(attempt, o));
        continue;
      }
      throw networkError(url, e, attempt + 1, o);
    }
    if (status >= 200 && status < 300) {
      try {
        return { body: JSON.parse(text) as unknown, contentCrs: headers.get('content-crs') };
      } catch {
        throw new PdokError(
          `the response of ${url} is not JSON (${snippet(text)})`,
          url,
          status,
          'check that baseUrl is an OGC API Features landing page (…/ogc/v1), not a web page',
        );
      }
    }
    if (isRetryable(status) && attempt < o.retries) {
      const asked = retryAfterMs(headers.get('retry-after'));
      if (asked !== undefined && asked > o.maxWaitMs)
        throw new PdokError(
          `GET ${url} → ${status}; the server asks to wait ${Math.ceil(asked / 1000)} s (Retry-After)`,
          url,
          status,
          'the service is busy or in maintenance: try again later',
        );
      await sleep(asked ?? backoff(attempt, o));
      continue;
    }
    throw httpError(url, status, text, attempt + 1, o);
  }
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Exponential backoff with jitter (50–100 % of the step), capped. */
function backoff(attempt: number, o: Settings): number {
  return Math.min(o.maxWaitMs, o.backoffMs * 2 ** attempt * (0.5 + Math.random() / 2));
}

/** `Retry-After` is either seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function networkError(url: string, e: unknown, attempts: number, o: Settings): PdokError {
  const timedOut = e instanceof Error && e.name === 'TimeoutError';
  const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  return new PdokError(
    timedOut
      ? `GET ${url} timed out after ${o.timeoutMs} ms (${attempts} attempts)`
      : `GET ${url} failed: ${cause} (${attempts} attempts)`,
    url,
    undefined,
    timedOut
      ? 'the service is slow: try again later, raise timeoutMs, or lower limit'
      : 'check the network connection and proxy settings, and that baseUrl is right',
  );
}

function httpError(url: string, status: number, text: string, attempts: number, o: Settings): PdokError {
  const detail = problemDetail(text);
  const at = `GET ${url} → ${status}${detail ? ` (${detail})` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
  const base = o.baseUrl.replace(/\/+$/, '');
  if (status === 404)
    return new PdokError(
      `${at}: collection "${o.collection}" not found`,
      url,
      status,
      `check the collection name (${base}/collections lists them) and the dataset year in baseUrl`,
    );
  if (status === 400)
    return new PdokError(
      `${at}: the query for "${o.collection}" was refused`,
      url,
      status,
      `filter only on the collection's property filters (see ${base}/collections/${o.collection}), without wildcards`,
    );
  return new PdokError(
    `${at}: fetching "${o.collection}" failed`,
    url,
    status,
    status >= 500 || status === 429
      ? 'the service is failing or busy: try again later'
      : 'check baseUrl and the options',
  );
}

/** The `detail` (or `title`) of an RFC 7807 problem response, else the start of the body. */
function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: unknown; title?: unknown };
    const d = problem.detail ?? problem.title;
    if (typeof d === 'string') return snippet(d);
  } catch {
    // not JSON: fall through to the raw text
  }
  return snippet(text);
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

type ToLonLat = (p: readonly number[]) => number[];

/** How to turn a position of the served CRS into lon/lat, from the `Content-Crs` header. */
function positionConverter(contentCrs: string | null, url: string): ToLonLat {
  // Without the header the server does not do Part 2, and Part 1 says: CRS84.
  const uri = contentCrs?.trim().replace(/^<|>$/g, '') ?? CRS_URI.CRS84;
  switch (uri) {
    case CRS_URI.CRS84:
      return ([lon, lat, ...rest]) => [lon as number, lat as number, ...rest];
    case EPSG_4326_URI:
      return ([lat, lon, ...rest]) => [lon as number, lat as number, ...rest];
    case CRS_URI['EPSG:28992']:
      return ([x, y, ...rest]) => {
        const { lon, lat } = rdToWgs84(x as number, y as number);
        return [lon, lat, ...rest];
      };
    default:
      throw new PdokError(
        `${url} answered in an unsupported CRS (Content-Crs: ${contentCrs})`,
        url,
        200,
        'request crs CRS84 or EPSG:28992',
      );
  }
}

/** A copy of the feature in lon/lat. A feature's own `bbox` is dropped: it was in the served CRS. */
function toWgs84(f: Feature, toLonLat: ToLonLat, url: string): Feature {
  const convert = (p: readonly number[]): number[] => {
    const q = toLonLat(p);
    const [lon, lat] = q as [number, number];
    if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90))
      throw new PdokError(
        `feature ${f.id ?? '?'} of ${url} has a position [${p.join(', ')}] that is not lon/lat after conversion`,
        url,
        200,
        'the server sent coordinates in another CRS than its Content-Crs header says: request crs CRS84',
      );
    return q;
  };
  const copy: Feature = { ...f, geometry: f.geometry && mapGeometry(f.geometry, convert, url) };
  delete copy.bbox;
  return copy;
}

function mapGeometry(g: Geometry, convert: ToLonLat, url: string): Geometry {
  if (g.type === 'GeometryCollection')
    return { ...g, geometries: (g.geometries ?? []).map((m) => mapGeometry(m, convert, url)) };
  return { ...g, coordinates: mapCoordinates(g.coordinates, convert, url) };
}

/** Positions are the innermost arrays of numbers, at any nesting depth (Point … MultiPolygon). */
function mapCoordinates(c: unknown, convert: ToLonLat, url: string): unknown {
  if (Array.isArray(c) && c.length >= 2 && c.every((v) => typeof v === 'number'))
    return convert(c as number[]);
  if (Array.isArray(c) && c.every((v) => Array.isArray(v)))
    return c.map((v) => mapCoordinates(v, convert, url));
  throw new PdokError(
    `${url} holds a geometry with malformed coordinates`,
    url,
    200,
    'report it to the service',
  );
}
