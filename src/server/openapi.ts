import type { FastifyInstance } from 'fastify';
import type { Project } from '../project/types.js';
import { PROBLEM_JSON } from './problem.js';
import { JSON_TYPE, type OperationDoc } from './route.js';
import { COMPONENTS, schemaRef, type JsonSchema } from './schemas.js';
import { API_VERSION, BASE_PATH } from './version.js';

interface Operation {
  doc: OperationDoc;
  params?: JsonSchema;
  querystring?: JsonSchema;
}

const TAGS = [
  {
    name: 'indicatoren',
    description: 'Indicatoren per gemeente, wijk en buurt, met hun gepubliceerde waarden.',
  },
  { name: 'gebieden', description: 'De gemeente, haar wijken en buurten, en het gebiedsprofiel.' },
  { name: 'publicaties', description: 'Tabellen met cijfers die door onthullingscontrole zijn gegaan.' },
  { name: 'documentatie', description: 'Deze beschrijving van de API.' },
];

export const header = (description: string, schema: JsonSchema = { type: 'string' }): JsonSchema => ({
  description,
  schema,
});

/** Response headers, as components (every response carries API-Version: /core/version-header). */
export const HEADERS: Record<string, JsonSchema> = {
  'API-Version': header('De volledige versie van de API (semver).', {
    type: 'string',
    examples: [API_VERSION],
  }),
  ETag: header('De versie van deze representatie; stuur hem terug in If-None-Match.'),
  'Cache-Control': header('Openbare cijfers veranderen alleen bij een nieuwe build: public, max-age=60.'),
  Vary: header('Accept: de representatie hangt af van de Accept-header.'),
  'X-Total-Count': header('Het totale aantal items over alle pagina’s.', { type: 'integer' }),
  'X-Pagination-Page': header('Het nummer van deze pagina.', { type: 'integer' }),
  'X-Pagination-Limit': header('Het aantal items per pagina.', { type: 'integer' }),
  'Content-Disposition': header('attachment, met een bestandsnaam.'),
  'Retry-After': header('Na hoeveel seconden het opnieuw kan.', { type: 'integer' }),
};

export const headerRefs = (...names: string[]): Record<string, JsonSchema> =>
  Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));

export const problem = (description: string, extraHeaders: string[] = []): JsonSchema => ({
  description,
  headers: headerRefs('API-Version', ...extraHeaders),
  content: { [PROBLEM_JSON]: { schema: schemaRef('Problem') } },
});

/** Error responses (RFC 9457 problem details, /core/error-handling/problem-details). */
export const RESPONSES: Record<string, JsonSchema> = {
  NotModified: {
    description: 'Niet gewijzigd: de ETag in If-None-Match is nog actueel.',
    headers: headerRefs('API-Version', 'ETag', 'Cache-Control'),
  },
  BadRequest: problem('Ongeldige parameters; invalidParams zegt welke en waarom.'),
  NotFound: problem('Niet gevonden.'),
  NotAcceptable: problem('Geen van de gevraagde mediatypen (Accept) is beschikbaar.'),
  InternalError: problem('Fout op de server.'),
  NotReady: problem('Er is nog geen gepubliceerde versie van het datapakhuis.', ['Retry-After']),
};

export const ERROR_RESPONSE: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  406: 'NotAcceptable',
  500: 'InternalError',
  503: 'NotReady',
};

/** JSON, or a JSON-based media type such as application/geo+json */
const isJson = (type: string): boolean => type === JSON_TYPE || type.endsWith('+json');

/** Query or path parameters, from the very schema Fastify validates them with. */
export function parameters(where: 'query' | 'path', schema: JsonSchema | undefined): JsonSchema[] {
  if (!schema) return [];
  const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = (schema['required'] ?? []) as string[];
  return Object.entries(props).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return {
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      description,
      schema: rest,
    };
  });
}

