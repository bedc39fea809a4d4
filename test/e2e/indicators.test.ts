import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCurrent } from '../../src/build/current.js';
import { runCheck } from '../../src/cli/commands/check.js';
import { setupDemoProject } from '../../src/cli/commands/demo.js';
import { readCbsFigures } from '../../src/indicators/read.js';
import { upstreamSources } from '../../src/privacy/authorise.js';
import type { Project } from '../../src/project/types.js';
import { verifyPublished } from '../../src/publish/publish.js';
import { synthesize } from '../../src/synth/index.js';
import { build, mustLoad, query, tempDir } from '../helpers/project.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/den-helder', import.meta.url));
const YEARS = ['2019', '2020', '2021', '2022', '2023', '2024'];

interface Population {
  total_persons: number;
  age_groups: Record<string, number>;
  wijken: Array<{
    code: string;
    persons: number;
    cbs_2024_aantal_inwoners: number;
    households: number;
    dwellings: number;
    vacant_dwellings: number;
    women: number;
    age_groups: Record<string, number>;
  }>;
  gemeente: { code: string; cbs_2024_aantal_inwoners: number };
}
interface PolicyEffect {
  buurten: Array<{ code: string }>;
  by_year: Array<{ year: number; treated_realised: number; control_realised: number }>;
}
interface Defect {
  file: string;
  column: string;
  defect: string;
  count: number;
  rows: number[];
}
type Value = {
  indicator: string;
  area_code: string;
  area_level: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  units: number;
  status: string;
};

