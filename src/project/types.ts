import type { ColumnType } from '../engine/dialect.js';

/** The strict, normalised project definition that everything after the loader works with. */
export interface Project {
  /** absolute path of the project folder */
  root: string;
  municipality: { code: string; name: string };
  engine: { type: 'duckdb' | 'postgres'; path: string; url?: string; memoryLimit?: string };
  paths: { data: string; state: string };
  sources: SourceDef[];
  models: ModelDef[];
  publications: PublicationDef[];
  /** every node name in dependency order */
  order: string[];
  privacy: PrivacySettings;
  roles: RoleDef[];
  /** area geometry (absolute paths), custom areas and code changes */
  areas: AreaSettings;
  indicators: IndicatorDef[];
  indicatorSettings: { retired: string[]; similarity: string[] };
  /** sign-in settings as written (validated by the loader with src/auth/config.ts) */
  auth?: Record<string, unknown>;
  catalog: ProjectCatalog;
  /** ISO date the data describes (peildatum), when declared; else checks use the build date */
  referenceDate?: string;
}

/** How a source finds its records' buurt in the BAG: by BAG id, or by address. */
export type BagGeocode =
  | { kind: 'bag_id'; column: string; to: string }
  | { kind: 'address'; postcode: string; huisnummer: string; suffix: string[]; to: string };

/** The BAG source and its columns: the address register geocoding by BAG id or address uses. */
export interface BagRegister {
  source: string;
  id: string;
  postcode: string;
  huisnummer: string;
  /** huisletter and toevoeging columns, appended in this order */
  suffix: string[];
  buurt: string;
}

export interface AreaSettings {
  buurten?: string;
  wijken?: string;
  bag?: BagRegister;
  custom: Array<{ code: string; name: string; buurten: string[] }>;
  changes: Array<{ year: number; from: string; to: string }>;
}

/** One side of a share or ratio: rows of a model, filtered, counted or summed. */
export interface SidePeriod {
  kind: 'stock' | 'flow';
  date?: string;
  from?: string;
  to?: string;
}

export interface IndicatorSide {
  model: string;
  /** how the rows fall in a period: stock (state at period end) or flow (events within it) */
  period: SidePeriod;
  filter?: string;
  sum?: string;
}

export interface IndicatorDef {
  kind: 'indicator';
  /** stable id = file name; never reused */
  name: string;
  file: string;
  label: string;
  labelEn?: string;
  description: string;
  theme: string;
  domain: 'fysiek' | 'sociaal';
  owner: string;
  type: 'count' | 'sum' | 'mean' | 'share' | 'ratio';
  /** count, sum, mean: the rows; share: the denominator rows, numerator = those also matching its filter */
  numerator: IndicatorSide;
  denominator?: IndicatorSide;
  /** sum and mean */
  value?: string;
  scale: number;
  area: string;
  period: {
    grain: 'year' | 'quarter' | 'month';
    kind: 'stock' | 'flow';
    date?: string;
    from?: string;
    to?: string;
    first: string;
  };
  unit: string;
  decimals: number;
  target?: { value: number; year?: number };
  polarity: 'higher_is_better' | 'lower_is_better' | 'neutral';
  provisional: boolean;
  cbs?: { source: string; code: string; value: string; period: string };
  k?: number;
  minDenominator?: number;
  /** the models (and the CBS source) it reads */
  refs: string[];
}

export interface ProjectCatalog {
  baseUri: string;
  publisherUri: string;
  contact: ContactPoint;
}

export interface ContactPoint {
  name: string;
  email?: string;
  url?: string;
}

/** DCAT-AP-DONL metadata of a dataset */
export interface CatalogMeta {
  identifier: string;
  theme: string[];
  access: 'public' | 'restricted' | 'non_public';
  licence: string;
  status: 'beschikbaar' | 'in_onderzoek' | 'gepland' | 'niet_beschikbaar';
  language: string[];
  creator?: string;
  contact: ContactPoint;
  keywords: string[];
}

export type CheckType =
  | 'not_null'
  | 'unique'
  | 'accepted_values'
  | 'relationships'
  | 'range'
  | 'regex'
  | 'length'
  | 'row_count'
  | 'row_count_change'
  | 'freshness'
  | 'schema'
  | 'aggregate'
  | 'sql'
  | 'bsn'
  | 'postcode'
  | 'kvk'
  | 'iban'
  | 'bag_id'
  | 'cbs_area_code'
  | 'sbi'
  | 'encoding'
  | 'date_range';

/** A data-quality check on a source or model, normalised. */
export interface CheckDef {
  /** unique within its node */
  id: string;
  type: CheckType;
  /** the checked column, for column checks */
  column?: string;
  /** unique: the key */
  columns?: string[];
  /** type-specific parameters as declared (values, min, max, pattern, to, field, sql, …) */
  params: Record<string, unknown>;
  where?: string;
  /** share of checked rows that must pass */
  mostly: number;
  severity: 'warn' | 'error';
  description?: string;
  /** other nodes the check reads (relationships, sql) */
  refs: string[];
  /** line of the check in its definition file */
  line?: number;
}

export interface PrivacySettings {
  controller: string;
  fgContact?: string;
  key: { env: string; file?: string };
  k: number;
  links: LinkDef[];
}

export interface LinkDef {
  domains: [string, string];
  purpose: string;
  approvedBy: string;
  date: string;
}

