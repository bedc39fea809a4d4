import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { internalProject, webFixture } from './internal-fixture.js';
import type { Project } from '../../src/project/types.js';

/** The server's side of the web app: its pages, assets and headers (the pages themselves: test/browser). */
describe('serving the web app', () => {
  let project: Project;
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ project } = await internalProject());
    app = await buildApp(project, { logLevel: 'silent', webRoot: webFixture() });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the portal at / and at every portal path, the internal app at /app and below', async () => {
    for (const url of ['/', '/indicatoren/aantal_inwoners?niveau=buurt', '/gebieden/WK999901/', '/kaart']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain('<title>portaal</title>');
    }
    for (const url of ['/app', '/app/', '/app/catalogus/personen']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain('<title>intern</title>');
    }
  });

  it('sends the pages with a content security policy, no framing and revalidation', async () => {
    const r = await app.inject({ url: '/app' });
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('serves hashed assets as immutable, and a missing asset is a 404', async () => {
    const r = await app.inject({ url: '/assets/main-abc123.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await app.inject({ url: '/assets/bestaat-niet.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
  });

  it('keeps unknown API paths problem+json 404s for every method, and pages read-only', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const r = await app.inject({ method, url: '/api/v1/bestaat-niet' });
      expect(r.statusCode, method).toBe(404);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    const post = await app.inject({ method: 'POST', url: '/gebieden' });
    expect(post.statusCode).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('says how to build the web app when it is not built', async () => {
    const root = webFixture();
    rmSync(join(root, 'index.html'));
    const bare = await buildApp(project, { logLevel: 'silent', webRoot: root });
    try {
      const r = await bare.inject({ url: '/' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: 'web_not_built' });
      expect(r.json().detail).toContain('npm run build:web');
      // the API does not depend on the web app
      expect((await bare.inject({ url: '/api/v1/indicators' })).statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('serves the API alone with webRoot: false', async () => {
    const api = await buildApp(project, { logLevel: 'silent', webRoot: false });
    try {
      expect((await api.inject({ url: '/' })).statusCode).toBe(404);
      expect((await api.inject({ url: '/api/v1/areas' })).statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('refuses the PDF report with a clear problem when Chromium is missing', async () => {
    const before = process.env['PAKHUIS_CHROMIUM'];
    process.env['PAKHUIS_CHROMIUM'] = '/nonexistent/chromium';
    const listening = await buildApp(project, { logLevel: 'silent', webRoot: webFixture() });
    try {
      await listening.listen({ port: 0, host: '127.0.0.1' });
      const r = await listening.inject({ url: '/api/v1/areas/WK999901/report.pdf' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: 'pdf_not_available' });
      expect(r.json().detail).toContain('apt-get install -y chromium');
      const unknown = await listening.inject({ url: '/api/v1/areas/WK123456/report.pdf' });
      expect(unknown.statusCode).toBe(404);
      // a malformed year is a 400 naming the parameter; a year without figures a 404 naming the years
      const bad = await listening.inject({ url: '/api/v1/areas/WK999901/report.pdf?year=twintig' });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(bad.json().invalidParams.map((p: { name: string }) => p.name)).toEqual(['year']);
      const noYear = await listening.inject({ url: '/api/v1/areas/WK999901/report.pdf?year=1999' });
      expect(noYear.statusCode).toBe(404);
      expect(noYear.json()).toMatchObject({ code: 'year_not_published' });
    } finally {
      await listening.close();
      if (before === undefined) delete process.env['PAKHUIS_CHROMIUM'];
      else process.env['PAKHUIS_CHROMIUM'] = before;
    }
  });
});
