import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches, representation, type Representation } from './cache.js';
import { negotiate } from './negotiate.js';
import { ApiProblem, sendProblem } from './problem.js';
import type { PublishedReader, PublishedVersion } from './published.js';
import { params, type JsonSchema } from './schemas.js';
import { BASE_PATH, PUBLIC_CACHE_CONTROL } from './version.js';

export const JSON_TYPE = 'application/json';
export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What every route module gets: the read layer and how to write links. */
export interface ServerContext {
  reader: PublishedReader;
  /** absolute origin for links and the OpenAPI servers (e.g. https://data.denhelder.nl), or '' for root-relative links */
  publicUrl: string;
}

/** The documentation of an operation, kept on the route (`config.doc`) for the OpenAPI generator. */
export interface OperationDoc {
  /** path relative to the base path, OpenAPI style: /indicators/{id} */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  produces: readonly string[];
  /** the 200 response: its description and, for JSON, the schema component */
  ok: { description: string; schema?: string; paginated?: boolean; download?: boolean };
  /** the error statuses this operation can give besides 406, 500 and 503 */
  errors: number[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    doc?: OperationDoc;
  }
}

export interface Computed {
  body: string | Buffer;
  headers?: Record<string, string>;
}

export interface RouteInput<Q, P> {
  version: PublishedVersion;
  query: Q;
  params: P;
  /** the negotiated media type */
  type: string;
}

export interface PublicRoute<Q, P> extends Omit<OperationDoc, 'produces'> {
  produces?: readonly string[];
  query?: Record<string, JsonSchema>;
  params?: Record<string, JsonSchema>;
  compute: (input: RouteInput<Q, P>) => Promise<Computed> | Computed;
}

/** `/indicators/{id}` → `/indicators/:id` */
export const fastifyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** A key that does not depend on the order of the query parameters. */
function stableKey(o: unknown): string {
  if (o === null || typeof o !== 'object') return JSON.stringify(o) ?? '';
  const entries = Object.entries(o as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${k}:${stableKey(v)}`).join(',')}}`;
}

export function notReady(): ApiProblem {
  return new ApiProblem(
    503,
    'not_ready',
    'Er is nog geen gepubliceerde versie van het datapakhuis; probeer het later opnieuw.',
    undefined,
    { 'Retry-After': '10' },
  );
}

/** Add to the Vary header (CORS may have set it already). */
export function addVary(reply: FastifyReply, value: string): void {
  const current = reply.getHeader('Vary');
  reply.header('Vary', current ? `${String(current)}, ${value}` : value);
}

/** Send a cached representation: ETag and Cache-Control always, 304 when the client has it already. */
export function sendRepresentation(
  request: FastifyRequest,
  reply: FastifyReply,
  rep: Representation,
  vary = false,
): FastifyReply {
  reply.header('ETag', rep.etag).header('Cache-Control', PUBLIC_CACHE_CONTROL);
  if (vary) addVary(reply, 'Accept');
  if (etagMatches(request.headers['if-none-match'], rep.etag)) return reply.code(304).send();
  return reply.headers(rep.headers).type(rep.type).send(rep.body);
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * /core/http-methods: a method the resource does not support is a 405 with `Allow`, not a 404. Runs
 * in onRequest, before any body is read. `methods` are those the resource has (HEAD comes with GET).
 */
export function allowOnly(app: FastifyInstance, url: string, methods: readonly string[]): void {
  const allowed = new Set(methods.includes('GET') ? [...methods, 'HEAD'] : methods);
  const allow = ALL_METHODS.filter((m) => allowed.has(m));
  const refuse = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendProblem(
      request,
      reply.header('Allow', allow.join(', ')),
      new ApiProblem(
        405,
        'method_not_allowed',
        `${request.method} wordt niet ondersteund; gebruik ${allow.filter((m) => m !== 'HEAD').join(' of ')}.`,
      ),
    );
  app.route({
    method: ALL_METHODS.filter((m) => !allowed.has(m)),
    url,
    onRequest: refuse,
    handler: refuse,
  });
}

/** A read-only resource: every method but GET and HEAD is a 405. */
export function allowOnlyGet(app: FastifyInstance, url: string): void {
  allowOnly(app, url, ['GET']);
}

const MEDIA_CHARSET: Record<string, string> = {
  [JSON_TYPE]: 'application/json; charset=utf-8',
  [CSV_TYPE]: 'text/csv; charset=utf-8',
};

/**
 * Register a public, anonymous GET resource under the base path: parameters validated by their
 * schemas (a 400 problem otherwise), the media type negotiated (406), the response computed once per
 * published version and sent with its ETag (304 on If-None-Match).
 */
export function publicRoute<Q, P>(app: FastifyInstance, ctx: ServerContext, route: PublicRoute<Q, P>): void {
  const { compute, query, params: pathParams, produces = [JSON_TYPE], ...doc } = route;
  const url = `${BASE_PATH}${fastifyPath(route.path)}`;
  app.route({
    method: 'GET',
    url,
    schema: {
      ...(pathParams ? { params: params(pathParams, Object.keys(pathParams)) } : {}),
      querystring: params(query ?? {}),
    },
    config: { doc: { ...doc, produces } },
    handler: async (request, reply) => {
      const type = negotiate(request.headers.accept, produces);
      if (!type)
        throw new ApiProblem(
          406,
          'not_acceptable',
          `Deze resource is er alleen als ${produces.join(' of ')}; pas de Accept-header aan.`,
        );
      const version = ctx.reader.current;
      if (!version) throw notReady();
      const key = `${route.path} ${type} ${stableKey(request.params)} ${stableKey(request.query)}`;
      const rep = await version.represent(key, async () => {
        const out = await compute({ version, query: request.query as Q, params: request.params as P, type });
        return representation(version.tag, key, MEDIA_CHARSET[type] ?? type, out.body, out.headers);
      });
      return sendRepresentation(request, reply, rep, produces.length > 1);
    },
  });
  allowOnlyGet(app, url);
}

/** Links to this API: absolute when a public URL is configured, root-relative otherwise. */
export function href(ctx: ServerContext, path: string, query: Record<string, unknown> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) qs.set(k, String(v));
  const s = qs.toString();
  return `${ctx.publicUrl}${BASE_PATH}${path}${s ? `?${s}` : ''}`;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}

export interface PageLinks {
  self: { href: string };
  first: { href: string };
  last: { href: string };
  prev?: { href: string };
  next?: { href: string };
}

/**
 * One page of a collection with its `_links` (self, first, last, prev, next) and the counts in
 * headers (X-Total-Count, X-Pagination-*, as the NL API strategy's pagination module names them).
 * A page past the end is empty, not an error: its links still lead back.
 */
export function paginate<T>(
  ctx: ServerContext,
  path: string,
  items: T[],
  query: PageQuery,
): { items: T[]; links: PageLinks; headers: Record<string, string> } {
  const { page, pageSize, ...filters } = query as PageQuery & Record<string, unknown>;
  const last = Math.max(1, Math.ceil(items.length / pageSize));
  const to = (p: number): { href: string } => ({ href: href(ctx, path, { ...filters, page: p, pageSize }) });
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    links: {
      self: to(page),
      first: to(1),
      last: to(last),
      ...(page > 1 ? { prev: to(Math.min(page - 1, last)) } : {}),
      ...(page < last ? { next: to(page + 1) } : {}),
    },
    headers: {
      'X-Total-Count': String(items.length),
      'X-Pagination-Page': String(page),
      'X-Pagination-Limit': String(pageSize),
    },
  };
}

/** Round as every export does: to the indicator's decimals. */
export { roundValue as round } from '../indicators/read.js';
