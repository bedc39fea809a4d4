/**
 * A local stand-in for PDOK's OGC API Features (GoKoala), over real HTTP: cursor paging with
 * absolute `rel=next` links, `crs` as a CRS URI with a `Content-Crs` response header, `limit`
 * lowered to the server maximum, unknown query parameters refused with an RFC 7807 problem, and
 * property filters. It serves the real Den Helder geometry from `data/areas/`, reshaped into the
 * property names of the CBS wijken-en-buurten API.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wgs84ToRd } from '../../src/geo/rd.js';
import type { Feature, Geometry } from '../../src/pdok/features.js';

const AREAS = new URL('../../data/areas/', import.meta.url);
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const RD = 'http://www.opengis.net/def/crs/EPSG/0/28992';

interface SourceFeature {
  id?: string;
  properties: Record<string, unknown>;
  geometry: Geometry;
}

function readAreas(file: string): SourceFeature[] {
  return (JSON.parse(readFileSync(new URL(file, AREAS), 'utf8')) as { features: SourceFeature[] }).features;
}

/** The 8 real wijken of Den Helder (2024) with the OGC API's property names. */
export function pdokWijken(year = 2024): Feature[] {
  return readAreas('den_helder_wijken_2024_wgs84.geojson').map((f) => ({
    type: 'Feature',
    id: String(f.properties['id']),
    geometry: f.geometry,
    properties: {
      wijkcode: f.properties['statcode'],
      wijknaam: f.properties['statnaam'],
      gemeentecode: 'GM0400',
      gemeentenaam: 'Den Helder',
      water: 'NEE',
      jaarstatcode: `${year}${String(f.properties['statcode'])}`,
      jaar: year,
    },
  }));
}

/**
 * The same wijken with the property names of the older PDOK/CBS files, as in `data/areas/`
 * (statcode, statnaam, jrstatcode), plus the gemeentecode the server filters on.
 */
export function legacyWijken(): Feature[] {
  return readAreas('den_helder_wijken_2024_wgs84.geojson').map((f) => ({
    type: 'Feature',
    id: String(f.properties['id']),
    geometry: f.geometry,
    properties: { ...f.properties, gemeentecode: 'GM0400' },
  }));
}

/**
 * The 65 real buurten (2014 division, coarse polygons) in the OGC API's shape, with the `jaarStatcode`
 * spelling. They stand in for the buurten of `year`: only the mapping is under test here.
 */
export function pdokBuurten(year = 2024): Feature[] {
  return readAreas('den_helder_buurten_2014_wgs84_coarse.geojson').map((f, i) => {
    const code = String(f.properties['statcode']);
    return {
      type: 'Feature',
      id: String(5000 + i),
      geometry: f.geometry,
      properties: {
        buurtcode: code,
        buurtnaam: f.properties['statnaam'],
        wijkcode: `WK${code.slice(2, 8)}`,
        gemeentecode: 'GM0400',
        water: 'NEE',
        jaarStatcode: `${year}${code}`,
      },
    };
  });
}

/** A synthetic water wijk and water buurt in the sea west of Den Helder (codes …99 and …9998). */
export function waterAreas(year = 2024): { wijk: Feature; buurt: Feature } {
  const sea: Geometry = {
    type: 'Polygon',
    coordinates: [
      [
        [4.6, 52.9],
        [4.7, 52.9],
        [4.7, 53.0],
        [4.6, 53.0],
        [4.6, 52.9],
      ],
    ],
  };
  const common = { gemeentecode: 'GM0400', water: 'JA', jaar: year };
  return {
    wijk: {
      type: 'Feature',
      id: '9001',
      geometry: sea,
      properties: { ...common, wijkcode: 'WK040099', wijknaam: 'Water' },
    },
    buurt: {
      type: 'Feature',
      id: '9002',
      geometry: sea,
      properties: { ...common, buurtcode: 'BU04009998', buurtnaam: 'Noordzee', wijkcode: 'WK040099' },
    },
  };
}

export interface Hit {
  path: string;
  query: URLSearchParams;
}

