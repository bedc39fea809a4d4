import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCurrent } from '../../src/build/current.js';
import { VersionStore } from '../../src/build/versions.js';
import { DuckDBEngine } from '../../src/engine/duckdb.js';
import { verifyPublished } from '../../src/publish/publish.js';
import { build, mustLoad, query, TEST_PRIVACY, writeProject } from '../helpers/project.js';

// 3 wijken of one gemeente; buurt BU04000102 has 3 inhabitants, so a wijk total minus its other
// buurten would give it away unless a second buurt is suppressed.
const CSV =
  [
    'buurtcode;inwoners',
    'BU04000101;40',
    'BU04000102;3',
    'BU04000103;25',
    'BU04000201;60',
    'BU04000202;70',
    'BU04000301;12',
    'BU04000302;9',
  ].join('\n') + '\n';

function project(): string {
  return writeProject({
    'data/b.csv': CSV,
    'sources/buurtcijfers.yaml': `title: Buurtcijfers\nowner: Test\n${TEST_PRIVACY}connector: { type: csv, path: b.csv }\ncolumns:\n  buurtcode: { type: text, classification: none }\n  inwoners: { type: integer, classification: none }\n`,
    'models/per_buurt.sql': "select buurtcode, inwoners from ref('buurtcijfers')",
    'publications/inwoners.yaml':
      'title: Inwoners\nmodel: per_buurt\nmeasure: count\narea: buurtcode\ncount: inwoners\n',
  });
}

describe('the publish step', () => {
  it('writes only disclosure-controlled cells to public.*, with markers and never a zero for a hidden cell', async () => {
    const dir = project();
    expect((await build(dir)).status).toBe('success');
    const rows = await query<{
      area_code: string;
      status: string;
      value: number | null;
      marker: string | null;
    }>(dir, 'select area_code, status, value, marker from public.inwoners order by area_code');
    const byArea = new Map(rows.map((r) => [r.area_code, r]));
    expect(byArea.get('BU04000102')).toEqual({
      area_code: 'BU04000102',
      status: 'suppressed',
      value: null,
      marker: 'x',
    });
    // the wijk total stays, so a second buurt of WK040001 must be hidden too
    expect(byArea.get('WK040001')?.status).toBe('published');
    expect(['BU04000101', 'BU04000103'].filter((b) => byArea.get(b)?.status === 'suppressed')).toHaveLength(
      1,
    );
    expect(byArea.get('GM0400')).toMatchObject({ status: 'published', value: 219 });
    expect(
      rows.filter((r) => r.status === 'suppressed').every((r) => r.value === null && r.marker === 'x'),
    ).toBe(true);
    const { engine } = await openCurrent(mustLoad(dir));
    expect(await verifyPublished(engine)).toEqual([{ table: 'inwoners', cells: 11, findings: [] }]);
    await engine.close();
  });

  it('pakhuis publish --verify finds a cell that was put back by hand, independently of the suppression code', async () => {
    const dir = project();
    await build(dir);
    const versions = new VersionStore(join(dir, '.pakhuis/warehouse'));
    const file = versions.pathOf(versions.current()?.file as string);
    const engine = await DuckDBEngine.open(file);
    await engine.run(
      "update public.inwoners set status = 'published', value = 3, count = 3, marker = null where area_code = 'BU04000102'",
    );
    const results = await verifyPublished(engine);
    await engine.close();
    expect(results[0]?.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(results[0]?.findings)).toMatch(/BU04000102/);
  });
});
