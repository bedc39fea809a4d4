import { describe, expect, it } from 'vitest';
import { CbsError, CbsMeasureError } from '../../src/cbs/errors.js';
import { anyEq, containsAny } from '../../src/cbs/odata.js';
import { CbsV3, readCell, resolveMeasure } from '../../src/cbs/v3.js';
import { FAST, KWB_2024, KWB_SHIFTED, useFakeCbs } from './fixtures.js';

const FEED = (entity: string, table = KWB_2024) => `/ODataFeed/odata/${table}/${entity}`;

const cbs = useFakeCbs();
const client = () => new CbsV3({ baseUrl: cbs().url, ...FAST });
/** The query parameters of the requests to `path` since request number `from`. */
const sent = (from: number, path: string) =>
  cbs()
    .requests.slice(from)
    .map((r) => new URL(r, cbs().url))
    .filter((u) => u.pathname === path)
    .map((u) => u.searchParams);

describe('OData v3 metadata', () => {
  it('reads a service document (the real one of 37296ned)', async () => {
    const document = await client().serviceDocument('37296ned');
    expect(document.map((d) => d.name)).toEqual([
      'TableInfos',
      'UntypedDataSet',
      'TypedDataSet',
      'DataProperties',
      'CategoryGroups',
      'Perioden',
    ]);
  });

  it('reads TableInfos and DataProperties of 85984NED', async () => {
    const info = await client().tableInfos(KWB_2024);
    expect(info).toMatchObject({
      Identifier: '85984NED',
      Title: 'Kerncijfers wijken en buurten 2024',
      Period: '2024',
    });
    const properties = await client().dataProperties(KWB_2024);
    expect(properties).toHaveLength(172);
    expect(properties[0]).toMatchObject({ Type: 'GeoDetail', Key: 'WijkenEnBuurten' });
  });

  it('dimension: padded keys come out trimmed, the served key is kept; read through the feed', async () => {
    const before = cbs().hits(FEED('WijkenEnBuurten'));
    const regions = await client().dimension(KWB_2024, 'WijkenEnBuurten');
    expect(cbs().hits(FEED('WijkenEnBuurten')) - before).toBe(5); // 14 codes, 3 a page
    expect(regions.find((r) => r.key === 'GM0400')).toMatchObject({
      rawKey: 'GM0400    ',
      title: 'Den Helder',
    });
    expect(regions.find((r) => r.key === 'WK040008')?.title).toBe('Wijk 08 Julianadorp');
  });
});

