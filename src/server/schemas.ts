/**
 * The JSON Schemas of the public API. Query and path parameters are validated by Fastify with these
 * very objects and documented from them; the response schemas are the OpenAPI components (the tests
 * validate every response against them). Property names are camelCase, query keys lower camelCase
 * (/core/query-keys-camel-case), descriptions Dutch (/core/doc-language).
 */

export type JsonSchema = Record<string, unknown>;

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], ...extra });
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
});

/** A code as the warehouse uses it: lower case, digits and underscores (indicator and publication ids). */
export const ID_PATTERN = '^[a-z][a-z0-9_]{0,62}$';
const AREA_CODE = '^(GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8})$';

export const PARAM = {
  page: { type: 'integer', minimum: 1, default: 1, description: 'Het paginanummer, vanaf 1.' },
  pageSize: {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'Het aantal items per pagina (hoogstens 1000).',
  },
  level: {
    type: 'string',
    enum: ['gemeente', 'wijk', 'buurt'],
    description: 'Alleen gebieden van dit niveau.',
  },
  period: {
    type: 'string',
    pattern: '^[0-9A-Za-z-]{1,20}$',
    description: 'Alleen deze periode, zoals 2024, 2024-Q1 of 2024-03.',
  },
  area: { type: 'string', pattern: AREA_CODE, description: 'Alleen dit gebied (CBS-code: GM…, WK… of BU…).' },
  year: {
    type: 'string',
    pattern: '^[0-9]{4}$',
    description:
      'Het jaar; elke indicator toont zijn laatste periode in dat jaar. Standaard het laatste jaar.',
  },
  indicatorId: { type: 'string', pattern: ID_PATTERN, description: 'De code van de indicator.' },
  publicationName: { type: 'string', pattern: ID_PATTERN, description: 'De naam van de publicatie.' },
  boundaryLevel: {
    type: 'string',
    enum: ['wijk', 'buurt'],
    description: 'Het niveau: wijk of buurt.',
  },
  areaCode: {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]{1,40}$',
    description: 'De CBS-code van het gebied (GM…, WK… of BU…).',
  },
} satisfies Record<string, JsonSchema>;

/** The querystring or path schema of a route: exactly these keys; an unknown key is a 400. */
export function params(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required };
}

export const pagination = { page: PARAM.page, pageSize: PARAM.pageSize };

const link = ref('Link');
const label = object({
  nl: { type: 'string', description: 'Naam in het Nederlands.' },
  en: nullable('string', { description: 'Naam in het Engels, als die er is.' }),
});
const status = {
  type: 'string',
  enum: ['ok', 'suppressed', 'missing', 'not_applicable'],
  description:
    'ok: er is een waarde; suppressed: geheim (onthullingsrisico, nooit als 0); missing: ontbreekt; not_applicable: niet van toepassing.',
};
const areaLevel = { type: 'string', enum: ['gemeente', 'wijk', 'buurt'] };

