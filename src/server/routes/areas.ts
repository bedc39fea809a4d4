import type { FastifyInstance } from 'fastify';
import type { Area } from '../../geo/area-model.js';
import { areaProfile, ProfileError } from '../../indicators/profile.js';
import { ApiProblem } from '../problem.js';
import type { PublishedVersion } from '../published.js';
import { json } from '../representations.js';
import { href, paginate, publicRoute, round, type PageQuery, type ServerContext } from '../route.js';
import { PARAM, pagination } from '../schemas.js';

const TAGS = ['gebieden'];
const codeParam = { code: PARAM.areaCode };

/** A published area: the gemeente, a wijk or a buurt. Custom areas overlap them and are never published. */
export function findArea(version: PublishedVersion, code: string): Area {
  const area = version.areaModel.byCode.get(code);
  if (!area) throw new ApiProblem(404, 'area_not_found', `Er is geen gebied met de code "${code}".`);
  if (area.level === 'custom')
    throw new ApiProblem(
      404,
      'area_not_published',
      `Het gebied ${code} is een eigen gebiedsindeling; daarvan worden geen cijfers gepubliceerd.`,
    );
  return area;
}

/** A year asked for must have published figures (404 with the years there are). */
export function requirePublishedYear(version: PublishedVersion, year: string | undefined): void {
  const years = [...new Set(version.periods.map((p) => p.slice(0, 4)))];
  if (year && !years.includes(year))
    throw new ApiProblem(
      404,
      'year_not_published',
      `Er zijn geen gepubliceerde cijfers voor ${year}; jaren: ${years.join(', ') || 'geen'}.`,
    );
}

const areaRef = (a: Area): object => ({ code: a.code, name: a.name, level: a.level, parent: a.parent });

function areaJson(ctx: ServerContext, a: Area): object {
  return {
    ...areaRef(a),
    _links: {
      self: { href: href(ctx, `/areas/${a.code}`) },
      profile: { href: href(ctx, `/areas/${a.code}/profile`) },
    },
  };
}

export function areaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  publicRoute<PageQuery & { level?: string }, object>(app, ctx, {
    path: '/areas',
    operationId: 'listAreas',
    summary: 'De gebieden: gemeente, wijken en buurten',
    description: 'Met CBS-code, naam, niveau en het gebied een niveau hoger.',
    tags: TAGS,
    query: { level: PARAM.level, ...pagination },
    ok: { description: 'Een pagina gebieden.', schema: 'AreaList', paginated: true },
    errors: [400, 503],
    compute: ({ version, query }) => {
      const areas = version.areas.filter((a) => !query.level || a.level === query.level);
      const page = paginate(ctx, '/areas', areas, query);
      return json({ _links: page.links, areas: page.items.map((a) => areaJson(ctx, a)) }, page.headers);
    },
  });

  publicRoute<object, { code: string }>(app, ctx, {
    path: '/areas/{code}',
    operationId: 'getArea',
    summary: 'Eén gebied',
    description: 'Een gemeente, wijk of buurt met zijn CBS-code.',
    tags: TAGS,
    params: codeParam,
    ok: { description: 'Het gebied.', schema: 'Area' },
    errors: [400, 404, 503],
    compute: ({ version, params }) => json(areaJson(ctx, findArea(version, params.code))),
  });

  publicRoute<{ year?: string }, { code: string }>(app, ctx, {
    path: '/areas/{code}/profile',
    operationId: 'getAreaProfile',
    summary: 'Het gebiedsprofiel (wijkprofiel)',
    description:
      'Elke gepubliceerde indicator voor één gebied, met de gemeente, het verschil, de vorige periode, het doel, de rang, het CBS-cijfer en vergelijkbare gebieden — alleen uit gepubliceerde cijfers.',
    tags: TAGS,
    params: codeParam,
    query: { year: PARAM.year },
    ok: { description: 'Het profiel.', schema: 'AreaProfile' },
    errors: [400, 404, 503],
    compute: async ({ version, params, query }) => {
      const area = findArea(version, params.code);
      requirePublishedYear(version, query.year);
      const profile = await version
        .read((engine) =>
          areaProfile(engine, version.project, area.code, {
            zone: 'public',
            indicators: version.indicators,
            ...(query.year ? { year: query.year } : {}),
          }),
        )
        .catch((e: unknown) => {
          if (e instanceof ProfileError) throw new ApiProblem(404, 'profile_not_available', e.message);
          throw e;
        });
      return json({
        _links: {
          self: { href: href(ctx, `/areas/${area.code}/profile`, { year: query.year }) },
          area: { href: href(ctx, `/areas/${area.code}`) },
        },
        area: areaRef(area),
        year: profile.year,
        indicators: profile.rows.map(({ indicator: i, comparison: c }) => {
          const r = (v: number | null): number | null => round(v, i.decimals);
          return {
            id: i.name,
            label: { nl: i.label, en: i.labelEn ?? null },
            domain: i.domain,
            theme: i.theme,
            unit: i.unit,
            decimals: i.decimals,
            period: c.period,
            value: r(c.value),
            status: c.status,
            municipality: r(c.municipality),
            difference: r(c.difference),
            previous: c.previous ? { period: c.previous.period, value: r(c.previous.value) } : null,
            change: r(c.change),
            trend: c.trend,
            target: c.target ? { value: c.target.value, met: c.target.met } : null,
            rank: c.rank,
            of: c.of,
            cbs: c.cbs ? { value: r(c.cbs.value), period: c.cbs.period } : null,
          };
        }),
        similarAreas: profile.similar.map((s) => ({
          code: s.area.code,
          name: s.area.name,
          level: s.area.level,
          distance: s.distance,
        })),
      });
    },
  });
}
