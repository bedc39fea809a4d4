import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { statePath } from '../../src/build/build.js';
import type { CheckResult } from '../../src/quality/checks.js';
import { StateStore } from '../../src/state/store.js';
import { loadProject } from '../../src/project/load.js';
import { build, mustLoad, PROJECT_YAML, TEST_PRIVACY, writeProject } from '../helpers/project.js';

/**
 * One project whose source has, for every check type, a check that must pass (`<type>_ok`) and one
 * that must fail (`<type>_bad`, severity warn so the build goes on). The file is small and
 * hand-made, so every expected count below can be verified by reading it.
 */
const CSV = [
  'id;bsn;postcode;kvk;iban;bag;buurt;sbi;naam;bedrag;datum;soort;geheim',
  '1;111222333;1781 AB;12345678;NL91ABNA0417164300;0400010000100647;BU04000101;6201;Müller;10;01-06-2024;a;x',
  '2;123456789;1781AB;1234567;NL91ABNA0417164301;0400100000100647;WK040001;0111;MÃ¼ller;20;15-12-2024;b;x',
  '3;111222333;9999 ZZ;87654321;DE89370400440532013000;0400010000100648;BU04000102;0011;José;-5;01-01-2031;a;x',
  '4;;1781 SA;00000001;;0400010000100649;BU04000103;01;Jan;30;31-12-2024;c;x',
].join('\n');

const CHECKS = `checks:
  - { name: not_null_ok, type: not_null, column: id }
  - { name: not_null_bad, type: not_null, column: bsn, severity: warn }
  - { name: unique_ok, type: unique, columns: [id] }
  - { name: unique_bad, type: unique, columns: [bsn], severity: warn }
  - { name: unique_compound_ok, type: unique, columns: [bsn, id] }
  - { name: accepted_values_ok, type: accepted_values, column: soort, values: [a, b, c] }
  - { name: accepted_values_bad, type: accepted_values, column: soort, values: [a, b], severity: warn }
  - { name: relationships_ok, type: relationships, column: soort, to: soorten, field: code }
  - { name: relationships_bad, type: relationships, column: buurt, to: soorten, field: code, severity: warn }
  - { name: range_ok, type: range, column: bedrag, min: -10, max: 30 }
  - { name: range_bad, type: range, column: bedrag, min: 0, severity: warn }
  - { name: regex_ok, type: regex, column: soort, pattern: '[a-c]' }
  - { name: regex_bad, type: regex, column: buurt, pattern: 'BU[0-9]{8}', severity: warn }
  - { name: length_ok, type: length, column: soort, min: 1, max: 1 }
  - { name: length_bad, type: length, column: naam, max: 4, severity: warn }
  - { name: row_count_ok, type: row_count, min: 4, max: 4 }
  - { name: row_count_bad, type: row_count, min: 5, severity: warn }
  - { name: freshness_ok, type: freshness, column: datum, max_age_days: 400 }
  - { name: freshness_bad, type: freshness, column: datum, where: "datum <= DATE '2024-06-30'", max_age_days: 30, severity: warn }
  - { name: schema_ok, type: schema, required: [id, bsn], forbidden: [religie] }
  - { name: schema_bad, type: schema, forbidden: [geheim], severity: warn }
  - { name: aggregate_ok, type: aggregate, expression: sum(bedrag), min: 55, max: 55 }
  - { name: aggregate_bad, type: aggregate, expression: avg(bedrag), min: 100, severity: warn }
  - { name: sql_ok, type: sql, sql: "select * from {{ this }} where id > 10" }
  - { name: sql_bad, type: sql, sql: "select * from {{ this }} t join ref('soorten') s on s.code = t.soort where s.code = 'c'", severity: warn }
  - { name: bsn_ok, type: bsn, column: bsn, where: 'id = 1' }
  - { name: bsn_bad, type: bsn, column: bsn, severity: warn }
  - { name: postcode_ok, type: postcode, column: postcode, where: 'id <= 2' }
  - { name: postcode_bad, type: postcode, column: postcode, severity: warn }
  - { name: kvk_ok, type: kvk, column: kvk, where: 'id <> 2' }
  - { name: kvk_bad, type: kvk, column: kvk, severity: warn }
  - { name: iban_ok, type: iban, column: iban, where: 'id <> 2' }
  - { name: iban_bad, type: iban, column: iban, severity: warn }
  - { name: bag_id_ok, type: bag_id, column: bag, object: verblijfsobject, where: 'id <> 2' }
  - { name: bag_id_bad, type: bag_id, column: bag, object: verblijfsobject, severity: warn }
  - { name: cbs_area_code_ok, type: cbs_area_code, column: buurt }
  - { name: cbs_area_code_bad, type: cbs_area_code, column: buurt, level: buurt, severity: warn }
  - { name: sbi_ok, type: sbi, column: sbi, where: 'id <> 3' }
  - { name: sbi_bad, type: sbi, column: sbi, severity: warn }
  - { name: encoding_ok, type: encoding, column: naam, where: 'id <> 2' }
  - { name: encoding_bad, type: encoding, column: naam, severity: warn }
  - { name: date_range_ok, type: date_range, column: datum, min: '-1 years', max: '+7 years' }
  - { name: date_range_bad, type: date_range, column: datum, max: today, severity: warn }
  - { name: mostly_ok, type: not_null, column: bsn, mostly: 0.75 }
`;

