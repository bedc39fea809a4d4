import type { FastifyInstance } from 'fastify';
import { catalogEntries, type CatalogEntry } from '../../catalog/catalog.js';
import { DIMENSIONS } from '../../quality/checks.js';
import type { QualityScore } from '../../quality/score.js';
import { ApiProblem } from '../problem.js';
import { graphOf, provenance } from '../provenance.js';
import type { ServerContext } from '../route.js';
import { ID_PATTERN, type JsonSchema } from '../schemas.js';
import type { AuthContext } from './auth.js';
import { internalRoute } from './route.js';

/**
 * Metadata for the web app, for every signed-in role: the indicators (also the unpublished ones),
 * one source of the catalog in detail, the quality overview per owner and the lineage graph. They
 * describe data; none of them reads it (no check examples, no values).
 */

const TAGS = ['metadata'];
const SIGNED_IN = { kind: 'signed_in' } as const;

/** What /internal/catalog lists about each source. */
export function sourceSummary(e: CatalogEntry): Record<string, unknown> {
  return {
    name: e.source.name,
    title: e.source.title,
    description: e.source.description ?? null,
    owner: e.source.owner,
    domain: e.source.domain ?? null,
    refresh: e.source.refresh,
    access: e.source.catalog.access,
    themes: e.source.catalog.theme,
    purposes: e.source.privacy.purposes,
    fgApproved: e.source.privacy.fgApproval !== undefined,
    lastLoad: e.lastLoad
      ? { at: e.lastLoad.loaded_at, rows: e.lastLoad.rows_loaded, quarantined: e.lastLoad.rows_quarantined }
      : null,
    contentSince: e.contentSince ?? null,
    stale: e.stale,
    score: e.score ?? null,
  };
}

const dimensions = (s: QualityScore | undefined): Record<string, number | null> | null =>
  s ? Object.fromEntries(DIMENSIONS.map((d) => [d, s[d]])) : null;

/** The overall score of the last loads, oldest first (at most six), and the change since the one before. */
function trend(e: CatalogEntry): { trend: Array<number | null>; change: number | null } {
  const [now, before] = e.history;
  return {
    trend: e.history
      .slice(0, 6)
      .reverse()
      .map((h) => h.score),
    change:
      now?.score != null && before?.score != null ? Number((now.score - before.score).toFixed(2)) : null,
  };
}

const failing = (e: CatalogEntry): number => e.checks.filter((c) => c.status !== 'pass').length;

const string = { type: 'string' };
const nullableString = { type: ['string', 'null'] };
const score = { type: ['number', 'null'], minimum: 0, maximum: 100 };

const INDICATORS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    indicators: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: string,
          label: { type: 'object', properties: { nl: string, en: nullableString } },
          description: string,
          theme: string,
          domain: string,
          owner: string,
          type: string,
          unit: string,
          decimals: { type: 'integer' },
          polarity: string,
          target: { type: ['object', 'null'] },
          published: { type: 'boolean', description: 'Heeft de indicator gepubliceerde waarden?' },
          sources: { type: 'array', items: { type: 'object', properties: { name: string, title: string } } },
          attribution: nullableString,
        },
      },
    },
  },
};

const QUALITY_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    owners: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          owner: string,
          sources: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: string,
                title: string,
                score,
                dimensions: { type: ['object', 'null'] },
                trend: { type: 'array', items: score, description: 'Oudste eerst.' },
                change: { type: ['number', 'null'] },
                failingChecks: { type: 'integer' },
                stale: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
  },
};

const LINEAGE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: string,
          kind: { type: 'string', enum: ['source', 'model', 'indicator', 'publication'] },
          name: string,
          label: string,
        },
      },
    },
    edges: { type: 'array', items: { type: 'object', properties: { from: string, to: string } } },
  },
};

