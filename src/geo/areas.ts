import { existsSync, readFileSync } from 'node:fs';
import { wgs84ToRd } from './rd.js';

/** One edge of an area's boundary, for point-in-polygon in SQL. */
export interface Edge {
  area: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

export class AreaFileError extends Error {}

/**
 * The edges of every polygon ring of a GeoJSON FeatureCollection in WGS84 (lon/lat), keyed by the
 * feature's `statcode` (CBS), optionally projected to RD New (EPSG:28992). Holes are rings too: the
 * even–odd rule of ray casting handles them.
 */
export function areaEdges(path: string, crs: 'wgs84' | 'rd'): Edge[] {
  if (!existsSync(path)) throw new AreaFileError(`the area file ${path} does not exist`);
  const fc = JSON.parse(readFileSync(path, 'utf8')) as { features?: Feature[] };
  if (!Array.isArray(fc.features)) throw new AreaFileError(`${path} is not a GeoJSON FeatureCollection`);
  const edges: Edge[] = [];
  for (const f of fc.features) {
    const code = String(f.properties['statcode'] ?? f.properties['code'] ?? '');
    if (!code) throw new AreaFileError(`${path}: a feature has no statcode`);
    const polygons = (
      f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
    ) as number[][][][];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        const pts = ring.map(([lon, lat]) =>
          crs === 'rd' ? wgs84ToRd(lon as number, lat as number) : { x: lon as number, y: lat as number },
        );
        for (let i = 0; i + 1 < pts.length; i++) {
          const a = pts[i] as { x: number; y: number };
          const b = pts[i + 1] as { x: number; y: number };
          // lower end first: a border shared by two areas then gives bit-identical crossings in both
          // (computed from the same end), so a point on it falls in exactly one (as in pip.ts)
          const [lo, hi] = a.y < b.y ? [a, b] : [b, a];
          if (a.y !== b.y) edges.push({ area: code, x1: lo.x, y1: lo.y, x2: hi.x, y2: hi.y });
        }
      }
    }
  }
  return edges;
}
