import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { impact, impactTarget, modelColumns, type ImpactTarget } from '../../src/lineage/columns.js';
import {
  downstream,
  LineageError,
  lineageGraph,
  renderTree,
  requireNode,
  upstream,
  type LineageGraph,
} from '../../src/lineage/graph.js';
import type { Project } from '../../src/project/types.js';
import { classified, mustLoad, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const DEMO = join(import.meta.dirname, '../../examples/den-helder');
const BIN = join(import.meta.dirname, '../../bin/pakhuis.js');
const golden = (name: string): string => `../golden/lineage/${name}.json`;
const pretty = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

function source(columns: string, checks = ''): string {
  const cols = classified(columns).replace(/^/gm, '  ');
  return `title: Test\nowner: Team Test\n${TEST_PRIVACY}connector: { type: csv, path: x.csv }\ncolumns:\n${cols}\n${checks}`;
}

/**
 * A small project: `alles` reads every column of `bron` with select *, `per_wijk` names two of them,
 * `open` uses `status` only in its WHERE clause; `bron` has a relationships check on `wijken`.
 */
const SMALL = {
  'sources/wijken.yaml': source('code: { type: text }\nnaam: { type: text }'),
  'sources/bron.yaml': source(
    'id: { type: text }\nwijk: { type: text }\naantal: { type: integer }\nstatus: { type: text }\ndatum: { type: date }',
    `checks:
  - { type: relationships, column: wijk, to: wijken, field: code }
  - { type: not_null, column: aantal, where: "t.status = 'open'" }
  - { type: sql, name: geen_toekomst, sql: "select * from {{ this }} where datum > current_date" }
`,
  ),
  'models/alles.sql': "-- everything\nselect * from ref('bron') -- no column named",
  'models/alles.yaml': 'checks:\n  - { type: not_null, column: wijk }\n',
  'models/per_wijk.sql': "select wijk, sum(aantal) as aantal from ref('alles') group by wijk",
  'models/open.sql': "select id from ref('bron') where status = 'open'",
  'publications/telling.yaml': 'title: Telling\nmodel: per_wijk\nmeasure: count\narea: wijk\ncount: aantal\n',
};

describe('lineage of the demo project, from the definitions', () => {
  let project: Project;
  let graph: LineageGraph;
  beforeAll(() => {
    project = mustLoad(DEMO);
    graph = lineageGraph(project);
  });

  it('matches the golden lineage of personen (downstream), inwoners_per_wijk (upstream) and verblijfsobjecten', async () => {
    await expect(pretty({ node: 'personen', downstream: downstream(graph, 'personen') })).toMatchFileSnapshot(
      golden('personen.downstream'),
    );
    await expect(
      pretty({ node: 'inwoners_per_wijk', upstream: upstream(graph, 'inwoners_per_wijk') }),
    ).toMatchFileSnapshot(golden('inwoners_per_wijk.upstream'));
    await expect(
      pretty({
        node: 'verblijfsobjecten',
        upstream: upstream(graph, 'verblijfsobjecten'),
        downstream: downstream(graph, 'verblijfsobjecten'),
      }),
    ).toMatchFileSnapshot(golden('verblijfsobjecten'));
  });

  const impacts: Array<[string, ImpactTarget]> = [
    [
      'impact.personen.geboortedatum.remove',
      { source: 'personen', column: 'geboortedatum', change: 'remove' },
    ],
    [
      'impact.verblijfsobjecten.buurtcode.remove',
      { source: 'verblijfsobjecten', column: 'buurtcode', change: 'remove' },
    ],
    [
      'impact.personen.geslacht.integer',
      { source: 'personen', column: 'geslacht', change: { type: 'integer' } },
    ],
    ['impact.personen_actueel.geslacht.remove', { model: 'personen_actueel', column: 'geslacht' }],
  ];
  it.each(impacts)('matches the golden impact %s', async (name, target) => {
    await expect(pretty(await impact(project, target))).toMatchFileSnapshot(golden(name));
  });

  it('notes what the binder cannot see, and reports a source that no longer lands', async () => {
    const bsn = await impact(project, { source: 'personen', column: 'bsn', change: { type: 'integer' } });
    expect(bsn).toMatchObject({
      broken: [],
      downstream: [],
      columnChanges: [],
      checks: [],
      publications: [],
    });
    expect(bsn.notes).toEqual([
      'personen.bsn is an identifier: it lands as pseudonymised text whatever its declared type',
      'personen.bsn declares pattern ^[0-9]{9}$: make sure these still fit type integer',
    ]);
    // a year cannot be taken from text: the generalisation itself no longer binds
    const year = await impact(project, {
      source: 'personen',
      column: 'geboortedatum',
      change: { type: 'text' },
    });
    expect(year.broken).toEqual([
      {
        node: 'personen',
        kind: 'source',
        file: 'sources/personen.yaml',
        error: expect.stringMatching(/^Binder Error: No function matches .*date_part/),
      },
    ]);
    expect(year.downstream).toContainEqual({
      node: 'personen_actueel',
      file: 'models/personen_actueel.sql',
      reason: 'depends on personen',
    });
    expect(year.notes).toEqual([
      'personen.geboortedatum lands generalised (year): the new type is that of the value before it is generalised',
    ]);
  });

  it('renders an indented tree, by name, each node expanded once', () => {
    expect(renderTree(graph, 'huishoudens', 'downstream')).toBe(
      [
        'huishoudens (model, models/huishoudens.sql)',
        '└── inwoners_per_buurt (model, models/inwoners_per_buurt.sql)',
        '    ├── bevolking (publication, publications/bevolking.yaml)',
        '    └── inwoners_per_wijk (model, models/inwoners_per_wijk.sql)',
        '        └── inwoners_gemeente (model, models/inwoners_gemeente.sql)',
      ].join('\n'),
    );
    expect(renderTree(graph, 'bevolking', 'downstream')).toBe(
      'bevolking (publication, publications/bevolking.yaml)\n└── (nothing downstream)',
    );
  });
});

describe('lineage of a small project', () => {
  let project: Project;
  beforeAll(() => {
    project = mustLoad(writeProject(SMALL));
  });

  it('has edges for refs, publications and the nodes checks read', () => {
    const graph = lineageGraph(project);
    expect(graph.edges).toEqual([
      { from: 'wijken', to: 'bron', label: 'check:relationships_wijk' },
      { from: 'bron', to: 'alles', label: 'ref' },
      { from: 'bron', to: 'open', label: 'ref' },
      { from: 'alles', to: 'per_wijk', label: 'ref' },
      { from: 'per_wijk', to: 'telling', label: 'publishes' },
    ]);
    expect(downstream(graph, 'wijken').map((n) => [n.name, n.depth])).toEqual([
      ['bron', 1],
      ['alles', 2],
      ['open', 2],
      ['per_wijk', 3],
      ['telling', 4],
    ]);
    expect(upstream(graph, 'telling').map((n) => `${n.kind} ${n.name} ${n.depth}`)).toEqual([
      'model per_wijk 1',
      'model alles 2',
      'source bron 3',
      'source wijken 4',
    ]);
    expect(renderTree(graph, 'wijken', 'downstream')).toBe(
      [
        'wijken (source, sources/wijken.yaml)',
        '└── bron (source, sources/bron.yaml) via check:relationships_wijk',
        '    ├── alles (model, models/alles.sql)',
        '    │   └── per_wijk (model, models/per_wijk.sql)',
        '    │       └── telling (publication, publications/telling.yaml)',
        '    └── open (model, models/open.sql)',
      ].join('\n'),
    );
  });

  it('knows each model’s output columns, with the types the sources land as', async () => {
    expect(await modelColumns(project)).toEqual([
      {
        model: 'alles',
        file: 'models/alles.sql',
        columns: [
          { name: 'id', type: 'VARCHAR' },
          { name: 'wijk', type: 'VARCHAR' },
          { name: 'aantal', type: 'BIGINT' },
          { name: 'status', type: 'VARCHAR' },
          { name: 'datum', type: 'DATE' },
        ],
      },
      { model: 'open', file: 'models/open.sql', columns: [{ name: 'id', type: 'VARCHAR' }] },
      {
        model: 'per_wijk',
        file: 'models/per_wijk.sql',
        columns: [
          { name: 'wijk', type: 'VARCHAR' },
          { name: 'aantal', type: 'HUGEINT' },
        ],
      },
    ]);
  });

  it('select *: removing a column keeps the model, breaks the model downstream that names it', async () => {
    const r = await impact(project, { source: 'bron', column: 'wijk', change: 'remove' });
    expect(r.broken).toEqual([
      {
        node: 'per_wijk',
        kind: 'model',
        file: 'models/per_wijk.sql',
        error: expect.stringMatching(/^Binder Error: .*"wijk"/),
      },
    ]);
    expect(r.downstream).toEqual([]);
    expect(r.columnChanges).toEqual([{ node: 'alles', column: 'wijk', before: 'VARCHAR', after: null }]);
    // the source's own check on the column, and the check on the model that lost it
    expect(r.checks.map((c) => [c.node, c.check, c.file, c.line])).toEqual([
      ['bron', 'relationships_wijk', 'sources/bron.yaml', 17],
      ['alles', 'not_null_wijk', 'models/alles.yaml', 2],
    ]);
    expect(r.publications).toEqual([
      { node: 'telling', file: 'publications/telling.yaml', reason: 'its model per_wijk no longer builds' },
    ]);
  });

  it('a column used only in a WHERE clause (of a model and of a check) still breaks them', async () => {
    const r = await impact(project, { source: 'bron', column: 'status', change: 'remove' });
    expect(r.broken.map((b) => [b.node, b.error])).toEqual([
      ['open', expect.stringMatching(/^Binder Error: .*"status"/)],
    ]);
    expect(r.checks.map((c) => [c.node, c.check])).toEqual([['bron', 'not_null_aantal']]);
    expect(r.columnChanges).toEqual([{ node: 'alles', column: 'status', before: 'VARCHAR', after: null }]);
    expect(r.publications).toEqual([]);
  });

  it('reports the checks that read a column of another node, and sql checks', async () => {
    const code = await impact(project, { source: 'wijken', column: 'code', change: 'remove' });
    expect(code.broken).toEqual([]);
    expect(code.checks.map((c) => [c.node, c.check, c.reason])).toEqual([
      ['bron', 'relationships_wijk', expect.stringMatching(/^Binder Error: .*"code"/)],
    ]);
    const naam = await impact(project, { source: 'wijken', column: 'naam', change: 'remove' });
    expect(naam.checks).toEqual([]);
    const datum = await impact(project, { source: 'bron', column: 'datum', change: 'remove' });
    expect(datum.checks.map((c) => [c.node, c.check])).toEqual([['bron', 'geen_toekomst']]);
  });

  it('retyping reports changed output types, and publications whose columns change type', async () => {
    const r = await impact(project, { source: 'bron', column: 'aantal', change: { type: 'decimal' } });
    expect(r.broken).toEqual([]);
    expect(r.columnChanges).toEqual([
      { node: 'alles', column: 'aantal', before: 'BIGINT', after: 'DECIMAL(18,4)' },
      { node: 'per_wijk', column: 'aantal', before: 'HUGEINT', after: 'DECIMAL(38,4)' },
    ]);
    expect(r.checks).toEqual([
      {
        node: 'bron',
        check: 'not_null_aantal',
        type: 'not_null',
        file: 'sources/bron.yaml',
        line: 18,
        reason: 'reads bron.aantal, whose type changes from BIGINT to DECIMAL(18,4)',
      },
    ]);
    expect(r.publications).toEqual([
      {
        node: 'telling',
        file: 'publications/telling.yaml',
        reason: 'count column aantal changes type from HUGEINT to DECIMAL(38,4)',
      },
    ]);
  });

  it('a model column: the model without it (EXCLUDE), rebinding what reads it', async () => {
    const r = await impact(project, { model: 'per_wijk', column: 'aantal' });
    expect(r.broken).toEqual([]);
    expect(r.columnChanges).toEqual([]);
    expect(r.publications).toEqual([
      {
        node: 'telling',
        file: 'publications/telling.yaml',
        reason: 'count column aantal is no longer in per_wijk',
      },
    ]);
    const wijk = await impact(project, { model: 'alles', column: 'wijk' });
    expect(wijk.broken.map((b) => b.node)).toEqual(['per_wijk']);
    expect(wijk.checks.map((c) => c.check)).toEqual(['not_null_wijk']);
    expect((await impact(project, { model: 'alles', column: 'id' })).broken).toEqual([]);
  });

  it('names an unknown node or column and suggests the closest name', async () => {
    const graph = lineageGraph(project);
    expect(() => requireNode(graph, 'alle')).toThrow(
      new LineageError('no source, model or publication is named "alle"; did you mean "alles"?'),
    );
    expect(() => downstream(graph, 'xyz')).toThrow(/no source, model or publication is named "xyz"$/);
    expect(() => impactTarget(project, 'brom.wijk', 'remove')).toThrow(
      'no source or model is named "brom"; did you mean "bron"?',
    );
    expect(() => impactTarget(project, 'telling.aantal', 'remove')).toThrow(/telling is a publication/);
    expect(() => impactTarget(project, 'bron', 'remove')).toThrow(/is not <source or model>\.<column>/);
    expect(impactTarget(project, 'alles.wijk', { type: 'integer' })).toEqual({
      model: 'alles',
      column: 'wijk',
      change: { type: 'integer' },
    });
    await expect(impact(project, { source: 'bron', column: 'wyk', change: 'remove' })).rejects.toThrow(
      'source bron has no column "wyk"; did you mean "wijk"? (its columns: id, wijk, aantal, status, datum)',
    );
    await expect(impact(project, { model: 'per_wijk', column: 'aantl' })).rejects.toThrow(
      'model per_wijk has no column "aantl"; did you mean "aantal"?',
    );
  });
});

describe('pakhuis lineage', () => {
  const pakhuis = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints the tree, and what breaks; an unknown node exits 2 with the closest name', () => {
    const dir = writeProject(SMALL);
    const tree = pakhuis('lineage', 'per_wijk', '--upstream', '--project', dir);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/^Upstream:\nper_wijk \(model, models\/per_wijk\.sql\)\n└── alles/);
    const report = pakhuis('lineage', 'impact', 'bron.status', '--project', dir);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(
      /^Removing bron\.status \(source, sources\/bron\.yaml\):\nno longer builds \(1\):\n {2}✖ open/,
    );
    const json = pakhuis('lineage', 'impact', 'bron.aantal', '--type', 'decimal', '--json', '--project', dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ target: { change: { type: 'decimal' } } });
    const unknown = pakhuis('lineage', 'alle', '--project', dir);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/named "alle"; did you mean "alles"\?/);
    const column = pakhuis('lineage', 'impact', 'bron.wyk', '--project', dir);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/source bron has no column "wyk"; did you mean "wijk"\?/);
  });
});