const SOURCE = `title: Testbron
owner: Team Test
domain: test
${TEST_PRIVACY}connector:
  type: csv
  path: t.csv
  delimiter: ';'
  date_format: dd-mm-jjjj
columns:
  id: { type: integer, classification: none }
  bsn: { type: text, classification: identifier, identifier: bsn }
  postcode: { type: text, classification: quasi_identifier, generalise: pc4 }
  kvk: { type: text, classification: none }
  iban: { type: text, classification: none }
  bag: { type: text, classification: none }
  buurt: { type: text, classification: none }
  sbi: { type: text, classification: none }
  naam: { type: text, classification: identifier, identifier: name }
  bedrag: { type: decimal, classification: sensitive, category: financial }
  datum: { type: date, classification: none }
  soort: { type: text, classification: none }
${CHECKS}`;

const SOORTEN = `title: Soorten
owner: Team Test
${TEST_PRIVACY}connector:
  type: csv
  path: soorten.csv
columns:
  code: { type: text, classification: none }
`;

function results(dir: string, runId: number): Map<string, CheckResult> {
  const state = new StateStore(statePath(mustLoad(dir)));
  try {
    return new Map(state.checkResults({ runId }).map((r) => [r.check, r]));
  } finally {
    state.close();
  }
}

describe('quality checks: every type passes and fails', () => {
  let dir: string;
  let byId: Map<string, CheckResult>;

  beforeAll(async () => {
    dir = writeProject({
      'pakhuis.yaml': PROJECT_YAML + 'reference_date: 2024-12-31\n',
      'data/t.csv': CSV,
      'data/soorten.csv': 'code\na\nb\nc\n',
      'sources/t.yaml': SOURCE,
      'sources/soorten.yaml': SOORTEN,
    });
    const summary = await build(dir);
    expect(summary.steps.map((s) => [s.node, s.status])).toEqual([
      ['soorten', 'success'],
      ['t', 'success'],
    ]);
    byId = results(dir, summary.runId);
  }, 60_000);

  const types = [
    'not_null',
    'unique',
    'accepted_values',
    'relationships',
    'range',
    'regex',
    'length',
    'row_count',
    'freshness',
    'schema',
    'aggregate',
    'sql',
    'bsn',
    'postcode',
    'kvk',
    'iban',
    'bag_id',
    'cbs_area_code',
    'sbi',
    'encoding',
    'date_range',
  ];
  it.each(types)('%s: the _ok check passes and the _bad check fails', (type) => {
    const ok = byId.get(`${type}_ok`);
    const bad = byId.get(`${type}_bad`);
    expect(ok?.status, JSON.stringify(ok)).toBe('pass');
    expect(bad?.status, JSON.stringify(bad)).toBe('warn');
  });

  it('counts the failing rows and names their file rows (the header is row 1)', () => {
    const rows = (id: string): Array<number | undefined> => (byId.get(id)?.examples ?? []).map((e) => e.row);
    expect([byId.get('bsn_bad')?.failed, byId.get('bsn_bad')?.evaluated]).toEqual([1, 3]);
    expect(rows('bsn_bad')).toEqual([3]); // 123456789 fails the elfproef; an empty value is not_null's business
    expect(rows('not_null_bad')).toEqual([5]);
    expect(rows('unique_bad')).toEqual([4]); // the second 111222333
    expect(rows('postcode_bad')).toEqual([5]); // SA, SD and SS are never issued
    expect(rows('encoding_bad')).toEqual([3]);
    expect(rows('date_range_bad')).toEqual([4]);
    expect(rows('range_bad')).toEqual([4]);
    expect(rows('kvk_bad')).toEqual([3]);
    expect(rows('iban_bad')).toEqual([3]);
    expect(rows('bag_id_bad')).toEqual([3]);
    expect(rows('cbs_area_code_bad')).toEqual([3]);
    expect(rows('sbi_bad')).toEqual([4]);
    expect(byId.get('sql_bad')?.failed).toBe(1);
    expect(byId.get('relationships_bad')?.failed).toBe(4);
  });

  it('shows examples only as they landed: pseudonyms for identifiers, nothing of sensitive data', () => {
    const bsn = byId.get('bsn_bad')?.examples[0]?.value;
    expect(bsn).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify([...byId.values()])).not.toContain('123456789');
    expect(JSON.stringify([...byId.values()])).not.toContain('MÃ¼ller');
    expect(byId.get('range_bad')?.examples).toEqual([{ row: 4, value: null }]);
  });

  it('mostly tolerates a share of failing rows', () => {
    expect(byId.get('mostly_ok')).toMatchObject({ status: 'pass', failed: 1, evaluated: 4 });
  });
});

