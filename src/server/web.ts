import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiProblem } from './problem.js';
import { allowOnlyGet } from './route.js';

/** Where `npm run build:web` writes the two faces (vite: web/vite.config.ts). */
export const DEFAULT_WEB_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)), 'dist/web');

/**
 * The browser may only run and load what this server sends: no inline scripts, no other origins,
 * never inside a frame. Inline styles are allowed: the charts and the map set style attributes.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-cache')
    .header('Content-Security-Policy', CSP)
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'same-origin');
}

/**
 * The two faces of the built web app: the internal app at /app (behind sign-in, its data through
 * /api/v1/internal), the public portal at every other path (its data through the public API only).
 * Hashed assets are immutable; the HTML pages are revalidated. Paths under /api that no route
 * answers stay problem+json 404s. Without a build the pages answer 503 with the command to run.
 */
export async function webRoutes(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): Promise<void> {
  const portalHtml = join(root, 'index.html');
  const appHtml = join(root, 'app', 'index.html');
  const built = existsSync(portalHtml) && existsSync(appHtml);
  const page = (file: string) => async (_request: unknown, reply: FastifyReply) => {
    if (!built)
      throw new ApiProblem(
        503,
        'web_not_built',
        `De webapplicatie is niet gebouwd (${file} ontbreekt). Voer "npm run build:web" uit en start de server opnieuw.`,
      );
    // read once per request is cheap (1 kB) and picks up a rebuild without a restart
    return pageHeaders(reply).send(readFileSync(file));
  };
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    index: false,
    // hashed file names: a new build has new names
    immutable: true,
    maxAge: '365d',
    decorateReply: false,
  });
  for (const url of ['/', '/app', '/app/*']) {
    app.get(url, page(url === '/' ? portalHtml : appHtml));
    allowOnlyGet(app, url);
  }
  allowOnlyGet(app, '/assets/*');
  // every other path: a portal page (the portal routes in the browser), except below /api, where an
  // unknown path stays a problem+json 404 for every method
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/*',
    handler: async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (path.startsWith('/api/') || path.startsWith('/assets/'))
        throw new ApiProblem(404, 'not_found', `Er is geen resource op ${path}.`);
      if (request.method !== 'GET' && request.method !== 'HEAD')
        throw new ApiProblem(
          405,
          'method_not_allowed',
          `${request.method} wordt niet ondersteund op ${path}.`,
          undefined,
          {
            Allow: 'GET, HEAD',
          },
        );
      return page(portalHtml)(request, reply);
    },
  });
}
