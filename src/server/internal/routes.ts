import { existsSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { openCurrent } from '../../build/current.js';
import { statePath } from '../../build/build.js';
import { catalogEntries } from '../../catalog/catalog.js';
import type { Engine } from '../../engine/engine.js';
import { areaProfile, ProfileError } from '../../indicators/profile.js';
import { readValues } from '../../indicators/read.js';
import { authorise, inScope, type Action, type Principal, type Resource } from '../../privacy/authorise.js';
import { buildRegister } from '../../privacy/register.js';
import type { Project, RoleDef } from '../../project/types.js';
import type { AuditAction } from '../../state/audit.js';
import { StateStore } from '../../state/store.js';
import { ApiProblem } from '../problem.js';
import { allowOnlyGet, notReady, round, type ServerContext } from '../route.js';
import { PARAM, params, type JsonSchema } from '../schemas.js';
import { BASE_PATH } from '../version.js';
import { audited, requireSignedIn, type AuthContext } from './auth.js';

export const INTERNAL_PATH = `${BASE_PATH}/internal`;

/**
 * What a route needs before it runs, declared on the route:
 * - `signed_in`: any signed-in role (metadata, no data);
 * - `role`: a property of the role (a decision about the installation, not about data);
 * - `authorise`: the decision of the one authorise() — its action, the resource and, where data is
 *   read, the purpose (X-Purpose header or `purpose` query parameter).
 */
export type Access =
  | { kind: 'signed_in' }
  | { kind: 'role'; allowed: (role: RoleDef) => boolean; needs: string }
  | {
      kind: 'authorise';
      action: Action;
      /** one resource: allowed or not */
      resource?: (params: Record<string, string>, project: Project) => Resource;
      /** several resources, each authorised on its own: the route gets those allowed (403 when none is) */
      each?: (params: Record<string, string>, project: Project) => Array<{ key: string; resource: Resource }>;
      purpose: boolean;
    };

export interface InternalInput<Q, P> {
  request: FastifyRequest;
  project: Project;
  who: Principal;
  /** the purpose of the use of data, when the route reads data */
  purpose: string | undefined;
  /** for `each`: the keys allowed, and those refused with the reason */
  allowed: string[];
  refused: Array<{ key: string; reason: string }>;
  query: Q;
  params: P;
}

export interface InternalResult {
  body: unknown;
  /** a data access: what to write to the audit log (who, role and purpose are added) */
  audit?: { action: AuditAction; resource: string; rows: number; detail?: Record<string, unknown> };
}

export interface InternalRoute<Q, P> {
  /** below /api/v1, OpenAPI style: /internal/indicators/{id}/values */
  path: string;
  access: Access;
  params?: Record<string, JsonSchema>;
  query?: Record<string, JsonSchema>;
  /** 404 checks that come before the purpose is weighed (unknown ids are not secret) */
  exists?: (input: InternalInput<Q, P>) => void;
  handle: (input: InternalInput<Q, P>) => Promise<InternalResult> | InternalResult;
}

const PURPOSE: JsonSchema = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]{0,62}$',
  description: 'Het doel (doelbinding) van dit gebruik van gegevens; of de header X-Purpose.',
};

const fastifyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

function purposeOf(request: FastifyRequest): string | undefined {
  const h = request.headers['x-purpose'];
  const header = Array.isArray(h) ? h[0] : h;
  const query = (request.query as { purpose?: string }).purpose;
  if (header && query && header !== query)
    throw new ApiProblem(
      400,
      'purpose_conflict',
      'X-Purpose en de parameter purpose noemen verschillende doelen.',
    );
  const purpose = header ?? query;
  if (purpose !== undefined && !new RegExp(PURPOSE['pattern'] as string).test(purpose))
    throw new ApiProblem(400, 'invalid_parameters', 'Het doel is ongeldig.', [
      {
        name: 'purpose',
        code: 'pattern',
        reason: `heeft niet de juiste vorm (${String(PURPOSE['pattern'])})`,
      },
    ]);
  return purpose;
}

/** 403, and a 'denied' entry in the audit log. */
function denied(
  actx: AuthContext,
  request: FastifyRequest,
  who: Principal,
  purpose: string | undefined,
  resource: string,
  reason: string,
): ApiProblem {
  audited(actx, who, {
    purpose: purpose ?? null,
    action: 'denied',
    resource,
    rows: null,
    detail: { reason, route: request.routeOptions.url, method: request.method },
  });
  return new ApiProblem(403, 'forbidden', `Niet toegestaan: ${reason}.`);
}

/**
 * Register a GET route for signed-in users under /api/v1/internal: 401 without a session, 403 (and
 * 'denied' in the audit log) when the route's access says no, `Cache-Control: no-store`, and every
 * data access written to the audit log with who, role, purpose, what and how many rows.
 */
