import type { FastifyInstance } from 'fastify';
import type { PublicationDef } from '../../project/types.js';
import { ApiProblem } from '../problem.js';
import type { PublicationRow, PublishedVersion } from '../published.js';
import { download, json, STATUS_NL } from '../representations.js';
import {
  CSV_TYPE,
  href,
  JSON_TYPE,
  paginate,
  publicRoute,
  type PageQuery,
  type ServerContext,
} from '../route.js';
import { PARAM, pagination } from '../schemas.js';

const TAGS = ['publicaties'];

interface RowFilter {
  level?: string;
  period?: string;
  area?: string;
}

function findPublication(version: PublishedVersion, name: string): PublicationDef {
  const pub = version.publications.find((p) => p.name === name);
  if (!pub)
    throw new ApiProblem(404, 'publication_not_found', `Er is geen publicatie met de naam "${name}".`);
  return pub;
}

function publicationJson(ctx: ServerContext, p: PublicationDef): object {
  return {
    name: p.name,
    title: p.title,
    description: p.description ?? null,
    measure: p.measure,
    themes: p.theme,
    _links: { self: { href: href(ctx, `/publications/${p.name}`) } },
  };
}

export function publicationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  publicRoute<PageQuery, object>(app, ctx, {
    path: '/publications',
    operationId: 'listPublications',
    summary: 'Alle publicaties',
    description:
      'Tabellen met cijfers die het datapakhuis verlaten, altijd door onthullingscontrole (kleine aantallen geheim, ook waar ze af te leiden zouden zijn).',
    tags: TAGS,
    query: pagination,
    ok: { description: 'Een pagina publicaties.', schema: 'PublicationList', paginated: true },
    errors: [400, 503],
    compute: ({ version, query }) => {
      const page = paginate(ctx, '/publications', version.publications, query);
      return json(
        { _links: page.links, publications: page.items.map((p) => publicationJson(ctx, p)) },
        page.headers,
      );
    },
  });

  publicRoute<PageQuery & RowFilter, { name: string }>(app, ctx, {
    path: '/publications/{name}',
    operationId: 'getPublication',
    summary: 'De cijfers van een publicatie',
    description:
      'De rijen van de publicatie, als JSON (gepagineerd) of met Accept: text/csv als CSV voor Nederlandse Excel (alle rijen). Een geheime cel heeft status suppressed, teken x en nooit een getal.',
    tags: TAGS,
    produces: [JSON_TYPE, CSV_TYPE],
    params: { name: PARAM.publicationName },
    query: { level: PARAM.level, period: PARAM.period, area: PARAM.area, ...pagination },
    ok: {
      description: 'De publicatie met een pagina rijen, of alle rijen als CSV.',
      schema: 'PublicationTable',
      paginated: true,
    },
    errors: [400, 404, 503],
    compute: async ({ version, params, query, type }) => {
      const pub = findPublication(version, params.name);
      // read once per version; every filter and page is a slice of it
      const all = await version.derived(`publication:${pub.name}`, () => version.publicationRows(pub));
      const rows = all.filter(
        (r) =>
          (!query.level || r.level === query.level) &&
          (!query.period || r.period === query.period) &&
          (!query.area || r.area === query.area),
      );
      const name = (r: PublicationRow): string | null => version.areaModel.byCode.get(r.area)?.name ?? null;
      if (type === CSV_TYPE)
        return download(
          type,
          {
            name: pub.name,
            columns: [
              'gebiedscode',
              'gebied',
              'niveau',
              'periode',
              'categorie',
              'waarde',
              'aantal',
              'noemer',
              'status',
              'teken',
            ],
            rows: rows.map((r) => [
              r.area,
              name(r),
              r.level,
              r.period,
              r.category,
              r.value,
              r.count,
              r.denominator,
              STATUS_NL[r.status],
              r.marker,
            ]),
          },
          pub.name,
        );
      const page = paginate(ctx, `/publications/${pub.name}`, rows, query);
      return json(
        {
          _links: page.links,
          name: pub.name,
          title: pub.title,
          description: pub.description ?? null,
          measure: pub.measure,
          rows: page.items.map((r) => ({ ...r, areaName: name(r) })),
        },
        page.headers,
      );
    },
  });
}
