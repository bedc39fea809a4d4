import { describe, expect, it } from 'vitest';
import { CbsError } from '../../src/cbs/errors.js';
import { CbsV4, observationStatus, pivot, type MeasureCode, type Observation } from '../../src/cbs/v4.js';
import { FAST, useFakeCbs, V4_TABLE } from './fixtures.js';

const cbs = useFakeCbs();
const client = () => new CbsV4({ baseUrl: cbs().url, ...FAST });
const OBSERVATIONS = `/CBS/${V4_TABLE}/Observations`;

describe('OData v4 metadata', () => {
  it('measure codes, dimensions and the codes of a dimension (trimmed, served key kept)', async () => {
    const v4 = client();
    expect((await v4.measureCodes(V4_TABLE)).map((m) => [m.Identifier, m.Title, m.Unit])).toEqual([
      ['T001036', 'Aantal inwoners', 'aantal'],
      ['3000', 'Mannen', 'aantal'],
      ['4000', 'Vrouwen', 'aantal'],
      ['10680', '0 tot 15 jaar', 'aantal'],
      ['53050', '15 tot 25 jaar', 'aantal'],
      ['53310', '25 tot 45 jaar', 'aantal'],
    ]);
    expect(await v4.dimensions(V4_TABLE)).toMatchObject([
      { Identifier: 'WijkenEnBuurten', Kind: 'GeoDimension' },
    ]);
    const codes = await v4.dimensionCodes(V4_TABLE, 'WijkenEnBuurten');
    expect(codes.map((c) => [c.key, c.rawKey, c.title])).toEqual([
      ['NL00', 'NL00      ', 'Nederland'],
      ['GM0400', 'GM0400    ', 'Den Helder'],
      ['BU04000100', 'BU04000100', 'Marinehaven'],
    ]);
  });

  it('the Properties singleton', async () => {
    expect(await client().properties(V4_TABLE)).toMatchObject({
      Identifier: '83765NED',
      ObservationCount: 8,
    });
  });

  it('an unknown table is a 404 naming it', async () => {
    await expect(client().measureCodes('83765NEX')).rejects.toMatchObject({
      status: 404,
      fix: expect.stringMatching(/^check the table id "83765NEX" and the catalog/),
    });
  });
});