describe('OData v3 data sets', () => {
  it('pages through ODataFeed by odata.nextLink and collects every row exactly once', async () => {
    const before = cbs().hits(FEED('TypedDataSet'));
    const firstRequest = cbs().requests.length;
    const rows = await client().typedDataSet(KWB_2024);
    expect(rows).toHaveLength(13);
    expect(rows.map((r) => r.values['ID'])).toEqual([...Array(13).keys()]);
    expect(cbs().hits(FEED('TypedDataSet')) - before).toBe(5);
    const pages = sent(firstRequest, FEED('TypedDataSet'));
    expect(pages.map((p) => p.get('$format'))).toEqual(Array(5).fill('json'));
    expect(pages.map((p) => p.get('$skip'))).toEqual([null, '3', '6', '9', '12']);
  });

  it('codes and text measures come out trimmed', async () => {
    const [gemeente] = await client().typedDataSet(KWB_2024, { where: { WijkenEnBuurten: ['GM0400'] } });
    expect(gemeente?.values).toMatchObject({
      WijkenEnBuurten: 'GM0400',
      Gemeentenaam_1: 'Den Helder',
      SoortRegio_2: 'Gemeente',
      Codering_3: 'GM0400',
      AantalInwoners_5: 56432,
    });
  });

  it('exact codes are looked up and sent padded, as CBS compares them', async () => {
    const firstRequest = cbs().requests.length;
    const rows = await client().typedDataSet(KWB_2024, {
      where: { WijkenEnBuurten: ['GM0400', 'WK040008'] },
      select: ['WijkenEnBuurten', 'AantalInwoners_5'],
    });
    expect(rows.map((r) => r.values)).toEqual([
      { WijkenEnBuurten: 'GM0400', AantalInwoners_5: 56432 },
      { WijkenEnBuurten: 'WK040008', AantalInwoners_5: 12920 },
    ]);
    expect(sent(firstRequest, FEED('TypedDataSet'))[0]?.get('$filter')).toBe(
      "(WijkenEnBuurten eq 'GM0400    ' or WijkenEnBuurten eq 'WK040008  ')",
    );
  });

  it('an unpadded code in a raw filter finds nothing, as at CBS', async () => {
    expect(await client().typedDataSet(KWB_2024, { filter: anyEq('WijkenEnBuurten', ['GM0400']) })).toEqual(
      [],
    );
  });

  it('substringof needs no padding', async () => {
    const rows = await client().typedDataSet(KWB_2024, {
      filter: containsAny('v3', 'WijkenEnBuurten', ['WK0400']),
    });
    expect(rows.map((r) => r.values['WijkenEnBuurten'])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `WK04000${n}`),
    );
  });

  it('an unknown code is an error naming the dimension, with codes near it', async () => {
    const error = await client()
      .typedDataSet(KWB_2024, { where: { WijkenEnBuurten: ['GM0401'] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CbsError);
    expect(error).toMatchObject({
      message: 'dimension WijkenEnBuurten of 85984NED has no code "GM0401"',
      fix: expect.stringContaining('GM0400'),
    });
  });

  it('a secret cell stays null and is flagged, in the typed and the untyped set alike', async () => {
    const where = { WijkenEnBuurten: ['BU04000100', 'BU04000102'] };
    const typed = await client().typedDataSet(KWB_2024, { where });
    const marinehaven = typed[0];
    expect(marinehaven?.values['AantalInwoners_5']).toBeNull();
    expect(marinehaven?.values['Woningvoorraad_35']).toBe(3);
    expect(marinehaven?.missing).toEqual({
      AantalInwoners_5: 'unavailable',
      Mannen_6: 'unavailable',
      Vrouwen_7: 'unavailable',
      Bevolkingsdichtheid_34: 'unavailable',
    });
    expect(typed[1]?.missing).toEqual({});
    expect(await client().untypedDataSet(KWB_2024, { where })).toEqual(typed);
  });

  it('the untyped set gives the same rows as the typed set', async () => {
    expect(await client().untypedDataSet(KWB_2024)).toEqual(await client().typedDataSet(KWB_2024));
  });

  it('a key of another year in $select is a 400 with the fix', async () => {
    const error = await client()
      .typedDataSet(KWB_SHIFTED, { select: ['AantalInwoners_5'] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      message: expect.stringContaining("CBS says: Could not find a property named 'AantalInwoners_5'"),
      fix: expect.stringContaining('their _<n> suffix differs per table'),
    });
  });
});

describe('cells as CBS writes them', () => {
  it.each([
    [56432, true, 56432, 'ok'],
    ['     56432', true, 56432, 'ok'],
    ['       2.1', true, 2.1, 'ok'],
    ['-3', true, -3, 'ok'],
    [null, true, null, 'unavailable'],
    ['       .', true, null, 'unavailable'],
    ['', true, null, 'impossible'],
    ['x', true, null, 'confidential'],
    ['n.v.t.', true, null, 'unavailable'],
    ['Den Helder                              ', false, 'Den Helder', 'ok'],
    ['.', false, null, 'unavailable'],
  ])('%j → %j (%s)', (raw, numeric, value, status) => {
    expect(readCell(raw, numeric)).toEqual({ value, status });
  });
});

describe('resolveMeasure', () => {
  const properties = (table = KWB_2024) => client().dataProperties(table);

  it('finds a measure by key, by stem and by title', async () => {
    const p = await properties();
    for (const name of [
      'AantalInwoners_5',
      'AantalInwoners',
      'aantalinwoners',
      'Aantal inwoners',
      ' aantal  INWONERS ',
    ]) {
      expect(resolveMeasure(p, name)).toEqual({
        key: 'AantalInwoners_5',
        stem: 'AantalInwoners',
        title: 'Aantal inwoners',
        unit: 'aantal',
        datatype: 'Long',
        decimals: 0,
      });
    }
    expect(resolveMeasure(p, 'Gemiddeld inkomen per inwoner')).toMatchObject({
      key: 'GemiddeldInkomenPerInwoner_83',
      unit: 'x 1 000 euro',
      decimals: 1,
    });
  });

  it('a key renamed in another year (AantalInwoners_5 → _4) resolves by stem and title', async () => {
    const shifted = await properties(KWB_SHIFTED);
    expect(shifted.some((p) => p.Key === 'AantalInwoners_5')).toBe(false);
    expect(resolveMeasure(shifted, 'AantalInwoners_5').key).toBe('AantalInwoners_4');
    expect(resolveMeasure(shifted, 'AantalInwoners').key).toBe('AantalInwoners_4');
    expect(resolveMeasure(shifted, 'Aantal inwoners').key).toBe('AantalInwoners_4');
    expect(resolveMeasure(await properties(), 'AantalInwoners_4').key).toBe('AantalInwoners_5');
  });

  it('an ambiguous title or stem lists the candidates with unit and group', async () => {
    const p = await properties();
    const error = (() => {
      try {
        resolveMeasure(p, 'Appartement');
      } catch (e) {
        return e as CbsMeasureError;
      }
    })();
    expect(error).toBeInstanceOf(CbsMeasureError);
    expect(error?.candidates).toEqual([
      'Appartement_54 "Appartement" [kWh] in Energie › Gemiddelde elektriciteitslevering › Naar woningtype',
      'Appartement_62 "Appartement" [m³] in Energie › Gemiddeld aardgasverbruik › Naar woningtype',
    ]);
    expect(error?.message).toMatch(/^"Appartement" matches 2 measures: /);
    expect(() => resolveMeasure(p, 'Nederland')).toThrow(
      /Nederland_17 .* Herkomstland; Nederland_20 .* Geboren in Nederland/,
    );
  });

  it('an absent measure is an error with the nearest candidates', async () => {
    const p = await properties();
    expect(() => resolveMeasure(p, 'AantalInwonerz')).toThrow(CbsMeasureError);
    expect(() => resolveMeasure(p, 'AantalInwonerz')).toThrow(/is not a measure of this table/);
    try {
      resolveMeasure(p, 'AantalInwonerz');
    } catch (e) {
      expect((e as CbsMeasureError).fix).toContain(
        'AantalInwoners_5 "Aantal inwoners" [aantal] in Bevolking',
      );
    }
  });

  it('groups and dimensions are not measures', async () => {
    const p = await properties();
    expect(() => resolveMeasure(p, 'Bevolking')).toThrow(CbsMeasureError);
    expect(() => resolveMeasure(p, 'WijkenEnBuurten')).toThrow(CbsMeasureError);
  });
});
