import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AreaIndex, type AreaShape } from '../../src/geo/pip.js';
import { build, query, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const WIJKEN = readFileSync(
  join(import.meta.dirname, '../../data/areas/den_helder_wijken_2024_wgs84.geojson'),
  'utf8',
);

/**
 * Landing geocodes in the engine (ray casting in SQL); pip.ts does it in TypeScript. On the real 2024
 * wijk geometry (Bron: CBS/PDOK) both must put every point of a dense grid — borders included — in
 * the same wijk, or in none.
 */
describe('geocoding in the engine agrees with point-in-polygon in TypeScript', () => {
  it('on a grid over Den Helder, with the real wijk geometry', async () => {
    const fc = JSON.parse(WIJKEN) as {
      features: Array<{ properties: { statcode: string }; geometry: AreaShape['geometry'] }>;
    };
    const index = new AreaIndex(
      fc.features.map((f) => ({ code: f.properties.statcode, geometry: f.geometry })),
    );
    const points: Array<{ lon: number; lat: number }> = [];
    // 3-decimal grid: the file's coordinates are on it, so many points sit exactly on borders and vertices
    for (let lon = 4.7; lon <= 4.82; lon += 0.002)
      for (let lat = 52.87; lat <= 52.97; lat += 0.001)
        points.push({ lon: Number(lon.toFixed(3)), lat: Number(lat.toFixed(3)) });
    // on the WK040006/WK040007 border: computed from either end of the edge it must land in one wijk
    points.push({ lon: 4.73703, lat: 52.91348 });
    const dir = writeProject({
      'pakhuis.yaml': `version: 1\nmunicipality: { code: GM0400, name: Den Helder }\nprivacy: { controller: Test }\nareas: { buurten: wijken.geojson }\nroles:\n  analist: { purposes: [test], members: ['*'] }\n`,
      'wijken.geojson': WIJKEN,
      'data/p.csv': `id,x,y\n${points.map((p, i) => `${i},${p.lon},${p.lat}`).join('\n')}\n`,
      'sources/punten.yaml': `title: Punten\nowner: Test\n${TEST_PRIVACY}geocode: { x: x, y: y, crs: wgs84, to: wijk }\nconnector: { type: csv, path: p.csv }\ncolumns:\n  id: { type: integer, classification: none }\n  x: { type: number, classification: quasi_identifier, generalise: buurt }\n  y: { type: number, classification: quasi_identifier, generalise: buurt }\n`,
    });
    const summary = await build(dir);
    expect(summary.status).toBe('success');
    const rows = await query<{ id: number; wijk: string | null }>(
      dir,
      'select id, wijk from sources.punten order by id',
    );
    const expected = points.map((p) => index.areaOf([p.lon, p.lat]) ?? null);
    expect(expected.filter((w) => w !== null).length).toBeGreaterThan(1000);
    expect(new Set(expected).size).toBe(9); // eight wijken and outside
    expect(rows.map((r) => r.wijk)).toEqual(expected);
  }, 60_000);
});
