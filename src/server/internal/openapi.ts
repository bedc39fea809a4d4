import type { FastifyInstance } from 'fastify';
import { COOKIE_NAMES } from '../../auth/index.js';
import type { Project } from '../../project/types.js';
import { representation, shortHash, type Representation } from '../cache.js';
import { negotiate } from '../negotiate.js';
import {
  contactOf,
  ERROR_RESPONSE,
  header,
  headerRefs,
  HEADERS,
  parameters,
  problem,
  RESPONSES,
} from '../openapi.js';
import { ApiProblem } from '../problem.js';
import { allowOnlyGet, JSON_TYPE, sendRepresentation, type ServerContext } from '../route.js';
import { COMPONENTS, type JsonSchema } from '../schemas.js';
import { API_VERSION, BASE_PATH } from '../version.js';
import type { AuthContext } from './auth.js';
import type { InternalOperation } from './route.js';

export const INTERNAL_OPENAPI_URL = `${BASE_PATH}/internal/openapi.json`;

const TAGS = [
  { name: 'sessie', description: 'Aanmelden (lokaal account of de identiteitsprovider) en afmelden.' },
  {
    name: 'gegevens',
    description: 'Niet-openbare cijfers, voor een doel (doelbinding); vastgelegd in het auditlog.',
  },
  {
    name: 'metadata',
    description: 'Indicatoren, bronnen, kwaliteit en herkomst: beschrijvingen, geen gegevens.',
  },
  { name: 'beheer', description: 'Runs, auditlog, verwerkingsregister en accounts.' },
];

/** The error responses of the signed-in routes, besides those of the public API. */
const INTERNAL_RESPONSES: Record<string, JsonSchema> = {
  Unauthorized: problem('Niet aangemeld (of de sessie is verlopen).'),
  Forbidden: problem(
    'Niet toegestaan: de rol mag dit niet, het doel is niet toegestaan, of het CSRF-token ontbreekt; een weigering wordt vastgelegd in het auditlog.',
  ),
  Conflict: problem('Bestaat al.'),
  TooManyRequests: problem('Te veel mislukte pogingen; probeer het later opnieuw.', ['Retry-After']),
};
const RESPONSE_OF: Record<number, string> = {
  ...ERROR_RESPONSE,
  401: 'Unauthorized',
  403: 'Forbidden',
  409: 'Conflict',
  429: 'TooManyRequests',
};

const SECURITY_SCHEMES = (secure: boolean): Record<string, JsonSchema> => ({
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: secure ? `__Host-${COOKIE_NAMES.session}` : COOKIE_NAMES.session,
    description:
      'De sessiecookie (HttpOnly) die POST /session of de aanmelding bij de identiteitsprovider zet. Met de header X-Role kiest u een andere rol die u hebt.',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description:
      'Het CSRF-token van de sessie (csrfToken in GET /session), bij elk verzoek dat iets verandert.',
  },
});

function operation(op: InternalOperation): JsonSchema {
  const { doc } = op;
  const get = op.method === 'GET';
  const created = op.method === 'POST' && doc.ok.status === 201;
  const params = [...parameters('path', op.params), ...parameters('query', op.querystring)];
  const anonymous = op.anonymous === true;
  const errors = new Set([...(doc.errors ?? []), ...(anonymous ? [] : [401, 403]), 500]);
  if (get) errors.add(406);
  if (params.length > 0 || op.body) errors.add(400);
  const okHeaders = [
    'API-Version',
    'Cache-Control',
    ...(get ? ['ETag'] : []),
    ...(created ? ['Location'] : []),
    ...(doc.ok.headers ?? []),
  ];
  const ok = doc.ok.status ?? 200;
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    description: doc.description,
    tags: doc.tags,
    parameters: params,
    ...(op.body ? { requestBody: { required: true, content: { [JSON_TYPE]: { schema: op.body } } } } : {}),
    responses: {
      [String(ok)]: {
        description: doc.ok.description,
        headers: headerRefs(...okHeaders),
        ...(ok === 204 || ok === 302
          ? {}
          : { content: { [JSON_TYPE]: { schema: doc.ok.schema ?? { type: 'object' } } } }),
      },
      ...(get && ok === 200 ? { '304': { $ref: '#/components/responses/NotModified' } } : {}),
      ...Object.fromEntries(
        [...errors]
          .sort((a, b) => a - b)
          .map((s) => [String(s), { $ref: `#/components/responses/${RESPONSE_OF[s]}` }]),
      ),
    },
    security: anonymous ? [] : op.write ? [{ session: [], csrf: [] }] : [{ session: [] }],
  };
}

