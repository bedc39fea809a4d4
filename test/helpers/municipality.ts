import { PROJECT_YAML, TEST_PRIVACY } from './project.js';

/**
 * Pieces of the small made-up municipality GM9999 that the indicator and server tests share: four
 * buurten in two wijken (geometry irrelevant), six events, and writers for a CSV source and an
 * indicator definition.
 */
const square = (x: number): number[][][] => [
  [
    [x, 0],
    [x + 1, 0],
    [x + 1, 1],
    [x, 1],
    [x, 0],
  ],
];

export const TEST_BUURTEN = ['BU99990101', 'BU99990102', 'BU99990201', 'BU99990202'];

export const BUURTEN_GEOJSON = JSON.stringify({
  type: 'FeatureCollection',
  features: TEST_BUURTEN.map((code, i) => ({
    type: 'Feature',
    properties: { statcode: code, statnaam: `Buurt ${i + 1}` },
    geometry: { type: 'Polygon', coordinates: square(i) },
  })),
});

// events: id, buurt, date
export const EVENTS_CSV = `id,buurtcode,datum
1,BU99990101,2020-03-01
2,BU99990101,2021-03-01
3,BU99990102,2021-07-01
4,BU99990201,2021-12-31
5,BU99990201,2022-01-01
6,BU99990202,2020-02-02
`;

/** A source definition reading a CSV file, approved for the purpose "test". */
export const csvSource = (file: string, columns: string, extra = ''): string =>
  `title: ${file}\nowner: Team Test\n${TEST_PRIVACY}${extra}connector:\n  type: csv\n  path: ${file}\ncolumns:\n${columns}`;

/** An indicator definition with the fields every test leaves alone. */
export const indicatorYaml = (body: string, label = 'Test'): string =>
  `label: ${label}\ndescription: Test\ntheme: test\ndomain: sociaal\nowner: Team Test\nunit: aantal\n${body}`;

/** The project files every test of the made-up municipality shares: settings, areas, the persons and events sources. */
export function testMunicipality(
  persons: string,
  extraSettings = '',
  areaSettings = '',
): Record<string, string> {
  return {
    'pakhuis.yaml':
      PROJECT_YAML.replace('GM0400, name: Den Helder', 'GM9999, name: Testgemeente') +
      `reference_date: 2022-12-31
${extraSettings}areas:
  buurten: areas/buurten.geojson
  custom:
    - { code: FOCUS, name: Focusgebied, buurten: [BU99990102, BU99990201] }
${areaSettings}`,
    'areas/buurten.geojson': BUURTEN_GEOJSON,
    'data/personen.csv': persons,
    'data/events.csv': EVENTS_CSV,
    'sources/personen.yaml': csvSource(
      'personen.csv',
      `  id: { type: integer, classification: none }
  buurtcode: { type: text, classification: none }
  ingeschreven: { type: date, classification: none }
  uitgeschreven: { type: date, classification: none }
  inkomen: { type: decimal, classification: none }
  uitkering: { type: integer, classification: none }
`,
    ),
    'sources/events.yaml': csvSource(
      'events.csv',
      `  id: { type: integer, classification: none }
  buurtcode: { type: text, classification: none }
  datum: { type: date, classification: none }
`,
    ),
  };
}