describe('the kadernota indicator set of the demo, against the synthetic truth', () => {
  const dir = tempDir('pakhuis-indicators-');
  let project: Project;
  let values: Value[];
  let truth: { population: Population; policy: PolicyEffect; defects: Defect[] };
  const get = (indicator: string, area: string, period: string): Value => {
    const v = values.find((x) => x.indicator === indicator && x.area_code === area && x.period === period);
    if (!v) throw new Error(`no value for ${indicator} ${area} ${period}`);
    return v;
  };
  const level = (indicator: string, areaLevel: string, period: string): Value[] =>
    values.filter((x) => x.indicator === indicator && x.area_level === areaLevel && x.period === period);

  beforeAll(async () => {
    setupDemoProject(dir);
    // setupDemoProject copies pakhuis.yaml, sources, models and publications, not (yet) the indicators
    cpSync(join(EXAMPLE, 'indicators'), join(dir, 'indicators'), { recursive: true });
    await synthesize({ persons: 3000, seed: 42, outDir: join(dir, 'data') });
    const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, 'data/truth', name), 'utf8')) as T;
    truth = {
      population: read<Population>('population.json'),
      policy: read<PolicyEffect>('policy_effect.json'),
      defects: read<{ defects: Defect[] }>('quality_defects.json').defects,
    };
    const summary = await build(dir);
    expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
    project = mustLoad(dir);
    values = await query<Value>(
      dir,
      'select indicator, area_code, area_level, period, value, numerator, denominator, units, status from indicators.indicator_values',
    );
  }, 180_000);

  it('pakhuis check passes, and the set holds ≥ 30 indicators of both domains, ≥ 5 with a target', async () => {
    for (const folder of [EXAMPLE, dir]) {
      const out = JSON.parse(await runCheck(folder, true)) as { ok: boolean; errors: unknown[] };
      expect(out).toEqual({ ok: true, errors: [] });
    }
    const inds = project.indicators;
    expect(inds.length).toBeGreaterThanOrEqual(30);
    expect(inds.filter((i) => i.target).length).toBeGreaterThanOrEqual(5);
    expect(new Set(inds.map((i) => i.domain))).toEqual(new Set(['fysiek', 'sociaal']));
    for (const i of inds) {
      expect(i.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(i.labelEn, i.name).toBeTruthy();
      // the owner is the team of a source the indicator counts
      expect(
        upstreamSources(project, i.numerator.model).map((s) => s.owner),
        i.name,
      ).toContain(i.owner);
    }
    expect(inds.find((i) => i.name === 'bev_inwoners')?.cbs).toEqual({
      source: 'cbs_kerncijfers_wijken',
      code: 'code',
      value: 'aantal_inwoners',
      period: '2024',
    });
  });

  it('counts the inhabitants of every wijk and of the gemeente in 2024 as the truth does, next to CBS', async () => {
    const { population } = truth;
    const wijken = level('bev_inwoners', 'wijk', '2024');
    expect(
      wijken
        .map((v) => ({ code: v.area_code, persons: v.value, status: v.status }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    ).toEqual(population.wijken.map((w) => ({ code: w.code, persons: w.persons, status: 'ok' })));
    expect(get('bev_inwoners', 'GM0400', '2024')).toMatchObject({
      value: population.total_persons,
      status: 'ok',
    });
    // the CBS figure the indicator is compared with: the real 2024 count, per wijk and gemeente
    const ind = project.indicators.find((i) => i.name === 'bev_inwoners');
    const { engine } = await openCurrent(project);
    try {
      const cbs = await readCbsFigures(engine, ind as NonNullable<typeof ind>);
      expect(cbs.get('GM0400')).toBe(population.gemeente.cbs_2024_aantal_inwoners);
      for (const w of population.wijken) expect(cbs.get(w.code)).toBe(w.cbs_2024_aantal_inwoners);
    } finally {
      await engine.close();
    }
  });

  it('counts households, dwellings, vacant dwellings, women and persons aged 65+ per wijk as the truth does', () => {
    // three birth dates are planted unreadable: they land empty, so those persons have no age
    const unreadable = truth.defects
      .filter((d) => d.file === 'brp/personen.csv' && d.defect === 'unparseable_date')
      .reduce((s, d) => s + d.count, 0);
    let missedAges = 0;
    for (const w of truth.population.wijken) {
      expect(get('bev_huishoudens', w.code, '2024').value, w.code).toBe(w.households);
      expect(get('fys_woningvoorraad', w.code, '2024').value, w.code).toBe(w.dwellings);
      expect(get('fys_woningen_zonder_bewoners', w.code, '2024')).toMatchObject({
        numerator: w.vacant_dwellings,
        denominator: w.dwellings,
      });
      expect(get('bev_vrouwen', w.code, '2024').numerator, w.code).toBe(w.women);
      const old = get('bev_65_plus', w.code, '2024').numerator as number;
      const planted = w.age_groups['65+'] as number;
      expect(planted - old, w.code).toBeGreaterThanOrEqual(0);
      missedAges += planted - old;
    }
    expect(missedAges).toBeLessThanOrEqual(unreadable);
  });

  it('a ratio or share at wijk level is Σ numerator / Σ denominator of its buurten, not the mean of their ratios', () => {
    const ids = [
      'soc_bijstand_per_1000',
      'soc_vroegsignalen_per_1000_huishoudens',
      'vei_incidenten_per_1000',
      'bev_eenpersoonshuishoudens',
      'fys_woningen_aardgasvrij',
    ];
    let differsFromMean = 0;
    for (const id of ids) {
      const ind = project.indicators.find((i) => i.name === id);
      const scale = ind?.scale as number;
      for (const wijk of level(id, 'wijk', '2024')) {
        const buurten = level(id, 'buurt', '2024').filter((b) =>
          b.area_code.startsWith(`BU${wijk.area_code.slice(2)}`),
        );
        const num = buurten.reduce((s, b) => s + (b.numerator ?? 0), 0);
        const den = buurten.reduce((s, b) => s + (b.denominator ?? 0), 0);
        expect(wijk.numerator, `${id} ${wijk.area_code}`).toBe(num);
        expect(wijk.denominator, `${id} ${wijk.area_code}`).toBe(den);
        if (den === 0) {
          expect(wijk).toMatchObject({ value: null, status: 'not_applicable' });
          continue;
        }
        expect(wijk.value, `${id} ${wijk.area_code}`).toBeCloseTo((scale * num) / den, 9);
        const ratios = buurten.filter((b) => b.value !== null).map((b) => b.value as number);
        const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
        if (Math.abs(mean - (wijk.value as number)) > 1e-6) differsFromMean++;
      }
    }
    // the unweighted mean of buurt ratios is a different (wrong) number for most wijken
    expect(differsFromMean).toBeGreaterThan(10);
  });

  it('a stock is the state on 31 December, a flow the events within the year (and a rate is flow over stock)', async () => {
    const years = `(select cast(y as varchar) as period, make_date(y, 1, 1) as s, make_date(y, 12, 31) as e from range(2019, 2025) t(y))`;
    const inArea = `in (select area_code from indicators.indicator_values where area_level = 'buurt')`;
    const recount = async (sql: string): Promise<Map<string, number>> =>
      new Map(
        (await query<{ period: string; n: number }>(dir, sql)).map((r) => [r.period, Number(r.n)] as const),
      );
    const inhabitants = await recount(
      `select p.period, count(*) as n from models.personen_historie m join ${years} p
         on m.datum_vestiging <= p.e and (m.datum_vertrek is null or m.datum_vertrek > p.e)
       where m.buurtcode ${inArea} group by p.period`,
    );
    const incidents = await recount(
      `select p.period, count(*) as n from models.incidenten_buurt m join ${years} p on m.datum between p.s and p.e
       where m.buurtcode ${inArea} group by p.period`,
    );
    const benefits = await recount(
      `select p.period, count(*) as n from models.bijstand_uitkeringen m join ${years} p
         on m.datum_van <= p.e and (m.datum_tot is null or m.datum_tot > p.e)
       where m.buurtcode ${inArea} group by p.period`,
    );
    const inflow = await recount(
      `select p.period, count(*) as n from models.bijstand_uitkeringen m join ${years} p
         on m.datum_instroom between p.s and p.e
       where m.buurtcode ${inArea} group by p.period`,
    );
    for (const y of YEARS) {
      expect(get('bev_inwoners', 'GM0400', y).value, y).toBe(inhabitants.get(y));
      expect(get('vei_incidenten', 'GM0400', y).value, y).toBe(incidents.get(y));
      expect(get('soc_bijstand_uitkeringen', 'GM0400', y).value, y).toBe(benefits.get(y));
      expect(get('soc_bijstand_instroom', 'GM0400', y).value ?? 0, y).toBe(inflow.get(y) ?? 0);
      // incidents in the year per 1,000 inhabitants at its end
      const rate = get('vei_incidenten_per_1000', 'GM0400', y);
      expect(rate).toMatchObject({ numerator: incidents.get(y), denominator: inhabitants.get(y) });
      expect(rate.value).toBeCloseTo(
        (1000 * (incidents.get(y) as number)) / (inhabitants.get(y) as number),
        9,
      );
    }
    // the stock is not the sum of the year's flows: benefits run on, and most started before 2024
    expect(benefits.get('2024')).toBeGreaterThan(inflow.get('2024') ?? 0);
  });

  it('shows the planted policy effect: arrears signals per year in the outreach buurten and elsewhere', () => {
    const treated = new Set(truth.policy.buurten.map((b) => b.code));
    // a signal whose BSN was planted invalid links to nobody in the BRP, so it counts in no area
    const invalid = truth.defects.find(
      (d) => d.file === 'sociaal/vroegsignalen.ndjson' && d.defect === 'invalid_bsn',
    );
    const lines = readFileSync(join(dir, 'data/sociaal/vroegsignalen.ndjson'), 'utf8').split('\n');
    const lost = new Map<string, number>();
    for (const row of invalid?.rows ?? []) {
      const year = (JSON.parse(lines[row - 1] as string) as { signaaldatum: string }).signaaldatum.slice(
        0,
        4,
      );
      lost.set(year, (lost.get(year) ?? 0) + 1);
    }
    for (const y of truth.policy.by_year) {
      const period = String(y.year);
      const buurten = level('soc_vroegsignalen', 'buurt', period);
      const inTreated = buurten
        .filter((b) => treated.has(b.area_code))
        .reduce((s, b) => s + (b.value ?? 0), 0);
      const total = get('soc_vroegsignalen', 'GM0400', period).value as number;
      const lostHere = lost.get(period) ?? 0;
      expect(total, period).toBe(y.treated_realised + y.control_realised - lostHere);
      expect(y.treated_realised - inTreated, period).toBeGreaterThanOrEqual(0);
      expect(y.treated_realised - inTreated, period).toBeLessThanOrEqual(lostHere);
      expect(y.control_realised - (total - inTreated), period).toBeGreaterThanOrEqual(0);
    }
  });

  it('missing and not-applicable values are null, never 0; a 0 is a real zero', () => {
    const statuses = new Set(values.map((v) => v.status));
    expect([...statuses].filter((s) => !['ok', 'missing', 'not_applicable'].includes(s))).toEqual([]);
    expect(statuses.has('not_applicable')).toBe(true);
    for (const v of values) {
      if (v.status !== 'ok')
        expect(v, `${v.indicator} ${v.area_code} ${v.period}`).toMatchObject({ value: null });
      else expect(v.value, `${v.indicator} ${v.area_code} ${v.period}`).not.toBeNull();
    }
    const ratios = new Set(
      project.indicators.filter((i) => i.type === 'ratio' || i.type === 'share').map((i) => i.name),
    );
    for (const v of values.filter((x) => ratios.has(x.indicator)))
      expect(v.status === 'ok', `${v.indicator} ${v.area_code} ${v.period}`).toBe((v.denominator ?? 0) > 0);
    // a buurt without inhabitants has no rate, not a rate of 0
    const empty = values.filter(
      (v) => v.indicator === 'vei_incidenten_per_1000' && v.area_level === 'buurt' && v.denominator === 0,
    );
    expect(empty.length).toBeGreaterThan(0);
    for (const v of empty) expect(v).toMatchObject({ value: null, status: 'not_applicable' });
    // business indicators are placed per wijk (PC4): no buurt values at all (absent, not 0 or missing)
    for (const id of ['eco_vestigingen_per_1000', 'eco_starters_per_100_vestigingen']) {
      expect(values.filter((v) => v.indicator === id && v.area_level === 'buurt')).toEqual([]);
      expect(
        values.filter((v) => v.indicator === id && v.area_level === 'wijk' && v.period === '2024'),
      ).toHaveLength(8);
      expect(get(id, 'GM0400', '2024').status).toBe('ok');
    }
    // a buurt with inhabitants and no burglary in 2024: a real zero
    const none = level('vei_woninginbraak_per_1000', 'buurt', '2024').filter((v) => v.numerator === 0);
    expect(none.filter((v) => (v.denominator ?? 0) > 0).length).toBeGreaterThan(0);
    for (const v of none.filter((x) => (x.denominator ?? 0) > 0))
      expect(v).toMatchObject({ value: 0, status: 'ok' });
  });

  it('every indicator has an ok value for 2024 at gemeente level', () => {
    for (const i of project.indicators) {
      const v = get(i.name, 'GM0400', '2024');
      expect({ id: i.name, status: v.status, isNumber: typeof v.value === 'number' }).toEqual({
        id: i.name,
        status: 'ok',
        isNumber: true,
      });
    }
  });

  it('publishes every indicator disclosure-controlled: small counts suppressed, never a number, and the auditor finds nothing', async () => {
    type Cell = {
      area_code: string;
      area_level: string;
      period: string;
      status: string;
      value: number | null;
    };
    const publicOf = (id: string): Promise<Cell[]> =>
      query<Cell>(dir, `select area_code, area_level, period, status, value from public.${id}`);
    for (const i of project.indicators) {
      const cells = await publicOf(i.name);
      expect(cells.length, i.name).toBeGreaterThan(0);
      for (const c of cells)
        if (c.status !== 'published') expect(c.value, `${i.name} ${c.area_code}`).toBeNull();
    }
    // few burglaries per buurt: hidden (x), not published as a number
    const burglaries = await publicOf('vei_woninginbraak_per_1000');
    const hidden = burglaries.filter((c) => c.status === 'suppressed');
    expect(hidden.filter((c) => c.period === '2024' && c.area_level === 'buurt').length).toBeGreaterThan(0);
    for (const c of hidden) expect(c.value).toBeNull();
    // a published cell is the restricted value
    for (const c of burglaries.filter((x) => x.status === 'published'))
      expect(c.value).toBeCloseTo(
        get('vei_woninginbraak_per_1000', c.area_code, c.period).value as number,
        9,
      );
    const { engine } = await openCurrent(project);
    try {
      const audit = await verifyPublished(engine);
      expect(audit.map((a) => a.table)).toEqual(
        expect.arrayContaining(project.indicators.map((i) => i.name)),
      );
      expect(audit.filter((a) => a.findings.length > 0)).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
