import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupDemoProject } from '../../src/cli/commands/demo.js';
import { synthesize } from '../../src/synth/index.js';
import { statePath } from '../../src/build/build.js';
import type { CheckResult } from '../../src/quality/checks.js';
import { StateStore } from '../../src/state/store.js';
import { build, mustLoad, query, tempDir } from '../helpers/project.js';

interface Defect {
  file: string;
  column: string;
  defect: string;
  count: number;
  rows: number[];
}
interface Population {
  total_persons: number;
  wijken: Array<{ code: string; persons: number; households: number }>;
  buurten: Array<{ code: string; wijk: string; persons: number }>;
}

/** Records of a CSV file, parsed independently of the product's readers (quotes, doubled quotes, CRLF). */
function csv(path: string, delimiter: string): string[][] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      out.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  return out;
}

describe('end to end: synthesise a municipality, build the demo project, compare with the truth', () => {
  const dir = tempDir('pakhuis-e2e-');
  let truth: { population: Population; defects: Defect[] };
  let checks: CheckResult[];

  beforeAll(async () => {
    setupDemoProject(dir);
    await synthesize({ persons: 3000, seed: 42, outDir: join(dir, 'data') });
    truth = {
      population: JSON.parse(readFileSync(join(dir, 'data/truth/population.json'), 'utf8')) as Population,
      defects: (
        JSON.parse(readFileSync(join(dir, 'data/truth/quality_defects.json'), 'utf8')) as {
          defects: Defect[];
        }
      ).defects,
    };
    const summary = await build(dir);
    expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
    const state = new StateStore(statePath(mustLoad(dir)));
    checks = state.checkResults({ runId: summary.runId });
    state.close();
  }, 120_000);

  it('the quality checks find exactly the planted defects, at their source rows', () => {
    // which check of the demo project looks for which planted defect class
    const checkFor: Record<string, Record<string, string>> = {
      invalid_bsn: {
        'brp/personen.csv': 'personen.bsn_bsn',
        'sociaal/wmo_voorzieningen.xlsx': 'wmo_voorzieningen.bsn_bsn',
        'sociaal/jeugdhulp.csv': 'jeugdhulp.bsn_bsn',
        'sociaal/bijstand.json': 'bijstand.bsn_bsn',
        'sociaal/schuldhulp.csv': 'schuldhulp.bsn_bsn',
        'sociaal/vroegsignalen.ndjson': 'vroegsignalen.bsn_bsn',
        'onderwijs/verzuim.csv': 'verzuim.bsn_bsn',
      },
      missing_postcode: {
        'brp/personen.csv': 'personen.not_null_postcode',
        'bag/verblijfsobjecten.csv': 'verblijfsobjecten.not_null_postcode',
      },
      duplicate_row: {
        'brp/personen.csv': 'personen.dubbele_regels',
        'sociaal/jeugdhulp.csv': 'jeugdhulp.dubbele_regels',
      },
      future_date: {
        'veiligheid/incidenten.csv': 'incidenten.date_range_datum',
        'openbare_ruimte/meldingen.json': 'meldingen_openbare_ruimte.date_range_datum',
      },
      mojibake: {
        'brp/personen.csv:Voornamen': 'personen.encoding_voornamen',
        'brp/personen.csv:Geslachtsnaam': 'personen.encoding_geslachtsnaam',
        'kvk/vestigingen.csv:Handelsnaam': 'vestigingen.encoding_handelsnaam',
      },
    };
    const byId = new Map(checks.map((c) => [`${c.node}.${c.check}`, c]));
    const planted = truth.defects.filter((d) => d.defect in checkFor);
    expect(new Set(planted.map((d) => d.defect))).toEqual(new Set(Object.keys(checkFor)));
    for (const d of planted) {
      const map = checkFor[d.defect] as Record<string, string>;
      const id = map[`${d.file}:${d.column}`] ?? map[d.file];
      expect(id, `${d.defect} in ${d.file}`).toBeDefined();
      const result = byId.get(id as string);
      expect({ id, failed: result?.failed, rows: result?.examples.map((e) => e.row) }).toEqual({
        id,
        failed: d.count,
        rows: d.rows.slice(0, 5),
      });
    }
    // no check of these classes fires where nothing was planted
    const expected = new Set(
      planted
        .filter((d) => d.count > 0)
        .flatMap((d) => {
          const map = checkFor[d.defect] as Record<string, string>;
          return [map[`${d.file}:${d.column}`] ?? map[d.file]];
        }),
    );
    const mapped = new Set(Object.values(checkFor).flatMap((m) => Object.values(m)));
    const firing = checks.filter((c) => c.failed > 0 && mapped.has(`${c.node}.${c.check}`));
    expect(new Set(firing.map((c) => `${c.node}.${c.check}`))).toEqual(expected);
  });

  it('quarantines exactly the planted unparseable values, at their source rows', async () => {
    const planted = truth.defects.filter((d) => d.defect.startsWith('unparseable'));
    expect(planted.length).toBeGreaterThan(0);
    const rows = await query<{ source: string; row_number: number }>(
      dir,
      'select source, row_number from pakhuis.quarantine order by source, row_number',
    );
    const fileOf: Record<string, string> = {
      personen: 'brp/personen.csv',
      jeugdhulp: 'sociaal/jeugdhulp.csv',
      schuldhulp: 'sociaal/schuldhulp.csv',
      energieverbruik: 'energie/verbruik.csv',
    };
    const got = rows.map((r) => `${fileOf[r.source] ?? r.source}:${r.row_number}`).sort();
    const expected = planted.flatMap((d) => d.rows.map((r) => `${d.file}:${r}`)).sort();
    expect(got).toEqual(expected);
  });

  it('counts inhabitants per wijk and buurt exactly as the truth does (an unreadable birth date lands empty)', async () => {
    const perBuurt = await query<{ buurtcode: string; inwoners: number }>(
      dir,
      'select buurtcode, inwoners from models.inwoners_per_buurt order by buurtcode',
    );
    expect(perBuurt).toEqual(
      truth.population.buurten.map((b) => ({ buurtcode: b.code, inwoners: b.persons })),
    );
    const perWijk = await query<{ wijkcode: string; inwoners: number }>(
      dir,
      'select wijkcode, inwoners from models.inwoners_per_wijk order by wijkcode',
    );
    expect(perWijk).toEqual(truth.population.wijken.map((w) => ({ wijkcode: w.code, inwoners: w.persons })));
    const [gemeente] = await query<{ inwoners: number; inwoners_cbs_2024: number }>(
      dir,
      'select inwoners, inwoners_cbs_2024 from models.inwoners_gemeente',
    );
    expect(gemeente).toEqual({ inwoners: truth.population.total_persons, inwoners_cbs_2024: 56432 });
    // the unreadable birth dates are logged with their rows, and their rows landed
    const emptied = await query<{ row_number: number }>(
      dir,
      "select row_number from pakhuis.quarantine where source = 'personen' and reason_code = 'emptied' order by 1",
    );
    expect(emptied.map((r) => r.row_number)).toEqual(
      truth.defects
        .filter((d) => d.file === 'brp/personen.csv' && d.defect === 'unparseable_date')
        .flatMap((d) => d.rows)
        .sort((x, y) => x - y),
    );
  });

  it('records the area model with the year of each division (buurten 2014, wijken 2024)', async () => {
    const levels = await query<{ level: string; year: number | null; n: number }>(
      dir,
      'select level, year, count(*) as n from pakhuis.areas group by all order by level',
    );
    expect(levels).toEqual([
      { level: 'buurt', year: 2014, n: 65 },
      { level: 'gemeente', year: null, n: 1 },
      { level: 'wijk', year: 2024, n: 8 },
    ]);
  });

  it('lands every declared source, one table each', async () => {
    const tables = await query<{ table_name: string }>(
      dir,
      "select table_name from information_schema.tables where table_schema = 'sources' order by 1",
    );
    expect(tables).toHaveLength(16);
    expect(tables.map((t) => t.table_name)).toContain('personen');
  });

  it('finds the buurt of records by address and by BAG id through the BAG, as a join of the files does', async () => {
    const [header, ...bag] = csv(join(dir, 'data/bag/verblijfsobjecten.csv'), ',');
    const col = (name: string): number => (header as string[]).indexOf(name);
    const byId = new Map(
      bag.map((r) => [r[col('verblijfsobject_id')] as string, r[col('buurtcode')] as string]),
    );
    const key = (pc: string, nr: string, suffix: string): string =>
      `${pc.replace(/\s/g, '').toUpperCase()}|${nr}|${suffix.replace(/[^0-9A-Za-z]/g, '').toUpperCase()}`;
    const byAddress = new Map(
      bag.map((r) => [
        key(
          r[col('postcode')] as string,
          r[col('huisnummer')] as string,
          `${r[col('huisletter')] ?? ''}${r[col('toevoeging')] ?? ''}`,
        ),
        r[col('buurtcode')] as string,
      ]),
    );
    const count = (codes: Array<string | undefined>): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const c of codes) out[c ?? 'none'] = (out[c ?? 'none'] ?? 0) + 1;
      return out;
    };
    // vroegsignalen: postcode + house number (+ toevoeging)
    const signals = readFileSync(join(dir, 'data/sociaal/vroegsignalen.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map(
        (l) =>
          JSON.parse(l) as {
            postcode: string | null;
            huisnummer: number | null;
            huisnummer_toevoeging: string | null;
          },
      );
    const expectedSignals = count(
      signals.map((v) =>
        v.postcode && v.huisnummer !== null
          ? byAddress.get(key(v.postcode, String(v.huisnummer), v.huisnummer_toevoeging ?? ''))
          : undefined,
      ),
    );
    const gotSignals = await query<{ b: string; n: number }>(
      dir,
      "select coalesce(buurtcode, 'none') as b, count(*) as n from sources.vroegsignalen group by 1",
    );
    expect(Object.fromEntries(gotSignals.map((r) => [r.b, r.n]))).toEqual(expectedSignals);
    expect(expectedSignals['none'] ?? 0).toBeLessThan(signals.length / 20);
    // vestigingen: the BAG id (the economie domain's pseudonyms never meet the basis domain's: the lookup is keyed apart)
    const [vh, ...vestigingen] = csv(join(dir, 'data/kvk/vestigingen.csv'), ';');
    const vbo = (vh as string[]).indexOf('Verblijfsobject-ID');
    const expectedBusinesses = count(
      vestigingen.filter((r) => r.length > 1).map((r) => byId.get(r[vbo] as string)),
    );
    const gotBusinesses = await query<{ b: string; n: number }>(
      dir,
      "select coalesce(buurtcode, 'none') as b, count(*) as n from sources.vestigingen group by 1",
    );
    expect(Object.fromEntries(gotBusinesses.map((r) => [r.b, r.n]))).toEqual(expectedBusinesses);
    // the house numbers used for geocoding did not land
    const cols = await query<{ column_name: string }>(
      dir,
      "select column_name from information_schema.columns where table_schema = 'sources' and table_name = 'vroegsignalen'",
    );
    expect(cols.map((c) => c.column_name)).not.toContain('huisnummer');
  });
});
