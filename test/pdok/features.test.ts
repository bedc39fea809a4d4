import { afterEach, describe, expect, it } from 'vitest';
import {
  fetchFeatures,
  PdokError,
  type Feature,
  type FetchFeaturesOptions,
} from '../../src/pdok/features.js';
import { pdokWijken, problem, startPdokServer, type PdokServer, type ServerOptions } from './server.js';

const RD_URI = 'http://www.opengis.net/def/crs/EPSG/0/28992';
const CRS84_URI = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

let server: PdokServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: Partial<ServerOptions> = {}): Promise<PdokServer> {
  server = await startPdokServer({ collections: { wijken: pdokWijken() }, ...options });
  return server;
}

/** Fast retries so the tests do not wait for real backoff. */
function wijken(s: PdokServer, extra: Partial<FetchFeaturesOptions> = {}): FetchFeaturesOptions {
  return {
    baseUrl: s.baseUrl,
    collection: 'wijken',
    filter: { gemeentecode: 'GM0400' },
    backoffMs: 1,
    ...extra,
  };
}

async function pdokError(p: Promise<unknown>): Promise<PdokError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PdokError);
  return e as PdokError;
}

const codes = (fc: { features: { properties: Record<string, unknown> | null }[] }): string[] =>
  fc.features.map((f) => String(f.properties?.['wijkcode']));

/** Distance in metres between two lon/lat positions (equirectangular; fine at a few metres). */
function metres(a: readonly number[], b: readonly number[]): number {
  const lat = (((a[1] as number) + (b[1] as number)) / 2) * (Math.PI / 180);
  const dx = ((a[0] as number) - (b[0] as number)) * 111_320 * Math.cos(lat);
  const dy = ((a[1] as number) - (b[1] as number)) * 110_574;
  return Math.hypot(dx, dy);
}

