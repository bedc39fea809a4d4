import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readValues } from '../../src/indicators/read.js';
import type { Project } from '../../src/project/types.js';
import { buildApp } from '../../src/server/app.js';
import { RestrictedTableError } from '../../src/server/guard.js';
import type { PublishedVersion } from '../../src/server/published.js';
import { API_VERSION } from '../../src/server/version.js';
import { builtServerProject, openApiValidator } from './fixture.js';

let project: Project;
let app: FastifyInstance;
let schema: (component: string, body: unknown) => void;

const get = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'GET', url, headers });

/** A problem+json response with this status and code; returns the body. */
function expectProblem(r: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.headers['api-version']).toBe(API_VERSION);
  const body = r.json<Record<string, unknown>>();
  schema('Problem', body);
  expect(body).toMatchObject({ type: 'about:blank', status, code });
  expect(typeof body['detail']).toBe('string');
  return body;
}

beforeAll(async () => {
  ({ project } = await builtServerProject());
  app = await buildApp(project, { logLevel: 'silent' });
  schema = openApiValidator(JSON.parse((await get('/api/v1/openapi.json')).body) as object);
});

afterAll(async () => {
  await app?.close();
});

describe('public API: indicators', () => {
  it('lists the published indicators with their definitions', async () => {
    const r = await get('/api/v1/indicators');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['api-version']).toBe(API_VERSION);
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expect(r.headers['etag']).toMatch(/^"v000001-/);
    expect(r.headers['x-total-count']).toBe('4');
    const body = r.json();
    schema('IndicatorList', body);
    const ind = body.indicators.find((i: { id: string }) => i.id === 'aantal_inwoners');
    expect(ind).toMatchObject({
      label: { nl: 'Inwoners', en: 'Inhabitants' },
      theme: 'test',
      domain: 'sociaal',
      unit: 'aantal',
      decimals: 0,
      polarity: 'higher_is_better',
      target: null,
      periods: ['2019', '2020', '2021', '2022'],
      _links: { values: { href: '/api/v1/indicators/aantal_inwoners/values' } },
    });
    expect(body.indicators.find((i: { id: string }) => i.id === 'aandeel_uitkering').target).toEqual({
      value: 60,
      year: null,
    });
  });

  it('gives one indicator, 404 for an unknown one and 400 for a malformed id', async () => {
    const r = await get('/api/v1/indicators/gemiddeld_inkomen');
    expect(r.statusCode).toBe(200);
    schema('Indicator', r.json());
    expect(r.json()).toMatchObject({ id: 'gemiddeld_inkomen', type: 'mean', decimals: 1 });
    const missing = expectProblem(await get('/api/v1/indicators/bestaat_niet'), 404, 'indicator_not_found');
    expect(missing['instance']).toBe('/api/v1/indicators/bestaat_niet');
    const bad = expectProblem(await get('/api/v1/indicators/Geen-Code'), 400, 'invalid_parameters');
    expect(bad['invalidParams']).toEqual([expect.objectContaining({ name: 'id', code: 'pattern' })]);
  });

  it('gives the public values, filtered, with suppressed cells never as a number', async () => {
    const r = await get('/api/v1/indicators/aantal_inwoners/values?level=wijk&period=2021');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    schema('ValueList', body);
    expect(body.values).toEqual([
      { area: 'WK999901', areaName: 'WK999901', level: 'wijk', period: '2021', value: 17, status: 'ok' },
      { area: 'WK999902', areaName: 'WK999902', level: 'wijk', period: '2021', value: 17, status: 'ok' },
    ]);
    const buurt = (await get('/api/v1/indicators/aantal_inwoners/values?area=BU99990101')).json();
    expect(buurt.values.map((v: { area: string }) => v.area)).toEqual(Array(4).fill('BU99990101'));
    expect(buurt.values[0].areaName).toBe('Buurt 1');
    // what the build published is exactly what the API shows (suppressed: null, never 0)
    const version = app.published.current as PublishedVersion;
    const published = await version.read((engine) => readValues(engine, version.indicators, 'public'));
    const all = (await get('/api/v1/indicators/aandeel_uitkering/values?pageSize=1000')).json().values;
    const suppressed = published.filter(
      (v) => v.indicator === 'aandeel_uitkering' && v.status === 'suppressed',
    );
    expect(suppressed.length).toBeGreaterThan(0);
    for (const s of suppressed)
      expect(
        all.find((v: { area: string; period: string }) => v.area === s.area && v.period === s.period),
      ).toMatchObject({
        value: null,
        status: 'suppressed',
      });
  });

  it('pages with _links and counts in headers', async () => {
    const url = '/api/v1/indicators/aantal_inwoners/values';
    const first = await get(`${url}?pageSize=5`);
    expect(first.headers).toMatchObject({
      'x-total-count': '28',
      'x-pagination-page': '1',
      'x-pagination-limit': '5',
    });
    const links = first.json()._links;
    expect(links).toEqual({
      self: { href: `${url}?page=1&pageSize=5` },
      first: { href: `${url}?page=1&pageSize=5` },
      last: { href: `${url}?page=6&pageSize=5` },
      next: { href: `${url}?page=2&pageSize=5` },
    });
    const second = (await get(links.next.href)).json();
    expect(second._links.prev).toEqual({ href: `${url}?page=1&pageSize=5` });
    expect(second.values).toHaveLength(5);
    const last = (await get(links.last.href)).json();
    expect(last.values).toHaveLength(3);
    expect(last._links.next).toBeUndefined();
    // filters stay in the links
    const filtered = (await get(`${url}?level=buurt&pageSize=2`)).json();
    expect(filtered._links.next.href).toBe(`${url}?level=buurt&page=2&pageSize=2`);
    // past the end: empty, not an error
    const beyond = await get(`${url}?page=99&pageSize=5`);
    expect(beyond.statusCode).toBe(200);
    expect(beyond.json().values).toEqual([]);
  });

  it('rejects invalid parameters with problem+json naming each of them', async () => {
    const body = expectProblem(
      await get('/api/v1/indicators/aantal_inwoners/values?level=provincie&pageSize=5000&page=x&perod=2021'),
      400,
      'invalid_parameters',
    );
    const params = body['invalidParams'] as Array<{ name: string; code: string; reason: string }>;
    expect(params.map((p) => [p.name, p.code]).sort()).toEqual([
      ['level', 'enum'],
      ['page', 'type'],
      ['pageSize', 'maximum'],
      ['perod', 'unknown_parameter'],
    ]);
    expect(params.find((p) => p.name === 'level')?.reason).toBe(
      'moet een van deze waarden zijn: gemeente, wijk, buurt',
    );
    expectProblem(await get('/api/v1/indicators/aantal_inwoners/values?area=WK1'), 400, 'invalid_parameters');
    expectProblem(
      await get('/api/v1/indicators/aantal_inwoners/values?period=2021&period=2022'),
      400,
      'invalid_parameters',
    );
  });

  it('downloads CSV for Dutch Excel and XLSX with the same rows', async () => {
    const csv = await get('/api/v1/indicators/gemiddeld_inkomen/values.csv?level=gemeente');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="gemiddeld_inkomen.csv"');
    expect(csv.headers['etag']).toBeDefined();
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('indicator;gebiedscode;gebied;niveau;periode;waarde;eenheid;status');
    const json = (await get('/api/v1/indicators/gemiddeld_inkomen/values?level=gemeente')).json().values;
    expect(lines.slice(1, -1)).toHaveLength(json.length);
    const v2021 = json.find((v: { period: string }) => v.period === '2021');
    expect(lines).toContain(
      `gemiddeld_inkomen;GM9999;Testgemeente;gemeente;2021;${String(v2021.value).replace('.', ',')};aantal;`,
    );
    expect(String(v2021.value)).toMatch(/\./); // a decimal, written with a comma in the CSV

    const xlsx = await get('/api/v1/indicators/gemiddeld_inkomen/values.xlsx?level=gemeente');
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="gemiddeld_inkomen.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('gemiddeld_inkomen');
    expect(sheet?.rowCount).toBe(json.length + 1);
    const row = (sheet?.getRow(2).values as unknown[]).slice(1);
    expect(row.slice(0, 6)).toEqual([
      'gemiddeld_inkomen',
      'GM9999',
      'Testgemeente',
      'gemeente',
      json[0].period,
      json[0].value,
    ]);
  });

  it('a suppressed value reads "geheim" in the download', async () => {
    const csv = (await get('/api/v1/indicators/aandeel_uitkering/values.csv')).body;
    expect(csv).toMatch(/;;aantal;geheim\r\n/);
  });
});