function operation(op: Operation): JsonSchema {
  const { doc } = op;
  const okHeaders = [
    'API-Version',
    'ETag',
    'Cache-Control',
    ...(doc.produces.length > 1 ? ['Vary'] : []),
    ...(doc.ok.paginated ? ['X-Total-Count', 'X-Pagination-Page', 'X-Pagination-Limit'] : []),
    ...(doc.ok.download || doc.produces.some((t) => !isJson(t)) ? ['Content-Disposition'] : []),
  ];
  const content = Object.fromEntries(
    doc.produces.map((type) => [
      type,
      {
        schema: isJson(type)
          ? doc.ok.schema
            ? schemaRef(doc.ok.schema)
            : { type: 'object' }
          : type.startsWith('text/')
            ? { type: 'string' }
            : { type: 'string', format: 'binary' },
      },
    ]),
  );
  const errors = [...new Set([...doc.errors, 406, 500])].sort((a, b) => a - b);
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    description: doc.description,
    tags: doc.tags,
    parameters: [...parameters('path', op.params), ...parameters('query', op.querystring)],
    responses: {
      '200': { description: doc.ok.description, headers: headerRefs(...okHeaders), content },
      '304': { $ref: '#/components/responses/NotModified' },
      ...Object.fromEntries(
        errors.map((s) => [String(s), { $ref: `#/components/responses/${ERROR_RESPONSE[s]}` }]),
      ),
    },
  };
}

/** info.contact: who answers for the API (/core/doc-openapi-contact) */
export function contactOf(project: Project): JsonSchema {
  const contact = project.catalog.contact;
  return {
    name: contact.name,
    url: contact.url ?? project.catalog.baseUri,
    ...(contact.email ? { email: contact.email } : {}),
  };
}

/**
 * The OpenAPI 3.1 document of the public API (/core/doc-openapi), generated from the routes as they
 * are registered: each documented route carries its OperationDoc, and its parameters come from the
 * schemas Fastify validates with, so the document cannot drift from what is served.
 */
export class OpenApiRegistry {
  private readonly operations: Operation[] = [];
  private readonly documents = new WeakMap<Project, JsonSchema>();

  /** Collect the documented GET routes of `app` (call before registering them). */
  attach(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const doc = route.config?.doc;
      if (!doc || !methods.includes('GET')) return;
      const schema = (route.schema ?? {}) as { params?: JsonSchema; querystring?: JsonSchema };
      this.operations.push({
        doc,
        ...(schema.params ? { params: schema.params } : {}),
        ...(schema.querystring ? { querystring: schema.querystring } : {}),
      });
    });
  }

  document(project: Project, publicUrl: string): JsonSchema {
    const cached = this.documents.get(project);
    if (cached) return cached;
    const paths: Record<string, Record<string, JsonSchema>> = {};
    for (const op of this.operations) (paths[op.doc.path] ??= {})['get'] = operation(op);
    const doc = {
      openapi: '3.1.0',
      info: {
        title: `Openbare cijfers van ${project.municipality.name}`,
        version: API_VERSION,
        description: [
          `De openbare cijfers van ${project.municipality.name} uit het Datapakhuis: indicatoren per gemeente, wijk en buurt, gebiedsprofielen en publicaties.`,
          'Alle cijfers zijn door onthullingscontrole gegaan: kleine aantallen zijn geheim (nooit als 0), ook waar ze af te leiden zouden zijn.',
          'De cijfers veranderen alleen als een nieuwe versie van het datapakhuis wordt gepubliceerd; elke representatie heeft een ETag.',
          `Excel en Power BI lezen dezelfde cijfers als OData v4-feed: ${publicUrl}${BASE_PATH}/odata.`,
        ].join('\n\n'),
        contact: contactOf(project),
        license: { name: 'CC0 1.0 Universal', identifier: 'CC0-1.0' },
      },
      servers: [{ url: `${publicUrl}${BASE_PATH}`, description: 'Deze server' }],
      tags: TAGS,
      paths,
      components: { schemas: COMPONENTS, headers: HEADERS, responses: RESPONSES },
    };
    this.documents.set(project, doc);
    return doc;
  }
}
