import type { FastifyInstance } from 'fastify';
import { representation, shortHash, type Representation } from '../cache.js';
import { negotiate } from '../negotiate.js';
import type { OpenApiRegistry } from '../openapi.js';
import { ApiProblem, sendProblem } from '../problem.js';
import { allowOnlyGet, href, JSON_TYPE, notReady, sendRepresentation, type ServerContext } from '../route.js';
import { API_VERSION, BASE_PATH } from '../version.js';

/**
 * Liveness (/health: the process answers), readiness (/ready: a published version is open), the API's
 * landing resource and its OpenAPI document.
 */
export function metaRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  openapi: OpenApiRegistry,
  initialProject: () => Parameters<OpenApiRegistry['document']>[0],
): void {
  app.get('/health', (_request, reply) => reply.header('Cache-Control', 'no-store').send({ status: 'ok' }));
  allowOnlyGet(app, '/health');

  app.get('/ready', (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const v = ctx.reader.current;
    if (!v) return sendProblem(request, reply, notReady());
    return reply.send({
      status: 'ready',
      version: v.pointer.version,
      run: v.pointer.run_id,
      publishedAt: v.pointer.published_at,
    });
  });
  allowOnlyGet(app, '/ready');

  // the base URL answers too (the ADR validator requests it); not an operation of the document
  app.get(BASE_PATH, (_request, reply) =>
    reply.send({
      version: API_VERSION,
      _links: {
        self: { href: href(ctx, '') },
        openapi: { href: href(ctx, '/openapi.json') },
        indicators: { href: href(ctx, '/indicators') },
        areas: { href: href(ctx, '/areas') },
        publications: { href: href(ctx, '/publications') },
        odata: { href: href(ctx, '/odata') },
      },
    }),
  );
  allowOnlyGet(app, BASE_PATH);

  const url = `${BASE_PATH}/openapi.json`;
  const documents = new WeakMap<object, Representation>();
  app.get(
    url,
    {
      config: {
        doc: {
          path: '/openapi.json',
          operationId: 'getOpenApiDocument',
          summary: 'Deze API-beschrijving',
          description:
            'Het OpenAPI 3.1-document van deze API, zonder aanmelden en voor elke origin leesbaar.',
          tags: ['documentatie'],
          produces: [JSON_TYPE],
          ok: { description: 'Het OpenAPI-document.' },
          errors: [],
        },
      },
    },
    (request, reply) => {
      if (!negotiate(request.headers.accept, [JSON_TYPE]))
        throw new ApiProblem(
          406,
          'not_acceptable',
          'Het OpenAPI-document is er alleen als application/json.',
        );
      const doc = openapi.document(ctx.reader.current?.project ?? initialProject(), ctx.publicUrl);
      let rep = documents.get(doc);
      if (!rep) {
        const text = JSON.stringify(doc);
        rep = representation(`api-${API_VERSION}`, shortHash(text), `${JSON_TYPE}; charset=utf-8`, text);
        documents.set(doc, rep);
      }
      // /core/publish-openapi: clients such as Swagger UI must be able to read it from any origin
      reply.header('Access-Control-Allow-Origin', '*');
      return sendRepresentation(request, reply, rep);
    },
  );
  allowOnlyGet(app, url);
}