describe('quality checks in the build', () => {
  const simple = (checks: string): string => `title: Bron
owner: Team Test
${TEST_PRIVACY}connector:
  type: csv
  path: a.csv
columns:
  id: { type: integer, classification: none }
  soort: { type: text, classification: none }
checks:
${checks}`;

  it('an error-severity failure stops what depends on the source, not the rest; the previous version stays', async () => {
    const dir = writeProject({
      'data/a.csv': 'id,soort\n1,x\n2,y\n',
      'data/b.csv': 'id,soort\n1,x\n',
      'sources/a.yaml': simple('  - { type: accepted_values, column: soort, values: [x, y] }\n'),
      'sources/b.yaml': simple('  - { type: not_null, column: id }\n').replace('a.csv', 'b.csv'),
      'models/ma.sql': "select * from ref('a')",
      'models/mb.sql': "select * from ref('b')",
    });
    const first = await build(dir);
    expect(first.status).toBe('success');
    writeFileSync(join(dir, 'data/a.csv'), 'id,soort\n1,x\n2,z\n3,z\n');
    const second = await build(dir);
    expect(second.steps.map((s) => [s.node, s.status])).toEqual([
      ['a', 'failed'],
      ['b', 'reused'],
      ['ma', 'skipped'],
      ['mb', 'success'],
    ]);
    expect(second.steps[0]?.error).toBe('check accepted_values_soort failed: 2 of 3 rows fail (66.67%)');
    expect(second.steps[0]?.fix).toMatch(/sources\/a\.yaml/);
    expect(second.status).toBe('failed');
    expect(second.version).toBeNull();
    // the failed build's check results are kept for the owner, with the rows to look at
    const r = results(dir, second.runId).get('accepted_values_soort');
    expect(r?.examples).toEqual([
      { row: 3, value: 'z' },
      { row: 4, value: 'z' },
    ]);
  }, 60_000);

  it('compares the row count with the previous load, and carries row checks of a reused source', async () => {
    const dir = writeProject({
      'data/a.csv': 'id,soort\n1,x\n2,y\n3,x\n4,x\n',
      'sources/a.yaml': simple(
        "  - { type: row_count_change, max_decrease: '10%' }\n  - { type: accepted_values, column: soort, values: [x], severity: warn }\n",
      ),
    });
    const first = await build(dir);
    const reused = await build(dir);
    expect(reused.steps[0]?.status).toBe('reused');
    expect(results(dir, reused.runId).get('accepted_values_soort')).toEqual(
      results(dir, first.runId).get('accepted_values_soort'),
    );
    writeFileSync(join(dir, 'data/a.csv'), 'id,soort\n1,x\n2,x\n3,x\n');
    const fewer = await build(dir);
    expect(results(dir, fewer.runId).get('row_count_change')).toMatchObject({
      status: 'fail',
      observed: -25,
      message: '3 rows, -25.0% against the previous load (4)',
    });
    expect(results(dir, fewer.runId).get('accepted_values_soort')?.status).toBe('pass');
  }, 60_000);

  it('runs the checks of a model, declared beside its SQL', async () => {
    const dir = writeProject({
      'data/a.csv': 'id,soort\n1,x\n2,\n',
      'sources/a.yaml': simple('  - { type: row_count, min: 1 }\n'),
      'models/m.sql': "select id, soort from ref('a')",
      'models/m.yaml': `title: Model
owner: Team Test
columns:
  soort: { description: de soort }
checks:
  - { type: not_null, column: soort }
  - { type: unique, columns: [id] }
`,
    });
    const summary = await build(dir);
    expect(summary.steps.map((s) => [s.node, s.status])).toEqual([
      ['a', 'success'],
      ['m', 'failed'],
    ]);
    expect(summary.steps[1]?.error).toBe('check not_null_soort failed: 1 of 2 rows fail (50.00%)');
    expect(results(dir, summary.runId).get('unique_id')?.status).toBe('pass');
  }, 60_000);

  it('a check naming an undeclared column or an unknown node is a definition error with its line', () => {
    const dir = writeProject({
      'data/a.csv': 'id,soort\n1,x\n',
      'sources/a.yaml': simple(
        "  - { type: not_null, column: sort }\n  - { type: relationships, column: soort, to: soortn }\n  - { type: regex, column: soort, pattern: '[' }\n",
      ),
    });
    const { errors } = loadProject(dir);
    expect(errors.map((e) => e.toString().split('\n')[0])).toEqual([
      'sources/a.yaml:16: check 1 (not_null): column sort is not declared',
      'sources/a.yaml:18: check 3 (regex): the pattern is not a valid regular expression (Invalid regular expression: /[/: Unterminated character class)',
      'sources/a.yaml:17: check relationships_soort: "soortn" names no source or model',
    ]);
    expect(errors[2]?.fix).toBe('name a source or model of this project');
  });
});