describe('public API: areas and the area profile', () => {
  it('lists gemeente, wijken and buurten but not custom areas', async () => {
    const r = await get('/api/v1/areas');
    const body = r.json();
    schema('AreaList', body);
    expect(body.areas.map((a: { code: string }) => a.code)).toEqual([
      'GM9999',
      'WK999901',
      'WK999902',
      'BU99990101',
      'BU99990102',
      'BU99990201',
      'BU99990202',
    ]);
    expect(body.areas[3]).toMatchObject({ name: 'Buurt 1', level: 'buurt', parent: 'WK999901' });
    const wijken = (await get('/api/v1/areas?level=wijk')).json().areas;
    expect(wijken).toHaveLength(2);
    const one = await get('/api/v1/areas/BU99990202');
    schema('Area', one.json());
    expect(one.json()._links.profile.href).toBe('/api/v1/areas/BU99990202/profile');
    expectProblem(await get('/api/v1/areas/BU12345678'), 404, 'area_not_found');
    expectProblem(await get('/api/v1/areas/FOCUS'), 404, 'area_not_published');
  });

  it('gives the public profile with the municipality, rank and the CBS figure', async () => {
    const r = await get('/api/v1/areas/WK999901/profile?year=2021');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    schema('AreaProfile', body);
    expect(body.area).toEqual({ code: 'WK999901', name: 'WK999901', level: 'wijk', parent: 'GM9999' });
    expect(body.year).toBe('2021');
    const inwoners = body.indicators.find((i: { id: string }) => i.id === 'aantal_inwoners');
    expect(inwoners).toMatchObject({
      period: '2021',
      value: 17,
      status: 'ok',
      municipality: 34,
      difference: -17,
      previous: { period: '2020', value: 14 },
      of: 2,
      cbs: null, // the CBS figures are of 2022
    });
    expect(body.indicators.find((i: { id: string }) => i.id === 'aandeel_uitkering').target).toEqual({
      value: 60,
      met: expect.any(Boolean),
    });
    // the latest year by default, with the CBS figure of that year from the open-data source
    const latest = (await get('/api/v1/areas/WK999901/profile')).json();
    expect(latest.year).toBe('2022');
    expect(latest.indicators.find((i: { id: string }) => i.id === 'aantal_inwoners').cbs).toEqual({
      value: 20,
      period: '2022',
    });
  });

  it('refuses profiles of custom areas, unknown areas and unpublished years', async () => {
    expectProblem(await get('/api/v1/areas/FOCUS/profile'), 404, 'area_not_published');
    expectProblem(await get('/api/v1/areas/WK999999/profile'), 404, 'area_not_found');
    expectProblem(await get('/api/v1/areas/WK999901/profile?year=2015'), 404, 'year_not_published');
    expectProblem(await get('/api/v1/areas/WK999901/profile?year=twee'), 400, 'invalid_parameters');
  });
});

