import { geoArea, geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useMemo } from 'react';
import { getJson, type Boundaries, type Level } from './api.js';
import { useApi, type Loaded } from './hooks.js';
import { once } from './lists.js';

/**
 * The boundaries of a level from the API, once per page load, with rings wound as d3-geo expects
 * (RFC 7946 winds exterior rings counter-clockwise; d3-geo reads that as the rest of the globe).
 */
export function loadBoundaries(path: string): Promise<Boundaries> {
  return once(path, () =>
    getJson<Boundaries>(path).then((fc) => {
      for (const f of fc.features) {
        if (geoArea(f as GeoPermissibleObjects) > 2 * Math.PI) {
          const g = f.geometry;
          if (g.type === 'Polygon') g.coordinates.forEach((r) => r.reverse());
          if (g.type === 'MultiPolygon') g.coordinates.forEach((poly) => poly.forEach((r) => r.reverse()));
        }
      }
      return fc;
    }),
  );
}

export interface Shape {
  code: string;
  name: string;
  level: Level;
  parent: string | null;
  /** the SVG path, projected to fit the box */
  d: string;
}

/** The areas of a level drawn in a box: SVG paths fitted to width × height (Mercator), and the load state. */
export interface Shapes extends Loaded<Boundaries> {
  shapes: Shape[];
  width: number;
  height: number;
}

/** The areas of a level as SVG paths fitted to width × height (Mercator), with the load state. */
export function useShapes(level: 'wijk' | 'buurt', width: number, height: number): Shapes {
  const loaded = useApi<Boundaries>(`/boundaries/${level}`, loadBoundaries);
  const { data } = loaded;
  const shapes = useMemo(() => {
    if (!data) return [];
    const path = geoPath(geoMercator().fitSize([width, height], data as GeoPermissibleObjects));
    return data.features.map((f) => ({ ...f.properties, d: path(f as GeoPermissibleObjects) ?? '' }));
  }, [data, width, height]);
  return { ...loaded, shapes, width, height };
}