describe('fetchFeatures against a local OGC API', () => {
  it('follows rel=next through pages of 3 and returns all 8 wijken exactly once', async () => {
    const s = await serve();
    const fc = await fetchFeatures(wijken(s));
    expect(fc.type).toBe('FeatureCollection');
    expect(codes(fc).sort()).toEqual(
      ['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => `WK0400${n}`),
    );
    expect(new Set(fc.features.map((f) => f.id)).size).toBe(8);
    // 3 + 3 + 2: three requests, the later ones by cursor, all with the filter and the CRS84 URI.
    expect(s.hits).toHaveLength(3);
    expect(s.hits.map((h) => h.query.has('cursor'))).toEqual([false, true, true]);
    for (const h of s.hits) {
      expect(h.query.get('gemeentecode')).toBe('GM0400');
      expect(h.query.get('crs')).toBe(CRS84_URI);
      expect(h.query.get('f')).toBe('json');
    }
    // The geometry is the file's, untouched.
    expect(fc.features.map((f) => f.geometry)).toEqual(pdokWijken().map((f) => f.geometry));
  });

  it('converts RD (Content-Crs EPSG:28992) to WGS84 within 1 m of the CRS84 answer', async () => {
    const s = await serve();
    const viaCrs84 = await fetchFeatures(wijken(s));
    const viaRd = await fetchFeatures(wijken(s, { crs: 'EPSG:28992' }));
    expect(s.hits.at(-1)?.query.get('crs')).toBe(RD_URI);
    expect(codes(viaRd)).toEqual(codes(viaCrs84));
    let positions = 0;
    viaRd.features.forEach((f, i) => {
      const rings = f.geometry?.coordinates as number[][][];
      const expected = viaCrs84.features[i]?.geometry?.coordinates as number[][][];
      rings.forEach((ring, r) =>
        ring.forEach((p, k) => {
          expect(metres(p, expected[r]?.[k] as number[])).toBeLessThan(1);
          positions++;
        }),
      );
    });
    expect(positions).toBeGreaterThan(50);
  });

  it('assumes CRS84 when the server sends no Content-Crs (no OGC API Features Part 2)', async () => {
    const s = await serve({ contentCrs: () => null });
    const fc = await fetchFeatures(wijken(s));
    expect(fc.features).toHaveLength(8);
  });

  it('refuses coordinates that are not lon/lat although Content-Crs says CRS84', async () => {
    const s = await serve({ contentCrs: () => `<${CRS84_URI}>` });
    const e = await pdokError(fetchFeatures(wijken(s, { crs: 'EPSG:28992' })));
    expect(e.message).toMatch(/not lon\/lat/);
  });

  it('swaps EPSG:4326 (latitude first) to lon/lat', async () => {
    const swap = (c: unknown): unknown =>
      typeof (c as unknown[])[0] === 'number'
        ? [(c as number[])[1], (c as number[])[0]]
        : (c as unknown[]).map(swap);
    const s = await serve({
      contentCrs: () => '<http://www.opengis.net/def/crs/EPSG/0/4326>',
      page: (body) => ({
        ...body,
        features: (body['features'] as Feature[]).map((f) => ({
          ...f,
          geometry: { ...f.geometry, coordinates: swap(f.geometry?.coordinates) },
        })),
      }),
    });
    const fc = await fetchFeatures(wijken(s));
    expect(fc.features.map((f) => f.geometry)).toEqual(pdokWijken().map((f) => f.geometry));
  });

  it('refuses a CRS it cannot convert', async () => {
    const s = await serve({ contentCrs: () => '<http://www.opengis.net/def/crs/EPSG/0/3857>' });
    const e = await pdokError(fetchFeatures(wijken(s)));
    expect(e.message).toMatch(
      /unsupported CRS \(Content-Crs: <http:\/\/www.opengis.net\/def\/crs\/EPSG\/0\/3857>\)/,
    );
  });

  it('sends bbox and bbox-crs as CRS URIs', async () => {
    const s = await serve({ propertyFilters: ['gemeentecode'] });
    await fetchFeatures(wijken(s, { crs: 'EPSG:28992', bbox: [108000, 540000, 116000, 556000] }));
    expect(s.hits[0]?.query.get('bbox')).toBe('108000,540000,116000,556000');
    expect(s.hits[0]?.query.get('bbox-crs')).toBe(RD_URI);
  });

  it('detects a next link that loops back to a page already fetched', async () => {
    const s = await serve({
      page: (body, url) => {
        if (!url.searchParams.has('cursor')) return body;
        const first = new URL(url);
        first.searchParams.delete('cursor');
        return { ...body, links: [{ rel: 'next', href: first.href }] };
      },
    });
    const e = await pdokError(fetchFeatures(wijken(s)));
    expect(e.message).toMatch(/page 2 of "wijken" links \(rel=next\) back to a page already fetched/);
    expect(s.hits).toHaveLength(2);
  });

  it('stops at maxPages with a clear error', async () => {
    const s = await serve();
    const e = await pdokError(fetchFeatures(wijken(s, { maxPages: 2 })));
    expect(e.message).toMatch(/more than 2 pages/);
    expect(e.fix).toMatch(/maxPages/);
    expect(s.hits).toHaveLength(2);
  });

  it('retries a 500 and then succeeds', async () => {
    const s = await serve({
      intercept: (_req, res, _url, hit) => {
        if (hit !== 1) return false;
        problem(res, 500, 'database hiccup');
        return true;
      },
    });
    const fc = await fetchFeatures(wijken(s));
    expect(fc.features).toHaveLength(8);
    expect(s.hits).toHaveLength(4); // the first page twice, then two more pages
    expect(s.hits[0]?.query.toString()).toBe(s.hits[1]?.query.toString());
  });

  it('honours Retry-After on 429', async () => {
    const s = await serve({
      intercept: (_req, res, _url, hit) => {
        if (hit !== 1) return false;
        res.writeHead(429, { 'Retry-After': '1' }).end();
        return true;
      },
    });
    const started = Date.now();
    await fetchFeatures(wijken(s));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up at once when Retry-After asks for longer than maxWaitMs', async () => {
    const s = await serve({
      intercept: (_req, res) => {
        res.writeHead(503, { 'Retry-After': '3600' }).end();
        return true;
      },
    });
    const e = await pdokError(fetchFeatures(wijken(s)));
    expect(e.status).toBe(503);
    expect(e.message).toMatch(/wait 3600 s/);
    expect(s.hits).toHaveLength(1);
  });

  it('gives up after the retries with the URL and the status', async () => {
    const s = await serve({
      intercept: (_req, res) => {
        problem(res, 502, 'bad gateway');
        return true;
      },
    });
    const e = await pdokError(fetchFeatures(wijken(s, { retries: 2 })));
    expect(s.hits).toHaveLength(3);
    expect(e.status).toBe(502);
    expect(e.url).toContain(`${s.baseUrl}/collections/wijken/items?`);
    expect(e.message).toMatch(/→ 502 \(bad gateway\) after 3 attempts/);
    expect(e.fix).toMatch(/try again later/);
  });

  it('times out a stalled response and retries it', async () => {
    const s = await serve({ intercept: (_req, _res, _url, hit) => hit === 1 /* never answered */ });
    const fc = await fetchFeatures(wijken(s, { timeoutMs: 300 }));
    expect(fc.features).toHaveLength(8);
    expect(s.hits).toHaveLength(4);
  });

  it('reports a timeout once the retries are spent', async () => {
    const s = await serve({ intercept: () => true });
    const e = await pdokError(fetchFeatures(wijken(s, { timeoutMs: 100, retries: 1 })));
    expect(e.message).toMatch(/timed out after 100 ms \(2 attempts\)/);
    expect(e.status).toBeUndefined();
  });

  it('reports a refused connection after retrying', async () => {
    const s = await serve();
    const baseUrl = s.baseUrl;
    await s.close();
    server = undefined;
    const e = await pdokError(fetchFeatures({ baseUrl, collection: 'wijken', retries: 1, backoffMs: 1 }));
    expect(e.message).toMatch(/failed: .*\(2 attempts\)/);
    expect(e.fix).toMatch(/network/);
  });

  it('turns 404 into a PdokError naming the collection and where to look', async () => {
    const s = await serve();
    const e = await pdokError(fetchFeatures(wijken(s, { collection: 'wijkn' })));
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/collection "wijkn" not found/);
    expect(e.url).toContain('/collections/wijkn/items');
    expect(e.fix).toContain(`${s.baseUrl}/collections`);
    expect(s.hits).toHaveLength(1); // a 404 is not retried
  });

  it('turns 400 (an unknown property filter) into a PdokError with the server detail', async () => {
    const s = await serve();
    const e = await pdokError(fetchFeatures(wijken(s, { filter: { gemeente: 'GM0400' } })));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/unknown query parameter\(s\) found: gemeente/);
  });

  it('refuses a filter named like a query parameter of the API', async () => {
    const s = await serve();
    const e = await pdokError(fetchFeatures(wijken(s, { filter: { limit: '5' } })));
    expect(e.fix).toMatch(/use the option/);
    expect(s.hits).toHaveLength(0);
  });

  it('reports a response without "features" as a shape error', async () => {
    const s = await serve({ page: ({ features: _features, ...rest }) => rest });
    const e = await pdokError(fetchFeatures(wijken(s)));
    expect(e.message).toMatch(/not a GeoJSON FeatureCollection: it has no "features" array/);
    expect(e.status).toBe(200);
  });

  it('reports a response that is not JSON', async () => {
    const s = await serve({
      intercept: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Onderhoud</html>');
        return true;
      },
    });
    const e = await pdokError(fetchFeatures(wijken(s)));
    expect(e.message).toMatch(/is not JSON \(<html>Onderhoud<\/html>\)/);
  });

  it('detects a feature sent twice (a server that ignores the cursor)', async () => {
    const s = await serve({
      intercept: (_req, _res, url) => {
        url.searchParams.delete('cursor'); // every page is the first one again
        return false;
      },
    });
    const e = await pdokError(fetchFeatures(wijken(s)));
    expect(e.message).toMatch(/feature \d+ of "wijken" came twice, again on page 2/);
  });
});
