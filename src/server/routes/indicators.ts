import type { FastifyInstance } from 'fastify';
import type { ExportTable } from '../../export/table.js';
import type { ValueRow } from '../../indicators/read.js';
import type { IndicatorDef } from '../../project/types.js';
import { ApiProblem } from '../problem.js';
import { provenance } from '../provenance.js';
import type { PublishedVersion } from '../published.js';
import { download, json, STATUS_NL } from '../representations.js';
import {
  CSV_TYPE,
  href,
  paginate,
  publicRoute,
  round,
  XLSX_TYPE,
  type PageQuery,
  type ServerContext,
} from '../route.js';
import { PARAM, pagination } from '../schemas.js';

interface ValueFilter {
  level?: string;
  period?: string;
  area?: string;
}

const TAGS = ['indicatoren'];
const idParam = { id: PARAM.indicatorId };
const filters = { level: PARAM.level, period: PARAM.period, area: PARAM.area };

export function findIndicator(version: PublishedVersion, id: string): IndicatorDef {
  const ind = version.indicators.find((i) => i.name === id);
  if (!ind)
    throw new ApiProblem(
      404,
      'indicator_not_found',
      `Er is geen gepubliceerde indicator met de code "${id}".`,
    );
  return ind;
}

export function indicatorJson(ctx: ServerContext, version: PublishedVersion, i: IndicatorDef): object {
  const path = `/indicators/${i.name}`;
  return {
    id: i.name,
    label: { nl: i.label, en: i.labelEn ?? null },
    description: i.description,
    theme: i.theme,
    domain: i.domain,
    ...provenance(version.project, i),
    type: i.type,
    unit: i.unit,
    decimals: i.decimals,
    polarity: i.polarity,
    target: i.target ? { value: i.target.value, year: i.target.year ?? null } : null,
    provisional: i.provisional,
    periods: [...new Set((version.values.get(i.name) ?? []).map((v) => v.period))].sort(),
    _links: {
      self: { href: href(ctx, path) },
      values: { href: href(ctx, `${path}/values`) },
      csv: { href: href(ctx, `${path}/values.csv`) },
      xlsx: { href: href(ctx, `${path}/values.xlsx`) },
    },
  };
}

function filteredValues(version: PublishedVersion, ind: IndicatorDef, f: ValueFilter): ValueRow[] {
  return (version.values.get(ind.name) ?? []).filter(
    (v) =>
      (!f.level || v.level === f.level) &&
      (!f.period || v.period === f.period) &&
      (!f.area || v.area === f.area),
  );
}

const areaName = (version: PublishedVersion, code: string): string =>
  version.areaModel.byCode.get(code)?.name ?? code;

function valuesTable(version: PublishedVersion, ind: IndicatorDef, rows: ValueRow[]): ExportTable {
  return {
    name: ind.name,
    columns: ['indicator', 'gebiedscode', 'gebied', 'niveau', 'periode', 'waarde', 'eenheid', 'status'],
    rows: rows.map((v) => [
      ind.name,
      v.area,
      areaName(version, v.area),
      v.level,
      v.period,
      round(v.value, ind.decimals),
      ind.unit,
      STATUS_NL[v.status],
    ]),
  };
}

export function indicatorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  publicRoute<PageQuery, object>(app, ctx, {
    path: '/indicators',
    operationId: 'listIndicators',
    summary: 'Alle gepubliceerde indicatoren',
    description:
      'De indicatoren met gepubliceerde (door onthullingscontrole gegane) waarden, met hun definitie: naam, omschrijving, thema, domein, eenheid, decimalen, polariteit en doel.',
    tags: TAGS,
    query: pagination,
    ok: { description: 'Een pagina indicatoren.', schema: 'IndicatorList', paginated: true },
    errors: [400, 503],
    compute: ({ version, query }) => {
      const page = paginate(ctx, '/indicators', version.indicators, query);
      return json(
        { _links: page.links, indicators: page.items.map((i) => indicatorJson(ctx, version, i)) },
        page.headers,
      );
    },
  });

  publicRoute<object, { id: string }>(app, ctx, {
    path: '/indicators/{id}',
    operationId: 'getIndicator',
    summary: 'Eén indicator',
    description: 'De definitie van een indicator en de perioden waarvoor waarden gepubliceerd zijn.',
    tags: TAGS,
    params: idParam,
    ok: { description: 'De indicator.', schema: 'Indicator' },
    errors: [400, 404, 503],
    compute: ({ version, params }) => json(indicatorJson(ctx, version, findIndicator(version, params.id))),
  });

  publicRoute<PageQuery & ValueFilter, { id: string }>(app, ctx, {
    path: '/indicators/{id}/values',
    operationId: 'listIndicatorValues',
    summary: 'De gepubliceerde waarden van een indicator',
    description:
      'Per gebied en periode, gefilterd op niveau, periode of gebied. Een geheime waarde (onthullingsrisico) heeft status suppressed en nooit een getal; waarden zijn afgerond op de decimalen van de indicator.',
    tags: TAGS,
    params: idParam,
    query: { ...filters, ...pagination },
    ok: { description: 'Een pagina waarden.', schema: 'ValueList', paginated: true },
    errors: [400, 404, 503],
    compute: ({ version, params, query }) => {
      const ind = findIndicator(version, params.id);
      const page = paginate(
        ctx,
        `/indicators/${ind.name}/values`,
        filteredValues(version, ind, query),
        query,
      );
      return json(
        {
          _links: page.links,
          indicator: ind.name,
          unit: ind.unit,
          values: page.items.map((v) => ({
            area: v.area,
            areaName: areaName(version, v.area),
            level: v.level,
            period: v.period,
            value: round(v.value, ind.decimals),
            status: v.status,
          })),
        },
        page.headers,
      );
    },
  });

  for (const [ext, type, name] of [
    ['csv', CSV_TYPE, 'CSV voor Nederlandse Excel (UTF-8 met BOM, puntkomma, decimale komma)'],
    ['xlsx', XLSX_TYPE, 'een Excel-werkmap (XLSX)'],
  ] as const) {
    publicRoute<ValueFilter, { id: string }>(app, ctx, {
      path: `/indicators/{id}/values.${ext}`,
      operationId: `downloadIndicatorValues${ext === 'csv' ? 'Csv' : 'Xlsx'}`,
      summary: `De gepubliceerde waarden van een indicator als ${ext.toUpperCase()}`,
      description: `Alle waarden (zonder paginering) als ${name}, met dezelfde filters als /indicators/{id}/values. Een waarde zonder getal zegt waarom: geheim, ontbreekt of n.v.t.`,
      tags: TAGS,
      produces: [type],
      params: idParam,
      query: filters,
      ok: { description: `De waarden als ${ext.toUpperCase()}.`, download: true },
      errors: [400, 404, 503],
      compute: ({ version, params, query }) => {
        const ind = findIndicator(version, params.id);
        return download(type, valuesTable(version, ind, filteredValues(version, ind, query)), ind.name);
      },
    });
  }
}
