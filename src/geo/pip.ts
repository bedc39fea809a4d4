/**
 * Point-in-polygon for geocoding: which area (wijk, buurt) contains a point.
 *
 * Even–odd ray casting over every ring of a GeoJSON Polygon or MultiPolygon, so holes (and islands
 * inside holes) need no special case. Coordinates are plain x/y: WGS84 lon/lat or RD x/y alike, as
 * long as points and areas use the same system (the caller converts, see `rd.ts`).
 *
 * Boundaries. A point on an edge or vertex is decided as if it lay an infinitesimal step to the
 * right (+x) and up (+y): edges are half-open in y (`y1 <= y < y2`) and a crossing counts only when
 * it lies strictly right of the point. Every edge is evaluated in one canonical direction (from its
 * lower to its upper end), so an edge shared by two areas gives the same answer in both, bit for
 * bit, whichever way each ring runs. Hence a point on a border between areas that tile the plane
 * (CBS wijken, buurten) belongs to exactly one of them; a point on the outer border of the whole
 * tiling may belong to none.
 */

export type Position = readonly number[];

export interface Polygon {
  type: 'Polygon';
  coordinates: readonly (readonly Position[])[];
}

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: readonly (readonly (readonly Position[])[])[];
}

/** An area to geocode into: its code (e.g. a CBS statcode) and its geometry. */
export interface AreaShape {
  code: string;
  geometry: Polygon | MultiPolygon;
}

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The non-horizontal edges of an area, lower end first, as [x1, y1, x2, y2] runs in one typed
 * array, bucketed in horizontal bands so a query only tests the edges at its own height. Horizontal
 * edges never cross a horizontal ray under the half-open rule, so they are dropped.
 */
interface PreparedArea {
  code: string;
  bbox: BBox;
  edges: Float64Array;
  bandHeight: number;
  /** Per band, the indexes (into edges / 4) of the edges whose y-range meets the band. */
  bands: Uint32Array[];
}

/** The band of height y; the same function when building and querying, so they always agree. */
function bandOf(y: number, minY: number, height: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor((y - minY) / height)));
}

function rings(geometry: Polygon | MultiPolygon): readonly (readonly Position[])[] {
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  throw new TypeError(
    `point-in-polygon needs a Polygon or MultiPolygon, got ${(geometry as { type: string }).type}`,
  );
}

/** The edges of every ring (closed or not), canonically oriented; and their bounding box. */
function collectEdges(geometry: Polygon | MultiPolygon): { edges: number[]; bbox: BBox } {
  const edges: number[] = [];
  const bbox = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const ring of rings(geometry)) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xa, ya] = ring[j] as readonly [number, number];
      const [xb, yb] = ring[i] as readonly [number, number];
      if (xb < bbox.minX) bbox.minX = xb;
      if (xb > bbox.maxX) bbox.maxX = xb;
      if (yb < bbox.minY) bbox.minY = yb;
      if (yb > bbox.maxY) bbox.maxY = yb;
      if (ya === yb) continue;
      // Lower end first: the crossing below is then computed identically for a shared edge.
      if (ya < yb) edges.push(xa, ya, xb, yb);
      else edges.push(xb, yb, xa, ya);
    }
  }
  return { edges, bbox };
}

function prepare(area: AreaShape): PreparedArea {
  const { edges, bbox } = collectEdges(area.geometry);
  const count = edges.length / 4;
  // About √edges bands keeps both the band lists and the edges per band short.
  const bandCount = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(count))));
  const bandHeight = (bbox.maxY - bbox.minY) / bandCount || 1;
  const lists: number[][] = Array.from({ length: bandCount }, () => []);
  const band = (y: number): number => bandOf(y, bbox.minY, bandHeight, bandCount);
  for (let e = 0; e < count; e++) {
    const last = band(edges[4 * e + 3] as number);
    for (let b = band(edges[4 * e + 1] as number); b <= last; b++) (lists[b] as number[]).push(e);
  }
  return {
    code: area.code,
    bbox,
    edges: Float64Array.from(edges),
    bandHeight,
    bands: lists.map((l) => Uint32Array.from(l)),
  };
}

