import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AreaIndex,
  areaOf,
  pointInPolygon,
  type AreaShape,
  type MultiPolygon,
  type Polygon,
} from '../../src/geo/pip.js';
import { wgs84ToRd } from '../../src/geo/rd.js';

type Pt = [number, number];
type Ring = Pt[];

function readAreas(file: string): AreaShape[] {
  const fc = JSON.parse(readFileSync(new URL(`../../data/areas/${file}`, import.meta.url), 'utf8')) as {
    features: { properties: { statcode: string }; geometry: Polygon | MultiPolygon }[];
  };
  return fc.features.map((f) => ({ code: f.properties.statcode, geometry: f.geometry }));
}

const WIJKEN = readAreas('den_helder_wijken_2024_wgs84.geojson');
const BUURTEN = readAreas('den_helder_buurten_2014_wgs84_coarse.geojson');

const ringsOf = (a: AreaShape): Ring[] =>
  (a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates).flat() as Ring[];

// --- An independent reference, written differently on purpose: the winding number (not even–odd
// --- ray casting), plus the distance to the nearest edge so that test points keep clear of borders.

function windingNumber([x, y]: Pt, ring: Ring): number {
  let w = 0;
  const isLeft = (a: Pt, b: Pt): number => (b[0] - a[0]) * (y - a[1]) - (x - a[0]) * (b[1] - a[1]);
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] as Pt;
    const b = ring[(i + 1) % ring.length] as Pt;
    if (a[1] <= y) {
      if (b[1] > y && isLeft(a, b) > 0) w++;
    } else if (b[1] <= y && isLeft(a, b) < 0) w--;
  }
  return w;
}

const referenceInside = (p: Pt, a: AreaShape): boolean =>
  ringsOf(a).reduce((inside, ring) => inside !== (windingNumber(p, ring) !== 0), false);

function distanceToSegment([x, y]: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t =
    dx === 0 && dy === 0
      ? 0
      : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

function distanceToBorders(p: Pt, areas: readonly AreaShape[]): number {
  let d = Infinity;
  for (const a of areas)
    for (const ring of ringsOf(a))
      for (let i = 0; i < ring.length; i++)
        d = Math.min(d, distanceToSegment(p, ring[i] as Pt, ring[(i + 1) % ring.length] as Pt));
  return d;
}

/** Grid points (cell centres) over the areas' extent, with some margin around it. */
function grid(areas: readonly AreaShape[], step: number): Pt[] {
  const all = areas.flatMap(ringsOf).flat();
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const points: Pt[] = [];
  for (let x = Math.min(...xs) - 5 * step + step / 2; x < Math.max(...xs) + 5 * step; x += step)
    for (let y = Math.min(...ys) - 5 * step + step / 2; y < Math.max(...ys) + 5 * step; y += step)
      points.push([x, y]);
  return points;
}

/** Margin from any border: ~15 m in degrees, far more than any rounding. */
const MARGIN = 0.0002;

const toRd = (p: Pt): Pt => {
  const { x, y } = wgs84ToRd(p[0], p[1]);
  return [x, y];
};
const areaToRd = (a: AreaShape): AreaShape => ({
  code: a.code,
  geometry:
    a.geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: (a.geometry.coordinates as Ring[]).map((r) => r.map(toRd)) }
      : {
          type: 'MultiPolygon',
          coordinates: (a.geometry.coordinates as Ring[][]).map((p) => p.map((r) => r.map(toRd))),
        },
});

const square = (x0: number, y0: number, x1: number, y1: number, clockwise = false): Ring => {
  const ring: Ring = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  return clockwise ? ring.reverse() : ring;
};