describe('public API: publications', () => {
  it('lists publications and gives their rows as JSON or CSV by Accept', async () => {
    const list = (await get('/api/v1/publications')).json();
    schema('PublicationList', list);
    expect(list.publications).toEqual([
      expect.objectContaining({ name: 'inwoners_per_buurt', title: 'Inwoners per buurt', measure: 'count' }),
    ]);
    const r = await get('/api/v1/publications/inwoners_per_buurt?level=buurt');
    expect(r.headers['vary']).toBe('Accept');
    const body = r.json();
    schema('PublicationTable', body);
    expect(body.rows).toHaveLength(4);
    expect(body.rows[0]).toMatchObject({
      area: 'BU99990101',
      areaName: 'Buurt 1',
      period: 'actueel',
      status: 'ok',
    });
    const csv = await get('/api/v1/publications/inwoners_per_buurt', { accept: 'text/csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['etag']).not.toBe(r.headers['etag']);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'gebiedscode;gebied;niveau;periode;categorie;waarde;aantal;noemer;status;teken',
    );
    expectProblem(
      await get('/api/v1/publications/inwoners_per_buurt', { accept: 'application/xml' }),
      406,
      'not_acceptable',
    );
    expectProblem(await get('/api/v1/publications/bestaat_niet'), 404, 'publication_not_found');
  });
});

describe('HTTP behaviour (NL API Design Rules)', () => {
  it('answers If-None-Match with 304 while the version is the same', async () => {
    const url = '/api/v1/indicators/meldingen/values?level=wijk';
    const first = await get(url);
    const etag = first.headers['etag'] as string;
    const again = await get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers).toMatchObject({
      etag,
      'cache-control': 'public, max-age=60',
      'api-version': API_VERSION,
    });
    expect((await get(url, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': '*' })).statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': '"v000000-nope"' })).statusCode).toBe(200);
    // another representation, another ETag
    expect((await get(`${url}&pageSize=1`)).headers['etag']).not.toBe(etag);
  });

  it('negotiates the media type: 406 as problem+json when JSON is not acceptable', async () => {
    expect(
      (await get('/api/v1/indicators', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })).statusCode,
    ).toBe(200);
    expect((await get('/api/v1/indicators', { accept: 'application/*' })).statusCode).toBe(200);
    expectProblem(await get('/api/v1/indicators', { accept: 'text/html' }), 406, 'not_acceptable');
    expectProblem(
      await get('/api/v1/indicators', { accept: 'application/json;q=0, */*' }),
      406,
      'not_acceptable',
    );
    expectProblem(
      await get('/api/v1/indicators/meldingen/values.csv', { accept: 'application/json' }),
      406,
      'not_acceptable',
    );
  });

  it('answers 405 with Allow for other methods, 404 for a trailing slash (no redirect)', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const r = await app.inject({ method, url: '/api/v1/indicators', payload: { x: 1 } });
      expectProblem(r, 405, 'method_not_allowed');
      expect(r.headers['allow']).toBe('GET, HEAD');
    }
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/indicators' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['etag']).toBeDefined();
    const slash = expectProblem(await get('/api/v1/indicators/'), 404, 'not_found');
    expect(slash['detail']).toMatch(/Laat de \/ aan het eind van het pad weg/);
    expectProblem(await get('/api/v2/indicators'), 404, 'not_found');
  });

  it('sends no CORS headers by default; the OpenAPI document is readable from any origin', async () => {
    const origin = { origin: 'https://elders.example' };
    const r = await get('/api/v1/indicators', origin);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/indicators',
      headers: { ...origin, 'access-control-request-method': 'GET' },
    });
    expect(pre.statusCode).toBe(405);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect((await get('/api/v1/openapi.json', origin)).headers['access-control-allow-origin']).toBe('*');
  });

  it('allows configured origins when CORS is switched on', async () => {
    const cors = await buildApp(project, { logLevel: 'silent', corsOrigins: ['https://portaal.example'] });
    try {
      const ok = await cors.inject({
        url: '/api/v1/publications/inwoners_per_buurt',
        headers: { origin: 'https://portaal.example' },
      });
      expect(ok.headers['access-control-allow-origin']).toBe('https://portaal.example');
      expect(ok.headers['vary']).toBe('Origin, Accept');
      expect(ok.headers['access-control-expose-headers']).toMatch(/API-Version.*ETag.*X-Total-Count/);
      const pre = await cors.inject({
        method: 'OPTIONS',
        url: '/api/v1/indicators',
        headers: { origin: 'https://portaal.example', 'access-control-request-method': 'GET' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-methods']).toBe('GET, HEAD');
      const other = await cors.inject({
        url: '/api/v1/indicators',
        headers: { origin: 'https://elders.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await cors.close();
    }
  });

  it('answers health, readiness and the base URL, each with API-Version', async () => {
    const health = await get('/health');
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await get('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', version: 'v000001', run: 1 });
    const base = await get('/api/v1');
    expect(base.json()._links.openapi.href).toBe('/api/v1/openapi.json');
    for (const r of [health, ready, base]) expect(r.headers['api-version']).toBe(API_VERSION);
  });

  it('uses the configured public URL in links and the OpenAPI servers', async () => {
    const pub = await buildApp(project, { logLevel: 'silent', publicUrl: 'https://data.test.example/' });
    try {
      const ind = (await pub.inject({ url: '/api/v1/indicators/meldingen' })).json();
      expect(ind._links.self.href).toBe('https://data.test.example/api/v1/indicators/meldingen');
      const doc = (await pub.inject({ url: '/api/v1/openapi.json' })).json();
      expect(doc.servers).toEqual([{ url: 'https://data.test.example/api/v1', description: 'Deze server' }]);
      // links never come from the Host header, so a cached body cannot be poisoned through it
      const viaHost = (
        await pub.inject({ url: '/api/v1/indicators/meldingen', headers: { host: 'evil.example' } })
      ).json();
      expect(viaHost._links.self.href).toBe('https://data.test.example/api/v1/indicators/meldingen');
    } finally {
      await pub.close();
    }
  });
});

describe('OpenAPI document', () => {
  it('documents every public route with its parameters, from the validation schemas', async () => {
    const doc = (await get('/api/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({
      version: API_VERSION,
      contact: {
        name: 'Team Open Data',
        email: 'opendata@testgemeente.example',
        url: 'https://testgemeente.example/open-data',
      },
    });
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/areas',
      '/areas/{code}',
      '/areas/{code}/profile',
      '/areas/{code}/report.pdf',
      '/boundaries/{level}',
      '/indicators',
      '/indicators/{id}',
      '/indicators/{id}/values',
      '/indicators/{id}/values.csv',
      '/indicators/{id}/values.xlsx',
      '/openapi.json',
      '/publications',
      '/publications/{name}',
    ]);
    const values = doc.paths['/indicators/{id}/values'].get;
    expect(values.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:level',
      'query:period',
      'query:area',
      'query:page',
      'query:pageSize',
    ]);
    expect(Object.keys(values.responses)).toEqual(['200', '304', '400', '404', '406', '500', '503']);
    expect(Object.keys(values.responses['200'].headers)).toContain('X-Total-Count');
  });
});

