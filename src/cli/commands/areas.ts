import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { areasToFeatureCollection, fetchAreas, wijkenEnBuurtenUrl } from '../../pdok/areas.js';
import { PdokError } from '../../pdok/features.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';

/**
 * `pakhuis areas fetch`: the municipality's wijken and buurten of one year from PDOK (CBS wijk- en
 * buurtkaart, OGC API Features) into two GeoJSON files the project can name under `areas:`.
 */
export async function runAreasFetch(
  project: Project,
  o: { year: number; out: string; baseUrl?: string },
): Promise<string> {
  const out = isAbsolute(o.out) ? o.out : join(project.root, o.out);
  let areas;
  try {
    areas = await fetchAreas({
      year: o.year,
      gemeente: project.municipality.code,
      ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    });
  } catch (e) {
    if (e instanceof PdokError) throw new CliError(`${e.message}\n  fix: ${e.fix}`, EXIT.failure);
    throw e;
  }
  const files: string[] = [];
  for (const level of ['wijk', 'buurt'] as const) {
    const path = join(out, `${level === 'wijk' ? 'wijken' : 'buurten'}_${o.year}.geojson`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(areasToFeatureCollection(areas.filter((a) => a.level === level))));
    files.push(relative(project.root, path));
  }
  const n = (level: string): number => areas.filter((a) => a.level === level).length;
  return [
    `${n('wijk')} wijken and ${n('buurt')} buurten of ${project.municipality.code} (${o.year}) from ${o.baseUrl ?? wijkenEnBuurtenUrl(o.year)} (Bron: CBS/PDOK, CC BY 4.0):`,
    ...files.map((f) => `  ${f}`),
    `Use them in pakhuis.yaml: areas: { buurten: ${files[1] ?? ''}, wijken: ${files[0] ?? ''} }`,
  ].join('\n');
}
