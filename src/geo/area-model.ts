import { existsSync, readFileSync } from 'node:fs';
import type { Project } from '../project/types.js';
import { AreaFileError } from './areas.js';

export type AreaLevel = 'gemeente' | 'wijk' | 'buurt' | 'custom';

export interface Area {
  code: string;
  name: string;
  level: AreaLevel;
  /** the area one level up (buurt → wijk → gemeente); null for the gemeente and custom areas */
  parent: string | null;
  /** the year of the CBS area division the code and boundary are valid for, when the file says so */
  year: number | null;
}

/**
 * The areas of the municipality: the gemeente, its wijken and buurten (CBS codes, names from the
 * project's area files) and the custom areas of the area-based approach, each made of whole
 * buurten. `members` lists the buurten of every area; `recode` maps an old buurt or wijk code to
 * the current one.
 */
export interface AreaModel {
  areas: Area[];
  byCode: Map<string, Area>;
  /** the buurten that make up each area (a buurt: itself) */
  members: Map<string, string[]>;
  recode: (code: string) => string;
}

interface FeatureProps {
  statcode?: string;
  statnaam?: string;
  jrstatcode?: string;
  code?: string;
  name?: string;
}

/**
 * Names (and the division's year) of the areas in a GeoJSON file. The year comes from each
 * feature's `jrstatcode` (2024WK040001, as CBS and PDOK write it), or else from the file name
 * (buurten_2014.geojson).
 */
function namesFrom(path: string | undefined): Map<string, { name: string; year: number | null }> {
  const names = new Map<string, { name: string; year: number | null }>();
  if (!path) return names;
  const fileYear = /(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)/.exec(path.split('/').pop() ?? '')?.[1];
  if (!existsSync(path)) throw new AreaFileError(`the area file ${path} does not exist`);
  const fc = JSON.parse(readFileSync(path, 'utf8')) as { features?: Array<{ properties?: FeatureProps }> };
  if (!Array.isArray(fc.features)) throw new AreaFileError(`${path} is not a GeoJSON FeatureCollection`);
  for (const f of fc.features) {
    const code = f.properties?.statcode ?? f.properties?.code;
    if (!code) throw new AreaFileError(`${path}: a feature has no statcode`);
    const year = f.properties?.jrstatcode?.slice(0, 4) ?? fileYear;
    names.set(code, {
      name: f.properties?.statnaam ?? f.properties?.name ?? code,
      year: year ? Number(year) : null,
    });
  }
  return names;
}

/** Wijk names like "Wijk 01 Stad binnen de Linie-Oost" lose their CBS prefix. */
function wijkName(name: string): string {
  return name.replace(/^Wijk \d+\s+/, '');
}

export function loadAreaModel(project: Project): AreaModel {
  const gm = project.municipality.code;
  const buurtNames = namesFrom(project.areas.buurten);
  const wijkNames = namesFrom(project.areas.wijken);
  const areas: Area[] = [
    { code: gm, name: project.municipality.name, level: 'gemeente', parent: null, year: null },
  ];
  const wijken = new Set<string>([...wijkNames.keys()].filter((c) => c.startsWith(`WK${gm.slice(2)}`)));
  const buurten = [...buurtNames.keys()].filter((c) => c.startsWith(`BU${gm.slice(2)}`)).sort();
  for (const b of buurten) wijken.add(`WK${b.slice(2, 8)}`);
  for (const w of [...wijken].sort())
    areas.push({
      code: w,
      name: wijkName(wijkNames.get(w)?.name ?? w),
      level: 'wijk',
      parent: gm,
      year: wijkNames.get(w)?.year ?? null,
    });
  for (const b of buurten)
    areas.push({
      code: b,
      name: buurtNames.get(b)?.name ?? b,
      level: 'buurt',
      parent: `WK${b.slice(2, 8)}`,
      year: buurtNames.get(b)?.year ?? null,
    });
  const members = new Map<string, string[]>();
  members.set(gm, buurten);
  for (const w of wijken)
    members.set(
      w,
      buurten.filter((b) => b.startsWith(`BU${w.slice(2)}`)),
    );
  for (const b of buurten) members.set(b, [b]);
  for (const c of project.areas.custom) {
    const unknown = c.buurten.filter((b) => !buurten.includes(b));
    if (unknown.length > 0)
      throw new AreaFileError(
        `custom area ${c.code} names buurten that are not in the area file: ${unknown.join(', ')}`,
      );
    areas.push({ code: c.code, name: c.name, level: 'custom', parent: null, year: null });
    members.set(c.code, [...c.buurten].sort());
  }
  const changes = new Map(project.areas.changes.map((c) => [c.from, c.to]));
  const recode = (code: string): string => {
    let c = code;
    for (let i = 0; i < 10 && changes.has(c); i++) c = changes.get(c) as string;
    return c;
  };
  return { areas, byCode: new Map(areas.map((a) => [a.code, a])), members, recode };
}
