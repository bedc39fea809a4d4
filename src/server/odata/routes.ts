import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { representation, type Representation } from '../cache.js';
import { negotiate } from '../negotiate.js';
import type { PublishedVersion } from '../published.js';
import { allowOnlyGet, sendRepresentation, type ServerContext } from '../route.js';
import { BASE_PATH } from '../version.js';
import { ODataError, parseFilter, parseKey, parseOrderBy, type ODataRow } from './filter.js';
import { csdl, ENTITY_SETS, kindsOf, type EntitySet } from './model.js';

export const ODATA_ROOT = `${BASE_PATH}/odata`;
const JSON_ODATA =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const XML = 'application/xml';

/** Options OData defines that this feed does not implement: 501, so a client knows it is not a typo. */
const NOT_IMPLEMENTED = new Set([
  '$expand',
  '$search',
  '$apply',
  '$compute',
  '$levels',
  '$skiptoken',
  '$deltatoken',
]);

type Options = Partial<
  Record<'$filter' | '$select' | '$orderby' | '$top' | '$skip' | '$count' | '$format', string>
>;

/**
 * The system query options of a request, each at most once. Options without `$` are custom options,
 * which OData lets a service ignore; an unknown `$` option is an error.
 */
function options(request: FastifyRequest, allowed: readonly (keyof Options)[]): Options {
  const out: Options = {};
  for (const [k, v] of Object.entries(request.query as Record<string, unknown>)) {
    if (!k.startsWith('$')) continue;
    if (NOT_IMPLEMENTED.has(k))
      throw new ODataError(501, 'not_implemented', `${k} is not supported by this feed`);
    if (!(allowed as readonly string[]).includes(k))
      throw new ODataError(
        400,
        'invalid_query',
        `${k} cannot be used here; allowed: ${allowed.join(', ') || 'none'}`,
      );
    if (typeof v !== 'string') throw new ODataError(400, 'invalid_query', `${k} is given more than once`);
    out[k as keyof Options] = v;
  }
  return out;
}

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text))
    throw new ODataError(400, 'invalid_query', `${name} must be a whole number ≥ 0`);
  return Number(text);
}

/** Check Accept and $format against the one format a resource has. */
function requireFormat(request: FastifyRequest, format: '$json' | '$xml'): void {
  const type = format === '$json' ? 'application/json' : XML;
  const short = format.slice(1);
  const $format = (request.query as Record<string, unknown>)['$format'];
  if (Array.isArray($format)) throw new ODataError(400, 'invalid_query', '$format is given more than once');
  if (typeof $format === 'string' && $format !== short && !$format.startsWith(type))
    throw new ODataError(406, 'not_acceptable', `this resource is available as ${short} only`);
  if ($format === undefined && !negotiate(request.headers.accept, [type]))
    throw new ODataError(406, 'not_acceptable', `this resource is available as ${type} only`);
}

/**
 * The service root as clients must see it: the configured public URL, or else this request's own
 * scheme and host (trustProxy decides whether X-Forwarded-* count). Responses are cached per root.
 */
function serviceRoot(ctx: ServerContext, request: FastifyRequest): string {
  if (ctx.publicUrl) return `${ctx.publicUrl}${ODATA_ROOT}`;
  const host = /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(request.host)
    ? request.host
    : 'localhost';
  return `${request.protocol}://${host}${ODATA_ROOT}`;
}

function sendError(reply: FastifyReply, e: ODataError): FastifyReply {
  return reply
    .code(e.status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code: e.code, message: e.message } }));
}

/** The resource path segment: an entity set, optionally with a key predicate. */
function resource(segment: string): { set: EntitySet; key?: string } {
  const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(segment);
  const set = ENTITY_SETS.find((s) => s.name === m?.[1]);
  if (!m || !set)
    throw new ODataError(
      404,
      'not_found',
      `no entity set "${segment}"; entity sets: ${ENTITY_SETS.map((s) => s.name).join(', ')}`,
    );
  return m[2] === undefined ? { set } : { set, key: m[2] };
}

const rowsOf = (version: PublishedVersion, set: EntitySet): ODataRow[] =>
  version.derived(`odata:${set.name}`, () => set.rows(version));

function select(set: EntitySet, text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '*') return undefined;
  const names = text.split(',').map((s) => s.trim());
  const kinds = kindsOf(set);
  for (const n of names)
    if (!kinds.has(n)) throw new ODataError(400, 'invalid_query', `unknown property "${n}" in $select`);
  return names;
}

const project = (row: ODataRow, names: string[] | undefined): ODataRow =>
  names ? Object.fromEntries(names.map((n) => [n, row[n] ?? null])) : row;

/** The query string of a follow-up page: the request's own options with $skip (and $top) moved on. */
function nextLink(root: string, set: EntitySet, request: FastifyRequest, skip: number, top?: number): string {
  const q: Record<string, string> = { ...(request.query as Record<string, string>), $skip: String(skip) };
  if (top !== undefined) q.$top = String(top);
  else delete q.$top;
  const enc = (s: string): string => encodeURIComponent(s).replace(/^%24/, '$');
  return `${root}/${set.name}?${Object.entries(q)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&')}`;
}

