import { createRequire } from 'node:module';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import {
  ODataError,
  parseFilter,
  parseKey,
  parseOrderBy,
  type Kind,
  type ODataRow,
} from '../../src/server/odata/filter.js';
import { builtServerProject, POWER_QUERY_ACCEPT } from './fixture.js';

const { xml2json } = createRequire(import.meta.url)('odata-csdl') as {
  xml2json: (xml: string, o?: { strict?: boolean }) => Record<string, Record<string, unknown>>;
};

describe('OData $filter, $orderby and keys: parsed by hand, evaluated in memory', () => {
  const kinds = new Map<string, Kind>([
    ['Name', 'string'],
    ['Value', 'number'],
    ['Flag', 'boolean'],
  ]);
  const rows: ODataRow[] = [
    { Name: 'Oost', Value: 10, Flag: true },
    { Name: "Sint Maarten's", Value: 2.5, Flag: false },
    { Name: 'West', Value: null, Flag: false },
    { Name: 'Noord', Value: -3, Flag: true },
  ];
  const names = (filter: string): string[] =>
    rows.filter(parseFilter(filter, kinds)).map((r) => r.Name as string);

  it('compares with eq ne gt ge lt le, joins with and/or/not and parentheses', () => {
    expect(names("Name eq 'Oost'")).toEqual(['Oost']);
    expect(names("Name ne 'Oost'")).toEqual(["Sint Maarten's", 'West', 'Noord']);
    expect(names('Value gt 2.5')).toEqual(['Oost']);
    expect(names('Value ge 2.5')).toEqual(['Oost', "Sint Maarten's"]);
    expect(names('Value lt 0')).toEqual(['Noord']);
    expect(names('Value le -3')).toEqual(['Noord']);
    expect(names("Value gt 0 and Name ne 'Oost'")).toEqual(["Sint Maarten's"]);
    expect(names("Name eq 'West' or Value lt 0")).toEqual(['West', 'Noord']);
    expect(names("not (Name eq 'West' or Value lt 0)")).toEqual(['Oost', "Sint Maarten's"]);
    expect(names('(Value gt 0 or Value lt 0) and not Flag')).toEqual(["Sint Maarten's"]);
    expect(names('Flag eq true')).toEqual(['Oost', 'Noord']);
    expect(names('Value ge 1e1')).toEqual(['Oost']);
  });

  it('reads string literals with doubled quotes and string functions', () => {
    expect(names("Name eq 'Sint Maarten''s'")).toEqual(["Sint Maarten's"]);
    expect(names("contains(Name, 'oo')")).toEqual(['Noord']);
    expect(names("startswith(Name,'W') or endswith(Name, 'st')")).toEqual(['Oost', 'West']);
    expect(names("tolower(Name) eq 'west'")).toEqual(['West']);
    expect(names('length(Name) eq 4')).toEqual(['Oost', 'West']);
  });

  it('treats null as OData does: eq null matches, an ordering comparison with null is false', () => {
    expect(names('Value eq null')).toEqual(['West']);
    expect(names('Value ne null')).toEqual(['Oost', "Sint Maarten's", 'Noord']);
    expect(names('Value lt 100')).toEqual(['Oost', "Sint Maarten's", 'Noord']);
    // lt with null is false (not unknown), so its negation is true
    expect(names('not (Value lt 100)')).toEqual(['West']);
  });

  it('rejects what it cannot type-check, with a message that names it', () => {
    const fails = (filter: string, message: RegExp): void => {
      let error: unknown;
      try {
        parseFilter(filter, kinds);
      } catch (e) {
        error = e;
      }
      expect(error, filter).toBeInstanceOf(ODataError);
      expect((error as ODataError).status).toBe(400);
      expect((error as ODataError).message, filter).toMatch(message);
    };
    fails("Naam eq 'x'", /unknown property "Naam"/);
    fails("Value eq 'tien'", /cannot compare number with string/);
    fails('Value', /needs a condition/);
    fails('Name gt null', /null can only be compared with eq or ne/);
    fails("Name eq 'open", /not closed/);
    fails("(Name eq 'x'", /expected "\)"/);
    fails("Name eq 'x' Value", /unexpected/);
    fails("substringof('x', Name)", /not supported/);
    fails('Name eq 1; drop table x', /unexpected ";"/);
    fails('('.repeat(100) + 'Flag' + ')'.repeat(100), /nests deeper/);
  });

  it('orders by several properties, nulls first ascending', () => {
    const sorted = [...rows].sort(parseOrderBy('Value desc, Name', kinds)).map((r) => r.Name);
    expect(sorted).toEqual(['Oost', "Sint Maarten's", 'Noord', 'West']);
    expect([...rows].sort(parseOrderBy('Value asc', kinds))[0]?.Name).toBe('West');
    expect(() => parseOrderBy('Value sideways', kinds)).toThrow(ODataError);
  });

  it('reads single and composite key predicates', () => {
    expect(parseKey("'bev_inwoners'", ['Id'])).toEqual({ Id: 'bev_inwoners' });
    expect(parseKey("Indicator='a',Area='WK1',Period='2021'", ['Indicator', 'Area', 'Period'])).toEqual({
      Indicator: 'a',
      Area: 'WK1',
      Period: '2021',
    });
    expect(() => parseKey("Indicator='a'", ['Indicator', 'Area'])).toThrow(/needs Area/);
  });
});

