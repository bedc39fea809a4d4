/**
 * The real area hierarchy of the demo municipality (Den Helder, GM0400), read from `data/areas/`
 * (Bron: CBS, CC BY 4.0): 8 wijken 2024 with polygons and CBS 2024 key figures, 65 buurten (2014
 * division) with coarse polygons and label points. Also point sampling inside a buurt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wgs84ToRd, rdToWgs84 } from '../geo/rd.js';
import type { Rng } from './random.js';

export type Ring = readonly (readonly [number, number])[];

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Wijk {
  code: string;
  name: string;
  /** CBS 2024 AantalInwoners_5. */
  cbsPopulation: number;
  /** CBS 2024 Woningvoorraad_35. */
  cbsDwellings: number;
  ring: Ring;
  bbox: BBox;
  buurten: Buurt[];
}

export interface Buurt {
  code: string;
  name: string;
  wijk: Wijk;
  label: readonly [number, number];
  ring: Ring;
  bbox: BBox;
}

export interface Gemeente {
  code: string;
  name: string;
  cbsPopulation: number;
  cbsDwellings: number;
  wijken: Wijk[];
  buurten: Buurt[];
}

const KWB_FILE = 'den_helder_kwb_2024_85984NED_gm_wk.csv';

/** The `data/areas` folder: searched upwards from this module (works from `src/` and `dist/`). */
export function findAreasDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'data', 'areas');
    if (existsSync(join(candidate, KWB_FILE))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`data/areas/${KWB_FILE} not found above ${start}`);
}

interface GeoFeature {
  id?: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

function outerRing(f: GeoFeature): Ring {
  const g = f.geometry;
  if (g.type === 'Polygon') return (g.coordinates as [number, number][][])[0] ?? [];
  if (g.type === 'MultiPolygon') {
    // The largest outer ring (the generalised files have single polygons; this is a safeguard).
    let best: Ring = [];
    let bestArea = -1;
    for (const poly of g.coordinates as [number, number][][][]) {
      const r = poly[0] ?? [];
      const a = Math.abs(ringArea(r));
      if (a > bestArea) {
        best = r;
        bestArea = a;
      }
    }
    return best;
  }
  throw new Error(`unsupported geometry ${g.type}`);
}

function bboxOf(ring: Ring): BBox {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const [x, y] of ring) {
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
  }
  return b;
}

export function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const pi = ring[i] as readonly [number, number];
    const pj = ring[j] as readonly [number, number];
    a += pj[0] * pi[1] - pi[0] * pj[1];
  }
  return a / 2;
}

/** Even-odd ray casting point-in-polygon test. */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const pi = ring[i] as readonly [number, number];
    const pj = ring[j] as readonly [number, number];
    if (pi[1] > y !== pj[1] > y && x < ((pj[0] - pi[0]) * (y - pi[1])) / (pj[1] - pi[1]) + pi[0])
      inside = !inside;
  }
  return inside;
}

function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

let cached: { dir: string; gemeente: Gemeente } | undefined;

