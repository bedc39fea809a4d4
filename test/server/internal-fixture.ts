import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { authConfigSchema, openAuth, type AuthConfig } from '../../src/auth/index.js';
import { principalFor } from '../../src/privacy/authorise.js';
import { loadAuditKey } from '../../src/privacy/keys.js';
import type { Project } from '../../src/project/types.js';
import { buildApp } from '../../src/server/app.js';
import { API_VERSION } from '../../src/server/version.js';
import { AuditLog } from '../../src/state/audit.js';
import { build, mustLoad } from '../helpers/project.js';
import { writeServerProject } from './fixture.js';

/**
 * The server fixture (test/server/fixture.ts) with the roles of the demo and their purposes, and one
 * local account per role. personen (and the CBS figures) may be used for beleidsinformatie and
 * kadernota; events also for vroegsignalering, so the wijkteam sees part of a profile.
 */
export const ROLES = [
  'publiek',
  'beheerder',
  'analist',
  'domeinexpert',
  'fg',
  'wijkteam',
  'vik',
  'bestuur',
] as const;
export type RoleName = (typeof ROLES)[number];

export const PASSWORD = 'correct horse battery staple';
/** what the sign-in form's Origin is over app.inject (Host: localhost:80) */
export const ORIGIN = 'http://localhost';

const ROLES_YAML = `roles:
  beheerder: { description: IT-beheer, admin: true, members: ['*'] }
  analist: { description: BI-team, purposes: [beleidsinformatie, kadernota, gebiedsgericht_werken], members: ['*'] }
  domeinexpert: { description: Eigenaar van een bron, purposes: [beleidsinformatie], members: ['*'] }
  fg: { description: Functionaris gegevensbescherming, audit: true, members: ['*'] }
  wijkteam: { description: Casusregie in de wijk, purposes: [vroegsignalering], reveal: [sociaal], members: ['*'] }
  vik: { description: Veiligheidsinformatieknooppunt, purposes: [ondermijning], members: ['*'] }
  bestuur: { description: College en raad, purposes: [kadernota], members: ['*'] }
`;

const PURPOSES: Record<string, string> = {
  personen: '[beleidsinformatie, kadernota]',
  cbs: '[beleidsinformatie, kadernota]',
  events: '[beleidsinformatie, kadernota, vroegsignalering]',
};

/** The purpose each role states in the matrix: its first, or one it does not hold. */
export function purposeOf(project: Project, role: RoleName): string {
  return project.roles.find((r) => r.name === role)?.purposes[0] ?? 'beleidsinformatie';
}

export function internalConfig(input: Record<string, unknown> = {}): AuthConfig {
  return authConfigSchema.parse({ session: { secure_cookies: false }, ...input });
}

/** Write, build and load the project, and create one account per role (user name = role name). */
export async function internalProject(): Promise<{ dir: string; project: Project }> {
  const dir = writeServerProject();
  const yamlPath = join(dir, 'pakhuis.yaml');
  const yaml = readFileSync(yamlPath, 'utf8');
  expect(yaml).toMatch(/^roles:\n(?: {2}.*\n)+/m);
  writeFileSync(yamlPath, yaml.replace(/^roles:\n(?: {2}.*\n)+/m, ROLES_YAML));
  for (const [source, purposes] of Object.entries(PURPOSES)) {
    const path = join(dir, 'sources', `${source}.yaml`);
    writeFileSync(path, readFileSync(path, 'utf8').replace('purposes: [test]', `purposes: ${purposes}`));
  }
  const summary = await build(dir);
  expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
  const project = mustLoad(dir);
  const audit = new AuditLog(join(project.paths.state, 'audit.sqlite'), loadAuditKey(project));
  const auth = openAuth(project, { audit, config: internalConfig() });
  try {
    const admin = principalFor(project, 'beheerder', 'setup');
    for (const role of ROLES.filter((r) => r !== 'publiek'))
      await auth.accounts.addUser(admin, {
        username: role,
        password: PASSWORD,
        roles: [role],
        ...(role === 'wijkteam' ? { wijken: ['WK999901'] } : {}),
      });
    await auth.accounts.addUser(admin, {
      username: 'tweerollen',
      password: PASSWORD,
      roles: ['bestuur', 'fg'],
    });
  } finally {
    auth.close();
    audit.close();
  }
  return { dir, project };
}

/** A built web app in miniature: the two pages and one asset, as `npm run build:web` lays them out. */
export function webFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'pakhuis-web-'));
  mkdirSync(join(root, 'app'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>portaal</title><script type="module" src="/assets/main-abc123.js"></script>',
  );
  writeFileSync(join(root, 'app/index.html'), '<!doctype html><title>intern</title>');
  writeFileSync(join(root, 'assets/main-abc123.js'), 'console.log("portaal");');
  return root;
}

export function internalApp(project: Project, config = internalConfig()): Promise<FastifyInstance> {
  return buildApp(project, { logLevel: 'silent', auth: { config }, webRoot: webFixture() });
}

export function signInRequest(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
  headers: Record<string, string> = { origin: ORIGIN },
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/session', headers, payload: { username, password } });
}

export interface SignedIn {
  cookie: string;
  csrf: string;
}

/** Sign in over the API; the cookie to send back and the CSRF token. */
export async function signIn(app: FastifyInstance, username: string): Promise<SignedIn> {
  const r = await signInRequest(app, username);
  expect(r.statusCode, r.body).toBe(200);
  const set = String(r.headers['set-cookie']);
  return { cookie: set.split(';')[0] as string, csrf: r.json<{ csrfToken: string }>().csrfToken };
}

/** A problem+json response with this status and code; returns the body. */
export function expectProblem(
  r: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.headers['api-version']).toBe(API_VERSION);
  const body = r.json<Record<string, unknown>>();
  expect(body).toMatchObject({ type: 'about:blank', status, code, instance: expect.any(String) });
  expect(typeof body['detail']).toBe('string');
  return body;
}

/** GET over app.inject, as a signed-in user (their session cookie) or anonymously. */
export function getAs(
  app: FastifyInstance,
  url: string,
  session?: SignedIn,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url,
    headers: { ...(session ? { cookie: session.cookie } : {}), ...headers },
  });
}
