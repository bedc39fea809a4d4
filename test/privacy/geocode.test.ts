import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wgs84ToRd } from '../../src/geo/rd.js';
import { build, query, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const AREAS = join(import.meta.dirname, '../../data/areas');
const GEOJSON = readFileSync(join(AREAS, 'den_helder_buurten_2014_wgs84_coarse.geojson'), 'utf8');

interface Feature {
  properties: { statcode: string };
  geometry: { coordinates: number[][][] };
}

/** An independent even–odd test in TypeScript, the oracle for the engine's ray casting. */
function inside(lon: number, lat: number, ring: number[][]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** Points strictly inside exactly one buurt: the centre of the bounding box, when that is inside. */
function samplePoints(): Array<{ code: string; lon: number; lat: number }> {
  const features = (JSON.parse(GEOJSON) as { features: Feature[] }).features;
  const out: Array<{ code: string; lon: number; lat: number }> = [];
  for (const f of features) {
    const ring = f.geometry.coordinates[0] as number[][];
    const xs = ring.map((p) => p[0] as number);
    const ys = ring.map((p) => p[1] as number);
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55]) {
      const lon = Number((Math.min(...xs) + t * (Math.max(...xs) - Math.min(...xs))).toFixed(6));
      const lat = Number((Math.min(...ys) + 0.5 * (Math.max(...ys) - Math.min(...ys))).toFixed(6));
      // well inside: the point and four points 10 m around it fall in this buurt alone
      const near = [
        [0, 0],
        [1e-4, 0],
        [-1e-4, 0],
        [0, 1e-4],
        [0, -1e-4],
      ].map(([dx, dy]) =>
        features.filter((g) =>
          inside(lon + (dx as number), lat + (dy as number), g.geometry.coordinates[0] as number[][]),
        ),
      );
      if (near.every((hits) => hits.length === 1 && hits[0]?.properties.statcode === f.properties.statcode)) {
        out.push({ code: f.properties.statcode, lon, lat });
        break;
      }
    }
  }
  return out;
}

function project(points: ReturnType<typeof samplePoints>, crs: 'wgs84' | 'rd'): string {
  const rows = points.map((p, i) => {
    if (crs === 'rd') {
      const { x, y } = wgs84ToRd(p.lon, p.lat);
      return `${i};${x.toFixed(2).replace('.', ',')};${y.toFixed(2).replace('.', ',')}`;
    }
    return `${i};${String(p.lon).replace('.', ',')};${String(p.lat).replace('.', ',')}`;
  });
  rows.push(`${points.length};0;0`); // far outside Den Helder: counted, not dropped
  return writeProject({
    'pakhuis.yaml': `version: 1\nmunicipality: { code: GM0400, name: Den Helder }\nprivacy: { controller: Test }\nareas: { buurten: buurten.geojson }\nroles:\n  analist: { purposes: [test], members: ['*'] }\n`,
    'buurten.geojson': GEOJSON,
    'data/p.csv': `id;x;y\n${rows.join('\n')}\n`,
    'sources/punten.yaml': `title: Punten\nowner: Test\n${TEST_PRIVACY}geocode: { x: x, y: y, crs: ${crs}, to: buurtcode }\nconnector: { type: csv, path: p.csv, decimal: ',' }\ncolumns:\n  id: { type: integer, classification: none }\n  x: { type: number, classification: quasi_identifier, generalise: buurt }\n  y: { type: number, classification: quasi_identifier, generalise: buurt }\n`,
  });
}

describe('coordinates are generalised to the buurt code at landing', () => {
  const points = samplePoints();

  it.each(['wgs84', 'rd'] as const)(
    '%s points land as their buurt code, and the coordinates do not land',
    async (crs) => {
      expect(points.length).toBeGreaterThan(50);
      const dir = project(points, crs);
      const summary = await build(dir);
      expect(summary.status).toBe('success');
      expect(summary.steps[0]?.detail?.['geocoded']).toEqual({ matched: points.length, unmatched: 1 });
      const rows = await query<{ id: number; buurtcode: string | null }>(
        dir,
        'select * from sources.punten order by id',
      );
      expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'buurtcode']);
      expect(rows.map((r) => r.buurtcode)).toEqual([...points.map((p) => p.code), null]);
    },
  );
});