export function internalRoute<Q, P>(
  app: FastifyInstance,
  actx: AuthContext,
  route: InternalRoute<Q, P>,
): void {
  const url = `${BASE_PATH}${fastifyPath(route.path)}`;
  const { access } = route;
  const query = {
    ...route.query,
    ...(access.kind === 'authorise' && access.purpose ? { purpose: PURPOSE } : {}),
  };
  app.route({
    method: 'GET',
    url,
    schema: {
      ...(route.params ? { params: params(route.params, Object.keys(route.params)) } : {}),
      querystring: params(query),
    },
    config: { access },
    handler: async (request, reply) => {
      const { principal: who } = requireSignedIn(request);
      const project = actx.project();
      const purpose = access.kind === 'authorise' && access.purpose ? purposeOf(request) : undefined;
      const input: InternalInput<Q, P> = {
        request,
        project,
        who,
        purpose,
        allowed: [],
        refused: [],
        query: request.query as Q,
        params: request.params as P,
      };
      const what = `${request.method} ${request.url.split('?')[0] ?? ''}`;
      if (access.kind === 'role' && !access.allowed(who.role))
        throw denied(actx, request, who, undefined, what, `role ${who.role.name} ${access.needs}`);
      if (access.kind === 'authorise') {
        if (access.purpose && !purpose)
          throw new ApiProblem(
            400,
            'purpose_required',
            'Noem het doel (doelbinding): de header X-Purpose of de parameter purpose.',
            [{ name: 'purpose', code: 'required', reason: 'is verplicht' }],
          );
        route.exists?.(input);
        const p = request.params as Record<string, string>;
        if (access.resource) {
          const resource = access.resource(p, project);
          const decision = authorise(project, who, access.action, resource, purpose);
          if (!decision.allowed)
            throw denied(actx, request, who, purpose, resource.tables?.join(', ') ?? what, decision.reason);
        }
        for (const { key, resource } of access.each?.(p, project) ?? []) {
          const decision = authorise(project, who, access.action, resource, purpose);
          if (decision.allowed) input.allowed.push(key);
          else input.refused.push({ key, reason: decision.reason });
        }
        if (access.each && input.allowed.length === 0)
          throw denied(
            actx,
            request,
            who,
            purpose,
            what,
            input.refused[0]?.reason ?? `nothing to ${access.action}`,
          );
      } else route.exists?.(input);
      const result = await route.handle(input);
      if (result.audit) audited(actx, who, { purpose: purpose ?? null, ...result.audit });
      return reply.header('Cache-Control', 'no-store').send(result.body);
    },
  });
  allowOnlyGet(app, url);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** what an internal route needs (see internalRoute) */
    access?: Access;
  }
}

