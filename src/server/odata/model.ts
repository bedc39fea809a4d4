import type { PublishedVersion } from '../published.js';
import { round } from '../route.js';
import type { Kind, ODataRow } from './filter.js';

type EdmType = 'Edm.String' | 'Edm.Int32' | 'Edm.Double' | 'Edm.Boolean';

interface Property {
  name: string;
  type: EdmType;
  nullable: boolean;
}

/** An entity set of the feed: its entity type, key, properties, and how its rows come from a version. */
export interface EntitySet {
  name: string;
  type: string;
  key: readonly string[];
  properties: readonly Property[];
  rows: (v: PublishedVersion) => ODataRow[];
}

export const NAMESPACE = 'Datapakhuis';

const p = (name: string, type: EdmType = 'Edm.String', nullable = false): Property => ({
  name,
  type,
  nullable,
});

/** 2024 → year, 2024-Q1 → quarter, 2024-03 → month */
function grain(period: string): string {
  if (/^\d{4}$/.test(period)) return 'year';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
  if (/^\d{4}-\d{2}$/.test(period)) return 'month';
  return 'other';
}

/**
 * The four entity sets of the feed. Values are denormalised a little (AreaName, Level) so that a
 * spreadsheet user gets a readable table without joining; Excel and Power BI do not need navigation
 * properties for that.
 */
export const ENTITY_SETS: readonly EntitySet[] = [
  {
    name: 'Indicators',
    type: 'Indicator',
    key: ['Id'],
    properties: [
      p('Id'),
      p('Label'),
      p('LabelEn', 'Edm.String', true),
      p('Description'),
      p('Theme'),
      p('Domain'),
      p('Type'),
      p('Unit'),
      p('Decimals', 'Edm.Int32'),
      p('Polarity'),
      p('Target', 'Edm.Double', true),
      p('TargetYear', 'Edm.Int32', true),
      p('Provisional', 'Edm.Boolean'),
    ],
    rows: (v) =>
      v.indicators.map((i) => ({
        Id: i.name,
        Label: i.label,
        LabelEn: i.labelEn ?? null,
        Description: i.description,
        Theme: i.theme,
        Domain: i.domain,
        Type: i.type,
        Unit: i.unit,
        Decimals: i.decimals,
        Polarity: i.polarity,
        Target: i.target?.value ?? null,
        TargetYear: i.target?.year ?? null,
        Provisional: i.provisional,
      })),
  },
  {
    name: 'Areas',
    type: 'Area',
    key: ['Code'],
    properties: [p('Code'), p('Name'), p('Level'), p('Parent', 'Edm.String', true)],
    rows: (v) => v.areas.map((a) => ({ Code: a.code, Name: a.name, Level: a.level, Parent: a.parent })),
  },
  {
    name: 'Periods',
    type: 'Period',
    key: ['Id'],
    properties: [p('Id'), p('Year', 'Edm.Int32', true), p('Grain')],
    rows: (v) =>
      v.periods.map((id) => ({
        Id: id,
        Year: /^\d{4}/.test(id) ? Number(id.slice(0, 4)) : null,
        Grain: grain(id),
      })),
  },
  {
    name: 'Values',
    type: 'Value',
    key: ['Indicator', 'Area', 'Period'],
    properties: [
      p('Indicator'),
      p('Area'),
      p('AreaName'),
      p('Level'),
      p('Period'),
      p('Value', 'Edm.Double', true),
      p('Status'),
    ],
    rows: (v) =>
      v.indicators.flatMap((i) =>
        (v.values.get(i.name) ?? []).map((r) => ({
          Indicator: i.name,
          Area: r.area,
          AreaName: v.areaModel.byCode.get(r.area)?.name ?? r.area,
          Level: r.level,
          Period: r.period,
          Value: round(r.value, i.decimals),
          Status: r.status,
        })),
      ),
  },
];

/** The filter kinds of an entity set's properties. */
export function kindsOf(set: EntitySet): Map<string, Kind> {
  return new Map(
    set.properties.map((prop) => [
      prop.name,
      prop.type === 'Edm.String' ? 'string' : prop.type === 'Edm.Boolean' ? 'boolean' : 'number',
    ]),
  );
}

/** The service's metadata document (CSDL XML, OData v4). */
export function csdl(): string {
  const types = ENTITY_SETS.map(
    (s) =>
      `      <EntityType Name="${s.type}">\n` +
      `        <Key>${s.key.map((k) => `<PropertyRef Name="${k}"/>`).join('')}</Key>\n` +
      s.properties
        .map(
          (prop) =>
            `        <Property Name="${prop.name}" Type="${prop.type}" Nullable="${prop.nullable}"/>\n`,
        )
        .join('') +
      `      </EntityType>\n`,
  ).join('');
  const sets = ENTITY_SETS.map(
    (s) => `        <EntitySet Name="${s.name}" EntityType="${NAMESPACE}.${s.type}"/>\n`,
  ).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">\n` +
    `  <edmx:DataServices>\n` +
    `    <Schema Namespace="${NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n` +
    types +
    `      <EntityContainer Name="Container">\n` +
    sets +
    `      </EntityContainer>\n` +
    `    </Schema>\n` +
    `  </edmx:DataServices>\n` +
    `</edmx:Edmx>\n`
  );
}