export interface RoleDef {
  name: string;
  description?: string;
  purposes: string[];
  reveal: string[];
  audit: boolean;
  admin: boolean;
  members: string[];
}

export type Classification = 'identifier' | 'quasi_identifier' | 'sensitive' | 'protected' | 'none';

export interface SourcePrivacy {
  legalBasis: { ground: 'a' | 'b' | 'c' | 'd' | 'e' | 'f'; law: string; exception?: string };
  purposes: string[];
  dataSubjects: string[];
  fgApproval?: { by: string; date: string; reference?: string };
  retention: { years: number; column: string } | { keep: 'permanent'; reason: string };
  vault: boolean;
}

/** A CBS table to download for the municipality's areas; it lands as JSON with one row per area. */
export interface CbsDownload {
  kind: 'cbs';
  table: string;
  measures: string[];
  baseUrl: string;
}

export interface NumberFormatDef {
  decimal: ',' | '.';
  thousands: '.' | ',' | ' ' | null;
}

interface FileConnectorBase {
  /** absolute path of the input file */
  path: string;
  /** the path as written in the definition */
  declaredPath: string;
  maxBadRows: { kind: 'count'; value: number } | { kind: 'share'; value: number };
}

export interface TextOptions {
  number: NumberFormatDef;
  /** strftime patterns */
  dateFormat: string;
  timestampFormat: string;
  nullValues: string[];
}

export type ConnectorDef =
  | (FileConnectorBase &
      TextOptions & {
        type: 'csv';
        delimiter: 'auto' | ';' | ',' | '\t' | '|';
        encoding: 'auto' | 'utf-8' | 'windows-1252';
        quote: string;
      })
  | (FileConnectorBase & TextOptions & { type: 'xlsx'; sheet?: string; headerRow: number })
  | (FileConnectorBase &
      TextOptions & {
        type: 'json';
        format: 'auto' | 'array' | 'ndjson';
        /** the file is first downloaded from CBS StatLine (connector type cbs in the definition) */
        download?: CbsDownload;
      })
  | (FileConnectorBase & { type: 'parquet' });

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** the header or key to look for in the source */
  header: string;
  description?: string;
  required: boolean;
  /** a value that cannot be read: quarantine the row, or land it empty (logged) */
  invalid: 'quarantine' | 'empty';
  values?: Array<string | number>;
  min?: number | string;
  max?: number | string;
  pattern?: string;
  /** strftime, when it overrides the connector's */
  dateFormat?: string;
  classification: Classification;
  /** identifiers: how the value is normalised before pseudonymisation */
  identifierKind?: string;
  /** sensitive: the AVG category */
  category?: string;
  /** quasi-identifiers: what is kept */
  generalise?: 'year' | 'age_band' | 'month' | 'pc4' | 'buurt';
}

export interface SourceDef {
  kind: 'source';
  name: string;
  /** project-relative path of the definition file */
  file: string;
  title: string;
  description?: string;
  owner: string;
  steward?: string;
  domain?: string;
  refresh: string;
  catalog: CatalogMeta;
  checks: CheckDef[];
  connector: ConnectorDef;
  columns: ColumnDef[];
  privacy: SourcePrivacy;
  /** coordinates → buurt code at landing */
  geocode?: { x: string; y: string; crs: 'wgs84' | 'rd'; to: string };
  /** BAG id, or postcode + house number → buurt code at landing, through the project's BAG */
  geocodeBag?: BagGeocode;
  /** hash of everything in the definition that changes what lands */
  definitionHash: string;
}

export interface ModelDef {
  kind: 'model';
  name: string;
  file: string;
  /** the SQL as written, with ref('…') calls */
  sql: string;
  refs: string[];
  title?: string;
  description?: string;
  owner?: string;
  /** file of the optional metadata beside the SQL */
  metaFile?: string;
  /** selects or scores persons or households (a signal): protected columns may not feed it */
  signal: boolean;
  columnDescriptions: Record<string, string>;
  checks: CheckDef[];
  definitionHash: string;
}

export interface PublicationDef {
  kind: 'publication';
  name: string;
  file: string;
  title: string;
  description?: string;
  model: string;
  measure: 'count' | 'sum' | 'ratio';
  area: string;
  value?: string;
  count: string;
  numerator?: string;
  denominator?: string;
  scale: number;
  period?: string;
  category?: { column: string; total: string };
  k?: number;
  minDenominator?: number;
  roundTo?: number;
  theme: string[];
  refs: string[];
}

export type NodeDef = SourceDef | ModelDef | PublicationDef | IndicatorDef;

/** Where each kind of node lives in a warehouse version. */
export const SCHEMA = {
  sources: 'sources',
  models: 'models',
  system: 'pakhuis',
  public: 'public',
  indicators: 'indicators',
} as const;

export function nodeSchema(node: NodeDef): string {
  return node.kind === 'source'
    ? SCHEMA.sources
    : node.kind === 'model'
      ? SCHEMA.models
      : node.kind === 'indicator'
        ? SCHEMA.indicators
        : SCHEMA.public;
}

export class DefinitionError {
  constructor(
    /** project-relative file */
    readonly file: string,
    readonly line: number | undefined,
    readonly message: string,
    readonly fix: string,
  ) {}

  toString(): string {
    return `${this.file}${this.line ? `:${this.line}` : ''}: ${this.message}\n  fix: ${this.fix}`;
  }
}
