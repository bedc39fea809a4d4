import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openCurrent } from '../../build/current.js';
import { statePath } from '../../build/build.js';
import { catalogEntries } from '../../catalog/catalog.js';
import type { Engine } from '../../engine/engine.js';
import { areaProfile, ProfileError } from '../../indicators/profile.js';
import { readValues } from '../../indicators/read.js';
import { inScope } from '../../privacy/authorise.js';
import { buildRegister } from '../../privacy/register.js';
import type { Project } from '../../project/types.js';
import type { AuditAction } from '../../state/audit.js';
import { StateStore } from '../../state/store.js';
import { ApiProblem } from '../problem.js';
import { notReady, round, type ServerContext } from '../route.js';
import { PARAM } from '../schemas.js';
import type { AuthContext } from './auth.js';
import { internalMetaRoutes, sourceSummary } from './meta.js';
import { internalOpenApi } from './openapi.js';
import { internalRoute, refuseOtherMethods } from './route.js';
import { userRoutes } from './users.js';

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

const RESTRICTED_VALUES = {
  type: 'object',
  properties: {
    indicator: { type: 'string' },
    unit: { type: 'string' },
    zone: { type: 'string', enum: ['restricted'] },
    values: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          area: { type: 'string' },
          level: { type: 'string' },
          period: { type: 'string' },
          value: { type: ['number', 'null'] },
          status: { type: 'string' },
        },
      },
    },
  },
};

/**
 * The routes for signed-in users: restricted values, the restricted profile, catalog, runs, audit
 * log, register; metadata for the web app (internal/meta.ts), account administration
 * (internal/users.ts), and their OpenAPI document (internal/openapi.ts).
 */
export function internalRoutes(app: FastifyInstance, ctx: ServerContext, actx: AuthContext): void {
  // collects the declarations of the routes below: attach before registering them
  internalOpenApi(app, ctx, actx);
  internalRoute<ValuesQuery, { id: string }>(app, actx, {
    path: '/internal/indicators/{id}/values',
    doc: {
      operationId: 'listRestrictedIndicatorValues',
      summary: 'Alle waarden van een indicator (beperkte zone)',
      description:
        'Elke waarde, ook kleine aantallen, voor een doel (doelbinding) dat de rol en de bronnen toestaan. Een rol met een wijkscope ziet alleen haar wijken, hun buurten en de gemeente. Wordt vastgelegd in het auditlog.',
      tags: ['gegevens'],
      ok: { description: 'De waarden.', schema: RESTRICTED_VALUES },
      errors: [400, 404, 503],
    },
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
    doc: {
      operationId: 'getRestrictedAreaProfile',
      summary: 'Het gebiedsprofiel (beperkte zone)',
      description:
        'Elke indicator die het doel toestaat voor één gebied; notShown noemt de indicatoren die het doel niet toestaat, met de reden. Wordt vastgelegd in het auditlog.',
      tags: ['gegevens'],
      ok: { description: 'Het profiel.', schema: { type: 'object' } },
      errors: [400, 404, 503],
    },
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
    doc: {
      operationId: 'listCatalogSources',
      summary: 'Het bronnenregister',
      description:
        'Elke bron met eigenaar, verversing, toegang, doelen, laatste levering en kwaliteitsscore.',
      tags: ['metadata'],
      ok: { description: 'De bronnen.', schema: { type: 'object' } },
    },
    access: { kind: 'signed_in' },
    handle: ({ project }) => ({ body: { sources: catalogEntries(project).map(sourceSummary) } }),
  });

  internalRoute<{ limit: number }, object>(app, actx, {
    path: '/internal/runs',
    doc: {
      operationId: 'listRuns',
      summary: 'De laatste runs van de build',
      description: 'Voor een rol met admin of audit.',
      tags: ['beheer'],
      ok: { description: 'De runs, nieuwste eerst.', schema: { type: 'object' } },
      errors: [400],
    },
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
    doc: {
      operationId: 'listAuditEntries',
      summary: 'Het auditlog',
      description: 'De nieuwste regels van het auditlog; het lezen wordt zelf ook vastgelegd.',
      tags: ['beheer'],
      ok: { description: 'De regels, nieuwste eerst.', schema: { type: 'object' } },
      errors: [400],
    },
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
    doc: {
      operationId: 'getProcessingRegister',
      summary: 'Het verwerkingsregister (AVG art. 30)',
      description: 'Per doel de verwerkingen, bronnen en grondslagen.',
      tags: ['beheer'],
      ok: { description: 'De verwerkingen.', schema: { type: 'object' } },
    },
    access: { kind: 'authorise', action: 'read_register', resource: () => ({}), purpose: false },
    handle: ({ project }) => ({ body: { processings: buildRegister(project) } }),
  });

  internalMetaRoutes(app, ctx, actx);
  userRoutes(app, actx);
  refuseOtherMethods(app);
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
