import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';

/** One rejected parameter of a 400 response: which, a stable code, and why (in Dutch). */
export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

/**
 * An error response (RFC 9457 problem details, /core/error-handling/problem-details).
 *
 * Language: `type` is `about:blank`, so `title` is the HTTP status phrase in English, as RFC 9457
 * asks for that type — it is stable and never translated. `detail` (and each `reason` of
 * `invalidParams`) is Dutch, the interface language of the API (/core/doc-language); `code` is a
 * stable English code a client can branch on (like the quarantine reason codes of the warehouse).
 * `invalidParams` is camelCase, as every other member of this API.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly invalidParams?: InvalidParam[],
    readonly headers: Record<string, string> = {},
    /** extension members (RFC 9457 §3.2), never overriding the standard ones */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  invalidParams?: InvalidParam[];
}

export function problemBody(p: ApiProblem, instance: string): ProblemBody {
  return {
    ...p.extensions,
    type: 'about:blank',
    title: STATUS_CODES[p.status] ?? 'Error',
    status: p.status,
    detail: p.detail,
    instance,
    code: p.code,
    ...(p.invalidParams ? { invalidParams: p.invalidParams } : {}),
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, p: ApiProblem): FastifyReply {
  return reply
    .code(p.status)
    .headers(p.headers)
    .type(PROBLEM_JSON)
    .send(JSON.stringify(problemBody(p, request.url)));
}

const TYPE_NL: Record<string, string> = {
  integer: 'een geheel getal',
  number: 'een getal',
  string: 'tekst',
  boolean: 'true of false',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An ajv validation error as an invalid parameter with a Dutch reason. */
function invalidParam(e: AjvError): InvalidParam {
  const p = e.params;
  const path = e.instancePath.split('/').filter(Boolean)[0] ?? '';
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        name: String(p['additionalProperty']),
        code: 'unknown_parameter',
        reason: 'is geen parameter van deze resource',
      };
    case 'required':
      return { name: String(p['missingProperty']), code: 'required', reason: 'is verplicht' };
    case 'type':
      return { name: path, code: 'type', reason: `moet ${TYPE_NL[String(p['type'])] ?? p['type']} zijn` };
    case 'minimum':
      return { name: path, code: 'minimum', reason: `moet minstens ${p['limit']} zijn` };
    case 'maximum':
      return { name: path, code: 'maximum', reason: `mag hoogstens ${p['limit']} zijn` };
    case 'enum':
      return {
        name: path,
        code: 'enum',
        reason: `moet een van deze waarden zijn: ${(p['allowedValues'] as unknown[]).join(', ')}`,
      };
    case 'pattern':
      return { name: path, code: 'pattern', reason: `heeft niet de juiste vorm (${p['pattern']})` };
    case 'maxLength':
      return { name: path, code: 'max_length', reason: `mag hoogstens ${p['limit']} tekens lang zijn` };
    default:
      return { name: path, code: e.keyword, reason: e.message ?? 'is ongeldig' };
  }
}

/** Every error leaves as problem details: validation (400), routing (404), anything else (500, logged). */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: AjvError[] }, request, reply) => {
    if (error instanceof ApiProblem) return sendProblem(request, reply, error);
    if (error.validation) {
      const params = error.validation.map(invalidParam);
      return sendProblem(
        request,
        reply,
        new ApiProblem(
          400,
          'invalid_parameters',
          `Een of meer parameters zijn ongeldig: ${params.map((x) => x.name).join(', ')}.`,
          params,
        ),
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return sendProblem(
        request,
        reply,
        new ApiProblem(
          status,
          error.code ?? 'bad_request',
          `Het verzoek kan niet worden verwerkt: ${error.message}`,
        ),
      );
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      request,
      reply,
      new ApiProblem(500, 'internal_error', 'Er ging iets mis op de server; de fout is gelogd.'),
    );
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, notFound(request.url)));
}

const trailingSlash = (path: string): boolean => path.length > 1 && path.endsWith('/');
const isWebPage = (path: string): boolean =>
  !path.startsWith('/api/') && !path.startsWith('/assets/') && path !== '/health/' && path !== '/ready/';

function notFound(url: string): ApiProblem {
  const path = url.split('?')[0] ?? '';
  const hint = trailingSlash(path) ? ' Laat de / aan het eind van het pad weg.' : '';
  return new ApiProblem(404, 'not_found', `Er is geen resource op ${path}.${hint}`);
}

/**
 * /core/no-trailing-slash: a path ending in a slash is a 404, never a redirect — also where the
 * router would match it to a route with an empty last parameter (`/indicators/` → `/indicators/:id`).
 * `except` lists paths that do answer with a slash (the OData service root).
 */
export function rejectTrailingSlash(app: FastifyInstance, except: string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // the rule is the API's; the web app's pages (/app/, /gebieden/…/) are not resources
    if (trailingSlash(path) && !isWebPage(path) && !except.includes(path))
      await sendProblem(request, reply, notFound(request.url));
  });
}
