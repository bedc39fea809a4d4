import { z } from 'zod';

/**
 * The project folder's schema, written once in zod. The loader (load.ts) validates the user's loose
 * YAML with it and turns it into the strict `Project` (types.ts) that the rest of the code sees.
 */
const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'use lower case letters, digits and underscores, starting with a letter');

const isoDate = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2024-05-01')])
  .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d));

export const cbsGemeenteCode = z.string().regex(/^GM\d{4}$/, 'a CBS gemeente code looks like GM0400');

const roleSchema = z.strictObject({
  description: z.string().optional(),
  /** the purposes this role may use data for */
  purposes: z.array(name).default([]),
  /** linking domains this role may re-identify pseudonyms of (with a written reason) */
  reveal: z.array(name).default([]),
  /** may read the audit log and the processing register */
  audit: z.boolean().default(false),
  /** may run builds and manage the installation */
  admin: z.boolean().default(false),
  /** who holds the role: user names (the OS user for the CLI; accounts once the web app lands); '*' is anyone */
  members: z.array(z.string()).default([]),
});

const privacySettingsSchema = z.strictObject({
  /** the controller (verwerkingsverantwoordelijke) in the processing register */
  controller: z.string().min(1),
  /** contact of the FG (functionaris gegevensbescherming) */
  fg_contact: z.string().optional(),
  /** the pseudonymisation key: an environment variable, or else a key file outside the project */
  key: z
    .strictObject({ env: z.string().default('PAKHUIS_PSEUDONYM_KEY'), file: z.string().optional() })
    .default({ env: 'PAKHUIS_PSEUDONYM_KEY' }),
  /** minimum cell count for published figures */
  k: z.number().int().min(1).default(5),
  /** declared links between linking domains; without one, pseudonyms of two domains cannot be joined */
  links: z
    .array(
      z.strictObject({
        domains: z.tuple([name, name]),
        purpose: name,
        approved_by: z.string().min(1),
        date: isoDate,
      }),
    )
    .default([]),
});

export const projectFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  municipality: z.strictObject({
    code: cbsGemeenteCode,
    name: z.string().min(1),
  }),
  engine: z
    .strictObject({
      type: z.enum(['duckdb', 'postgres']).default('duckdb'),
      /** folder of the DuckDB version files, relative to the project */
      path: z.string().default('.pakhuis/warehouse'),
      url: z.string().optional(),
      memory_limit: z.string().optional(),
    })
    .default({ type: 'duckdb', path: '.pakhuis/warehouse' }),
  paths: z
    .strictObject({
      /** where the input files of file connectors live, relative to the project */
      data: z.string().default('data'),
      /** run history, archive of input files */
      state: z.string().default('.pakhuis'),
    })
    .default({ data: 'data', state: '.pakhuis' }),
  privacy: privacySettingsSchema,
  roles: z.record(name, roleSchema).default({}),
  /** area geometry (GeoJSON, WGS84, CBS statcode per feature), relative to the project */
  areas: z.strictObject({ buurten: z.string().optional() }).default({}),
});

export const columnTypes = ['text', 'integer', 'decimal', 'number', 'date', 'timestamp', 'boolean'] as const;

export const classifications = ['identifier', 'quasi_identifier', 'sensitive', 'protected', 'none'] as const;
export const identifierKinds = [
  'bsn',
  'name',
  'address',
  'bag_id',
  'postcode_huisnummer',
  'phone',
  'email',
  'kvk',
  'text',
] as const;
/** AVG art. 9 special categories, and art. 10 (criminal) */
export const sensitiveCategories = [
  'health',
  'criminal',
  'religion',
  'ethnicity',
  'political',
  'trade_union',
  'genetic',
  'biometric',
  'sex_life',
  'financial',
] as const;
export const generalisations = ['year', 'age_band', 'month', 'pc4', 'buurt'] as const;

const columnSchema = z.strictObject({
  type: z.enum(columnTypes),
  /** what kind of personal data the column holds; required, so nothing lands unclassified */
  classification: z.enum(classifications),
  /** for identifiers: how the value is normalised before it is pseudonymised */
  identifier: z.enum(identifierKinds).optional(),
  /** for sensitive columns: the AVG category */
  category: z.enum(sensitiveCategories).optional(),
  /** for quasi-identifiers: what is kept of the value */
  generalise: z.enum(generalisations).optional(),
  /** the header (CSV/XLSX) or key (JSON) in the source, when it differs from the column name */
  header: z.string().optional(),
  description: z.string().optional(),
  /** quarantine the row when the value is empty */
  required: z.boolean().default(false),
  /** quarantine the row when the value is not one of these */
  values: z.array(z.union([z.string(), z.number()])).optional(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  /** quarantine the row when the text does not fully match this regular expression */
  pattern: z.string().optional(),
  /** overrides the connector's date format for this column */
  date_format: z.string().optional(),
});

const threshold = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?%$/, "a share like '1%' or '0.5%'"),
]);