describe('the OData v4 feed', () => {
  let app: FastifyInstance;
  const odata = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    app.inject({
      url: `/api/v1/odata${url}`,
      headers: { host: 'data.test.example', 'odata-version': '4.0', 'odata-maxversion': '4.0', ...headers },
    });
  const root = 'http://data.test.example/api/v1/odata';

  beforeAll(async () => {
    const { project } = await builtServerProject();
    app = await buildApp(project, { logLevel: 'silent', odataPageSize: 10 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('has a $metadata document that odata-csdl parses: four entity types with keys, one container', async () => {
    const r = await odata('/$metadata', { accept: 'application/xml' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(r.headers['odata-version']).toBe('4.0');
    const csdl = xml2json(r.body, { strict: true });
    expect(csdl['$Version']).toBe('4.0');
    expect(csdl['$EntityContainer']).toBe('Datapakhuis.Container');
    const schema = csdl['Datapakhuis'] as Record<string, Record<string, unknown>>;
    expect(schema['Indicator']).toMatchObject({ $Kind: 'EntityType', $Key: ['Id'] });
    expect(schema['Area']).toMatchObject({ $Kind: 'EntityType', $Key: ['Code'] });
    expect(schema['Period']).toMatchObject({ $Kind: 'EntityType', $Key: ['Id'] });
    expect(schema['Value']).toMatchObject({
      $Kind: 'EntityType',
      $Key: ['Indicator', 'Area', 'Period'],
      Value: { $Type: 'Edm.Double', $Nullable: true },
    });
    expect(schema['Container']).toMatchObject({
      $Kind: 'EntityContainer',
      Indicators: { $Collection: true, $Type: 'Datapakhuis.Indicator' },
      Values: { $Collection: true, $Type: 'Datapakhuis.Value' },
    });
  });

  it('serves what Excel and Power BI request: service document, $metadata, the entity set page by page', async () => {
    // 1. the service root, as entered in "From OData Feed"
    const service = await odata('', { accept: POWER_QUERY_ACCEPT });
    expect(service.statusCode).toBe(200);
    expect(service.headers['content-type']).toMatch(/^application\/json;odata\.metadata=minimal/);
    expect(service.json()).toEqual({
      '@odata.context': `${root}/$metadata`,
      value: ['Indicators', 'Areas', 'Periods', 'Values'].map((name) => ({
        name,
        kind: 'EntitySet',
        url: name,
      })),
    });
    expect((await odata('/', { accept: POWER_QUERY_ACCEPT })).json()).toEqual(service.json());
    // 2. the metadata
    expect((await odata('/$metadata', { accept: 'application/xml' })).statusCode).toBe(200);
    // 3. the entity set, following @odata.nextLink until the end (server-side paging at 10 rows)
    const total = Number((await odata('/Values/$count')).body);
    expect(total).toBe(4 * 4 * 7); // 4 indicators × 4 years × 7 areas
    const seen: ODataRow[] = [];
    let next: string | undefined = `${root}/Values?$count=true`;
    let pages = 0;
    while (next) {
      const page = await odata(next.slice(root.length), { accept: POWER_QUERY_ACCEPT });
      expect(page.statusCode).toBe(200);
      const body = page.json();
      if (pages === 0) expect(body['@odata.count']).toBe(total);
      expect(body['@odata.context']).toBe(`${root}/$metadata#Values`);
      seen.push(...body.value);
      next = body['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 10));
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((r) => `${r['Indicator']}|${r['Area']}|${r['Period']}`)).size).toBe(total);
    expect(seen.find((r) => r['Status'] === 'suppressed')).toMatchObject({ Value: null });
  });

  it('filters, selects, orders, skips and counts as Power Query folds a query', async () => {
    const r = await odata(
      "/Values?$filter=Indicator eq 'aantal_inwoners' and Level eq 'wijk' and Period ge '2021'&$select=Area,Period,Value&$orderby=Period desc,Area&$count=true",
    );
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      '@odata.context': `${root}/$metadata#Values(Area,Period,Value)`,
      '@odata.count': 4,
      value: [
        { Area: 'WK999901', Period: '2022', Value: 17 },
        { Area: 'WK999902', Period: '2022', Value: 17 },
        { Area: 'WK999901', Period: '2021', Value: 17 },
        { Area: 'WK999902', Period: '2021', Value: 17 },
      ],
    });
    const paged = (
      await odata("/Values?$filter=Level eq 'buurt'&$top=3&$skip=2&$count=true&$orderby=Area,Period")
    ).json();
    expect(paged['@odata.count']).toBe(64);
    expect(paged.value).toHaveLength(3);
    expect(paged['@odata.nextLink']).toBeUndefined(); // $top=3 is below the page size
    // $top above the page size: paged, and the nextLink carries what is left of $top
    const big = (await odata('/Values?$top=15&$orderby=Indicator,Area,Period')).json();
    expect(big.value).toHaveLength(10);
    expect(big['@odata.nextLink']).toBe(`${root}/Values?$top=5&$orderby=Indicator%2CArea%2CPeriod&$skip=10`);
    const rest = (await odata(big['@odata.nextLink'].slice(root.length))).json();
    expect(rest.value).toHaveLength(5);
    expect(rest['@odata.nextLink']).toBeUndefined();
    const count = await odata("/Values/$count?$filter=Status eq 'suppressed'");
    expect(count.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(Number(count.body)).toBeGreaterThan(0);
  });

  it('serves the other entity sets and single entities by key', async () => {
    const indicators = (await odata('/Indicators?$select=Id,Label,Decimals,Target')).json().value;
    expect(indicators).toContainEqual({ Id: 'gemiddeld_inkomen', Label: 'Test', Decimals: 1, Target: null });
    const areas = (await odata("/Areas?$filter=Parent eq 'WK999901'")).json().value;
    expect(areas.map((a: ODataRow) => a['Code'])).toEqual(['BU99990101', 'BU99990102']);
    const periods = (await odata('/Periods')).json().value;
    expect(periods).toEqual(
      ['2019', '2020', '2021', '2022'].map((Id) => ({ Id, Year: Number(Id), Grain: 'year' })),
    );
    const one = await odata("/Indicators('aantal_inwoners')");
    expect(one.json()).toMatchObject({
      '@odata.context': `${root}/$metadata#Indicators/$entity`,
      Id: 'aantal_inwoners',
      LabelEn: 'Inhabitants',
      Polarity: 'higher_is_better',
    });
    const value = await odata(
      "/Values(Indicator='aantal_inwoners',Area='GM9999',Period='2021')?$select=Value",
    );
    expect(value.json()).toEqual({ '@odata.context': `${root}/$metadata#Values/$entity`, Value: 34 });
    expect((await odata("/Indicators('bestaat_niet')")).statusCode).toBe(404);
  });

  it('answers errors in the OData error format', async () => {
    const error = async (
      url: string,
      status: number,
      headers: Record<string, string> = {},
    ): Promise<string> => {
      const r = await odata(url, headers);
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['odata-version']).toBe('4.0');
      return r.json().error.message;
    };
    expect(await error('/Values?$filter=Waarde gt 1', 400)).toMatch(/unknown property "Waarde"/);
    expect(await error('/Values?$select=Waarde', 400)).toMatch(/unknown property "Waarde"/);
    expect(await error('/Values?$top=-1', 400)).toMatch(/\$top must be a whole number/);
    expect(await error('/Values?$count=yes', 400)).toMatch(/\$count must be true or false/);
    expect(await error('/Values?$expand=Indicator', 501)).toMatch(/\$expand is not supported/);
    expect(await error('/Values?$foo=1', 400)).toMatch(/\$foo cannot be used here/);
    expect(await error("/Values?$filter=Area eq 'a'&$filter=Area eq 'b'", 400)).toMatch(/more than once/);
    expect(await error('/Waarden', 404)).toMatch(/entity sets: Indicators, Areas, Periods, Values/);
    expect(await error('/Values', 406, { accept: 'application/atom+xml' })).toMatch(/application\/json only/);
    expect(await error('/$metadata', 406, { accept: 'application/json' })).toMatch(/application\/xml only/);
    expect(await error('/Values?$format=atom', 406)).toMatch(/json only/);
    // custom options (without $) are ignored, as OData allows
    expect((await odata('/Values?$top=1&bron=excel')).statusCode).toBe(200);
    // a hostile literal is only ever a string compared in memory
    const hostile = await odata("/Values?$filter=Indicator eq 'x'';drop table public.meldingen;--'");
    expect(hostile.json().value).toEqual([]);
  });

  it('caches responses per version with an ETag', async () => {
    const first = await odata("/Values?$filter=Level eq 'gemeente'");
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"v000001-/);
    expect((await odata("/Values?$filter=Level eq 'gemeente'", { 'if-none-match': etag })).statusCode).toBe(
      304,
    );
  });
});
