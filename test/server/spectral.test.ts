import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { mustLoad, tempDir } from '../helpers/project.js';
import { writeServerProject } from './fixture.js';

const ROOT = join(import.meta.dirname, '../..');
const SPECTRAL = join(ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js');
const RULESET = join(ROOT, 'spectral/nl-api-design-rules.yaml');

interface Finding {
  code: string;
  severity: number; // 0 error, 1 warn, 2 info, 3 hint
  path: Array<string | number>;
  message: string;
}

/** `spectral lint` as a person or CI runs it, on a file or URL; its JSON results. */
function lint(document: string): Promise<Finding[]> {
  const out = join(tempDir('spectral-'), 'results.json');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [SPECTRAL, 'lint', document, '--ruleset', RULESET, '--format', 'json', '--output', out, '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      // 0: nothing at error level; 1: errors found; anything else: spectral itself failed
      if (code !== 0 && code !== 1) return reject(new Error(`spectral exited ${code}: ${stderr}`));
      resolve(JSON.parse(readFileSync(out, 'utf8')) as Finding[]);
    });
  });
}

describe('the OpenAPI document against the NL API Design Rules (Spectral)', () => {
  let app: FastifyInstance;
  let url: string;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    // the document is there even before anything is published: documentation needs no data
    app = await buildApp(mustLoad(writeServerProject()), { logLevel: 'silent' });
    url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/v1/openapi.json`;
    doc = (await (await fetch(url)).json()) as Record<string, unknown>;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('the served document has no errors and no warnings', async () => {
    const findings = await lint(url);
    expect(findings.map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  });

  it('the document of the signed-in routes has no errors and no warnings', async () => {
    const internal = url.replace('/openapi.json', '/internal/openapi.json');
    const res = await fetch(internal);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      paths: Record<string, Record<string, { security: object[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    // generated from the route declarations: every internal route, with its security
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/internal/users', '/internal/users/{username}', '/internal/catalog/{source}']),
    );
    expect(body.paths['/internal/users']?.['post']?.security).toEqual([{ session: [], csrf: [] }]);
    expect(body.paths['/internal/lineage']?.['get']?.security).toEqual([{ session: [] }]);
    expect(Object.keys(body.components.securitySchemes)).toEqual(['session', 'csrf']);
    const findings = await lint(internal);
    expect(findings.map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  });

  it('the ruleset catches what the design rules forbid', async () => {
    const bad = structuredClone(doc) as {
      info: { version: string; contact: Record<string, string> };
      servers: Array<{ url: string }>;
      paths: Record<
        string,
        Record<string, { parameters: object[]; responses: Record<string, Record<string, unknown>> }>
      >;
      components: { schemas: { Problem: { required: string[]; properties: Record<string, unknown> } } };
    };
    bad.info.version = '1.0';
    delete bad.info.contact['url'];
    bad.servers = [{ url: '/api' }];
    const list = bad.paths['/indicators'] as Record<
      string,
      { parameters: object[]; responses: Record<string, Record<string, unknown>> }
    >;
    bad.paths['/Indicator_lijst/'] = structuredClone(list);
    const get = list['get'] as { parameters: object[]; responses: Record<string, Record<string, unknown>> };
    get.parameters.push({ name: 'page_size', in: 'query', schema: { type: 'integer' } });
    delete (get.responses['200']?.['headers'] as Record<string, unknown>)['API-Version'];
    get.responses['404'] = {
      description: 'x',
      content: { 'application/json': { schema: { type: 'object' } } },
    };
    delete bad.components.schemas.Problem.properties['detail'];
    (bad.paths['/areas'] as Record<string, unknown>)['trace'] = {
      responses: { '200': { description: 'x' } },
    };
    const file = join(tempDir('spectral-'), 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const codes = new Set((await lint(file)).filter((f) => f.severity === 0).map((f) => f.code));
    for (const rule of [
      'nlgov-semver',
      'nlgov-doc-openapi-contact',
      'nlgov-uri-version',
      'nlgov-no-trailing-slash',
      'nlgov-path-segments-kebab-case',
      'nlgov-query-keys-camel-case',
      'nlgov-version-header',
      'nlgov-problem-json',
      'nlgov-problem-members',
      'nlgov-http-methods',
    ])
      expect(codes, rule).toContain(rule);
  });
});
