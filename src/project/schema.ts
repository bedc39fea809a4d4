import { z } from 'zod';

/**
 * The project folder's schema, written once in zod. The loader (load.ts) validates the user's loose
 * YAML with it and turns it into the strict `Project` (types.ts) that the rest of the code sees.
 */
const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'use lower case letters, digits and underscores, starting with a letter');

export const cbsGemeenteCode = z.string().regex(/^GM\d{4}$/, 'a CBS gemeente code looks like GM0400');

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
});

export const columnTypes = ['text', 'integer', 'decimal', 'number', 'date', 'timestamp', 'boolean'] as const;

const columnSchema = z.strictObject({
  type: z.enum(columnTypes),
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

export const refreshSchema = z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'ad-hoc']);

export const sourceFileSchema = z.strictObject({
  name: name.optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  owner: z.string().min(1),
  domain: z.string().optional(),
  refresh: refreshSchema.default('ad-hoc'),
  connector: connectorSchema,
  columns: z
    .record(name, columnSchema)
    .refine((c) => Object.keys(c).length > 0, 'declare at least one column'),
});

export type ProjectFile = z.infer<typeof projectFileSchema>;
export type SourceFile = z.infer<typeof sourceFileSchema>;
export type ConnectorSpec = z.infer<typeof connectorSchema>;
export type ColumnSpec = z.infer<typeof columnSchema>;
export const nodeNameSchema = name;