/** Drop the components no operation refers to (directly or through another component). */
function usedOnly(paths: JsonSchema, components: Record<string, Record<string, JsonSchema>>): JsonSchema {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && !used.has(v)) {
        used.add(v);
        const [, , kind = '', name = ''] = v.split('/');
        visit(components[kind]?.[name]);
      } else visit(v);
    }
  };
  visit(paths);
  return Object.fromEntries(
    Object.entries(components).map(([kind, entries]) => [
      kind,
      Object.fromEntries(
        Object.entries(entries).filter(([name]) => used.has(`#/components/${kind}/${name}`)),
      ),
    ]),
  );
}

/** The OpenAPI 3.1 document of the signed-in routes, from their declarations (see internalRoute). */
export function internalDocument(
  operations: InternalOperation[],
  project: Project,
  publicUrl: string,
  secure: boolean,
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operation(op);
  const used = new Set(operations.flatMap((o) => o.doc.tags));
  return {
    openapi: '3.1.0',
    info: {
      title: `Datapakhuis van ${project.municipality.name}: routes voor medewerkers`,
      version: API_VERSION,
      description: [
        `De routes van de webapplicatie voor aangemelde medewerkers van ${project.municipality.name}.`,
        'Aanmelden geeft een sessiecookie; elk verzoek dat iets verandert, stuurt het CSRF-token van de sessie mee in X-CSRF-Token.',
        'Elke route zegt wie hem mag gebruiken (een rol, of het doel via X-Purpose); een weigering en elk gebruik van gegevens worden vastgelegd in het auditlog. Antwoorden worden nooit bewaard (no-store).',
        `De openbare cijfers staan in een eigen document: ${publicUrl}${BASE_PATH}/openapi.json.`,
      ].join('\n\n'),
      contact: contactOf(project),
      license: { name: 'CC0 1.0 Universal', identifier: 'CC0-1.0' },
    },
    servers: [{ url: `${publicUrl}${BASE_PATH}`, description: 'Deze server' }],
    tags: TAGS.filter((t) => used.has(t.name)),
    paths,
    components: {
      ...usedOnly(paths, {
        schemas: COMPONENTS,
        headers: {
          ...HEADERS,
          'Cache-Control': header('Nooit bewaren: no-store.'),
          Location: header('De URL van de nieuwe resource.'),
        },
        responses: { ...RESPONSES, ...INTERNAL_RESPONSES },
      }),
      securitySchemes: SECURITY_SCHEMES(secure),
    },
  };
}

/** GET /api/v1/internal/openapi.json: documentation, so readable without signing in. */
export function internalOpenApi(app: FastifyInstance, ctx: ServerContext, actx: AuthContext): void {
  const documents = new WeakMap<Project, Representation>();
  app.get(INTERNAL_OPENAPI_URL, (request, reply) => {
    if (!negotiate(request.headers.accept, [JSON_TYPE]))
      throw new ApiProblem(406, 'not_acceptable', 'Het OpenAPI-document is er alleen als application/json.');
    const project = actx.project();
    let rep = documents.get(project);
    if (!rep) {
      const text = JSON.stringify(internalDocument(actx.operations, project, ctx.publicUrl, actx.secure));
      rep = representation(`internal-${API_VERSION}`, shortHash(text), `${JSON_TYPE}; charset=utf-8`, text);
      documents.set(project, rep);
    }
    // documentation, public like the public API's document (/core/publish-openapi)
    reply.header('Access-Control-Allow-Origin', '*');
    return sendRepresentation(request, reply, rep);
  });
  allowOnlyGet(app, INTERNAL_OPENAPI_URL);
}
