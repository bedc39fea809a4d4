import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/project/types.js';
import {
  internalApp,
  PASSWORD,
  internalProject,
  purposeOf,
  ROLES,
  signIn,
  signInRequest,
  type RoleName,
  type SignedIn,
} from './internal-fixture.js';

/**
 * The authorisation matrix: every route the app registers × every role (publiek = anonymous), each
 * outcome compared with the matrix declared below. A route (path and method) without an entry
 * fails the test, so adding a route forces a decision about who may use it.
 */

type Outcome = '2xx' | '401' | '403' | '404' | '405' | '503';
/** outcomes in the order of ROLES: publiek, beheerder, analist, domeinexpert, fg, wijkteam, vik, bestuur */
type Row = readonly Outcome[];

const all = (o: Outcome): Row => ROLES.map(() => o);
const row = (spec: string): Row => {
  const r = spec.trim().split(/\s+/) as Outcome[];
  if (r.length !== ROLES.length) throw new Error(`a row needs ${ROLES.length} outcomes: ${spec}`);
  return r;
};
//                         publiek beheerder analist domeinexpert fg  wijkteam vik  bestuur
const SIGNED_IN = row('    401     2xx       2xx     2xx          2xx 2xx      2xx  2xx');
const ADMIN_OR_AUDIT = row('401    2xx       403     403          2xx 403      403  403');
const ADMIN = row('          401     2xx       403     403          403 403      403  403');
/** query on indicators.aantal_inwoners (source personen: beleidsinformatie, kadernota) */
const PERSONEN = row('     401     403       2xx     2xx          403 403      403  2xx');
/** the profile: each indicator on its own; the wijkteam sees meldingen (events: also vroegsignalering) */
const PROFILE = row('      401     403       2xx     2xx          403 2xx      403  2xx');

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

/** A read-only resource: GET and HEAD as given, every other method 405 for everyone. */
const readOnly = (get: Row): Record<Method, Row> => ({
  GET: get,
  HEAD: get,
  POST: all('405'),
  PUT: all('405'),
  PATCH: all('405'),
  DELETE: all('405'),
  OPTIONS: all('405'),
});

const PUBLIC = readOnly(all('2xx'));
/** the PDF needs a server listening on a port and Chromium; app.inject has no port (test/browser renders it) */
const NEEDS_LISTENING = readOnly(all('503'));

/** The declared matrix: path as Fastify registers it → method → outcome per role. */
const MATRIX: Record<string, Record<Method, Row>> = {
  '/health': PUBLIC,
  '/ready': PUBLIC,
  '/api/v1': PUBLIC,
  '/api/v1/openapi.json': PUBLIC,
  '/api/v1/odata': PUBLIC,
  '/api/v1/odata/': PUBLIC,
  '/api/v1/odata/$metadata': PUBLIC,
  '/api/v1/odata/:resource': PUBLIC,
  '/api/v1/odata/:resource/$count': PUBLIC,
  '/api/v1/indicators': PUBLIC,
  '/api/v1/indicators/:id': PUBLIC,
  '/api/v1/indicators/:id/values': PUBLIC,
  '/api/v1/indicators/:id/values.csv': PUBLIC,
  '/api/v1/indicators/:id/values.xlsx': PUBLIC,
  '/api/v1/areas': PUBLIC,
  '/api/v1/areas/:code': PUBLIC,
  '/api/v1/areas/:code/profile': PUBLIC,
  '/api/v1/areas/:code/report.pdf': NEEDS_LISTENING,
  // the web app's pages: the portal for everyone, the internal app's page too (its data need sign-in)
  '/': PUBLIC,
  '/app': PUBLIC,
  // /app/* as printRoutes shows it (the router prints the wildcard under `app` without its slash)
  '/app*': PUBLIC,
  '/*': PUBLIC,
  // (/assets/*, the static files of @fastify/static, is not in printRoutes; test/server/web.test.ts covers it)
  '/api/v1/publications': PUBLIC,
  '/api/v1/publications/:name': PUBLIC,
  '/api/v1/boundaries/:level': PUBLIC,
  // documentation of the signed-in routes: public
  '/api/v1/internal/openapi.json': PUBLIC,
  // the project of the matrix has no auth.oidc (see oidc.test.ts for one that has)
  '/api/v1/session/oidc': readOnly(all('404')),
  '/api/v1/session/oidc/callback': readOnly(all('404')),
  '/api/v1/session': {
    GET: SIGNED_IN,
    HEAD: SIGNED_IN,
    // publiek: a user name without an account
    POST: SIGNED_IN,
    // with the session's CSRF token (without it: 403, see internal.test.ts)
    DELETE: SIGNED_IN,
    PUT: all('405'),
    PATCH: all('405'),
    OPTIONS: all('405'),
  },
  '/api/v1/internal/indicators/:id/values': readOnly(PERSONEN),
  '/api/v1/internal/areas/:code/profile': readOnly(PROFILE),
  '/api/v1/internal/catalog': readOnly(SIGNED_IN),
  '/api/v1/internal/runs': readOnly(ADMIN_OR_AUDIT),
  // authorise('read_audit') and ('read_register'): audit: true, or an admin
  '/api/v1/internal/audit': readOnly(ADMIN_OR_AUDIT),
  '/api/v1/internal/register': readOnly(ADMIN_OR_AUDIT),
  // metadata: any signed-in role
  '/api/v1/internal/indicators': readOnly(SIGNED_IN),
  '/api/v1/internal/catalog/:source': readOnly(SIGNED_IN),
  '/api/v1/internal/quality': readOnly(SIGNED_IN),
  '/api/v1/internal/lineage': readOnly(SIGNED_IN),
  // accounts: admin: true only; writes with the CSRF token (without it: 403, see users.test.ts)
  '/api/v1/internal/users': { ...readOnly(ADMIN), POST: ADMIN },
  '/api/v1/internal/users/:username': { ...readOnly(ADMIN), PATCH: ADMIN },
};