describe('artifacts', () => {
  it('every build writes manifest.json and run_results.json that validate against their schemas', async () => {
    const dir = writeProject({
      'data/a.csv': 'id,soort\n1,x\n',
      'sources/a.yaml': `title: Bron\nowner: Team Test\n${TEST_PRIVACY}connector:\n  type: csv\n  path: a.csv\ncolumns:\n  id: { type: integer, classification: none }\n  soort: { type: text, classification: none }\nchecks:\n  - { type: not_null, column: id }\n`,
      'models/m.sql': "select id from ref('a')",
    });
    const summary = await build(dir);
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv);
    for (const name of ['manifest', 'run_results']) {
      const schema = JSON.parse(readFileSync(`schemas/${name}.v1.schema.json`, 'utf8')) as object;
      const validate = ajv.compile(schema);
      for (const where of ['target', `runs/${summary.runId}`]) {
        const doc = JSON.parse(readFileSync(join(dir, '.pakhuis', where, `${name}.json`), 'utf8')) as unknown;
        expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      }
      // and the schema is not a rubber stamp: a broken document fails
      const doc = JSON.parse(readFileSync(join(dir, '.pakhuis/target', `${name}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(validate({ ...doc, [name === 'manifest' ? 'nodes' : 'steps']: 'none' })).toBe(false);
    }
    const manifest = JSON.parse(readFileSync(join(dir, '.pakhuis/target/manifest.json'), 'utf8')) as {
      nodes: Record<string, { columns: Array<{ name: string; type: string }> }>;
      edges: unknown[];
    };
    expect(manifest.nodes['m']?.columns).toEqual([
      { name: 'id', type: 'BIGINT', classification: 'none', description: null },
    ]);
    expect(manifest.edges).toEqual([{ from: 'a', to: 'm', label: 'ref' }]);
  }, 60_000);
});
