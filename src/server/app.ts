import Fastify, { type FastifyInstance } from 'fastify';
import type { Project } from '../project/types.js';
import { installAuth, type ServerAuthOptions } from './internal/auth.js';
import { internalRoutes } from './internal/routes.js';
import { ODATA_ROOT, odataRoutes } from './odata/routes.js';
import { OpenApiRegistry } from './openapi.js';
import { installProblemHandlers, rejectTrailingSlash } from './problem.js';
import { PublishedReader, type ReaderOptions } from './published.js';
import { addVary, type ServerContext } from './route.js';
import { areaRoutes } from './routes/areas.js';
import { boundaryRoutes } from './routes/boundaries.js';
import { indicatorRoutes } from './routes/indicators.js';
import { metaRoutes } from './routes/meta.js';
import { publicationRoutes } from './routes/publications.js';
import { reportRoutes } from './routes/report.js';
import { sessionRoutes } from './routes/session.js';
import { API_VERSION } from './version.js';
import { webRoutes } from './web.js';

export interface AppOptions {
  /** pino level: fatal, error, warn, info (default), debug, trace or silent */
  logLevel?: string;
  /** where the JSON log lines go (default stdout) */
  logStream?: NodeJS.WritableStream;
  /** trust X-Forwarded-* from a reverse proxy (Fastify's trustProxy: true, or the proxy's addresses) */
  trustProxy?: boolean | string | string[];
  /** the public origin for links and the OpenAPI servers, e.g. https://data.denhelder.nl (default: root-relative) */
  publicUrl?: string;
  /**
   * Origins allowed to read the API from a browser (CORS). Empty by default: no CORS headers at all,
   * except `*` on the OpenAPI document, which /core/publish-openapi asks for. '*' allows every origin.
   */
  corsOrigins?: string[];
  /** rows per OData page before a nextLink (default 5,000) */
  odataPageSize?: number;
  reader?: ReaderOptions;
  /** sign-in settings for /api/v1/session and the internal routes (default: the project's) */
  auth?: ServerAuthOptions;
  /** the built web app (`npm run build:web`; default dist/web), or false for the API alone */
  webRoot?: string | false;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** the read layer: the published version being served */
    published: PublishedReader;
  }
}

/** The headers a browser script may read on a cross-origin response. */
const EXPOSED = [
  'API-Version',
  'ETag',
  'X-Total-Count',
  'X-Pagination-Page',
  'X-Pagination-Limit',
  'Content-Disposition',
];

function installCors(app: FastifyInstance, origins: string[]): void {
  const any = origins.includes('*');
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || (!any && !origins.includes(origin))) return;
    reply.header('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!any) addVary(reply, 'Origin');
    reply.header('Access-Control-Expose-Headers', EXPOSED.join(', '));
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      await reply
        .code(204)
        .header('Access-Control-Allow-Methods', 'GET, HEAD')
        .header('Access-Control-Allow-Headers', 'Accept, Accept-Language, If-None-Match')
        .header('Access-Control-Max-Age', '600')
        .send();
    }
  });
}

/**
 * The HTTP server of a project: the public API under /api/v1 (NL API Design Rules, OpenAPI at
 * /api/v1/openapi.json), the OData feed under /api/v1/odata, and /health and /ready. Anonymous
 * routes read only through the read layer, which serves the current published version. Closing the
 * app closes the read layer (and with it the warehouse version).
 */
export async function buildApp(project: Project, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    trustProxy: opts.trustProxy ?? false,
    // a bad parameter is a 400 that names every problem, and an unknown parameter is not dropped silently
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  });
  const reader = new PublishedReader(project, { ...opts.reader, log: app.log });
  app.decorate('published', reader);
  app.addHook('onClose', () => reader.close());
  const ctx: ServerContext = { reader, publicUrl: (opts.publicUrl ?? '').replace(/\/+$/, '') };

  // /core/version-header: every response carries the full API version
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('API-Version', API_VERSION).header('X-Content-Type-Options', 'nosniff');
  });
  // graceful close: a response sent while closing ends its keep-alive connection, so close() need
  // not wait for idle connections of requests that were in progress when it began
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('Connection', 'close');
    done(null, payload);
  });
  if (opts.corsOrigins && opts.corsOrigins.length > 0) installCors(app, opts.corsOrigins);
  installProblemHandlers(app);
  rejectTrailingSlash(app, [`${ODATA_ROOT}/`]);

  // every request resolves who asks (session cookie, X-Role) before any route runs
  const actx = installAuth(app, {
    project: () => reader.current?.project ?? project,
    publicUrl: ctx.publicUrl,
    ...(opts.auth ? { options: opts.auth } : {}),
  });

  const openapi = new OpenApiRegistry();
  openapi.attach(app);
  metaRoutes(app, ctx, openapi, () => project);
  indicatorRoutes(app, ctx);
  areaRoutes(app, ctx);
  boundaryRoutes(app, ctx);
  publicationRoutes(app, ctx);
  reportRoutes(app, ctx);
  odataRoutes(app, ctx, opts.odataPageSize ?? 5_000);
  sessionRoutes(app, actx);
  internalRoutes(app, ctx, actx);
  if (opts.webRoot !== false) await webRoutes(app, opts.webRoot);

  try {
    await reader.start();
    await app.ready();
  } catch (e) {
    await app.close();
    throw e;
  }
  return app;
}