export function internalMetaRoutes(app: FastifyInstance, ctx: ServerContext, actx: AuthContext): void {
  internalRoute<object, object>(app, actx, {
    path: '/internal/indicators',
    access: SIGNED_IN,
    doc: {
      operationId: 'listAllIndicators',
      summary: 'Alle indicatoren van het datapakhuis',
      description:
        'Ook de niet-gepubliceerde: de definitie, eigenaar, bronnen en bronvermelding, en of er gepubliceerde waarden zijn.',
      tags: TAGS,
      ok: { description: 'De indicatoren.', schema: INDICATORS_SCHEMA },
    },
    handle: ({ project }) => {
      const published = new Set((ctx.reader.current?.indicators ?? []).map((i) => i.name));
      return {
        body: {
          indicators: project.indicators.map((i) => ({
            id: i.name,
            label: { nl: i.label, en: i.labelEn ?? null },
            description: i.description,
            theme: i.theme,
            domain: i.domain,
            type: i.type,
            unit: i.unit,
            decimals: i.decimals,
            polarity: i.polarity,
            target: i.target ? { value: i.target.value, year: i.target.year ?? null } : null,
            published: published.has(i.name),
            ...provenance(project, i),
          })),
        },
      };
    },
  });

  internalRoute<object, { source: string }>(app, actx, {
    path: '/internal/catalog/{source}',
    access: SIGNED_IN,
    params: { source: { type: 'string', pattern: ID_PATTERN, description: 'De naam van de bron.' } },
    doc: {
      operationId: 'getCatalogSource',
      summary: 'Eén bron van het bronnenregister',
      description:
        'Alles van /internal/catalog, met de kolommen en hun classificatie, de grondslag, doelen, bewaartermijn, eigenaar en beheerder, en de kwaliteit: de score per dimensie, de geschiedenis van de score en de laatste uitkomst van elke controle (zonder voorbeeldwaarden).',
      tags: TAGS,
      ok: { description: 'De bron.', schema: { type: 'object' } },
      errors: [404],
    },
    exists: ({ project, params: p }) => {
      if (!project.sources.some((s) => s.name === p.source))
        throw new ApiProblem(404, 'source_not_found', `Er is geen bron met de naam "${p.source}".`);
    },
    handle: ({ project, params: p }) => {
      const e = catalogEntries(project, { only: p.source })[0] as CatalogEntry;
      const s = e.source;
      const results = new Map(e.checks.map((c) => [c.check, c]));
      const declared = new Set(s.checks.map((c) => c.id));
      const last = (id: string): object | null => {
        const r = results.get(id);
        return r
          ? {
              status: r.status,
              evaluated: r.evaluated,
              failed: r.failed,
              observed: r.observed,
              message: r.message,
            }
          : null;
      };
      return {
        body: {
          ...sourceSummary(e),
          steward: s.steward ?? null,
          licence: s.catalog.licence,
          columns: s.columns.map((c) => ({
            name: c.name,
            type: c.type,
            classification: c.classification,
            description: c.description ?? null,
          })),
          legalBasis: {
            ground: s.privacy.legalBasis.ground,
            law: s.privacy.legalBasis.law,
            exception: s.privacy.legalBasis.exception ?? null,
          },
          dataSubjects: s.privacy.dataSubjects,
          retention:
            'keep' in s.privacy.retention
              ? { keep: 'permanent', reason: s.privacy.retention.reason }
              : { years: s.privacy.retention.years, column: s.privacy.retention.column },
          quality: {
            score: e.score?.score ?? null,
            dimensions: dimensions(e.score),
            at: e.score?.at ?? null,
            ...trend(e),
            history: e.history.map((h) => ({
              at: h.at,
              run: h.run_id,
              score: h.score,
              dimensions: dimensions(h),
            })),
            checks: [
              ...s.checks.map((c) => ({
                id: c.id,
                type: c.type,
                column: c.column ?? null,
                severity: c.severity,
                description: c.description ?? null,
                last: last(c.id),
              })),
              // checks the build adds itself (the schema of the delivery, …)
              ...e.checks
                .filter((r) => !declared.has(r.check))
                .map((r) => ({
                  id: r.check,
                  type: r.type,
                  column: r.column,
                  severity: r.severity,
                  description: null,
                  last: last(r.check),
                })),
            ],
          },
        },
      };
    },
  });

  internalRoute<object, object>(app, actx, {
    path: '/internal/quality',
    access: SIGNED_IN,
    doc: {
      operationId: 'getQualityOverview',
      summary: 'De kwaliteit van de bronnen, per eigenaar',
      description:
        'Per eigenaar de bronnen met hun score (totaal en per dimensie) bij de laatste levering, het verloop en het aantal controles dat niet slaagt.',
      tags: TAGS,
      ok: { description: 'Het overzicht.', schema: QUALITY_SCHEMA },
    },
    handle: ({ project }) => {
      const byOwner = new Map<string, CatalogEntry[]>();
      for (const e of catalogEntries(project))
        byOwner.set(e.source.owner, [...(byOwner.get(e.source.owner) ?? []), e]);
      return {
        body: {
          owners: [...byOwner.entries()]
            .sort(([a], [b]) => a.localeCompare(b, 'nl'))
            .map(([owner, entries]) => ({
              owner,
              sources: entries.map((e) => ({
                name: e.source.name,
                title: e.source.title,
                score: e.score?.score ?? null,
                dimensions: dimensions(e.score),
                ...trend(e),
                failingChecks: failing(e),
                stale: e.stale,
              })),
            })),
        },
      };
    },
  });

  internalRoute<object, object>(app, actx, {
    path: '/internal/lineage',
    access: SIGNED_IN,
    doc: {
      operationId: 'getLineage',
      summary: 'De herkomst: bronnen, modellen, indicatoren en publicaties',
      description:
        'De graaf van de definities: een pijl loopt van wat gelezen wordt naar wat het leest (een model leest een bron, een indicator een model, een publicatie een model; een indicator vergelijkt met een CBS-bron).',
      tags: TAGS,
      ok: { description: 'De graaf.', schema: LINEAGE_SCHEMA },
    },
    handle: ({ project }) => {
      const graph = graphOf(project);
      const label = new Map<string, string>([
        ...project.sources.map((s) => [s.name, s.title] as const),
        ...project.models.map((m) => [m.name, m.title ?? m.name] as const),
        ...project.indicators.map((i) => [i.name, i.label] as const),
        ...project.publications.map((p) => [p.name, p.title] as const),
      ]);
      const id = (name: string): string => `${graph.nodes.get(name)?.kind ?? 'node'}:${name}`;
      const edges = new Map<string, { from: string; to: string }>();
      for (const e of graph.edges)
        // what a check reads is not where data comes from
        if (!e.label.startsWith('check:'))
          edges.set(`${e.from}\u0000${e.to}`, { from: id(e.from), to: id(e.to) });
      return {
        body: {
          nodes: [...graph.nodes.values()].map((n) => ({
            id: id(n.name),
            kind: n.kind,
            name: n.name,
            label: label.get(n.name) ?? n.name,
          })),
          edges: [...edges.values()],
        },
      };
    },
  });
}