describe('OData v4 observations', () => {
  it('pages through @odata.nextLink and collects every observation exactly once', async () => {
    const before = cbs().hits(OBSERVATIONS);
    const observations = await client().observations(V4_TABLE);
    expect(cbs().hits(OBSERVATIONS) - before).toBe(3); // 8 observations, 3 a page
    expect(observations.map((o) => o['Id'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('long rows: codes trimmed, Value null stays null, ValueAttribute read as a status', async () => {
    const observations = await client().observations(V4_TABLE);
    expect(observations[0]).toEqual({
      Id: 0,
      Measure: 'T001036',
      Value: 17081507,
      ValueAttribute: 'None',
      status: 'ok',
      WijkenEnBuurten: 'NL00',
    });
    expect(observations.slice(6)).toEqual([
      {
        Id: 6,
        Measure: 'T001036',
        Value: null,
        ValueAttribute: 'Confidential',
        status: 'confidential',
        WijkenEnBuurten: 'BU04000100',
      },
      {
        Id: 7,
        Measure: '10680',
        Value: null,
        ValueAttribute: 'Impossible',
        status: 'impossible',
        WijkenEnBuurten: 'BU04000100',
      },
    ]);
  });

  it('filters by dimension code (looked up, sent padded) and by measure', async () => {
    const v4 = client();
    const nl = await v4.observations(V4_TABLE, { dimensions: { WijkenEnBuurten: ['NL00'] } });
    expect(nl.map((o) => o['Id'])).toEqual([0, 1, 2, 3, 4, 5]);
    const inhabitants = await v4.observations(V4_TABLE, { measures: ['T001036'] });
    expect(inhabitants.map((o) => [o['WijkenEnBuurten'], o.Value])).toEqual([
      ['NL00', 17081507],
      ['BU04000100', null],
    ]);
    const both = await v4.observations(V4_TABLE, {
      measures: ['3000', '4000'],
      dimensions: { WijkenEnBuurten: ['NL00'] },
    });
    expect(both.map((o) => o.Value)).toEqual([8475102, 8606405]);
    const filters = cbs()
      .requests.map((r) => new URL(r, cbs().url))
      .filter((u) => u.pathname === OBSERVATIONS && u.searchParams.get('$skip') === null)
      .map((u) => u.searchParams.get('$filter'));
    expect(filters.at(-1)).toBe(
      "((Measure eq '3000' or Measure eq '4000')) and ((WijkenEnBuurten eq 'NL00      '))",
    );
  });

  it('an unknown measure or code is an error before anything is read', async () => {
    await expect(client().observations(V4_TABLE, { measures: ['T001037'] })).rejects.toThrow(
      'MeasureCodes of 83765NED has no code "T001037"',
    );
    await expect(
      client().observations(V4_TABLE, { dimensions: { WijkenEnBuurten: ['GM0401'] } }),
    ).rejects.toBeInstanceOf(CbsError);
  });

  it.each([
    ['None', 5, 'ok'],
    ['None', null, 'unavailable'],
    ['Impossible', null, 'impossible'],
    ['Confidential', null, 'confidential'],
    ['SomethingNew', null, 'unavailable'],
    ['SomethingNew', 7, 'ok'],
    [null, 7, 'ok'],
  ] as const)('ValueAttribute %s with Value %s → %s', (attribute, value, status) => {
    expect(observationStatus(attribute, value)).toBe(status);
  });
});

describe('pivot to wide rows', () => {
  it('a row per area (+ period) with a column per measure title; missing cells flagged', async () => {
    const v4 = client();
    const [observations, measures] = await Promise.all([
      v4.observations(V4_TABLE),
      v4.measureCodes(V4_TABLE),
    ]);
    expect(pivot(observations, { measures, area: 'WijkenEnBuurten', period: '2017' })).toEqual([
      {
        area: 'NL00',
        period: '2017',
        values: {
          'Aantal inwoners': 17081507,
          Mannen: 8475102,
          Vrouwen: 8606405,
          '0 tot 15 jaar': 2781768,
          '15 tot 25 jaar': 2101648,
          '25 tot 45 jaar': 4214276,
        },
        missing: {},
      },
      {
        area: 'BU04000100',
        period: '2017',
        values: { 'Aantal inwoners': null, '0 tot 15 jaar': null },
        missing: { 'Aantal inwoners': 'confidential', '0 tot 15 jaar': 'impossible' },
      },
    ]);
  });

  const obs = (Measure: string, Value: number, extra: Record<string, string> = {}): Observation => ({
    Measure,
    Value,
    ValueAttribute: 'None',
    status: 'ok',
    WijkenEnBuurten: 'GM0400',
    ...extra,
  });
  const measure = (Identifier: string, Title: string): MeasureCode => ({ Identifier, Title });

  it('takes the period from a time dimension', () => {
    const rows = pivot([obs('M1', 1, { Perioden: '2023JJ00' }), obs('M1', 2, { Perioden: '2024JJ00' })], {
      measures: [measure('M1', 'Inwoners')],
      area: 'WijkenEnBuurten',
      periodDimension: 'Perioden',
    });
    expect(rows.map((r) => [r.period, r.values])).toEqual([
      ['2023JJ00', { Inwoners: 1 }],
      ['2024JJ00', { Inwoners: 2 }],
    ]);
  });

  it('a title two measures share gets the identifier', () => {
    const [row] = pivot([obs('M54', 1), obs('M62', 2)], {
      measures: [measure('M54', 'Appartement'), measure('M62', 'Appartement')],
      area: 'WijkenEnBuurten',
    });
    expect(row?.values).toEqual({ 'Appartement (M54)': 1, 'Appartement (M62)': 2 });
  });

  it('two observations for one cell (another dimension) are an error, not an overwrite', () => {
    expect(() =>
      pivot([obs('M1', 1, { Geslacht: 'Mannen' }), obs('M1', 2, { Geslacht: 'Vrouwen' })], {
        measures: [measure('M1', 'Inwoners')],
        area: 'WijkenEnBuurten',
      }),
    ).toThrow(expect.objectContaining({ fix: 'filter Geslacht to one code before pivoting' }));
  });
});