/** Unknown resources and paths: 404 for whoever may ask (the anonymous get 401 on internal routes first). */
const UNKNOWN: Record<string, Row> = {
  '/api/v1/internal/indicators/bestaat_niet/values': row('401 404 404 404 404 404 404 404'),
  '/api/v1/internal/areas/WK999999/profile': row('401 404 404 404 404 404 404 404'),
  '/api/v1/internal/bestaat-niet': all('404'),
  '/api/v1/bestaat-niet': all('404'),
  '/api/v1/indicators/bestaat_niet': all('404'),
  '/api/v1/internal/catalog/bestaat_niet': row('401 404 404 404 404 404 404 404'),
  '/api/v1/internal/users/bestaat.niet': row('401 404 403 403 403 403 403 403'),
  '/api/v1/boundaries/wijk': all('404'),
};

/** The values a path parameter takes in the probes. */
const SAMPLE: Record<string, string> = {
  id: 'aantal_inwoners',
  code: 'WK999901',
  name: 'inwoners_per_buurt',
  resource: 'Indicators',
  source: 'personen',
  level: 'buurt',
  username: 'analist',
};

/** A valid body for the write routes, so the probe meets the access decision and not a 400. */
let probes = 0;
function payloadOf(method: Method, path: string): object | undefined {
  if (method === 'POST' && path === '/api/v1/internal/users')
    return { username: `probe${++probes}`, password: PASSWORD, roles: ['analist'] };
  if (method === 'PATCH' && path === '/api/v1/internal/users/:username') return { disabled: false };
  return undefined;
}

/**
 * The routes as Fastify has them (printRoutes, without a common prefix): path → methods. This is
 * the router itself, so a route registered anywhere shows up here.
 */
function registeredRoutes(app: FastifyInstance): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    stack.length = depth;
    stack.push(m[2] as string);
    if (m[3]) out.set(stack.join(''), m[3].split(', '));
  }
  return out;
}

const outcome = (status: number): string => (status >= 200 && status < 300 ? '2xx' : String(status));

describe('the authorisation matrix', () => {
  let project: Project;
  let app: FastifyInstance;
  const sessions = new Map<RoleName, SignedIn>();

  beforeAll(async () => {
    ({ project } = await internalProject());
    app = await internalApp(project);
    for (const role of ROLES) if (role !== 'publiek') sessions.set(role, await signIn(app, role));
  });

  afterAll(async () => {
    await app?.close();
  });

  async function probe(method: Method, path: string, role: RoleName): Promise<number> {
    const url = path.replace(/:(\w+)/g, (_m, p: string) => SAMPLE[p] ?? `unknown-${p}`);
    const headers: Record<string, string> = { 'x-purpose': purposeOf(project, role) };
    if (method === 'POST' && path === '/api/v1/session') {
      const r = await signInRequest(app, role === 'publiek' ? 'niemand' : role);
      return r.statusCode;
    }
    let session = sessions.get(role);
    // sign-out ends the session: a fresh one, so the other probes keep theirs
    if (method === 'DELETE' && path === '/api/v1/session' && session) session = await signIn(app, role);
    if (session) {
      headers['cookie'] = session.cookie;
      headers['x-csrf-token'] = session.csrf;
    }
    const payload = payloadOf(method, path);
    const r = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return r.statusCode;
  }

  it('every registered route has an entry, and every entry a route', () => {
    const routes = registeredRoutes(app);
    expect(routes.size).toBeGreaterThan(20);
    const missing = [...routes].flatMap(([path, methods]) =>
      methods.filter((m) => !MATRIX[path]?.[m as Method]).map((m) => `${m} ${path}`),
    );
    expect(missing, 'routes without an entry in MATRIX: decide who may use them').toEqual([]);
    const stale = Object.keys(MATRIX).filter((p) => !routes.has(p));
    expect(stale, 'entries for routes that are not registered').toEqual([]);
    for (const [path, methods] of routes)
      expect([...methods].sort(), path).toEqual(Object.keys(MATRIX[path] ?? {}).sort());
  });

  it('every route × every role answers as declared', async () => {
    const differences: string[] = [];
    for (const [path, byMethod] of Object.entries(MATRIX))
      for (const method of METHODS)
        for (const [i, role] of ROLES.entries()) {
          const expected = byMethod[method][i];
          const got = outcome(await probe(method, path, role));
          if (got !== expected)
            differences.push(`${method} ${path} as ${role}: ${got}, declared ${expected}`);
        }
    expect(differences).toEqual([]);
  });

  it('unknown resources are 404 for whoever may ask', async () => {
    const differences: string[] = [];
    for (const [url, expected] of Object.entries(UNKNOWN))
      for (const [i, role] of ROLES.entries()) {
        const got = outcome(await probe('GET', url, role));
        if (got !== expected[i]) differences.push(`GET ${url} as ${role}: ${got}, declared ${expected[i]}`);
      }
    expect(differences).toEqual([]);
  });
});