/** The restricted zone of the published version: its own read-only, sandboxed connection per request. */
async function restricted<T>(project: Project, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const { engine } = await openCurrent(project, { sandbox: true }).catch(() => {
    throw notReady();
  });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

function findIndicator(project: Project, id: string): Project['indicators'][number] {
  const ind = project.indicators.find((i) => i.name === id);
  if (!ind) throw new ApiProblem(404, 'indicator_not_found', `Er is geen indicator met de code "${id}".`);
  return ind;
}

interface ValuesQuery {
  level?: string;
  period?: string;
  area?: string;
}

/** The routes for signed-in users: restricted values, the restricted profile, catalog, runs, audit log, register. */
export function internalRoutes(app: FastifyInstance, ctx: ServerContext, actx: AuthContext): void {
  internalRoute<ValuesQuery, { id: string }>(app, actx, {
    path: '/internal/indicators/{id}/values',
    access: {
      kind: 'authorise',
      action: 'query',
      resource: (p) => ({ tables: [`indicators.${p['id']}`] }),
      purpose: true,
    },
    params: { id: PARAM.indicatorId },
    query: { level: PARAM.level, period: PARAM.period, area: PARAM.area },
    exists: ({ project, params: p }) => void findIndicator(project, p.id),
    handle: async ({ project, params: p, query: q, who }) => {
      const ind = findIndicator(project, p.id);
      const rows = (await restricted(project, (engine) => readValues(engine, [ind], 'restricted'))).filter(
        (v) =>
          (!q.level || v.level === q.level) &&
          (!q.period || v.period === q.period) &&
          (!q.area || v.area === q.area) &&
          // a wijk-scoped role: its wijken, their buurten and the gemeente
          inScope(who, v.area),
      );
      return {
        body: {
          indicator: ind.name,
          unit: ind.unit,
          zone: 'restricted',
          values: rows.map((v) => ({
            area: v.area,
            level: v.level,
            period: v.period,
            value: round(v.value, ind.decimals),
            status: v.status,
          })),
        },
        audit: {
          action: 'query',
          resource: `indicators.${ind.name}`,
          rows: rows.length,
          detail: { route: 'internal values', ...q },
        },
      };
    },
  });

  internalRoute<{ year?: string }, { code: string }>(app, actx, {
    path: '/internal/areas/{code}/profile',
    // each indicator on its own, as `pakhuis profile` does: a role sees what its purpose allows
    access: {
      kind: 'authorise',
      action: 'query',
      // a wijk-scoped role may see the profile of its own wijken (and their buurten) only
      each: (p, project) =>
        project.indicators.map((i) => ({
          key: i.name,
          resource: { tables: [`indicators.${i.name}`], areas: [String(p['code'])] },
        })),
      purpose: true,
    },
    params: { code: PARAM.areaCode },
    query: { year: PARAM.year },
    exists: ({ params: p }) => {
      const version = ctx.reader.current;
      if (!version) throw notReady();
      if (!version.areaModel.byCode.has(p.code))
        throw new ApiProblem(404, 'area_not_found', `Er is geen gebied met de code "${p.code}".`);
    },
    handle: async ({ project, params: p, query: q, allowed, refused, who }) => {
      const indicators = project.indicators.filter((i) => allowed.includes(i.name));
      const profile = await restricted(project, (engine) =>
        areaProfile(engine, project, p.code, {
          zone: 'restricted',
          indicators,
          ...(q.year ? { year: q.year } : {}),
        }),
      ).catch((e: unknown) => {
        if (e instanceof ProfileError) throw new ApiProblem(404, 'profile_not_available', e.message);
        throw e;
      });
      const { area } = profile;
      return {
        body: {
          area: { code: area.code, name: area.name, level: area.level, parent: area.parent ?? null },
          year: profile.year,
          zone: 'restricted',
          indicators: profile.rows.map(({ indicator: i, comparison: c }) => ({
            id: i.name,
            label: { nl: i.label, en: i.labelEn ?? null },
            domain: i.domain,
            theme: i.theme,
            unit: i.unit,
            period: c.period,
            value: round(c.value, i.decimals),
            status: c.status,
            municipality: round(c.municipality, i.decimals),
            difference: round(c.difference, i.decimals),
            trend: c.trend,
            rank: c.rank,
            of: c.of,
          })),
          notShown: refused.map((r) => ({ id: r.key, reason: r.reason })),
          // similar areas are other wijken: not for a wijk-scoped role
          similarAreas: (who.wijken ? [] : profile.similar).map((s) => ({
            code: s.area.code,
            name: s.area.name,
            distance: s.distance,
          })),
        },
        audit: {
          action: 'query',
          resource: `profile ${area.code} ${profile.year} (restricted)`,
          rows: profile.rows.length,
          detail: { indicators: profile.rows.map((r) => r.indicator.name), refused: refused.length },
        },
      };
    },
  });

  internalRoute<object, object>(app, actx, {
    path: '/internal/catalog',
    access: { kind: 'signed_in' },
    handle: ({ project }) => ({
      body: {
        sources: catalogEntries(project).map((e) => ({
          name: e.source.name,
          title: e.source.title,
          description: e.source.description ?? null,
          owner: e.source.owner,
          domain: e.source.domain ?? null,
          refresh: e.source.refresh,
          access: e.source.catalog.access,
          themes: e.source.catalog.theme,
          purposes: e.source.privacy.purposes,
          fgApproved: e.source.privacy.fgApproval !== undefined,
          lastLoad: e.lastLoad
            ? {
                at: e.lastLoad.loaded_at,
                rows: e.lastLoad.rows_loaded,
                quarantined: e.lastLoad.rows_quarantined,
              }
            : null,
          contentSince: e.contentSince ?? null,
          stale: e.stale,
          score: e.score ?? null,
        })),
      },
    }),
  });

  internalRoute<{ limit: number }, object>(app, actx, {
    path: '/internal/runs',
    access: { kind: 'role', allowed: (r) => r.admin || r.audit, needs: 'needs admin: true or audit: true' },
    query: {
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Hoeveel runs.' },
    },
    handle: ({ project, query: q }) => {
      const path = statePath(project);
      if (!existsSync(path)) return { body: { runs: [] } };
      const state = new StateStore(path);
      try {
        return { body: { runs: state.runs(q.limit) } };
      } finally {
        state.close();
      }
    },
  });

  internalRoute<{ limit: number; action?: AuditAction }, object>(app, actx, {
    path: '/internal/audit',
    access: { kind: 'authorise', action: 'read_audit', resource: () => ({}), purpose: false },
    query: {
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Hoeveel regels.' },
      action: { type: 'string', enum: AUDIT_ACTIONS, description: 'Alleen deze handeling.' },
    },
    handle: ({ query: q }) => {
      const entries = actx.audit().entries({ limit: q.limit, ...(q.action ? { action: q.action } : {}) });
      return {
        body: { entries },
        audit: { action: 'audit_read', resource: 'audit log', rows: entries.length, detail: { ...q } },
      };
    },
  });

  internalRoute<object, object>(app, actx, {
    path: '/internal/register',
    access: { kind: 'authorise', action: 'read_register', resource: () => ({}), purpose: false },
    handle: ({ project }) => ({ body: { processings: buildRegister(project) } }),
  });
}

const AUDIT_ACTIONS: AuditAction[] = [
  'query',
  'export',
  'reveal',
  'login',
  'definition_change',
  'build',
  'retention',
  'register',
  'audit_read',
  'quality_read',
  'denied',
];