describe('the read layer reaches public tables only', () => {
  const version = (): PublishedVersion => app.published.current as PublishedVersion;

  it('refuses the restricted indicator values, sources, models, system tables and table functions', async () => {
    const refused = [
      'select * from indicators.indicator_values',
      'select * from sources.personen',
      'select * from models.inwoners',
      'select * from pakhuis.publications',
      'select * from indicator_values',
      'select count(*) from public.meldingen, (select 1 from indicators.indicator_values) x',
      "select * from read_csv('/etc/passwd')",
    ];
    for (const sql of refused)
      await expect(
        version().read((e) => e.query(sql)),
        sql,
      ).rejects.toBeInstanceOf(RestrictedTableError);
    // readValues' restricted zone goes through the same guard
    await expect(
      version().read((e) => readValues(e, project.indicators, 'restricted')),
    ).rejects.toBeInstanceOf(RestrictedTableError);
    await expect(
      version().read((e) => e.tableExists('indicators', 'indicator_values')),
    ).rejects.toBeInstanceOf(RestrictedTableError);
    await expect(version().read((e) => e.run('drop table public.meldingen'))).rejects.toBeInstanceOf(
      RestrictedTableError,
    );
  });

  it('allows public tables and open-data sources (catalog access: public)', async () => {
    const rows = await version().read((e) =>
      e.query<{ n: number }>('select count(*) as n from public.meldingen'),
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
    const cbs = await version().read((e) =>
      e.query<{ code: string }>('select code from sources.cbs order by 1'),
    );
    expect(cbs.map((r) => r.code)).toEqual(['GM9999', 'WK999901', 'WK999902']);
  });
});
