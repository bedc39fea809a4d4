import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load.js';
import { writeProject } from '../helpers/project.js';

const SOURCE = `title: Personen
owner: Team Burgerzaken
domain: sociaal
connector:
  type: csv
  path: personen.csv
columns:
  bsn: { type: text, classification: identifier, identifier: bsn }
  geboortedatum: { type: date, classification: quasi_identifier }
privacy:
  legal_basis: { ground: e, law: Wet BRP }
  purposes: [test]
  data_subjects: [inwoners]
  retention: { years: 5, column: geboortedatum }
`;

function errorsOf(files: Record<string, string>): string[] {
  const { project, errors } = loadProject(writeProject(files));
  expect(project).toBeUndefined();
  return errors.map(String);
}

describe('project loader', () => {
  it('loads a valid project into a strict definition in dependency order', () => {
    const { project, errors } = loadProject(
      writeProject({
        'sources/personen.yaml': SOURCE,
        'models/b_telling.sql': "select count(*) as n from ref('a_schoon')",
        'models/a_schoon.sql': "select * from ref('personen')",
      }),
    );
    expect(errors).toEqual([]);
    expect(project?.order).toEqual(['personen', 'a_schoon', 'b_telling']);
    expect(project?.sources[0]?.columns.map((c) => [c.name, c.type, c.header])).toEqual([
      ['bsn', 'text', 'bsn'],
      ['geboortedatum', 'date', 'geboortedatum'],
    ]);
    expect(project?.sources[0]?.connector).toMatchObject({
      type: 'csv',
      delimiter: 'auto',
      encoding: 'auto',
      dateFormat: '%Y-%m-%d',
    });
  });

  it('names a missing pakhuis.yaml and how to create one', () => {
    const { errors } = loadProject('/nonexistent-project-dir');
    expect(String(errors[0])).toMatch(/no pakhuis\.yaml.*\n {2}fix: run `pakhuis init <dir>`/);
  });

  it('reports an unknown key with its file, line and a did-you-mean', () => {
    const errors = errorsOf({ 'sources/personen.yaml': SOURCE.replace('owner:', 'ownr: x\nowner:') });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(
      'sources/personen.yaml:2: unknown key "ownr" in the top level\n  fix: did you mean "owner"?',
    );
  });

  it('reports an unknown key inside a column', () => {
    const errors = errorsOf({
      'sources/personen.yaml': SOURCE.replace('bsn: { type: text,', 'bsn: { type: text, requird: true,'),
    });
    expect(errors[0]).toBe(
      'sources/personen.yaml:8: unknown key "requird" in columns.bsn\n  fix: did you mean "required"?',
    );
  });

  it('reports a column without a type', () => {
    const errors = errorsOf({
      'sources/personen.yaml': SOURCE.replace(
        'geboortedatum: { type: date,',
        'geboortedatum: { header: Geboortedatum,',
      ),
    });
    expect(errors[0]).toMatch(
      /^sources\/personen\.yaml:9: columns\.geboortedatum\.type is missing\n {2}fix: add type: one of text, integer, decimal, number, date, timestamp, boolean$/,
    );
  });

  it('suggests the closest column type for a typo', () => {
    const errors = errorsOf({ 'sources/personen.yaml': SOURCE.replace('type: date', 'type: datum') });
    expect(errors[0]).toMatch(
      /:9: columns\.geboortedatum\.type is "datum", which is not allowed\n {2}fix: did you mean "date"\? allowed: text, integer/,
    );
  });

  it('reports an unsupported connector type with the supported ones', () => {
    const errors = errorsOf({ 'sources/personen.yaml': SOURCE.replace('type: csv', 'type: xml') });
    expect(errors[0]).toBe(
      'sources/personen.yaml:5: connector.type is "xml", which is not supported\n  fix: set type to one of: csv, xlsx, json, parquet, cbs',
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const errors = errorsOf({ 'sources/personen.yaml': 'title: x\nowner: [unclosed\n' });
    expect(errors[0]).toMatch(/^sources\/personen\.yaml:\d+: YAML syntax:/);
  });

  it('reports an invalid municipality code', () => {
    const errors = errorsOf({
      'pakhuis.yaml': 'version: 1\nmunicipality: { code: 400, name: Den Helder }\n',
    });
    expect(errors[0]).toMatch(/^pakhuis\.yaml:2: municipality\.code should be string, not number 400/);
  });

  it('reports an unknown ref with the line and the closest name', () => {
    const errors = errorsOf({
      'sources/personen.yaml': SOURCE,
      'models/telling.sql': "-- telling\nselect count(*)\nfrom ref('persoon')",
    });
    expect(errors).toEqual([
      "models/telling.sql:3: ref('persoon') names no source or model\n  fix: did you mean ref('personen')?",
    ]);
  });

  it('reports a dependency cycle with its path', () => {
    const errors = errorsOf({
      'sources/personen.yaml': SOURCE,
      'models/a.sql': "select * from ref('b')",
      'models/b.sql': "select * from ref('c')",
      'models/c.sql': "select * from ref('personen') join ref('a') using (bsn)",
    });
    expect(errors).toEqual([
      'models/a.sql:1: dependency cycle: a → b → c → a\n  fix: sources, models and their checks must form a DAG: remove one of these refs or checks, or split a model in two',
    ]);
  });

  it('reports a name used by both a source and a model', () => {
    const errors = errorsOf({ 'sources/personen.yaml': SOURCE, 'models/personen.sql': 'select 1' });
    expect(errors[0]).toMatch(
      /^models\/personen\.sql: the name "personen" is already used by sources\/personen\.yaml/,
    );
  });

  it('reports an invalid model file name and an invalid pattern', () => {
    const errors = errorsOf({
      'sources/personen.yaml': SOURCE.replace('bsn: { type: text,', "bsn: { type: text, pattern: '[0-9',"),
      'models/Telling-2024.sql': 'select 1',
    });
    expect(
      errors.some((e) => e.startsWith('models/Telling-2024.sql: model name "Telling-2024" is not valid')),
    ).toBe(true);
    expect(
      errors.some((e) =>
        e.startsWith('sources/personen.yaml:8: column bsn: the pattern is not a valid regular expression'),
      ),
    ).toBe(true);
  });

  it('refuses a column without a classification, naming the choices', () => {
    const errors = errorsOf({
      'sources/personen.yaml': SOURCE.replace(
        'geboortedatum: { type: date, classification: quasi_identifier }',
        'geboortedatum: { type: date }',
      ),
    });
    expect(errors[0]).toBe(
      'sources/personen.yaml:9: columns.geboortedatum.classification is missing\n  fix: add classification: one of identifier, quasi_identifier, sensitive, protected, none',
    );
  });

  it('checks the privacy declarations: linking domain, AVG category, generalisation, retention column', () => {
    expect(errorsOf({ 'sources/personen.yaml': SOURCE.replace('domain: sociaal\n', '') })[0]).toMatch(
      /^sources\/personen\.yaml:7: identifier column bsn but no linking domain\n {2}fix: add `domain: <name>`/,
    );
    expect(
      errorsOf({
        'sources/personen.yaml': SOURCE.replace(
          'classification: quasi_identifier',
          'classification: sensitive',
        ),
      })[0],
    ).toMatch(
      /^sources\/personen\.yaml:9: column geboortedatum is sensitive but has no AVG category\n {2}fix: add category: health/,
    );
    expect(
      errorsOf({
        'sources/personen.yaml': SOURCE.replace(
          'classification: quasi_identifier',
          'classification: quasi_identifier, generalise: pc4',
        ),
      })[0],
    ).toMatch(/:9: column geboortedatum: generalise: pc4 does not fit type date/);
    expect(
      errorsOf({ 'sources/personen.yaml': SOURCE.replace('column: geboortedatum', 'column: bsn') })[0],
    ).toMatch(/:14: retention\.column "bsn" is not a declared date column/);
    expect(errorsOf({ 'sources/personen.yaml': SOURCE.replace('ground: e', 'ground: g') })[0]).toMatch(
      /:11: privacy\.legal_basis\.ground is "g", which is not allowed/,
    );
  });

  it('accepts a max_bad_rows share and converts Dutch date patterns', () => {
    const { project } = loadProject(
      writeProject({
        'sources/personen.yaml': SOURCE.replace(
          'path: personen.csv',
          'path: personen.csv\n  max_bad_rows: 1.5%\n  date_format: dd-mm-jjjj',
        ),
      }),
    );
    expect(project?.sources[0]?.connector).toMatchObject({
      maxBadRows: { kind: 'share', value: 0.015 },
      dateFormat: '%d-%m-%Y',
    });
  });
});
