import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/project/types.js';
import { buildApp } from '../../src/server/app.js';
import { provenance } from '../../src/server/provenance.js';
import { build, mustLoad } from '../helpers/project.js';
import { expectProblem } from './internal-fixture.js';
import { builtServerProject, openApiValidator, writeServerProject } from './fixture.js';

/** The boundaries of the wijken (with a wijk of another municipality, which is left out) and precise coordinates. */
const WIJKEN = JSON.stringify({
  type: 'FeatureCollection',
  features: ['WK999901', 'WK999902', 'WK040001'].map((code, i) => ({
    type: 'Feature',
    properties: { statcode: code, statnaam: `Wijk 0${i + 1} Wijk ${i + 1}` },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [4.7612345678, 52.9512345678],
          [4.77, 52.95],
          [4.77, 52.96],
          [4.7612345678, 52.9512345678],
        ],
      ],
    },
  })),
});

let project: Project;
let app: FastifyInstance;
let schema: (component: string, body: unknown) => void;
const get = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  const dir = writeServerProject();
  writeFileSync(join(dir, 'areas/wijken.geojson'), WIJKEN);
  const yaml = join(dir, 'pakhuis.yaml');
  writeFileSync(
    yaml,
    readFileSync(yaml, 'utf8').replace(
      '  buurten: areas/buurten.geojson\n',
      '  buurten: areas/buurten.geojson\n  wijken: areas/wijken.geojson\n',
    ),
  );
  await build(dir);
  project = mustLoad(dir);
  app = await buildApp(project, { logLevel: 'silent' });
  schema = openApiValidator(JSON.parse((await get('/api/v1/openapi.json')).body) as object);
});

afterAll(async () => {
  await app?.close();
});

describe('GET /api/v1/boundaries/{level}', () => {
  it('gives the wijken of the municipality as GeoJSON, rounded to 5 decimals, with the attribution', async () => {
    const r = await get('/api/v1/boundaries/wijk');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/geo+json');
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    const body = r.json();
    schema('BoundaryCollection', body);
    expect(body.attribution).toBe('Bron: CBS/PDOK, CC BY 4.0');
    expect(body.features.map((f: { id: string }) => f.id)).toEqual(['WK999901', 'WK999902']);
    expect(body.features[0].properties).toEqual({
      code: 'WK999901',
      name: 'Wijk 1',
      level: 'wijk',
      parent: 'GM9999',
    });
    expect(body.features[0].geometry.coordinates[0][0]).toEqual([4.76123, 52.95123]);
    // cached per version: the ETag gives a 304
    const again = await get('/api/v1/boundaries/wijk', { 'if-none-match': String(r.headers['etag']) });
    expect(again.statusCode).toBe(304);
  });

  it('gives the buurten with their wijk, also as application/json', async () => {
    const r = await get('/api/v1/boundaries/buurt', { accept: 'application/json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = r.json();
    schema('BoundaryCollection', body);
    expect(body.features).toHaveLength(4);
    expect(body.features[2].properties).toMatchObject({
      code: 'BU99990201',
      level: 'buurt',
      parent: 'WK999902',
    });
  });

  it('400 for another level, 406 for another media type', async () => {
    const bad = expectProblem(await get('/api/v1/boundaries/gemeente'), 400, 'invalid_parameters');
    expect(bad['invalidParams']).toEqual([expect.objectContaining({ name: 'level', code: 'enum' })]);
    expectProblem(await get('/api/v1/boundaries/buurt?page=1'), 400, 'invalid_parameters');
    expectProblem(await get('/api/v1/boundaries/buurt', { accept: 'text/csv' }), 406, 'not_acceptable');
  });

  it('404 boundaries_not_available when the project has no file for the level', async () => {
    const other = await buildApp((await builtServerProject()).project, { logLevel: 'silent' });
    try {
      const r = await other.inject('/api/v1/boundaries/wijk');
      expect(expectProblem(r, 404, 'boundaries_not_available')['detail']).toMatch(/wijken/);
      expect((await other.inject('/api/v1/boundaries/buurt')).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('the provenance of an indicator', () => {
  it('names the owner, the sources it is computed from and the attribution', async () => {
    const r = await get('/api/v1/indicators/aantal_inwoners');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    schema('Indicator', body);
    // computed from personen; the CBS figures it is compared with are not a source of it
    expect(body).toMatchObject({
      owner: 'Team Test',
      sources: [{ name: 'personen', title: 'personen.csv' }],
      attribution: 'Bron: gemeente Testgemeente',
    });
    expect((await get('/api/v1/indicators/meldingen')).json().sources).toEqual([
      { name: 'events', title: 'events.csv' },
    ]);
  });

  it('credits CBS when a source is a CBS table', () => {
    const ind = project.indicators.find((i) => i.name === 'aantal_inwoners');
    if (!ind) throw new Error('no indicator');
    const personen = project.sources.find((s) => s.name === 'personen');
    if (!personen) throw new Error('no source');
    const cbs = {
      ...project,
      sources: project.sources.map((s) =>
        s === personen
          ? {
              ...s,
              connector: {
                ...(s.connector as object),
                type: 'json',
                download: { kind: 'cbs', table: '85984NED', measures: [], baseUrl: 'x' },
              } as unknown as typeof s.connector,
            }
          : s,
      ),
    };
    expect(provenance(cbs, ind).attribution).toBe('Bron: CBS');
  });
});