/** Load the municipality's areas from `data/areas` (cached per folder). */
export function loadGemeente(areasDir = findAreasDir()): Gemeente {
  if (cached && cached.dir === areasDir) return cached.gemeente;
  const kwb = parseCsv(readFileSync(join(areasDir, KWB_FILE), 'utf8'));
  const header = kwb[0] ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${KWB_FILE}: column ${name} missing`);
    return i;
  };
  const iCode = col('Codering');
  const iName = col('Naam');
  const iPop = col('AantalInwoners_5');
  const iDw = col('Woningvoorraad_35');

  const wijkGeo = JSON.parse(
    readFileSync(join(areasDir, 'den_helder_wijken_2024_wgs84.geojson'), 'utf8'),
  ) as {
    features: GeoFeature[];
  };
  const ringsByWijk = new Map<string, Ring>();
  for (const f of wijkGeo.features) ringsByWijk.set(String(f.properties.statcode ?? f.id), outerRing(f));

  let gemeente: Gemeente | undefined;
  const wijken: Wijk[] = [];
  for (const row of kwb.slice(1)) {
    const code = (row[iCode] ?? '').trim();
    const pop = Number(row[iPop]);
    const dw = Number(row[iDw]);
    if (code.startsWith('GM')) {
      gemeente = {
        code,
        name: row[iName] ?? code,
        cbsPopulation: pop,
        cbsDwellings: dw,
        wijken,
        buurten: [],
      };
    } else if (code.startsWith('WK')) {
      const ring = ringsByWijk.get(code);
      if (!ring) throw new Error(`no polygon for ${code}`);
      wijken.push({
        code,
        name: row[iName] ?? code,
        cbsPopulation: pop,
        cbsDwellings: dw,
        ring,
        bbox: bboxOf(ring),
        buurten: [],
      });
    }
  }
  if (!gemeente) throw new Error(`${KWB_FILE}: no gemeente row`);
  wijken.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const buurtGeo = JSON.parse(
    readFileSync(join(areasDir, 'den_helder_buurten_2014_wgs84_coarse.geojson'), 'utf8'),
  ) as { features: GeoFeature[] };
  const buurtRings = new Map<string, Ring>();
  for (const f of buurtGeo.features) buurtRings.set(String(f.properties.statcode ?? f.id), outerRing(f));

  const labels = parseCsv(readFileSync(join(areasDir, 'den_helder_buurten_2014_labels.csv'), 'utf8'));
  const lh = labels[0] ?? [];
  const li = (n: string): number => lh.indexOf(n);
  const buurten: Buurt[] = [];
  for (const row of labels.slice(1)) {
    const code = row[li('BU_CODE')] ?? '';
    const wijkCode = `WK${code.slice(2, 8)}`;
    const wijk = wijken.find((w) => w.code === wijkCode);
    if (!wijk) throw new Error(`buurt ${code}: wijk ${wijkCode} unknown`);
    const label = [Number(row[li('label_lon')]), Number(row[li('label_lat')])] as const;
    const ring = buurtRings.get(code) ?? [];
    const b: Buurt = {
      code,
      name: row[li('BU_NAAM')] ?? code,
      wijk,
      label,
      ring,
      bbox: ring.length ? bboxOf(ring) : { minX: label[0], minY: label[1], maxX: label[0], maxY: label[1] },
    };
    buurten.push(b);
    wijk.buurten.push(b);
  }
  buurten.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (const w of wijken) w.buurten.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  gemeente.buurten = buurten;
  cached = { dir: areasDir, gemeente };
  return gemeente;
}

/** The wijk whose polygon contains the point, if any. */
export function wijkAt(g: Gemeente, lon: number, lat: number): Wijk | undefined {
  return g.wijken.find((w) => pointInRing(lon, lat, w.ring));
}

/** A point with its RD coordinates (2 decimals) and the WGS84 coordinates derived from them (6 decimals). */
export interface Point {
  lon: number;
  lat: number;
  x: number;
  y: number;
}

const round = (v: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

/**
 * Samples address points for one buurt: inside the buurt polygon and inside the 2024 polygon of its
 * wijk. The coarse buurt polygons are sometimes degenerate or lie partly outside the wijk; then the
 * sampler uses a grid of admissible points, or else a disc around the label point (moved into the
 * wijk when the label lies outside it). Every point returned is inside the wijk polygon, in both its
 * published WGS84 (6 decimals) and its published RD (2 decimals) form.
 */
export class PointSampler {
  private readonly grid: [number, number][] = [];
  private readonly anchor: readonly [number, number];
  private readonly cellW: number;
  private readonly cellH: number;
  /** True when points lie inside the buurt polygon too (false: fallback around the label). */
  readonly insideBuurt: boolean;

  constructor(readonly buurt: Buurt) {
    const b = buurt.bbox;
    const n = 24;
    this.cellW = (b.maxX - b.minX) / n;
    this.cellH = (b.maxY - b.minY) / n;
    if (buurt.ring.length >= 4 && Math.abs(ringArea(buurt.ring)) > 1e-9) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const x = b.minX + (i + 0.5) * this.cellW;
          const y = b.minY + (j + 0.5) * this.cellH;
          if (this.accept(x, y, true)) this.grid.push([x, y]);
        }
      }
    }
    this.insideBuurt = this.grid.length >= 3;
    const w = buurt.wijk;
    if (this.accept(buurt.label[0], buurt.label[1], false)) {
      this.anchor = buurt.label;
    } else {
      // Nearest admissible point of the wijk to the label point.
      let best: [number, number] | undefined;
      let bestD = Infinity;
      const m = 80;
      const dx = (w.bbox.maxX - w.bbox.minX) / m;
      const dy = (w.bbox.maxY - w.bbox.minY) / m;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          const x = w.bbox.minX + (i + 0.5) * dx;
          const y = w.bbox.minY + (j + 0.5) * dy;
          const d = (x - buurt.label[0]) ** 2 + (y - buurt.label[1]) ** 2;
          if (d < bestD && this.accept(x, y, false)) {
            best = [x, y];
            bestD = d;
          }
        }
      }
      if (!best) throw new Error(`wijk ${w.code}: no admissible point`);
      this.anchor = best;
    }
  }

  private accept(lon: number, lat: number, needBuurt: boolean): boolean {
    if (needBuurt && !pointInRing(lon, lat, this.buurt.ring)) return false;
    return pointInRing(lon, lat, this.buurt.wijk.ring);
  }

  /** Round to the published precision; null when the rounded forms leave the wijk. */
  private finish(lon: number, lat: number, needBuurt: boolean): Point | null {
    const rd = wgs84ToRd(lon, lat);
    const x = round(rd.x, 2);
    const y = round(rd.y, 2);
    const back = rdToWgs84(x, y);
    const p = { lon: round(back.lon, 6), lat: round(back.lat, 6), x, y };
    if (!this.accept(p.lon, p.lat, needBuurt) || !this.accept(back.lon, back.lat, false)) return null;
    return p;
  }

  sample(rng: Rng): Point {
    const b = this.buurt.bbox;
    if (this.insideBuurt) {
      for (let t = 0; t < 40; t++) {
        const lon = b.minX + rng.next() * (b.maxX - b.minX);
        const lat = b.minY + rng.next() * (b.maxY - b.minY);
        if (this.accept(lon, lat, true)) {
          const p = this.finish(lon, lat, true);
          if (p) return p;
        }
      }
      for (let t = 0; t < 40; t++) {
        const g = rng.pick(this.grid);
        const lon = g[0] + (rng.next() - 0.5) * this.cellW;
        const lat = g[1] + (rng.next() - 0.5) * this.cellH;
        const p = this.accept(lon, lat, true) ? this.finish(lon, lat, true) : null;
        if (p) return p;
      }
      for (const g of this.grid) {
        const p = this.finish(g[0], g[1], false);
        if (p) return p;
      }
    }
    // Fallback: a disc of ~150 m around the anchor, clipped to the wijk.
    for (let t = 0; t < 60; t++) {
      const r = 0.0022 * Math.sqrt(rng.next());
      const a = rng.next() * 2 * Math.PI;
      const lon = this.anchor[0] + r * Math.cos(a);
      const lat = this.anchor[1] + r * Math.sin(a) * 0.6;
      if (this.accept(lon, lat, false)) {
        const p = this.finish(lon, lat, false);
        if (p) return p;
      }
    }
    const p = this.finish(this.anchor[0], this.anchor[1], false);
    if (p) return p;
    throw new Error(`buurt ${this.buurt.code}: cannot place a point`);
  }
}

/** Sample a point anywhere inside a wijk (public space: incidents, reports). */
export class WijkSampler {
  constructor(readonly wijk: Wijk) {}

  sample(rng: Rng): Point {
    const b = this.wijk.bbox;
    for (;;) {
      const lon = b.minX + rng.next() * (b.maxX - b.minX);
      const lat = b.minY + rng.next() * (b.maxY - b.minY);
      if (!pointInRing(lon, lat, this.wijk.ring)) continue;
      const rd = wgs84ToRd(lon, lat);
      const x = round(rd.x, 2);
      const y = round(rd.y, 2);
      const back = rdToWgs84(x, y);
      const p = { lon: round(back.lon, 6), lat: round(back.lat, 6), x, y };
      if (pointInRing(p.lon, p.lat, this.wijk.ring) && pointInRing(back.lon, back.lat, this.wijk.ring))
        return p;
    }
  }
}
