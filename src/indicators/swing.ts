import type { Engine } from '../engine/engine.js';
import type { ExportTable } from '../export/table.js';
import { loadAreaModel } from '../geo/area-model.js';
import type { Project } from '../project/types.js';
import { readValues, roundValue } from './read.js';

/**
 * Codes written where Swing expects a number but there is none. Swing installations configure
 * their own codes for missing values; these defaults follow the CBS convention of large negative
 * sentinels and can be overridden per export (`--missing-codes`). Never a 0.
 */
export const SWING_MISSING_CODES = { missing: -99999999, suppressed: -99999998, not_applicable: -99999997 };
export type SwingCodes = typeof SWING_MISSING_CODES;

/** Swing's rule for indicator codes: a–z, 0–9 and underscore, at most 50 characters. */
const SWING_CODE = /^[a-z0-9_]{1,50}$/;

export class SwingExportError extends Error {}

/**
 * Swing import format 1: one row per period × geographic level × area (PERIOD, GEOLEVEL, GEOITEM),
 * one column per indicator code; and a metadata sheet describing each indicator. Only published,
 * disclosure-controlled values leave: the export reads `public.<id>`, never the restricted values.
 */
export async function swingExport(
  engine: Engine,
  project: Project,
  codes: SwingCodes = SWING_MISSING_CODES,
): Promise<{ data: ExportTable; metadata: ExportTable }> {
  const indicators = [...project.indicators].sort((a, b) => a.name.localeCompare(b.name));
  const bad = indicators.filter((i) => !SWING_CODE.test(i.name));
  if (bad.length > 0)
    throw new SwingExportError(
      `indicator id${bad.length > 1 ? 's' : ''} ${bad.map((i) => i.name).join(', ')} ${bad.length > 1 ? 'are' : 'is'} longer than Swing's 50 characters`,
    );
  const values = await readValues(engine, indicators, 'public');
  const byKey = new Map(values.map((v) => [`${v.indicator}\u0000${v.area}\u0000${v.period}`, v]));
  const periods = [...new Set(values.map((v) => v.period))].sort();
  const areas = loadAreaModel(project).areas.filter((a) => a.level !== 'custom');
  const decimals = new Map(indicators.map((i) => [i.name, i.decimals]));
  const rows: ExportTable['rows'] = [];
  for (const period of periods) {
    for (const area of areas) {
      const cells = indicators.map((i) => {
        const v = byKey.get(`${i.name}\u0000${area.code}\u0000${period}`);
        if (!v) return codes.missing;
        if (v.status === 'suppressed') return codes.suppressed;
        if (v.status !== 'ok' || v.value === null)
          return codes[v.status === 'not_applicable' ? 'not_applicable' : 'missing'];
        return roundValue(v.value, decimals.get(i.name) ?? 0);
      });
      rows.push([period, area.level, area.code, ...cells]);
    }
  }
  return {
    data: {
      name: 'Data',
      columns: ['PERIOD', 'GEOLEVEL', 'GEOITEM', ...indicators.map((i) => i.name)],
      rows,
    },
    metadata: {
      name: 'Metadata',
      columns: [
        'Code',
        'Naam',
        'Name (en)',
        'Omschrijving',
        'Eenheid',
        'Decimalen',
        'Thema',
        'Domein',
        'Eigenaar',
        'Type',
        'Polariteit',
        'Doel',
        'Voorlopig',
        'Bron',
      ],
      rows: [
        ...indicators.map((i) => [
          i.name,
          i.label,
          i.labelEn ?? null,
          i.description,
          i.unit,
          i.decimals,
          i.theme,
          i.domain,
          i.owner,
          i.type,
          i.polarity,
          i.target?.value ?? null,
          i.provisional ? 'ja' : 'nee',
          `Gemeente ${project.municipality.name} (Datapakhuis)${i.cbs ? '; Bron: CBS' : ''}`,
        ]),
        [],
        [
          'Ontbrekende waarden',
          `ontbreekt: ${codes.missing}`,
          `geheim (onthullingsrisico): ${codes.suppressed}`,
          `niet van toepassing: ${codes.not_applicable}`,
        ],
      ],
    },
  };
}