function inBBox(b: BBox, x: number, y: number): boolean {
  return x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY;
}

function contains(area: PreparedArea, x: number, y: number): boolean {
  if (!inBBox(area.bbox, x, y)) return false;
  const list = area.bands[bandOf(y, area.bbox.minY, area.bandHeight, area.bands.length)] as Uint32Array;
  const edges = area.edges;
  let inside = false;
  for (let k = 0; k < list.length; k++) {
    const o = 4 * (list[k] as number);
    const y1 = edges[o + 1] as number;
    const y2 = edges[o + 3] as number;
    if (y < y1 || y >= y2) continue;
    const x1 = edges[o] as number;
    const x2 = edges[o + 2] as number;
    if (x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
  }
  return inside;
}

/**
 * Whether a Polygon or MultiPolygon contains the point [x, y] (boundary rule: see the file comment).
 * For many points, build an `AreaIndex` once instead.
 */
export function pointInPolygon(point: Position, geometry: Polygon | MultiPolygon): boolean {
  const [x, y] = point as readonly [number, number];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return contains(prepare({ code: '', geometry }), x, y);
}

/**
 * Many areas prepared once for many points: a uniform grid over their joint bounding box lists, per
 * cell, the areas whose bounding box meets it; a point is tested only against its cell's areas.
 */
export class AreaIndex {
  private readonly areas: PreparedArea[];
  private readonly bbox: BBox;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly cells: Uint32Array[];

  constructor(areas: readonly AreaShape[]) {
    this.areas = areas.map(prepare);
    const bbox = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (const a of this.areas) {
      bbox.minX = Math.min(bbox.minX, a.bbox.minX);
      bbox.minY = Math.min(bbox.minY, a.bbox.minY);
      bbox.maxX = Math.max(bbox.maxX, a.bbox.maxX);
      bbox.maxY = Math.max(bbox.maxY, a.bbox.maxY);
    }
    this.bbox = bbox;
    // About two cells per area along each axis: few candidates per cell, a small grid.
    const side = Math.max(1, Math.min(256, Math.ceil(2 * Math.sqrt(this.areas.length))));
    this.cols = side;
    this.rows = side;
    this.cellW = (bbox.maxX - bbox.minX) / side || 1;
    this.cellH = (bbox.maxY - bbox.minY) / side || 1;
    const lists: number[][] = Array.from({ length: side * side }, () => []);
    this.areas.forEach((a, i) => {
      if (a.bbox.minX > a.bbox.maxX) return; // an empty geometry
      const [c0, r0] = this.cell(a.bbox.minX, a.bbox.minY);
      const [c1, r1] = this.cell(a.bbox.maxX, a.bbox.maxY);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) (lists[r * side + c] as number[]).push(i);
    });
    this.cells = lists.map((l) => Uint32Array.from(l));
  }

  private cell(x: number, y: number): [number, number] {
    const c = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.bbox.minX) / this.cellW)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.bbox.minY) / this.cellH)));
    return [c, r];
  }

  /** The codes of all areas containing the point, in input order (more than one only if areas overlap). */
  areasAt(point: Position): string[] {
    const [x, y] = point as readonly [number, number];
    if (!Number.isFinite(x) || !Number.isFinite(y) || !inBBox(this.bbox, x, y)) return [];
    const [c, r] = this.cell(x, y);
    const found: string[] = [];
    for (const i of this.cells[r * this.cols + c] as Uint32Array) {
      const area = this.areas[i] as PreparedArea;
      if (contains(area, x, y)) found.push(area.code);
    }
    return found;
  }

  /** The code of the first area (in input order) containing the point, or undefined. */
  areaOf(point: Position): string | undefined {
    return this.areasAt(point)[0];
  }
}

/**
 * The code of the area containing the point, or undefined. Pass an `AreaIndex` when geocoding many
 * points; given a plain array, the areas are prepared for this one call.
 */
export function areaOf(point: Position, areas: AreaIndex | readonly AreaShape[]): string | undefined {
  if (areas instanceof AreaIndex) return areas.areaOf(point);
  const [x, y] = point as readonly [number, number];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  return areas.find((a) => contains(prepare(a), x, y))?.code;
}
