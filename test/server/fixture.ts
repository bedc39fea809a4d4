import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { build, mustLoad, writeProject } from '../helpers/project.js';
import { csvSource, indicatorYaml, testMunicipality } from '../helpers/municipality.js';
import type { Project } from '../../src/project/types.js';

/**
 * A small municipality for the server tests (after test/indicators/compute.test.ts): four buurten in
 * two wijken of GM9999, persons and events, five indicators, one publication, a public CBS source
 * and a custom area.
 */

// ten persons per buurt so that the publication has cells above k; a few move out
const PERSONS = [
  'id,buurtcode,ingeschreven,uitgeschreven,inkomen,uitkering',
  ...Array.from({ length: 40 }, (_, i) => {
    const buurt = ['BU99990101', 'BU99990102', 'BU99990201', 'BU99990202'][i % 4] as string;
    const out = i % 7 === 0 ? '2021-06-30' : '';
    return `${i + 1},${buurt},20${19 + (i % 3)}-01-01,${out},${10 + i},${i % 3 === 0 ? 1 : 0}`;
  }),
].join('\n');
const CBS = `code,inwoners
GM9999,41
WK999901,20
WK999902,21
`;

const stock = 'period: { kind: stock, from: ingeschreven, to: uitgeschreven, first: 2019-01-01 }\n';

export function writeServerProject(): string {
  return writeProject({
    ...testMunicipality(
      PERSONS,
      'catalog: { contact: { name: Team Open Data, email: opendata@testgemeente.example, url: https://testgemeente.example/open-data } }\n',
    ),
    'data/cbs.csv': CBS,
    // open data: the one kind of source the public read layer may read
    'sources/cbs.yaml': csvSource(
      'cbs.csv',
      `  code: { type: text, classification: none }
  inwoners: { type: integer, classification: none }
`,
      'catalog: { theme: [bestuur], access: public, licence: cc-by-4.0 }\n',
    ),
    'models/inwoners.sql': "select * from ref('personen')",
    'models/gebeurtenissen.sql': "select * from ref('events')",
    'models/inwoners_buurt.sql':
      "select buurtcode, count(*) as aantal from ref('personen') where uitgeschreven is null group by 1",
    'publications/inwoners_per_buurt.yaml': `title: Inwoners per buurt
description: Aantal inwoners; kleine aantallen zijn geheim.
model: inwoners_buurt
measure: count
area: buurtcode
count: aantal
`,
    'indicators/aantal_inwoners.yaml': indicatorYaml(
      `type: count\nmodel: inwoners\n${stock}label_en: Inhabitants\npolarity: higher_is_better\ncbs: { source: cbs, code: code, value: inwoners, period: '2022' }\n`,
      'Inwoners',
    ),
    'indicators/meldingen.yaml': indicatorYaml(
      `type: count\nmodel: gebeurtenissen\nperiod: { kind: flow, date: datum, first: 2019-01-01 }\n`,
    ),
    'indicators/gemiddeld_inkomen.yaml': indicatorYaml(
      `type: mean\nmodel: inwoners\nvalue: inkomen\ndecimals: 1\n${stock}`,
    ),
    'indicators/aandeel_uitkering.yaml': indicatorYaml(
      `type: share\nmodel: inwoners\nnumerator: { filter: uitkering = 1 }\npolarity: lower_is_better\ntarget: { value: 60 }\n${stock}`,
    ),
  });
}

/** Write and build the project; the published version is what the server serves. */
export async function builtServerProject(): Promise<{ dir: string; project: Project }> {
  const dir = writeServerProject();
  const summary = await build(dir);
  expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
  return { dir, project: mustLoad(dir) };
}

/**
 * Validate response bodies against the schemas of the served OpenAPI document, so the documentation
 * and what the server sends cannot drift apart.
 */
export function openApiValidator(doc: object): (component: string, body: unknown) => void {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  return (component, body) => {
    const validate = ajv.getSchema(`openapi.json#/components/schemas/${component}`);
    if (!validate) throw new Error(`no component ${component}`);
    expect(validate(body), JSON.stringify(validate.errors, null, 2)).toBe(true);
  };
}

/** The Accept header Excel and Power BI send to an OData feed. */
export const POWER_QUERY_ACCEPT =
  'application/json;odata.metadata=minimal;q=1.0,application/json;odata=minimalmetadata;q=0.9,application/atomsvc+xml;q=0.8,application/atom+xml;q=0.8,application/xml;q=0.7,text/plain;q=0.7';