describe('point-in-polygon on the real wijken of Den Helder', () => {
  const index = new AreaIndex(WIJKEN);
  const clearPoints = grid(WIJKEN, 0.0005).filter((p) => distanceToBorders(p, WIJKEN) > MARGIN);
  /** Per wijk, 12 of its guaranteed-interior points, spread over its grid points. */
  const interior = new Map(
    WIJKEN.map((w) => {
      const inside = clearPoints.filter((p) => referenceInside(p, w));
      return [
        w.code,
        inside.filter((_, i) => i % Math.max(1, Math.floor(inside.length / 12)) === 0).slice(0, 12),
      ];
    }),
  );

  it('has guaranteed-interior points for each of the 8 wijken', () => {
    expect(WIJKEN).toHaveLength(8);
    for (const w of WIJKEN) expect(interior.get(w.code)?.length, w.code).toBeGreaterThanOrEqual(5);
  });

  it('assigns interior points to their wijk and to no other', () => {
    let checked = 0;
    for (const w of WIJKEN) {
      for (const p of interior.get(w.code) ?? []) {
        expect(index.areasAt(p), `${w.code} ${p.join(',')}`).toEqual([w.code]);
        expect(areaOf(p, index)).toBe(w.code);
        expect(areaOf(p, WIJKEN)).toBe(w.code);
        for (const other of WIJKEN) expect(pointInPolygon(p, other.geometry)).toBe(other === w);
        checked++;
      }
    }
    expect(checked).toBe(8 * 12);
  });

  it('agrees with the reference everywhere away from the borders, outside points included', () => {
    const wrong: string[] = [];
    let outside = 0;
    for (const p of clearPoints) {
      const expected = WIJKEN.find((w) => referenceInside(p, w))?.code;
      if (index.areaOf(p) !== expected) wrong.push(`${p.join(',')}: ${index.areaOf(p)} ≠ ${expected}`);
      if (expected === undefined) outside++;
    }
    expect(wrong).toEqual([]);
    expect(clearPoints.length - outside).toBeGreaterThan(10_000);
    expect(outside).toBeGreaterThan(1_000);
  });

  it('gives the same answers in RD as in WGS84', () => {
    const rdIndex = new AreaIndex(WIJKEN.map(areaToRd));
    for (const w of WIJKEN)
      for (const p of interior.get(w.code) ?? []) expect(rdIndex.areaOf(toRd(p))).toBe(w.code);
  });

  it('places no point in the sea west of Den Helder or in another municipality', () => {
    const gemeente = readAreas('den_helder_gemeente_2017_rd.geojson');
    const places: Record<string, Pt> = {
      'North Sea, 2 km off the coast of Nieuw Den Helder': [4.69, 52.935],
      'North Sea, off Julianadorp': [4.66, 52.89],
      'Marsdiep, between Den Helder and Texel': [4.77, 52.99],
      'Den Burg (Texel)': [4.797, 53.054],
      Schagen: [4.799, 52.787],
      'Anna Paulowna (Hollands Kroon)': [4.83, 52.862],
    };
    for (const [name, p] of Object.entries(places)) {
      // Outside the CBS municipal boundary as well: the points are where they claim to be.
      expect(pointInPolygon(toRd(p), (gemeente[0] as AreaShape).geometry), name).toBe(false);
      expect(index.areaOf(p), name).toBeUndefined();
      expect(areaOf(p, WIJKEN), name).toBeUndefined();
    }
  });

  it('gives a point on a border shared by two wijken to exactly one of them', () => {
    // Shared edges found in the data: the same two vertices in two wijken's rings.
    const owners = new Map<string, Set<string>>();
    for (const w of WIJKEN)
      for (const ring of ringsOf(w))
        for (let i = 0; i + 1 < ring.length; i++) {
          const key = [ring[i], ring[i + 1]]
            .map((p) => p?.join(','))
            .sort()
            .join(' ');
          owners.set(key, (owners.get(key) ?? new Set()).add(w.code));
        }
    const shared = [...owners].filter(([, codes]) => codes.size === 2);
    expect(shared.length).toBeGreaterThanOrEqual(8);
    /** Points on the edge as a computation from either end would place them (rounding differs). */
    const onEdge = (a: Pt, b: Pt): Pt[] =>
      Array.from({ length: 199 }, (_, k) => (k + 1) / 200).flatMap((t) => {
        const y = a[1] + t * (b[1] - a[1]);
        return [
          [a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]), y] as Pt,
          [b[0] + ((y - b[1]) * (a[0] - b[0])) / (a[1] - b[1]), y] as Pt,
        ];
      });
    const wrong: string[] = [];
    for (const [key, codes] of shared) {
      const [a, b] = key.split(' ').map((s) => s.split(',').map(Number) as Pt) as [Pt, Pt];
      // Inside the edge the point lies in the interior of the two wijken's union: exactly one owner.
      for (const p of onEdge(a, b)) {
        const found = index.areasAt(p);
        if (found.length !== 1 || !codes.has(found[0] as string))
          wrong.push(`${p.join(',')}: ${found.join()}`);
      }
      // A vertex may lie on the municipality's outer border too, and then have no owner.
      for (const p of [a, b]) if (index.areasAt(p).length > 1) wrong.push(`vertex ${p.join(',')}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('point-in-polygon geometry', () => {
  const donut: AreaShape = {
    code: 'donut',
    geometry: { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(3, 3, 7, 7, true)] },
  };
  const island: AreaShape = {
    code: 'island',
    geometry: { type: 'Polygon', coordinates: [square(3, 3, 7, 7)] },
  };

  it('leaves out the hole of a polygon, whichever way its rings run', () => {
    const reversed: Polygon = {
      type: 'Polygon',
      coordinates: [square(0, 0, 10, 10, true), square(3, 3, 7, 7)],
    };
    for (const geometry of [donut.geometry, reversed]) {
      expect(pointInPolygon([1, 1], geometry)).toBe(true);
      expect(pointInPolygon([8.5, 5], geometry)).toBe(true);
      expect(pointInPolygon([5, 5], geometry)).toBe(false);
      expect(pointInPolygon([11, 5], geometry)).toBe(false);
      expect(pointInPolygon([-1, -1], geometry)).toBe(false);
    }
  });

  it('gives the hole to an area that fills it, and its border to exactly one of the two', () => {
    const index = new AreaIndex([donut, island]);
    expect(index.areaOf([5, 5])).toBe('island');
    expect(index.areaOf([1, 9])).toBe('donut');
    for (const p of [
      [3, 5],
      [7, 5],
      [5, 3],
      [5, 7],
      [3, 3],
      [7, 7],
      [3, 7],
      [7, 3],
    ] as Pt[])
      expect(index.areasAt(p), p.join(',')).toHaveLength(1);
  });

  it('handles a MultiPolygon with a hole in one of its parts', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[square(0, 0, 10, 10), square(3, 3, 7, 7)], [square(20, 0, 25, 5)]],
    };
    expect(pointInPolygon([1, 1], multi)).toBe(true);
    expect(pointInPolygon([22, 2], multi)).toBe(true);
    expect(pointInPolygon([5, 5], multi)).toBe(false);
    expect(pointInPolygon([15, 2], multi)).toBe(false);
  });

  it('decides an exact border point of a tiling consistently: the area to its right and above', () => {
    // Four unit squares, rings in mixed directions; all the points below are exactly representable.
    const tiles: AreaShape[] = [
      { code: 'a00', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] } },
      { code: 'a10', geometry: { type: 'Polygon', coordinates: [square(1, 0, 2, 1, true)] } },
      { code: 'a01', geometry: { type: 'Polygon', coordinates: [square(0, 1, 1, 2, true)] } },
      { code: 'a11', geometry: { type: 'Polygon', coordinates: [square(1, 1, 2, 2)] } },
    ];
    const index = new AreaIndex(tiles);
    const expected: [Pt, string][] = [
      [[1, 0.5], 'a10'], // vertical shared edge
      [[0.5, 1], 'a01'], // horizontal shared edge
      [[1, 1], 'a11'], // the vertex of all four
      [[1, 1.5], 'a11'],
      [[1.5, 1], 'a11'],
    ];
    for (const [p, code] of expected) expect(index.areasAt(p), p.join(',')).toEqual([code]);
    // On the outer border of the tiling: at most one (here: the right and top borders have none).
    expect(index.areasAt([0, 0.5])).toEqual(['a00']);
    expect(index.areasAt([2, 0.5])).toEqual([]);
    expect(index.areasAt([0.5, 2])).toEqual([]);
  });

  it('answers undefined for a point that is not a number', () => {
    const index = new AreaIndex(WIJKEN);
    expect(index.areaOf([Number.NaN, 52.95])).toBeUndefined();
    expect(areaOf([4.76, Number.POSITIVE_INFINITY], WIJKEN)).toBeUndefined();
    expect(pointInPolygon([Number.NaN, 0], { type: 'Polygon', coordinates: [square(-1, -1, 1, 1)] })).toBe(
      false,
    );
  });
});

describe('the bounding-box index', () => {
  it('finds exactly what testing every area finds (65 buurten, 20 000 points)', () => {
    const index = new AreaIndex(BUURTEN);
    const one = BUURTEN.map((b) => ({ code: b.code, index: new AreaIndex([b]) }));
    let seed = 400;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const wrong: string[] = [];
    let placed = 0;
    for (let i = 0; i < 20_000; i++) {
      const p: Pt = [4.68 + random() * 0.16, 52.86 + random() * 0.12];
      const brute = one.filter((b) => b.index.areaOf(p) !== undefined).map((b) => b.code);
      const found = index.areasAt(p);
      if (found.join() !== brute.join()) wrong.push(`${p.join(',')}: ${found.join()} ≠ ${brute.join()}`);
      if (brute.length) placed++;
    }
    expect(wrong).toEqual([]);
    expect(placed).toBeGreaterThan(5_000);
  });
});