/**
 * The public OData v4 feed of the published indicator values, for Excel and Power BI ("get data from
 * OData feed"): service document, $metadata (CSDL XML), the entity sets Indicators, Areas, Periods
 * and Values with $filter, $select, $orderby, $top, $skip and $count, server-side paging by
 * @odata.nextLink, and /$count. It reads only the in-memory public values of the current version;
 * it is a protocol of its own, so it is described by $metadata, not by the OpenAPI document, and
 * its errors use OData's JSON error format.
 */
export function odataRoutes(app: FastifyInstance, ctx: ServerContext, pageSize: number): void {
  /**
   * One OData resource of one format. Accept and $format are checked before the cache (the cached
   * representation is per URL); everything else a response depends on is in the URL.
   */
  const route = (
    url: string,
    format: '$json' | '$xml' | null,
    respond: (request: FastifyRequest, version: PublishedVersion, root: string) => Representation | string,
    type = JSON_ODATA,
  ): void => {
    app.get(url, async (request, reply) => {
      reply.header('OData-Version', '4.0');
      try {
        if (format) requireFormat(request, format);
        const version = ctx.reader.current;
        if (!version)
          throw new ODataError(
            503,
            'not_ready',
            'no published version of the warehouse yet; try again later',
          );
        const root = serviceRoot(ctx, request);
        const key = `odata ${root} ${request.url}`;
        const rep = await version.represent(key, () => {
          const out = respond(request, version, root);
          return typeof out === 'string' ? representation(version.tag, key, type, out) : out;
        });
        return sendRepresentation(request, reply, rep);
      } catch (e) {
        if (e instanceof ODataError) return sendError(reply, e);
        throw e;
      }
    });
    allowOnlyGet(app, url);
  };

  const serviceDocument = (request: FastifyRequest, _v: PublishedVersion, root: string): string => {
    options(request, ['$format']);
    return JSON.stringify({
      '@odata.context': `${root}/$metadata`,
      value: ENTITY_SETS.map((s) => ({ name: s.name, kind: 'EntitySet', url: s.name })),
    });
  };
  // OData clients append paths to the service root with or without a slash; both forms answer
  route(ODATA_ROOT, '$json', serviceDocument);
  route(`${ODATA_ROOT}/`, '$json', serviceDocument);

  route(
    `${ODATA_ROOT}/$metadata`,
    '$xml',
    (request) => {
      options(request, ['$format']);
      return csdl();
    },
    `${XML}; charset=utf-8`,
  );

  route(`${ODATA_ROOT}/:resource`, '$json', (request, version, root) => {
    const { set, key } = resource((request.params as { resource: string }).resource);
    if (key !== undefined) {
      const o = options(request, ['$select', '$format']);
      const wanted = parseKey(key, set.key);
      const row = rowsOf(version, set).find((r) => set.key.every((k) => r[k] === wanted[k]));
      if (!row) throw new ODataError(404, 'not_found', `no ${set.type} with key ${key}`);
      return JSON.stringify({
        '@odata.context': `${root}/$metadata#${set.name}/$entity`,
        ...project(row, select(set, o.$select)),
      });
    }
    const o = options(request, ['$filter', '$select', '$orderby', '$top', '$skip', '$count', '$format']);
    const kinds = kindsOf(set);
    const names = select(set, o.$select);
    let rows = rowsOf(version, set);
    if (o.$filter !== undefined) rows = rows.filter(parseFilter(o.$filter, kinds));
    if (o.$orderby !== undefined) rows = [...rows].sort(parseOrderBy(o.$orderby, kinds));
    if (o.$count !== undefined && o.$count !== 'true' && o.$count !== 'false')
      throw new ODataError(400, 'invalid_query', '$count must be true or false');
    const skip = count('$skip', o.$skip) ?? 0;
    const top = count('$top', o.$top);
    const end = top === undefined ? rows.length : Math.min(rows.length, skip + top);
    // server-driven paging: at most pageSize rows, then a nextLink for the rest
    const pageEnd = Math.min(end, skip + pageSize);
    return JSON.stringify({
      '@odata.context': `${root}/$metadata#${set.name}${names ? `(${names.join(',')})` : ''}`,
      ...(o.$count === 'true' ? { '@odata.count': rows.length } : {}),
      value: rows.slice(skip, pageEnd).map((r) => project(r, names)),
      ...(pageEnd < end
        ? {
            '@odata.nextLink': nextLink(
              root,
              set,
              request,
              pageEnd,
              top === undefined ? undefined : end - pageEnd,
            ),
          }
        : {}),
    });
  });

  route(
    `${ODATA_ROOT}/:resource/$count`,
    null,
    (request, version) => {
      const { set, key } = resource((request.params as { resource: string }).resource);
      if (key !== undefined) throw new ODataError(400, 'invalid_query', '$count applies to an entity set');
      const o = options(request, ['$filter']);
      const rows = rowsOf(version, set);
      return String(
        o.$filter === undefined ? rows.length : rows.filter(parseFilter(o.$filter, kindsOf(set))).length,
      );
    },
    'text/plain; charset=utf-8',
  );
}
