import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorise, type Action, type Principal, type Resource } from '../../privacy/authorise.js';
import type { Project, RoleDef } from '../../project/types.js';
import type { AuditAction } from '../../state/audit.js';
import { etagMatches, shortHash } from '../cache.js';
import { negotiate } from '../negotiate.js';
import { ApiProblem } from '../problem.js';
import { allowOnly, fastifyPath, JSON_TYPE } from '../route.js';
import { params, type JsonSchema } from '../schemas.js';
import { BASE_PATH } from '../version.js';
import { audited, requireCsrf, requireSignedIn, type AuthContext } from './auth.js';

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

export interface InternalInput<Q, P, B = undefined> {
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
  /** the request body of a write route, valid against its schema */
  body: B;
}

export interface InternalResult {
  body: unknown;
  /** 200 unless said otherwise (201 for a created resource) */
  status?: number;
  headers?: Record<string, string>;
  /** a data access or an administrator's action: what to write to the audit log (who, role and purpose are added) */
  audit?: { action: AuditAction; resource: string; rows: number | null; detail?: Record<string, unknown> };
}

/** The documentation of an internal operation, for the OpenAPI document of the signed-in routes. */
export interface InternalDoc {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** the success response: its status (200 by default), description, JSON Schema (inline) and extra headers */
  ok: { status?: number; description: string; schema?: JsonSchema; headers?: string[] };
  /** error statuses besides 401, 403, 406 and 500 (every internal route can give those) */
  errors?: number[];
}

export interface InternalRoute<Q, P, B = undefined> {
  /** below /api/v1, OpenAPI style: /internal/indicators/{id}/values */
  path: string;
  access: Access;
  doc: InternalDoc;
  params?: Record<string, JsonSchema>;
  query?: Record<string, JsonSchema>;
  /** 404 checks that come before the purpose is weighed (unknown ids are not secret) */
  exists?: (input: InternalInput<Q, P, B>) => void;
  handle: (input: InternalInput<Q, P, B>) => Promise<InternalResult> | InternalResult;
}

export interface InternalWriteRoute<Q, P, B> extends InternalRoute<Q, P, B> {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** the JSON Schema of the request body (an unknown member is a 400) */
  body: JsonSchema;
}

/** What the OpenAPI generator of the signed-in routes reads from a route (`config.internal`). */
export interface InternalOperation {
  path: string;
  method: string;
  doc: InternalDoc;
  /** what the route needs; none for a route that signs in */
  access?: Access;
  anonymous?: boolean;
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /** a write: needs X-CSRF-Token */
  write: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** what an internal route needs (see internalRoute) */
    access?: Access;
    internal?: InternalOperation;
  }
}

export const PURPOSE: JsonSchema = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]{0,62}$',
  description: 'Het doel (doelbinding) van dit gebruik van gegevens; of de header X-Purpose.',
};

const PURPOSE_PATTERN = new RegExp(PURPOSE['pattern'] as string);

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
  if (purpose !== undefined && !PURPOSE_PATTERN.test(purpose))
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

/** The methods each internal URL has, so the others answer 405 with the right Allow header. */
const methodsByApp = new WeakMap<FastifyInstance, Map<string, string[]>>();

/**
 * The one guard of every internal route, in this order: signed in (401) — the role's access (403,
 * audited as denied) — for a write, the session's CSRF token (403) — the parameters and the body
 * (400; only now, so an anonymous caller learns nothing about them) — the purpose — 404 checks —
 * authorise() — the handler; its audit entry is written, the response never stored.
 */
function register<Q, P, B>(
  app: FastifyInstance,
  actx: AuthContext,
  method: string,
  route: InternalRoute<Q, P, B>,
  body: JsonSchema | undefined,
): void {
  const url = `${BASE_PATH}${fastifyPath(route.path)}`;
  const { access } = route;
  const write = method !== 'GET';
  const query = params({
    ...route.query,
    ...(access.kind === 'authorise' && access.purpose ? { purpose: PURPOSE } : {}),
  });
  const pathParams = route.params ? params(route.params, Object.keys(route.params)) : undefined;
  const methods = methodsByApp.get(app) ?? new Map<string, string[]>();
  methodsByApp.set(app, methods);
  methods.set(url, [...(methods.get(url) ?? []), method]);
  app.route({
    method,
    url,
    schema: { ...(pathParams ? { params: pathParams } : {}), querystring: query, ...(body ? { body } : {}) },
    // validated, but refused only after the caller is known (see above)
    attachValidation: true,
    config: {
      access,
      internal: {
        path: route.path,
        method,
        doc: route.doc,
        access,
        ...(pathParams ? { params: pathParams } : {}),
        querystring: query,
        ...(body ? { body } : {}),
        write,
      },
    },
    handler: async (request, reply) => {
      const { token, principal: who } = requireSignedIn(request);
      const project = actx.project();
      const what = `${request.method} ${request.url.split('?')[0] ?? ''}`;
      if (access.kind === 'role' && !access.allowed(who.role))
        throw denied(actx, request, who, undefined, what, `role ${who.role.name} ${access.needs}`);
      if (write) requireCsrf(request, token);
      if (request.validationError) throw request.validationError;
      if (!negotiate(request.headers.accept, [JSON_TYPE]))
        throw new ApiProblem(406, 'not_acceptable', 'Deze resource is er alleen als application/json.');
      const purpose = access.kind === 'authorise' && access.purpose ? purposeOf(request) : undefined;
      const input: InternalInput<Q, P, B> = {
        request,
        project,
        who,
        purpose,
        allowed: [],
        refused: [],
        query: request.query as Q,
        params: request.params as P,
        body: request.body as B,
      };
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
      return send(request, reply.header('Cache-Control', 'no-store'), result, write);
    },
  });
}

/**
 * The response: JSON, with a validator on reads (an ETag of the body; If-None-Match gives 304, so a
 * client that polls gets no bytes when nothing changed; the response is still never stored).
 */
function send(
  request: FastifyRequest,
  reply: FastifyReply,
  result: InternalResult,
  write: boolean,
): FastifyReply {
  const text = JSON.stringify(result.body);
  reply.code(result.status ?? 200).headers(result.headers ?? {});
  if (!write) {
    const etag = `"${shortHash(text)}"`;
    reply.header('ETag', etag);
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  }
  return reply.type('application/json; charset=utf-8').send(text);
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
  register(app, actx, 'GET', route, undefined);
}

/**
 * Register a state-changing route (POST, PATCH, …) for signed-in users: the same access declaration
 * and guard as internalRoute, plus the session's CSRF token in X-CSRF-Token and a body validated by
 * its JSON Schema.
 */
export function internalWriteRoute<Q, P, B>(
  app: FastifyInstance,
  actx: AuthContext,
  route: InternalWriteRoute<Q, P, B>,
): void {
  register(app, actx, route.method, route, route.body);
}

/** After the internal routes are registered: every other method on their URLs is a 405 with Allow. */
export function refuseOtherMethods(app: FastifyInstance): void {
  for (const [url, methods] of methodsByApp.get(app) ?? []) allowOnly(app, url, methods);
  methodsByApp.delete(app);
}
