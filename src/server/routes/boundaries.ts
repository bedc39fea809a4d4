import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ApiProblem } from '../problem.js';
import { JSON_TYPE, publicRoute, type ServerContext } from '../route.js';
import { PARAM } from '../schemas.js';

export const GEOJSON_TYPE = 'application/geo+json';

/** The licence of the CBS/PDOK area boundaries (wijk- en buurtkaart), to show with every map. */
export const BOUNDARY_ATTRIBUTION = 'Bron: CBS/PDOK, CC BY 4.0';

type Position = number[];
interface Geometry {
  type: string;
  coordinates: unknown;
}
interface Feature {
  properties?: { statcode?: string; code?: string } | null;
  geometry?: Geometry | null;
}

/** 5 decimals of a degree is about a metre: enough for a map, and a third of the bytes. */
function roundCoordinates(c: unknown): unknown {
  if (typeof c === 'number') return Math.round(c * 1e5) / 1e5;
  return Array.isArray(c) ? (c as Position[]).map(roundCoordinates) : c;
}

export function boundaryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  publicRoute<object, { level: 'wijk' | 'buurt' }>(app, ctx, {
    path: '/boundaries/{level}',
    operationId: 'getBoundaries',
    summary: 'De grenzen van de wijken of buurten (GeoJSON)',
    description:
      'De gebieden van de gemeente als GeoJSON FeatureCollection in WGS84, met per gebied code, naam, niveau en het gebied een niveau hoger, zoals /areas ze noemt. Coördinaten zijn afgerond op 5 decimalen. Bron: CBS/PDOK (CC BY 4.0); de bronvermelding staat in attribution.',
    tags: ['gebieden'],
    produces: [GEOJSON_TYPE, JSON_TYPE],
    params: { level: PARAM.boundaryLevel },
    ok: { description: 'De grenzen.', schema: 'BoundaryCollection' },
    errors: [400, 404, 503],
    compute: ({ version, params }) => {
      const level = params.level;
      const file = level === 'wijk' ? version.project.areas.wijken : version.project.areas.buurten;
      if (!file)
        throw new ApiProblem(
          404,
          'boundaries_not_available',
          `Dit datapakhuis heeft geen bestand met de grenzen van de ${level === 'wijk' ? 'wijken' : 'buurten'}.`,
        );
      const { features = [] } = JSON.parse(readFileSync(file, 'utf8')) as { features?: Feature[] };
      const out = features.flatMap((f) => {
        const code = f.properties?.statcode ?? f.properties?.code;
        const area = code ? version.areaModel.byCode.get(code) : undefined;
        // only the municipality's own areas of this level, as the area model has them
        if (!area || area.level !== level || !f.geometry) return [];
        return [
          {
            type: 'Feature',
            id: area.code,
            properties: { code: area.code, name: area.name, level: area.level, parent: area.parent },
            geometry: { type: f.geometry.type, coordinates: roundCoordinates(f.geometry.coordinates) },
          },
        ];
      });
      return {
        body: JSON.stringify({ type: 'FeatureCollection', attribution: BOUNDARY_ATTRIBUTION, features: out }),
      };
    },
  });
}
