import { geoArea, geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useMemo } from 'react';
import { getJson, type Boundaries, type Level } from './api.js';
import { useApi, type Loaded } from './hooks.js';

const cache = new Map<string, Promise<Boundaries>>();

/**
 * The boundaries of a level from the API, once per page load, with rings wound as d3-geo expects
 * (RFC 7946 winds exterior rings counter-clockwise; d3-geo reads that as the rest of the globe).
 */
export function loadBoundaries(path: string): Promise<Boundaries> {
  let p = cache.get(path);
  if (!p) {
    p = getJson<Boundaries>(path).then((fc) => {
      for (const f of fc.features) {
        if (geoArea(f as GeoPermissibleObjects) > 2 * Math.PI) {
          const g = f.geometry;
          if (g.type === 'Polygon') g.coordinates.forEach((r) => r.reverse());
          if (g.type === 'MultiPolygon') g.coordinates.forEach((poly) => poly.forEach((r) => r.reverse()));
        }
      }
      return fc;
    });
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

export interface Shape {
  code: string;
  name: string;
  level: Level;
  parent: string | null;
  /** the SVG path, projected to fit the box */
  d: string;
}

/** The areas of a level as SVG paths fitted to width × height (Mercator), with the load state. */
export function useShapes(
  level: 'wijk' | 'buurt',
  width: number,
  height: number,
): Loaded<Boundaries> & { shapes: Shape[] } {
  const loaded = useApi<Boundaries>(`/boundaries/${level}`, loadBoundaries);
  const { data } = loaded;
  const shapes = useMemo(() => {
    if (!data) return [];
    const path = geoPath(geoMercator().fitSize([width, height], data as GeoPermissibleObjects));
    return data.features.map((f) => ({ ...f.properties, d: path(f as GeoPermissibleObjects) ?? '' }));
  }, [data, width, height]);
  return { ...loaded, shapes };
}