export const COMPONENTS: Record<string, JsonSchema> = {
  Problem: {
    type: 'object',
    description: 'Een foutmelding volgens RFC 9457 (problem details).',
    properties: {
      type: { type: 'string', description: 'Altijd about:blank: de status zegt wat er mis is.' },
      title: { type: 'string', description: 'De HTTP-statustekst (Engels, vast).' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string', description: 'Wat er mis is, in het Nederlands.' },
      instance: { type: 'string', description: 'Het pad van het verzoek.' },
      code: { type: 'string', description: 'Een vaste code voor programma’s (Engels).' },
      invalidParams: { type: 'array', items: ref('InvalidParam') },
    },
    required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  },
  InvalidParam: object({
    name: { type: 'string', description: 'De naam van de parameter.' },
    code: { type: 'string', description: 'Een vaste code, zoals pattern, enum of unknown_parameter.' },
    reason: { type: 'string', description: 'Wat er mis is, in het Nederlands.' },
  }),
  Link: object({ href: { type: 'string', format: 'uri-reference' } }),
  PageLinks: object({ self: link, first: link, last: link, prev: link, next: link }, [
    'self',
    'first',
    'last',
  ]),
  Indicator: object({
    id: { type: 'string' },
    label,
    description: { type: 'string' },
    theme: { type: 'string' },
    domain: { type: 'string', enum: ['fysiek', 'sociaal'] },
    owner: { type: 'string', description: 'Wie verantwoordelijk is voor de indicator.' },
    sources: {
      type: 'array',
      description: 'De bronnen waaruit de indicator berekend wordt (naam en titel).',
      items: object({ name: { type: 'string' }, title: { type: 'string' } }),
    },
    attribution: nullable('string', {
      description: 'De bronvermelding: Bron: CBS, of de gemeente.',
      examples: ['Bron: gemeente Den Helder'],
    }),
    type: { type: 'string', enum: ['count', 'sum', 'mean', 'share', 'ratio'] },
    unit: { type: 'string' },
    decimals: { type: 'integer', minimum: 0 },
    polarity: { type: 'string', enum: ['higher_is_better', 'lower_is_better', 'neutral'] },
    target: {
      oneOf: [object({ value: { type: 'number' }, year: nullable('integer') }), { type: 'null' }],
    },
    provisional: { type: 'boolean', description: 'Voorlopige cijfers.' },
    periods: { type: 'array', items: { type: 'string' }, description: 'De gepubliceerde perioden.' },
    _links: object({ self: link, values: link, csv: link, xlsx: link }),
  }),
  IndicatorList: object({ _links: ref('PageLinks'), indicators: { type: 'array', items: ref('Indicator') } }),
  Value: object({
    area: { type: 'string', description: 'CBS-gebiedscode.' },
    areaName: { type: 'string' },
    level: areaLevel,
    period: { type: 'string' },
    value: nullable('number', {
      description: 'Afgerond op de decimalen van de indicator; null zonder waarde.',
    }),
    status,
  }),
  ValueList: object({
    _links: ref('PageLinks'),
    indicator: { type: 'string' },
    unit: { type: 'string' },
    values: { type: 'array', items: ref('Value') },
  }),
  Area: object({
    code: { type: 'string' },
    name: { type: 'string' },
    level: areaLevel,
    parent: nullable('string', { description: 'Het gebied een niveau hoger.' }),
    _links: object({ self: link, profile: link }),
  }),
  AreaList: object({ _links: ref('PageLinks'), areas: { type: 'array', items: ref('Area') } }),
  ProfileRow: object({
    id: { type: 'string' },
    label,
    domain: { type: 'string', enum: ['fysiek', 'sociaal'] },
    theme: { type: 'string' },
    unit: { type: 'string' },
    decimals: { type: 'integer', minimum: 0 },
    period: { type: 'string' },
    value: nullable('number'),
    status,
    municipality: nullable('number', { description: 'De waarde van de gemeente.' }),
    difference: nullable('number', { description: 'Waarde min gemeente.' }),
    previous: {
      oneOf: [object({ period: { type: 'string' }, value: nullable('number') }), { type: 'null' }],
    },
    change: nullable('number', { description: 'Waarde min vorige waarde.' }),
    trend: {
      type: ['string', 'null'],
      enum: ['better', 'worse', 'same', 'changed', null],
    },
    target: {
      oneOf: [object({ value: { type: 'number' }, met: nullable('boolean') }), { type: 'null' }],
    },
    rank: nullable('integer', { description: '1 = het beste gebied van dit niveau.' }),
    of: { type: 'integer', description: 'Gebieden van dit niveau met een waarde.' },
    cbs: {
      oneOf: [object({ value: nullable('number'), period: { type: 'string' } }), { type: 'null' }],
    },
  }),
  AreaProfile: object({
    _links: object({ self: link, area: link }),
    area: object({
      code: { type: 'string' },
      name: { type: 'string' },
      level: areaLevel,
      parent: nullable('string'),
    }),
    year: { type: 'string' },
    indicators: { type: 'array', items: ref('ProfileRow') },
    similarAreas: {
      type: 'array',
      items: object({
        code: { type: 'string' },
        name: { type: 'string' },
        level: areaLevel,
        distance: { type: 'number' },
      }),
    },
  }),
  Publication: object({
    name: { type: 'string' },
    title: { type: 'string' },
    description: nullable('string'),
    measure: { type: 'string', enum: ['count', 'sum', 'ratio'] },
    themes: { type: 'array', items: { type: 'string' } },
    _links: object({ self: link }),
  }),
  PublicationList: object({
    _links: ref('PageLinks'),
    publications: { type: 'array', items: ref('Publication') },
  }),
  PublicationRow: object({
    area: { type: 'string' },
    areaName: nullable('string'),
    level: areaLevel,
    period: { type: 'string' },
    category: nullable('string'),
    value: nullable('number'),
    count: nullable('number', { description: 'Het aantal eenheden achter de waarde.' }),
    denominator: nullable('number'),
    status,
    marker: nullable('string', { description: 'x = geheim, . = ontbreekt (CBS-tekens).' }),
  }),
  PublicationTable: object({
    _links: ref('PageLinks'),
    name: { type: 'string' },
    title: { type: 'string' },
    description: nullable('string'),
    measure: { type: 'string', enum: ['count', 'sum', 'ratio'] },
    rows: { type: 'array', items: ref('PublicationRow') },
  }),
};

const position = { type: 'array', items: { type: 'number' }, minItems: 2 };
const ring = { type: 'array', items: position };
const polygon = { type: 'array', items: ring };

COMPONENTS['BoundaryCollection'] = {
  type: 'object',
  description: 'De grenzen van de wijken of buurten als GeoJSON FeatureCollection (RFC 7946, WGS84).',
  properties: {
    type: { type: 'string', enum: ['FeatureCollection'] },
    attribution: { type: 'string', description: 'De bronvermelding van de grenzen.' },
    features: {
      type: 'array',
      items: object({
        type: { type: 'string', enum: ['Feature'] },
        id: { type: 'string', description: 'De CBS-code.' },
        properties: object({
          code: { type: 'string' },
          name: { type: 'string' },
          level: areaLevel,
          parent: nullable('string', { description: 'Het gebied een niveau hoger.' }),
        }),
        geometry: object({
          type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] },
          coordinates: {
            oneOf: [polygon, { type: 'array', items: polygon }],
            description: 'Lengte- en breedtegraad, afgerond op 5 decimalen (ongeveer 1 m).',
          },
        }),
      }),
    },
  },
  required: ['type', 'attribution', 'features'],
};

export const schemaRef = ref;
