import { describe, expect, it } from 'vitest';
import { statePath } from '../../src/build/build.js';
import { StateStore } from '../../src/state/store.js';
import { build, mustLoad, query, TEST_PRIVACY, writeProject } from '../helpers/project.js';
import { KWB_2024, useFakeCbs } from './fixtures.js';

const cbs = useFakeCbs();

const source = (table: string, baseUrl: string): string => `title: CBS Kerncijfers wijken en buurten
owner: Team Onderzoek
${TEST_PRIVACY}connector:
  type: cbs
  table: ${table}
  base_url: ${baseUrl}
  measures: [AantalInwoners, Woningvoorraad]
columns:
  code: { type: text, classification: none, required: true }
  level: { type: text, classification: none, values: [gemeente, wijk, buurt] }
  name: { type: text, classification: none }
  period: { type: text, classification: none }
  aantal_inwoners: { type: integer, classification: none, header: AantalInwoners }
  woningvoorraad: { type: integer, classification: none, header: Woningvoorraad }
checks:
  - { type: cbs_area_code, column: code }
`;

describe('the cbs source connector', () => {
  it('downloads a table for the municipality over HTTP and lands it; a secret cell lands empty, never 0', async () => {
    const dir = writeProject({ 'sources/kwb.yaml': source(KWB_2024, cbs().url) });
    const summary = await build(dir);
    expect(summary.steps.map((s) => [s.node, s.status])).toEqual([['kwb', 'success']]);
    const rows = await query<{ code: string; level: string; aantal_inwoners: number | null; period: string }>(
      dir,
      'select code, level, period, aantal_inwoners from sources.kwb order by code',
    );
    expect(rows.find((r) => r.code === 'GM0400')).toEqual({
      code: 'GM0400',
      level: 'gemeente',
      period: '2024',
      aantal_inwoners: 56432,
    });
    const wijken = rows.filter((r) => r.level === 'wijk');
    expect(wijken).toHaveLength(8);
    expect(wijken.reduce((n, w) => n + (w.aantal_inwoners ?? 0), 0)).toBe(56430);
    // the fixture's Marinehaven buurt has secret cells (see test/fixtures/cbs/SOURCES.md)
    const secret = rows.filter((r) => r.level === 'buurt' && r.aantal_inwoners === null);
    expect(secret.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.code.trim() === r.code)).toBe(true);
    const state = new StateStore(statePath(mustLoad(dir)));
    const [load] = state.loads(summary.runId);
    state.close();
    expect(JSON.parse(load?.notes ?? '[]')[0]).toMatch(
      /^downloaded 85984NED \(Kerncijfers wijken en buurten 2024, 2024\) from http:\/\/127\.0\.0\.1:\d+: \d+ areas, \d+ cells without a figure/,
    );
  }, 60_000);

  it('an unknown table fails the source with the URL and a fix; the previous version stays', async () => {
    const dir = writeProject({ 'sources/kwb.yaml': source(KWB_2024, cbs().url) });
    const first = await build(dir);
    expect(first.status).toBe('success');
    writeProject({ 'sources/kwb.yaml': source('12345XYZ', cbs().url) }, dir);
    const second = await build(dir);
    expect(second.status).toBe('failed');
    expect(second.steps[0]?.error).toMatch(/^sources\/kwb\.yaml: .*12345XYZ.*404/);
    expect(second.steps[0]?.fix).toBeTruthy();
    const [n] = await query<{ n: number }>(dir, 'select count(*) as n from sources.kwb');
    expect(n?.n).toBeGreaterThan(9);
  }, 60_000);
});