const fileOptions = {
  path: z.string().min(1),
  max_bad_rows: threshold.default(0),
};

const textOptions = {
  decimal: z.enum([',', '.']).default('.'),
  thousands: z.enum(['.', ',', ' ', 'none']).default('none'),
  date_format: z.string().default('jjjj-mm-dd'),
  timestamp_format: z.string().default('jjjj-mm-dd uu:mm:ss'),
  null_values: z.array(z.string()).default(['']),
};

export const connectorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('csv'),
    ...fileOptions,
    ...textOptions,
    delimiter: z.enum(['auto', ';', ',', '\t', '|']).default('auto'),
    encoding: z.enum(['auto', 'utf-8', 'windows-1252']).default('auto'),
    quote: z.string().length(1).default('"'),
  }),
  z.strictObject({
    type: z.literal('xlsx'),
    ...fileOptions,
    ...textOptions,
    /** sheet name; the first sheet when absent */
    sheet: z.string().optional(),
    /** the header row (1-based); 1 when absent */
    header_row: z.number().int().positive().default(1),
  }),
  z.strictObject({
    type: z.literal('json'),
    ...fileOptions,
    ...textOptions,
    /** array: one JSON array of objects; ndjson: one object per line; auto: by content */
    format: z.enum(['auto', 'array', 'ndjson']).default('auto'),
  }),
  z.strictObject({
    type: z.literal('parquet'),
    ...fileOptions,
  }),
]);

/** AVG art. 6(1) grounds a–f */
export const legalGrounds = ['a', 'b', 'c', 'd', 'e', 'f'] as const;

export const sourcePrivacySchema = z.strictObject({
  legal_basis: z.strictObject({
    /** AVG art. 6 lid 1 sub a–f */
    ground: z.enum(legalGrounds),
    /** the law or task, e.g. "Wet gemeentelijke schuldhulpverlening art. 3a" */
    law: z.string().min(1),
    /** for special categories: the art. 9(2) / art. 10 exception relied on */
    exception: z.string().optional(),
  }),
  purposes: z.array(name).min(1),
  data_subjects: z.array(z.string()).min(1),
  fg_approval: z
    .strictObject({ by: z.string().min(1), date: isoDate, reference: z.string().optional() })
    .optional(),
  retention: z.union([
    z.strictObject({ years: z.number().int().positive(), column: name }),
    z.strictObject({ keep: z.literal('permanent'), reason: z.string().min(1) }),
  ]),
  /** keep the pseudonym → identifier mapping in the vault, so an allowed role can re-identify */
  vault: z.boolean().default(false),
});

export const refreshSchema = z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'ad-hoc']);

export const sourceFileSchema = z.strictObject({
  name: name.optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  owner: z.string().min(1),
  domain: z.string().optional(),
  refresh: refreshSchema.default('ad-hoc'),
  connector: connectorSchema,
  privacy: sourcePrivacySchema,
  /** coordinates → CBS buurt code at landing (the coordinates themselves do not land) */
  geocode: z
    .strictObject({ x: name, y: name, crs: z.enum(['wgs84', 'rd']), to: name.default('buurtcode') })
    .optional(),
  columns: z
    .record(name, columnSchema)
    .refine((c) => Object.keys(c).length > 0, 'declare at least one column'),
});

/** A figure that leaves the restricted zone: a model aggregated over the CBS areas, disclosure-controlled. */
export const publicationFileSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  /** the model that holds the figures at the lowest area level */
  model: name,
  measure: z.enum(['count', 'sum', 'ratio']),
  /** the column with the CBS area code at the lowest level (BU…, or WK…) */
  area: name,
  /** count: the number of units; sum: the amount (with `count` the number of contributors) */
  value: name.optional(),
  count: name,
  numerator: name.optional(),
  denominator: name.optional(),
  /** multiply ratios, e.g. 1000 for "per 1,000" */
  scale: z.number().positive().default(1),
  period: name.optional(),
  category: z.strictObject({ column: name, total: z.string().default('totaal') }).optional(),
  k: z.number().int().min(1).optional(),
  min_denominator: z.number().int().min(1).optional(),
  round_to: z.number().int().min(1).optional(),
});

export type PublicationFile = z.infer<typeof publicationFileSchema>;
export type ProjectFile = z.infer<typeof projectFileSchema>;
export type SourceFile = z.infer<typeof sourceFileSchema>;
export type ConnectorSpec = z.infer<typeof connectorSchema>;
export type ColumnSpec = z.infer<typeof columnSchema>;
export const nodeNameSchema = name;
