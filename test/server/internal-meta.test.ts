import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/project/types.js';
import {
  expectProblem,
  getAs,
  internalApp,
  internalProject,
  signIn,
  type SignedIn,
} from './internal-fixture.js';

let project: Project;
let app: FastifyInstance;
const users = new Map<string, SignedIn>();

const get = (
  url: string,
  user?: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> => getAs(app, url, user ? users.get(user) : undefined, headers);

beforeAll(async () => {
  ({ project } = await internalProject());
  app = await internalApp(project);
  for (const u of ['vik', 'analist']) users.set(u, await signIn(app, u));
});

afterAll(async () => {
  await app?.close();
});

describe('internal metadata for every signed-in role', () => {
  it('/internal/indicators: every indicator with owner, sources, attribution and whether it is published', async () => {
    const r = await get('/api/v1/internal/indicators', 'vik');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const { indicators } = r.json<{ indicators: Array<Record<string, unknown>> }>();
    expect(indicators.map((i) => i.id).sort()).toEqual(project.indicators.map((i) => i.name).sort());
    expect(indicators.find((i) => i.id === 'aandeel_uitkering')).toMatchObject({
      label: { nl: 'Test', en: null },
      owner: 'Team Test',
      type: 'share',
      target: { value: 60, year: null },
      published: true,
      sources: [{ name: 'personen', title: 'personen.csv' }],
      attribution: 'Bron: gemeente Testgemeente',
    });
    // a validator: polling clients get a 304 when nothing changed
    const again = await get('/api/v1/internal/indicators', 'vik', {
      'if-none-match': String(r.headers['etag']),
    });
    expect(again.statusCode).toBe(304);
  });

  it('/internal/catalog/{source}: columns, legal basis, retention and quality, without example values', async () => {
    const r = await get('/api/v1/internal/catalog/personen', 'vik');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({
      name: 'personen',
      owner: 'Team Test',
      purposes: ['beleidsinformatie', 'kadernota'],
      legalBasis: { ground: expect.any(String), law: expect.any(String) },
      retention: expect.any(Object),
    });
    expect(body.columns).toContainEqual({
      name: 'inkomen',
      type: 'decimal',
      classification: 'none',
      description: null,
    });
    expect(body.quality.history.length).toBeGreaterThan(0);
    expect(Object.keys(body.quality.dimensions ?? {}).sort()).toEqual([
      'completeness',
      'consistency',
      'timeliness',
      'uniqueness',
      'validity',
    ]);
    for (const c of body.quality.checks) expect(c.last ?? {}).not.toHaveProperty('examples');
    expect(JSON.stringify(body)).not.toContain('examples');
    expectProblem(await get('/api/v1/internal/catalog/bestaat_niet', 'vik'), 404, 'source_not_found');
    expectProblem(await get('/api/v1/internal/catalog/Niet-Goed', 'vik'), 400, 'invalid_parameters');
  });

  it('/internal/quality: per owner the sources with score, dimensions, trend and failing checks', async () => {
    const r = await get('/api/v1/internal/quality', 'analist');
    expect(r.statusCode).toBe(200);
    const { owners } = r.json<{
      owners: Array<{ owner: string; sources: Array<Record<string, unknown>> }>;
    }>();
    expect(owners.map((o) => o.owner)).toEqual(['Team Test']);
    expect(owners[0]?.sources.map((s) => s.name).sort()).toEqual(['cbs', 'events', 'personen']);
    expect(owners[0]?.sources[0]).toMatchObject({
      score: expect.any(Number),
      trend: expect.any(Array),
      failingChecks: expect.any(Number),
      dimensions: expect.any(Object),
    });
  });

  it('/internal/lineage: nodes of every kind and the edges between them', async () => {
    const r = await get('/api/v1/internal/lineage', 'vik');
    expect(r.statusCode).toBe(200);
    const { nodes, edges } = r.json<{
      nodes: Array<{ id: string; kind: string; name: string; label: string }>;
      edges: Array<{ from: string; to: string }>;
    }>();
    expect(new Set(nodes.map((n) => n.kind))).toEqual(
      new Set(['source', 'model', 'indicator', 'publication']),
    );
    expect(nodes).toContainEqual({
      id: 'indicator:aantal_inwoners',
      kind: 'indicator',
      name: 'aantal_inwoners',
      label: 'Inwoners',
    });
    expect(edges).toContainEqual({ from: 'source:personen', to: 'model:inwoners' });
    expect(edges).toContainEqual({ from: 'model:inwoners', to: 'indicator:aantal_inwoners' });
    expect(edges).toContainEqual({ from: 'model:inwoners_buurt', to: 'publication:inwoners_per_buurt' });
    const ids = new Set(nodes.map((n) => n.id));
    expect(edges.every((e) => ids.has(e.from) && ids.has(e.to))).toBe(true);
  });

  it('401 without a session (before any validation), 400 for an unknown parameter', async () => {
    for (const path of ['indicators', 'catalog/personen', 'quality', 'lineage']) {
      expectProblem(await get(`/api/v1/internal/${path}?perod=1`), 401, 'not_signed_in');
      const bad = expectProblem(
        await get(`/api/v1/internal/${path}?perod=1`, 'vik'),
        400,
        'invalid_parameters',
      );
      expect(bad['invalidParams']).toEqual([
        { name: 'perod', code: 'unknown_parameter', reason: expect.any(String) },
      ]);
    }
  });

  it('406 when the client does not accept JSON', async () => {
    expectProblem(
      await get('/api/v1/internal/lineage', 'vik', { accept: 'text/csv' }),
      406,
      'not_acceptable',
    );
  });
});
