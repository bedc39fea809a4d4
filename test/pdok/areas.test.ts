import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { areaEdges } from '../../src/geo/areas.js';
import { areasToFeatureCollection, fetchAreas, wijkenEnBuurtenUrl, type Area } from '../../src/pdok/areas.js';
import { PdokError } from '../../src/pdok/features.js';
import {
  legacyWijken,
  pdokBuurten,
  pdokWijken,
  startPdokServer,
  waterAreas,
  type PdokServer,
} from './server.js';
import type { Feature } from '../../src/pdok/features.js';

let server: PdokServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(wijken: Feature[], buurten: Feature[] = pdokBuurten()): Promise<PdokServer> {
  // A larger page than in features.test.ts: 65 buurten in pages of 3 would be slow to read.
  server = await startPdokServer({ collections: { wijken, buurten }, maxLimit: 20 });
  return server;
}

async function areas(s: PdokServer, extra: { year?: number; includeWater?: boolean } = {}): Promise<Area[]> {
  return fetchAreas({ baseUrl: s.baseUrl, year: 2024, gemeente: 'GM0400', backoffMs: 1, ...extra });
}

describe('fetchAreas', () => {
  it('returns the 8 wijken and 65 buurten of Den Helder, normalised and sorted', async () => {
    const s = await serve(pdokWijken());
    const result = await areas(s);
    const wijken = result.filter((a) => a.level === 'wijk');
    const buurten = result.filter((a) => a.level === 'buurt');
    expect(wijken.map((w) => w.code)).toEqual(
      ['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => `WK0400${n}`),
    );
    expect(buurten).toHaveLength(65);
    expect(result.slice(0, 8)).toEqual(wijken); // wijken first
    expect(buurten.map((b) => b.code)).toEqual([...buurten.map((b) => b.code)].sort());
    expect(wijken[0]).toMatchObject({
      code: 'WK040001',
      name: 'Wijk 01 Stad binnen de Linie-Oost',
      level: 'wijk',
      parent: 'GM0400',
      year: 2024,
      water: false,
      geometry: { type: 'Polygon' },
    });
    const marinehaven = buurten.find((b) => b.code === 'BU04000100');
    expect(marinehaven).toMatchObject({
      name: 'Marinehaven',
      parent: 'WK040001',
      level: 'buurt',
      year: 2024,
    });
    // Both collections were asked for Den Helder only.
    expect(s.hits.every((h) => h.query.get('gemeentecode') === 'GM0400')).toBe(true);
    expect(new Set(s.hits.map((h) => h.path))).toEqual(
      new Set(['/ogc/v1/collections/wijken/items', '/ogc/v1/collections/buurten/items']),
    );
  });

  it('reads the older property names (statcode, statnaam, jrstatcode) the same way', async () => {
    const modern = await areas(await serve(pdokWijken()));
    await server?.close();
    const legacy = await areas(await serve(legacyWijken()));
    expect(legacy).toEqual(modern);
  });

  it('leaves water areas out unless asked for them', async () => {
    const water = waterAreas();
    const s = await serve([...pdokWijken(), water.wijk], [...pdokBuurten(), water.buurt]);
    const land = await areas(s);
    expect(land.map((a) => a.code)).not.toContain('WK040099');
    expect(land.map((a) => a.code)).not.toContain('BU04009998');
    const all = await areas(s, { includeWater: true });
    expect(all.filter((a) => a.water).map((a) => a.code)).toEqual(['WK040099', 'BU04009998']);
    expect(all.find((a) => a.code === 'BU04009998')?.parent).toBe('WK040099');
  });

  it('refuses features of another year than asked', async () => {
    const s = await serve(pdokWijken(2023), pdokBuurten(2023));
    const e = await areas(s).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PdokError);
    expect((e as PdokError).message).toMatch(/from the 2023 division, not 2024/);
    expect((e as PdokError).fix).toContain(wijkenEnBuurtenUrl(2024));
  });

  it('refuses features of another municipality (a filter the server ignored)', async () => {
    const stranger: Feature = {
      ...(pdokWijken()[0] as Feature),
      id: '42',
      properties: { wijkcode: 'WK044100', wijknaam: 'Schagen-Centrum', gemeentecode: 'GM0441', jaar: 2024 },
    };
    server = await startPdokServer({
      collections: { wijken: [...pdokWijken(), stranger], buurten: pdokBuurten() },
      propertyFilters: ['gemeentecode'],
      maxLimit: 20,
      intercept: (_req, _res, url) => {
        url.searchParams.delete('gemeentecode'); // this server does not filter
        return false;
      },
    });
    const e = await areas(server).catch((err: unknown) => err);
    expect((e as PdokError).message).toMatch(/WK044100 belongs to GM0441, not GM0400/);
  });

  it('refuses a malformed gemeente code before asking anything', async () => {
    const s = await serve(pdokWijken());
    const e = await fetchAreas({ baseUrl: s.baseUrl, year: 2024, gemeente: '0400' }).catch(
      (err: unknown) => err,
    );
    expect((e as PdokError).fix).toMatch(/GM0400/);
    expect(s.hits).toHaveLength(0);
  });

  it('defaults to the PDOK API of the year', () => {
    expect(wijkenEnBuurtenUrl(2024)).toBe('https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1');
  });

  it('writes GeoJSON that the project reads as an area file', async () => {
    const result = await areas(await serve(pdokWijken()));
    const fc = areasToFeatureCollection(result.filter((a) => a.level === 'wijk'));
    expect(fc.features[0]?.properties).toEqual({
      statcode: 'WK040001',
      statnaam: 'Wijk 01 Stad binnen de Linie-Oost',
      jrstatcode: '2024WK040001',
      rubriek: 'wijk',
      parent: 'GM0400',
      jaar: 2024,
      water: false,
    });
    const dir = mkdtempSync(join(tmpdir(), 'pakhuis-pdok-'));
    try {
      const file = join(dir, 'wijken.geojson');
      writeFileSync(file, JSON.stringify(fc));
      const edges = areaEdges(file, 'wgs84');
      expect(new Set(edges.map((e) => e.area)).size).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pakhuis areas fetch', () => {
  it('writes the wijken and buurten as GeoJSON that a project can use as its area model', async () => {
    const { runAreasFetch } = await import('../../src/cli/commands/areas.js');
    const { loadAreaModel } = await import('../../src/geo/area-model.js');
    const { mustLoad, writeProject } = await import('../helpers/project.js');
    const s = await serve(pdokWijken());
    const dir = writeProject({});
    const out = await runAreasFetch(mustLoad(dir), { year: 2024, out: 'data/areas', baseUrl: s.baseUrl });
    expect(out).toMatch(/^8 wijken and 65 buurten of GM0400 \(2024\)/);
    writeProject(
      {
        'pakhuis.yaml': `version: 1\nmunicipality: { code: GM0400, name: Den Helder }\nprivacy: { controller: Test }\nareas: { buurten: data/areas/buurten_2024.geojson, wijken: data/areas/wijken_2024.geojson }\n`,
      },
      dir,
    );
    const model = loadAreaModel(mustLoad(dir));
    expect(model.areas.filter((a) => a.level === 'wijk').map((a) => a.name)[0]).toBe(
      'Stad binnen de Linie-Oost',
    );
    expect(model.areas.filter((a) => a.level === 'buurt')).toHaveLength(65);
    expect(model.members.get('GM0400')).toHaveLength(65);
  });
});