export interface ServerOptions {
  /** Collection name → its features (WGS84). */
  collections: Record<string, Feature[]>;
  /** The server's maximum page size (GoKoala lowers a larger `limit` to it). */
  maxLimit?: number;
  /** Query parameters accepted as property filters. */
  propertyFilters?: string[];
  /**
   * Handle a request before the server does (e.g. fail it); return true when handled. `hit` is the
   * request's number, from 1.
   */
  intercept?: (req: IncomingMessage, res: ServerResponse, url: URL, hit: number) => boolean;
  /** Change a page before it is sent. */
  page?: (body: Record<string, unknown>, url: URL) => Record<string, unknown>;
  /** Change the Content-Crs header (null: leave it out). */
  contentCrs?: (requested: string) => string | null;
}

export interface PdokServer {
  /** The landing page, like `https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1`. */
  baseUrl: string;
  hits: Hit[];
  close(): Promise<void>;
}

const KNOWN_PARAMS = new Set(['f', 'limit', 'cursor', 'crs', 'bbox', 'bbox-crs']);

export function problem(res: ServerResponse, status: number, detail: string): void {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ title: status === 404 ? 'Not Found' : 'Bad Request', status, detail }));
}

function mapPositions(c: unknown, f: (p: number[]) => number[]): unknown {
  return typeof (c as unknown[])[0] === 'number'
    ? f(c as number[])
    : (c as unknown[]).map((x) => mapPositions(x, f));
}

function inCrs(feature: Feature, crs: string): Feature {
  if (crs !== RD || !feature.geometry) return feature;
  // RD as PDOK serves it: metres with millimetre precision.
  const toRd = ([lon, lat]: number[]): number[] => {
    const { x, y } = wgs84ToRd(lon as number, lat as number);
    return [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000];
  };
  return {
    ...feature,
    geometry: { ...feature.geometry, coordinates: mapPositions(feature.geometry.coordinates, toRd) },
  };
}

export async function startPdokServer(options: ServerOptions): Promise<PdokServer> {
  const maxLimit = options.maxLimit ?? 3;
  const filters = new Set(options.propertyFilters ?? ['gemeentecode']);
  const hits: Hit[] = [];
  let origin = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    hits.push({ path: url.pathname, query: url.searchParams });
    if (options.intercept?.(req, res, url, hits.length)) return;

    const match = /^\/ogc\/v1\/collections\/([^/]+)\/items$/.exec(url.pathname);
    const features = match ? options.collections[decodeURIComponent(match[1] as string)] : undefined;
    if (!match || !features) return problem(res, 404, `collection ${match?.[1] ?? url.pathname} not found`);

    const q = url.searchParams;
    for (const name of q.keys())
      if (!KNOWN_PARAMS.has(name) && !filters.has(name))
        return problem(res, 400, `unknown query parameter(s) found: ${name}`);
    const crs = q.get('crs') ?? CRS84;
    if (crs !== CRS84 && crs !== RD)
      return problem(res, 400, `crs param should start with http://www.opengis.net/def/crs/, got: ${crs}`);

    const selected = features.filter((f) =>
      [...filters].every((name) => !q.has(name) || String(f.properties?.[name]) === q.get(name)),
    );
    const limit = Math.min(Number(q.get('limit') ?? 10), maxLimit);
    const offset = q.has('cursor')
      ? Number(Buffer.from(q.get('cursor') as string, 'base64url').toString())
      : 0;
    const page = selected.slice(offset, offset + limit);

    const link = (
      rel: string,
      params: Record<string, string>,
    ): { rel: string; href: string; type: string } => {
      const href = new URL(url.pathname, origin);
      href.search = new URLSearchParams({ ...Object.fromEntries(q), ...params }).toString();
      return { rel, href: href.href, type: 'application/geo+json' };
    };
    const links = [link('self', { f: 'json' })];
    if (offset + limit < selected.length)
      links.push(
        link('next', { f: 'json', cursor: Buffer.from(String(offset + limit)).toString('base64url') }),
      );
    let body: Record<string, unknown> = {
      type: 'FeatureCollection',
      timeStamp: new Date().toISOString(),
      links,
      features: page.map((f) => inCrs(f, crs)),
      numberReturned: page.length,
    };
    if (options.page) body = options.page(body, url);

    const headers: Record<string, string> = { 'Content-Type': 'application/geo+json' };
    const contentCrs = options.contentCrs ? options.contentCrs(crs) : `<${crs}>`;
    if (contentCrs !== null) headers['Content-Crs'] = contentCrs;
    res.writeHead(200, headers);
    res.end(JSON.stringify(body));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/ogc/v1`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
