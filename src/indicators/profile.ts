import type { Engine } from '../engine/engine.js';
import type { ExportTable } from '../export/table.js';
import { loadAreaModel, type Area } from '../geo/area-model.js';
import type { IndicatorDef, Project } from '../project/types.js';
import { compare, similarAreas, ValueIndex, type Comparison } from './compare.js';
import { readCbsFigures, readValues, roundValue, type Zone } from './read.js';

export type Lang = 'nl' | 'en';

/** The wijkprofiel: every indicator for one area, physical and social together, with its comparisons. */
export interface AreaProfile {
  area: Area;
  /** the year shown; each indicator shows its last period in that year */
  year: string;
  zone: Zone;
  rows: Array<{ indicator: IndicatorDef; comparison: Comparison }>;
  similar: Array<{ area: Area; distance: number }>;
}

export class ProfileError extends Error {}

export async function areaProfile(
  engine: Engine,
  project: Project,
  code: string,
  o: { zone: Zone; year?: string; indicators?: IndicatorDef[] },
): Promise<AreaProfile> {
  const areas = loadAreaModel(project);
  const area = areas.byCode.get(code);
  if (!area) {
    const sample = areas.areas.slice(0, 4).map((a) => a.code);
    throw new ProfileError(
      `no area "${code}"; areas are CBS codes (${sample.join(', ')}, …) or custom area codes`,
    );
  }
  if (o.zone === 'public' && area.level === 'custom')
    throw new ProfileError(`custom area ${code} is not published (it overlaps the wijken and buurten)`);
  const indicators = o.indicators ?? project.indicators;
  const index = new ValueIndex(await readValues(engine, indicators, o.zone));
  const years = [
    ...new Set(indicators.flatMap((i) => index.periods(i.name).map((p) => p.slice(0, 4)))),
  ].sort();
  const year = o.year ?? years[years.length - 1];
  if (!year) throw new ProfileError('no indicator values in this version: build the project first');
  if (!years.includes(year)) throw new ProfileError(`no values for ${year}; years: ${years.join(', ')}`);
  const rows: AreaProfile['rows'] = [];
  const ordered = [...indicators].sort(
    (a, b) =>
      a.domain.localeCompare(b.domain) || a.theme.localeCompare(b.theme) || a.name.localeCompare(b.name),
  );
  // each indicator at its last period in the year (a year, or its last quarter or month)
  const lastOf = (ind: IndicatorDef): string | undefined =>
    index
      .periods(ind.name)
      .filter((p) => p.startsWith(year))
      .pop();
  for (const ind of ordered) {
    const period = lastOf(ind);
    if (!period) continue;
    const cbs = ind.cbs ? await readCbsFigures(engine, ind) : undefined;
    rows.push({
      indicator: ind,
      comparison: compare(ind, index, area, period, project.municipality.code, cbs),
    });
  }
  const context = project.indicatorSettings.similarity
    .map((id) => indicators.find((i) => i.name === id))
    .filter((i): i is IndicatorDef => i !== undefined);
  const period = context.map(lastOf).find((p) => p !== undefined);
  const similar =
    area.level === 'gemeente' || !period
      ? []
      : similarAreas(context, index, area, period).map((s) => ({
          area: areas.byCode.get(s.area) as Area,
          distance: Number(s.distance.toFixed(3)),
        }));
  return { area, year, zone: o.zone, rows, similar };
}

const TEXT = {
  nl: {
    columns: [
      'domein',
      'thema',
      'indicator',
      'periode',
      'waarde',
      'eenheid',
      'gemeente',
      'verschil',
      'vorige',
      'ontwikkeling',
      'doel',
      'doel gehaald',
      'rang',
      'CBS',
    ],
    status: { missing: 'ontbreekt', not_applicable: 'n.v.t.', suppressed: 'geheim', ok: '' },
    trend: { better: 'beter', worse: 'slechter', same: 'gelijk', changed: 'veranderd' },
    yes: 'ja',
    no: 'nee',
    domain: { fysiek: 'fysiek', sociaal: 'sociaal' },
    similar: 'Vergelijkbare gebieden',
    source: 'Bron: Datapakhuis; CBS-cijfers: Bron: CBS',
  },
  en: {
    columns: [
      'domain',
      'theme',
      'indicator',
      'period',
      'value',
      'unit',
      'municipality',
      'difference',
      'previous',
      'trend',
      'target',
      'target met',
      'rank',
      'CBS',
    ],
    status: { missing: 'missing', not_applicable: 'n/a', suppressed: 'suppressed', ok: '' },
    trend: { better: 'better', worse: 'worse', same: 'same', changed: 'changed' },
    yes: 'yes',
    no: 'no',
    domain: { fysiek: 'physical', sociaal: 'social' },
    similar: 'Similar areas',
    source: 'Source: Datapakhuis; CBS figures: Source: CBS (Statistics Netherlands)',
  },
} as const;

/** The profile as a table: numbers stay numbers (rounded to the indicator's decimals); a missing or hidden value says why. */
export function profileTable(p: AreaProfile, lang: Lang): ExportTable {
  const t = TEXT[lang];
  return {
    name: `${p.area.code} ${p.year}`,
    columns: [...t.columns],
    rows: p.rows.map(({ indicator: i, comparison: c }) => [
      t.domain[i.domain],
      i.theme,
      lang === 'en' ? (i.labelEn ?? i.label) : i.label,
      c.period,
      c.value === null ? t.status[c.status] : (roundValue(c.value, i.decimals) as number),
      i.unit,
      roundValue(c.municipality, i.decimals),
      roundValue(c.difference, i.decimals),
      roundValue(c.previous?.value ?? null, i.decimals),
      c.trend ? t.trend[c.trend] : null,
      c.target?.value ?? null,
      c.target?.met === null || c.target === null ? null : c.target.met ? t.yes : t.no,
      c.rank === null ? null : `${c.rank}/${c.of}`,
      roundValue(c.cbs?.value ?? null, i.decimals),
    ]),
  };
}

/** A readable text rendering for the terminal. */
export function renderProfile(p: AreaProfile, lang: Lang): string {
  const t = TEXT[lang];
  const table = profileTable(p, lang);
  const fmt = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 2 });
  const cells = table.rows.map((r) =>
    r.map((v) => (v === null ? '' : typeof v === 'number' ? fmt.format(v) : v)),
  );
  const widths = table.columns.map((c, i) =>
    Math.max(c.length, ...cells.map((r) => (r[i] as string).length)),
  );
  const line = (r: string[]): string =>
    r
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const zone =
    p.zone === 'public'
      ? lang === 'nl'
        ? 'openbare cijfers'
        : 'published figures'
      : lang === 'nl'
        ? 'intern'
        : 'internal';
  return [
    `${p.area.name} (${p.area.code}, ${p.area.level}) — ${p.year} — ${zone}`,
    '',
    line(table.columns),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map(line),
    '',
    ...(p.similar.length > 0
      ? [`${t.similar}: ${p.similar.map((s) => `${s.area.name} (${s.area.code}, ${s.distance})`).join('; ')}`]
      : []),
    t.source,
  ].join('\n');
}
