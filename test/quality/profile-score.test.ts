import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statePath } from '../../src/build/build.js';
import { runCatalogList, runCatalogShow } from '../../src/cli/commands/catalog.js';
import { runQuality } from '../../src/cli/commands/quality.js';
import type { CheckResult } from '../../src/quality/checks.js';
import { qualityScore } from '../../src/quality/score.js';
import { PrivacyServices } from '../../src/privacy/services.js';
import { StateStore } from '../../src/state/store.js';
import { build, mustLoad, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const SOURCE = `title: Meldingen
owner: Team Zorg
steward: Informatiebeheer
domain: sociaal
refresh: monthly
${TEST_PRIVACY}connector: { type: csv, path: m.csv }
columns:
  bsn: { type: text, classification: identifier, identifier: bsn }
  diagnose: { type: text, classification: sensitive, category: health }
  postcode: { type: text, classification: quasi_identifier, generalise: pc4 }
  soort: { type: text, classification: none }
  bedrag: { type: decimal, classification: none }
checks:
  - { type: not_null, column: soort, severity: warn }
  - { type: bsn, column: bsn, severity: warn }
`;

const rows = (n: number, bad: number): string =>
  [
    'bsn,diagnose,postcode,soort,bedrag',
    ...Array.from({ length: n }, (_, i) =>
      [
        i < bad ? '123456789' : '111222333',
        'astma',
        '1781 AB',
        i % 7 === 0 ? '' : `s${i % 3}`,
        String(10 + i),
      ].join(','),
    ),
  ].join('\n');

describe('profiles, scores and the owner overview', () => {
  it('profiles every column per load, showing of identifiers and sensitive data only how empty they are', async () => {
    const dir = writeProject({ 'data/m.csv': rows(30, 2), 'sources/m.yaml': SOURCE });
    const first = await build(dir);
    writeFileSync(join(dir, 'data/m.csv'), rows(40, 6));
    const second = await build(dir);
    expect([first.status, second.status]).toEqual(['success', 'success']);
    const state = new StateStore(statePath(mustLoad(dir)));
    try {
      const [load] = state.loads(second.runId);
      const profile = new Map(state.profiles({ loadId: load?.id as string }).map((p) => [p.column, p]));
      expect(profile.get('bsn')).toMatchObject({
        rows: 40,
        nulls: 0,
        distinct: null,
        min: null,
        topValues: [],
        patterns: [],
      });
      expect(profile.get('diagnose')).toMatchObject({
        distinct: null,
        topValues: [],
        patterns: [],
        minLength: null,
      });
      // quasi-identifier: shapes and common values, but no minimum or maximum (single records)
      expect(profile.get('postcode')).toMatchObject({
        min: null,
        max: null,
        patterns: [{ pattern: '9999', count: 40 }],
      });
      expect(profile.get('bedrag')).toMatchObject({ min: '10.0000', max: '49.0000', mean: 29.5, nulls: 0 });
      expect(profile.get('soort')?.nulls).toBe(6); // rows 0, 7, 14, 21, 28, 35
      expect(JSON.stringify([...profile.values()])).not.toMatch(/astma|111222333|1781 AB/);
      // the column's history: one profile per load, newest first
      expect(state.profiles({ source: 'm', column: 'bedrag' }).map((p) => p.rows)).toEqual([40, 30]);
      // scores per load, with their dimensions
      const scores = state.scores('m');
      expect(scores).toHaveLength(2);
      // completeness: 34 of 40 soort filled; validity: mean of bsn (34/40) and quarantine (1); timeliness: refresh
      expect(scores[0]).toMatchObject({
        completeness: 85,
        validity: 92.5,
        timeliness: 100,
        uniqueness: null,
        consistency: null,
        score: 92.5,
      });
      expect(scores[1]).toMatchObject({ completeness: 83.33, validity: 96.67, score: 93.33 });
    } finally {
      state.close();
    }

    const overview = runQuality(mustLoad(dir), { owner: 'team zorg', format: 'json' });
    const parsed = JSON.parse(overview) as {
      overview: Array<Record<string, unknown>>;
      failing: Array<Record<string, unknown>>;
    };
    expect(parsed.overview).toEqual([
      expect.objectContaining({
        source: 'm',
        owner: 'Team Zorg',
        score: 92.5,
        change: -0.83,
        trend: '93.33 → 92.5',
        failing: 2,
      }),
    ]);
    expect(parsed.failing.map((f) => [f.check, f.failed, f.examples])).toEqual([
      ['not_null_soort', 6, 'row 2; row 9; row 16; row 23; row 30'],
      ['bsn_bsn', 6, expect.stringMatching(/^row 2: [0-9a-f]{32}; row 3: [0-9a-f]{32}; row 4: /)],
    ]);
    expect(() => runQuality(mustLoad(dir), { owner: 'Team Nobody', format: 'table' })).toThrow(
      'no source has owner "Team Nobody"; owners: Team Zorg',
    );
    // showing example rows is a data access: audited
    const privacy = PrivacyServices.open(mustLoad(dir));
    expect(privacy.audit.entries({ action: 'quality_read' })[0]).toMatchObject({ resource: 'm', rows: 10 });
    privacy.close();

    expect(runCatalogList(mustLoad(dir), 'csv').split('\n')[1]).toMatch(
      /^m,Meldingen,Team Zorg,sociaal,non_public,monthly,/,
    );
    const shown = runCatalogShow(mustLoad(dir), 'm', { json: false });
    expect(shown).toContain('steward:          Informatiebeheer');
    expect(shown).toContain('AVG art. 6(1)(e) — Testwet art. 1');
    expect(runCatalogShow(mustLoad(dir), 'm', { json: false, column: 'bedrag' }).split('\n')).toHaveLength(5);
  }, 60_000);

  it('scores are the mean pass rate per dimension', () => {
    const r = (
      dimension: CheckResult['dimension'],
      evaluated: number,
      failed: number,
      status: CheckResult['status'] = 'pass',
    ): CheckResult => ({
      node: 'x',
      check: 'c',
      type: 'not_null',
      column: null,
      dimension,
      severity: 'warn',
      status,
      evaluated,
      failed,
      observed: null,
      message: '',
      examples: [],
    });
    expect(
      qualityScore(
        [
          r('completeness', 100, 10),
          r('completeness', 50, 0),
          r('uniqueness', 1, 1),
          r('consistency', 0, 0, 'error'),
        ],
        {
          rowsRead: 200,
          rowsQuarantined: 20,
          refresh: 'weekly',
          contentAgeDays: 10,
        },
      ),
    ).toEqual({ completeness: 95, validity: 90, uniqueness: 0, timeliness: 0, consistency: 0, score: 37 });
  });
});

describe('profiling a large table', () => {
  it('reads counts and ranges in one pass over all rows, and shapes and common values from a repeatable sample', async () => {
    const { DuckDBEngine } = await import('../../src/engine/duckdb.js');
    const { profileTable, PROFILE_SAMPLE } = await import('../../src/quality/profile.js');
    const engine = await DuckDBEngine.open(':memory:');
    try {
      await engine.run(
        "CREATE TABLE t AS SELECT i AS n, 'x' || (i % 7) AS s, CASE WHEN i % 10 = 0 THEN NULL ELSE i END AS g FROM range(250000) r(i)",
      );
      const cols = [
        { name: 'n', classification: 'none' as const },
        { name: 's', classification: 'none' as const },
        { name: 'g', classification: 'sensitive' as const },
      ];
      const [n, s, g] = await profileTable(engine, 't', cols, 5);
      expect(n).toMatchObject({
        rows: 250000,
        nulls: 0,
        min: '0',
        max: '249999',
        mean: 124999.5,
        sampled: PROFILE_SAMPLE,
      });
      expect(s?.topValues).toHaveLength(5);
      expect(s?.topValues.reduce((a, v) => a + v.count, 0)).toBeLessThanOrEqual(PROFILE_SAMPLE);
      expect(s?.patterns).toEqual([{ pattern: 'a9', count: PROFILE_SAMPLE }]);
      expect(g).toMatchObject({ nulls: 25000, distinct: null, min: null, topValues: [], patterns: [] });
      // repeatable: the same sample twice
      expect((await profileTable(engine, 't', cols, 5))[1]?.topValues).toEqual(s?.topValues);
    } finally {
      await engine.close();
    }
  });
});
