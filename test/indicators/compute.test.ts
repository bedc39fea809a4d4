import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openCurrent } from '../../src/build/current.js';
import { toCsv } from '../../src/export/table.js';
import { periodsFor } from '../../src/indicators/compute.js';
import { areaProfile } from '../../src/indicators/profile.js';
import { swingExport } from '../../src/indicators/swing.js';
import { runSwingExport } from '../../src/cli/commands/profile.js';
import { build, mustLoad, query, writeProject } from '../helpers/project.js';
import { indicatorYaml, testMunicipality } from '../helpers/municipality.js';

/** Four buurten in two wijken of a made-up municipality GM9999 (the geometry is irrelevant here). */

// persons: id, buurt, in, out, income, flag
const PERSONS = `id,buurtcode,ingeschreven,uitgeschreven,inkomen,uitkering
1,BU99990101,2020-01-01,,10,1
2,BU99990101,2020-06-01,2021-03-01,20,0
3,BU99990102,2019-05-01,,30,0
4,BU99990201,2021-01-01,,40,1
5,BU99990201,2021-01-01,,50,1
6,BU99990202,2018-01-01,2020-12-31,60,0
`;

describe('indicators: aggregation across levels and periods, computed by hand', () => {
  let dir: string;
  type V = { indicator: string; area_code: string; period: string; value: number | null; status: string };
  let values: V[];
  const get = (ind: string, area: string, period: string): V | undefined =>
    values.find((v) => v.indicator === ind && v.area_code === area && v.period === period);

  beforeAll(async () => {
    dir = writeProject({
      ...testMunicipality(PERSONS),
      'models/inwoners.sql': "select * from ref('personen')",
      'models/gebeurtenissen.sql': "select * from ref('events')",
      // stock: persons registered on 31 December of each year
      'indicators/aantal_inwoners.yaml': indicatorYaml(`type: count
model: inwoners
period: { kind: stock, from: ingeschreven, to: uitgeschreven, first: 2019-01-01 }
k: 2
`),
      // flow: events within each year
      'indicators/meldingen.yaml': indicatorYaml(`type: count
model: gebeurtenissen
period: { kind: flow, date: datum, first: 2019-01-01 }
`),
      'indicators/gemiddeld_inkomen.yaml': indicatorYaml(`type: mean
model: inwoners
value: inkomen
period: { kind: stock, from: ingeschreven, to: uitgeschreven, first: 2019-01-01 }
`),
      'indicators/aandeel_uitkering.yaml': indicatorYaml(`type: share
model: inwoners
numerator: { filter: uitkering = 1 }
polarity: lower_is_better
target: { value: 60 }
period: { kind: stock, from: ingeschreven, to: uitgeschreven, first: 2019-01-01 }
`),
      'models/personen_per_wijk.sql':
        "select 'WK' || substr(buurtcode, 3, 6) as wijkcode, * from ref('personen')",
      'indicators/inwoners_wijkniveau.yaml': indicatorYaml(`type: count
model: personen_per_wijk
area: wijkcode
period: { kind: stock, from: ingeschreven, to: uitgeschreven, first: 2019-01-01 }
`),
      'indicators/late_meldingen_per_1000.yaml': indicatorYaml(`type: ratio
numerator: { model: gebeurtenissen, filter: "datum >= DATE '2021-12-01'" }
denominator: { model: inwoners, period: { kind: stock, from: ingeschreven, to: uitgeschreven } }
scale: 1000
period: { kind: flow, date: datum, first: 2019-01-01 }
`),
      'indicators/meldingen_per_1000.yaml': indicatorYaml(`type: ratio
numerator: { model: gebeurtenissen }
denominator: { model: inwoners, period: { kind: stock, from: ingeschreven, to: uitgeschreven } }
scale: 1000
period: { kind: flow, date: datum, first: 2019-01-01 }
`),
    });
    const summary = await build(dir);
    expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
    values = await query<V>(
      dir,
      'select indicator, area_code, period, value, status from indicators.indicator_values order by 1, 2, 3',
    );
  }, 60_000);

  it('periods run from the first to the one holding the reference date', () => {
    expect(periodsFor('year', '2019-01-01', '2022-12-31').map((p) => p.label)).toEqual([
      '2019',
      '2020',
      '2021',
      '2022',
    ]);
    expect(periodsFor('quarter', '2024-02-10', '2024-12-31')).toEqual([
      { label: '2024-Q1', start: '2024-01-01', end: '2024-03-31' },
      { label: '2024-Q2', start: '2024-04-01', end: '2024-06-30' },
      { label: '2024-Q3', start: '2024-07-01', end: '2024-09-30' },
      { label: '2024-Q4', start: '2024-10-01', end: '2024-12-31' },
    ]);
    expect(periodsFor('month', '2024-11-15', '2024-12-31').map((p) => p.label)).toEqual([
      '2024-11',
      '2024-12',
    ]);
  });

  it('a stock is the state at the end of each period', () => {
    // 31-12-2019: persons 3 (BU0102) and 6 (BU0202); 2020: 1, 2, 3 (6 left on 31-12-2020: to is exclusive)
    expect(get('aantal_inwoners', 'GM9999', '2019')?.value).toBe(2);
    expect(get('aantal_inwoners', 'GM9999', '2020')?.value).toBe(3);
    expect(get('aantal_inwoners', 'BU99990202', '2020')?.value).toBe(0); // a real zero, not missing
    expect(get('aantal_inwoners', 'GM9999', '2021')?.value).toBe(4); // 1, 3, 4, 5
    expect(get('aantal_inwoners', 'WK999901', '2021')?.value).toBe(2);
    expect(get('aantal_inwoners', 'WK999902', '2021')?.value).toBe(2);
    expect(get('aantal_inwoners', 'FOCUS', '2021')?.value).toBe(3); // 3, 4, 5
  });

  it('a flow counts the events within each period; a period without any data is missing, not zero', () => {
    expect(get('meldingen', 'GM9999', '2019')).toMatchObject({ value: null, status: 'missing' });
    expect(get('meldingen', 'GM9999', '2020')?.value).toBe(2);
    expect(get('meldingen', 'GM9999', '2021')?.value).toBe(3);
    expect(get('meldingen', 'WK999902', '2021')?.value).toBe(1);
    expect(get('meldingen', 'GM9999', '2022')?.value).toBe(1);
  });

  it('a mean at wijk level is Σ value / Σ units of its rows, not the mean of buurt means', () => {
    // 2021: BU0101 {10} mean 10; BU0102 {30} mean 30 → WK01 = 40/2 = 20
    // WK02: BU0201 {40, 50} → 45; gemeente: (10+30+40+50)/4 = 32.5 (mean of wijk means would be 32.5 too,
    // so also check 2020: BU0101 {10,20}, BU0102 {30} → WK01 = 60/3 = 20, not (15+30)/2 = 22.5)
    expect(get('gemiddeld_inkomen', 'WK999901', '2021')?.value).toBe(20);
    expect(get('gemiddeld_inkomen', 'WK999901', '2020')?.value).toBe(20);
    expect(get('gemiddeld_inkomen', 'GM9999', '2021')?.value).toBe(32.5);
    expect(get('gemiddeld_inkomen', 'BU99990202', '2021')).toMatchObject({
      value: null,
      status: 'not_applicable',
    });
  });

  it('a share and a ratio are Σ numerator / Σ denominator at every level', () => {
    // 2021: uitkering among {1, 3, 4, 5} = {1, 4, 5} → 75 %; WK01 {1, 3} → 50 %; WK02 {4, 5} → 100 %
    expect(get('aandeel_uitkering', 'GM9999', '2021')?.value).toBe(75);
    expect(get('aandeel_uitkering', 'WK999901', '2021')?.value).toBe(50);
    expect(get('aandeel_uitkering', 'WK999902', '2021')?.value).toBe(100);
    // events in the year per 1,000 persons registered at its end: 2021 = 3 / 4 → 750; WK01 = 2 / 2 → 1000
    expect(get('meldingen_per_1000', 'GM9999', '2021')?.value).toBe(750);
    expect(get('meldingen_per_1000', 'WK999901', '2021')?.value).toBe(1000);
    expect(get('meldingen_per_1000', 'WK999902', '2021')?.value).toBe(500);
    // 2020: 2 events / 3 persons; BU0202 had an event but nobody registered at year end: not applicable
    expect(get('meldingen_per_1000', 'GM9999', '2020')?.value).toBeCloseTo(666.667, 3);
    expect(get('meldingen_per_1000', 'BU99990202', '2020')).toMatchObject({
      value: null,
      status: 'not_applicable',
    });
  });

  it('each version holds its area model: codes, names, levels, parents, years and the buurten of each area', async () => {
    const areas = await query<{
      code: string;
      name: string;
      level: string;
      parent: string | null;
      year: number | null;
      buurten: string[];
    }>(
      dir,
      "select code, name, level, parent, year, buurten from pakhuis.areas where code in ('GM9999', 'WK999901', 'BU99990102', 'FOCUS') order by code",
    );
    expect(areas).toEqual([
      {
        code: 'BU99990102',
        name: 'Buurt 2',
        level: 'buurt',
        parent: 'WK999901',
        year: null,
        buurten: ['BU99990102'],
      },
      {
        code: 'FOCUS',
        name: 'Focusgebied',
        level: 'custom',
        parent: null,
        year: null,
        buurten: ['BU99990102', 'BU99990201'],
      },
      {
        code: 'GM9999',
        name: 'Testgemeente',
        level: 'gemeente',
        parent: null,
        year: null,
        buurten: ['BU99990101', 'BU99990102', 'BU99990201', 'BU99990202'],
      },
      {
        code: 'WK999901',
        name: 'WK999901',
        level: 'wijk',
        parent: 'GM9999',
        year: null,
        buurten: ['BU99990101', 'BU99990102'],
      },
    ]);
  });

  it('a figure coded per wijk has wijk and gemeente values and no buurt values at all', () => {
    expect(
      values.filter((v) => v.indicator === 'inwoners_wijkniveau' && v.area_code.startsWith('BU')),
    ).toEqual([]);
    expect(get('inwoners_wijkniveau', 'WK999901', '2021')?.value).toBe(2);
    expect(get('inwoners_wijkniveau', 'GM9999', '2021')?.value).toBe(4);
    expect(get('inwoners_wijkniveau', 'FOCUS', '2021')).toBeUndefined(); // custom areas are made of buurten
  });

  it('a period with data but no row matching a filter is a real zero, not missing', () => {
    // events exist in 2020 and 2021, none from December 2021 on in 2020: 0 per 1,000, not missing
    expect(get('late_meldingen_per_1000', 'GM9999', '2020')).toMatchObject({ value: 0, status: 'ok' });
    expect(get('late_meldingen_per_1000', 'GM9999', '2021')?.value).toBe(250); // event 4 (31-12-2021) / 4 persons
    expect(get('late_meldingen_per_1000', 'GM9999', '2019')?.status).toBe('missing'); // no events at all
  });

  it('compares each value with the municipality, the previous period, its target and its rank', async () => {
    const project = mustLoad(dir);
    const { engine } = await openCurrent(project);
    try {
      const p = await areaProfile(engine, project, 'WK999901', { zone: 'restricted', year: '2021' });
      const row = (id: string) => p.rows.find((r) => r.indicator.name === id)?.comparison;
      expect(row('aantal_inwoners')).toMatchObject({
        value: 2,
        municipality: 4,
        difference: -2,
        previous: { period: '2020', value: 3 },
        change: -1,
        trend: 'changed', // no polarity
        rank: 1, // tied with WK999902
        of: 2,
        target: null,
      });
      expect(row('aandeel_uitkering')).toMatchObject({
        value: 50,
        municipality: 75,
        trend: 'worse', // 2020: 1 of 3 (33.3 %), 2021: 1 of 2 (50 %): up, and lower is better
        target: { value: 60, met: true },
        rank: 1,
        of: 2,
      });
    } finally {
      await engine.close();
    }
  });

  it('the Swing export holds only published values, with missing-value codes, and matches its golden files', async () => {
    const project = mustLoad(dir);
    const { engine } = await openCurrent(project);
    let csv: { data: string; metadata: string };
    try {
      const { data, metadata } = await swingExport(engine, project);
      csv = { data: toCsv(data), metadata: toCsv(metadata) };
      expect(data.columns.slice(0, 3)).toEqual(['PERIOD', 'GEOLEVEL', 'GEOITEM']);
    } finally {
      await engine.close();
    }
    const golden = join(import.meta.dirname, '../golden/swing');
    if (process.env['WRITE_GOLDEN']) {
      writeFileSync(join(golden, 'swing_data.csv'), csv.data);
      writeFileSync(join(golden, 'swing_metadata.csv'), csv.metadata);
    }
    expect(csv.data).toBe(readFileSync(join(golden, 'swing_data.csv'), 'utf8'));
    expect(csv.metadata).toBe(readFileSync(join(golden, 'swing_metadata.csv'), 'utf8'));
    // the XLSX written by the command holds the same cells
    const out = join(dir, 'swing');
    await runSwingExport(project, { out });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(`${out}.xlsx`);
    const sheet = wb.getWorksheet('Data');
    const lines = readFileSync(join(golden, 'swing_data.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(sheet?.rowCount).toBe(lines.length);
    const second = (sheet?.getRow(2).values as unknown[]).slice(1).map((v) => String(v).replace('.', ','));
    expect(second.join(';')).toBe(lines[1]);
    expect(readFileSync(`${out}_data.csv`, 'utf8')).toBe(csv.data);
  });
});

describe('area codes that changed between years', () => {
  it('counts records under an old code for the new one, and reports records with an unknown code', async () => {
    const dir = writeProject({
      ...testMunicipality(
        `id,buurtcode,ingeschreven,uitgeschreven,inkomen,uitkering
1,BU99990101,2020-01-01,,10,0
2,BU99990199,2020-01-01,,10,0
3,BU99990999,2020-01-01,,10,0
`,
        '',
        '  changes:\n    - { year: 2021, from: BU99990199, to: BU99990101 }\n',
      ),
      'models/inwoners.sql': "select * from ref('personen')",
      'indicators/aantal_inwoners.yaml': indicatorYaml(
        'type: count\nmodel: inwoners\nperiod: { kind: stock, from: ingeschreven, to: uitgeschreven, first: 2021-01-01 }\n',
      ),
    });
    const summary = await build(dir);
    const step = summary.steps.find((s) => s.node === 'aantal_inwoners');
    expect(step?.detail?.['unassigned']).toBe(2); // BU99990999 in 2021 and 2022
    const rows = await query<{ area_code: string; value: number }>(
      dir,
      "select area_code, value from indicators.indicator_values where indicator = 'aantal_inwoners' and period = '2022' and area_code in ('BU99990101', 'GM9999') order by 1",
    );
    expect(rows).toEqual([
      { area_code: 'BU99990101', value: 2 },
      { area_code: 'GM9999', value: 2 },
    ]);
  }, 60_000);
});
