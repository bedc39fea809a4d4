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
  catalog: z
    .strictObject({
      /** base of dataset URIs; default https://data.<municipality>.nl */
      base_uri: z.string().url().optional(),
      /** TOOI URI of the publisher; default the municipality's */
      publisher_uri: z.string().url().optional(),
      contact: z.strictObject({
        name: z.string().min(1),
        email: z.string().email().optional(),
        url: z.string().url().optional(),
      }),
    })
    .optional(),
  /** sign-in settings of the web app (local accounts, sessions, lockout, OpenID Connect): src/auth/config.ts */
  auth: z.record(z.string(), z.unknown()).optional(),
  /** the date the data describes (peildatum); checks and 'today' use it; default the build date */
  reference_date: isoDate.optional(),
  /** area geometry (GeoJSON, WGS84, CBS statcode per feature), relative to the project */
  areas: z
    .strictObject({
      buurten: z.string().optional(),
      /** wijk geometry and names (GeoJSON, WGS84, statcode/statnaam per feature) */
      wijken: z.string().optional(),
      /** areas of the area-based approach made of whole buurten, e.g. a focus area */
      custom: z
        .array(
          z.strictObject({
            code: z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'an upper-case code like FOCUS_OOST'),
            name: z.string().min(1),
            buurten: z.array(z.string().regex(/^BU\d{8}$/, 'a CBS buurt code like BU04000101')).min(1),
          }),
        )
        .default([]),
      /** the source holding the BAG addresses: geocoding by BAG id or postcode + house number uses it */
      bag: z
        .strictObject({
          source: name,
          id: name,
          postcode: name,
          huisnummer: name,
          huisletter: name.optional(),
          toevoeging: name.optional(),
          buurt: name,
        })
        .optional(),
      /** buurt codes that changed between years: records under `from` count for `to` */
      changes: z
        .array(
          z.strictObject({
            year: z.number().int().min(1900).max(2100),
            from: z.string().regex(/^(BU\d{8}|WK\d{6})$/),
            to: z.string().regex(/^(BU\d{8}|WK\d{6})$/),
          }),
        )
        .default([]),
    })
    .default({ custom: [], changes: [] }),
  indicators: z
    .strictObject({
      /** ids of withdrawn indicators: an id is never used again */
      retired: z.array(z.string()).default([]),
      /** context indicators whose standardised distance defines "similar areas" */
      similarity: z.array(z.string()).default([]),
    })
    .default({ retired: [], similarity: [] }),
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
  /** a value that cannot be read as the type: quarantine the row (default), or land it empty and log it */
  invalid: z.enum(['quarantine', 'empty']).default('quarantine'),
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
  z.strictObject({
    type: z.literal('cbs'),
    /** a CBS StatLine table with the WijkenEnBuurten dimension, e.g. 85984NED (Kerncijfers 2024) */
    table: z.string().regex(/^[0-9]{5}[A-Z]{3}$/, 'a CBS table id like 85984NED'),
    /** measures by stem (AantalInwoners), key or title: stems survive CBS renumbering keys per year */
    measures: z.array(z.string().min(1)).min(1),
    base_url: z.string().url().default('https://opendata.cbs.nl'),
    max_bad_rows: threshold.default(0),
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

/** A value bound for range checks: a number, or a date written as text. */
const bound = z.union([z.number(), z.string()]);

const checkCommon = {
  /** stable id of the check within its source or model; default `<type>_<column>` */
  name: name.optional(),
  description: z.string().optional(),
  /** only rows matching this SQL condition (over the landed columns) are checked */
  where: z.string().min(1).optional(),
  /** the share of checked rows that must pass (0–1); default all of them */
  mostly: z.number().gt(0).max(1).optional(),
  /** error: what depends on the source or model does not build; warn: reported only */
  severity: z.enum(['warn', 'error']).default('error'),
};
const onColumn = { ...checkCommon, column: name };

/** Dutch domain validators (see src/quality/validators.ts) */
export const domainValidators = ['bsn', 'postcode', 'kvk', 'iban', 'sbi', 'encoding'] as const;

/** Data-quality checks as code, after dbt tests and SodaCL. */
export const checkSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('not_null'), ...onColumn }),
  z.strictObject({ type: z.literal('unique'), ...checkCommon, columns: z.array(name).min(1) }),
  z.strictObject({
    type: z.literal('accepted_values'),
    ...onColumn,
    values: z.array(z.union([z.string(), z.number()])).min(1),
  }),
  z.strictObject({
    type: z.literal('relationships'),
    ...onColumn,
    /** the source or model the value must exist in */
    to: name,
    /** its column; default the same name */
    field: name.optional(),
  }),
  z.strictObject({ type: z.literal('range'), ...onColumn, min: bound.optional(), max: bound.optional() }),
  z.strictObject({ type: z.literal('regex'), ...onColumn, pattern: z.string().min(1) }),
  z.strictObject({
    type: z.literal('length'),
    ...onColumn,
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().positive().optional(),
  }),
  z.strictObject({
    type: z.literal('row_count'),
    ...checkCommon,
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().positive().optional(),
  }),
  z.strictObject({
    type: z.literal('row_count_change'),
    ...checkCommon,
    /** largest allowed drop against the previous load, e.g. '10%' */
    max_decrease: z
      .string()
      .regex(/^\d+(\.\d+)?%$/, "a share like '10%'")
      .optional(),
    max_increase: z
      .string()
      .regex(/^\d+(\.\d+)?%$/, "a share like '50%'")
      .optional(),
  }),
  z.strictObject({
    type: z.literal('freshness'),
    ...onColumn,
    /** the newest value must be at most this many days before the reference date */
    max_age_days: z.number().int().positive(),
  }),
  z.strictObject({
    type: z.literal('schema'),
    ...checkCommon,
    /** columns the delivered file (or model) must have: for sources the file's headers */
    required: z.array(z.string()).default([]),
    /** columns it must not have (e.g. a column with religion a source may not deliver) */
    forbidden: z.array(z.string()).default([]),
  }),
  z.strictObject({
    type: z.literal('aggregate'),
    ...checkCommon,
    /** one SQL aggregate over the table, e.g. sum(kosten) */
    expression: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({
    type: z.literal('sql'),
    ...checkCommon,
    /** a SELECT returning the failing rows; {{ this }} is the checked table, ref('x') another node */
    sql: z.string().min(1),
  }),
  ...domainValidators.map((v) => z.strictObject({ type: z.literal(v), ...onColumn })),
  z.strictObject({
    type: z.literal('bag_id'),
    ...onColumn,
    object: z
      .enum(['verblijfsobject', 'ligplaats', 'standplaats', 'pand', 'nummeraanduiding', 'openbare_ruimte'])
      .optional(),
  }),
  z.strictObject({
    type: z.literal('cbs_area_code'),
    ...onColumn,
    level: z.enum(['gemeente', 'wijk', 'buurt']).optional(),
  }),
  z.strictObject({
    type: z.literal('date_range'),
    ...onColumn,
    /** ISO date, 'today', or '-120 years' relative to the reference date */
    min: z.string().optional(),
    max: z.string().optional(),
  }),
]);
export type CheckSpec = z.infer<typeof checkSchema>;

/** DCAT-AP-DONL metadata of a dataset (a source or publication) in the catalog. */
export const catalogSchema = z.strictObject({
  /** persistent identifier (URI); default <catalog.base_uri>/dataset/<name> */
  identifier: z.string().url().optional(),
  /** DONL theme taxonomy codes, e.g. sociale-zekerheid, openbare-orde-en-veiligheid */
  theme: z.array(z.string().regex(/^[a-z-]+(\|[a-z-]+)?$/, 'a DONL theme like sociale-zekerheid')).min(1),
  /** public: may be listed on data.overheid.nl; restricted/non_public: internal catalog only */
  access: z.enum(['public', 'restricted', 'non_public']).default('non_public'),
  /** DONL licence id, e.g. cc-by-4.0, cc-0, or licentie-onbekend */
  licence: z.string().optional(),
  /** DONL dataset status */
  status: z.enum(['beschikbaar', 'in_onderzoek', 'gepland', 'niet_beschikbaar']).default('beschikbaar'),
  language: z.array(z.string().regex(/^[a-z]{2}$/)).default(['nl']),
  /** the organisation that made the data, when not the municipality (e.g. CBS) */
  creator: z.string().optional(),
  contact: z
    .strictObject({
      name: z.string().min(1),
      email: z.string().email().optional(),
      url: z.string().url().optional(),
    })
    .optional(),
  keywords: z.array(z.string()).default([]),
});

export const refreshSchema = z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'ad-hoc']);

export const sourceFileSchema = z.strictObject({
  name: name.optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  owner: z.string().min(1),
  /** who looks after the data day to day (data steward) */
  steward: z.string().optional(),
  domain: z.string().optional(),
  refresh: refreshSchema.default('ad-hoc'),
  catalog: catalogSchema.optional(),
  checks: z.array(checkSchema).default([]),
  connector: connectorSchema,
  privacy: sourcePrivacySchema,
  /** coordinates → CBS buurt code at landing (the coordinates themselves do not land) */
  geocode: z
    .strictObject({ x: name, y: name, crs: z.enum(['wgs84', 'rd']), to: name.default('buurtcode') })
    .optional(),
  /** BAG id, or postcode + house number → CBS buurt code at landing, through the project's BAG (areas.bag) */
  geocode_bag: z
    .union([
      z.strictObject({ bag_id: name, to: name.default('buurtcode') }),
      z.strictObject({
        postcode: name,
        huisnummer: name,
        /** huisletter and/or toevoeging, as one or two columns */
        huisletter: name.optional(),
        toevoeging: name.optional(),
        to: name.default('buurtcode'),
      }),
    ])
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
  theme: z.array(z.string()).default([]),
});

const sidePeriod = z.strictObject({
  kind: z.enum(['stock', 'flow']),
  date: name.optional(),
  from: name.optional(),
  to: name.optional(),
});

const indicatorSide = z.strictObject({
  /** the model to read; default the indicator's model */
  model: name.optional(),
  /** how this side's rows fall in a period, when it differs from the indicator's (e.g. events per 1,000 inhabitants) */
  period: sidePeriod.optional(),
  /** an SQL condition on its rows (may use period_start and period_end) */
  filter: z.string().min(1).optional(),
  /** count rows, or sum this column */
  sum: name.optional(),
});

/** An indicator as code: indicators/<id>.yaml. */
export const indicatorFileSchema = z.strictObject({
  label: z.string().min(1),
  label_en: z.string().min(1).optional(),
  description: z.string().min(1),
  theme: z.string().min(1),
  /** physical (fysiek) or social (sociaal) domain, for the area profile */
  domain: z.enum(['fysiek', 'sociaal']),
  owner: z.string().min(1),
  type: z.enum(['count', 'sum', 'mean', 'share', 'ratio']),
  model: name.optional(),
  /** sum and mean: the column */
  value: name.optional(),
  filter: z.string().min(1).optional(),
  /** share and ratio */
  numerator: indicatorSide.optional(),
  denominator: indicatorSide.optional(),
  /** ratio: per 100, per 1,000 …; share is always per 100 */
  scale: z.number().positive().optional(),
  /** the column with the CBS buurt (or wijk) code in the model(s) */
  area: name.default('buurtcode'),
  period: z.strictObject({
    grain: z.enum(['year', 'quarter', 'month']).default('year'),
    /** stock: a state at the end of each period; flow: events within it */
    kind: z.enum(['stock', 'flow']),
    /** flow: the event date; stock: the date of a snapshot row */
    date: name.optional(),
    /** stock: valid from / to (to is exclusive; empty = still valid) */
    from: name.optional(),
    to: name.optional(),
    /** the first period's start; the last period ends at the project's reference date */
    first: isoDate,
  }),
  unit: z.string().min(1),
  decimals: z.number().int().min(0).max(4).default(0),
  target: z.strictObject({ value: z.number(), year: z.number().int().optional() }).optional(),
  polarity: z.enum(['higher_is_better', 'lower_is_better', 'neutral']).default('neutral'),
  provisional: z.boolean().default(false),
  /** compare with a CBS figure: a source with CBS codes and a value column */
  cbs: z
    .strictObject({
      source: name,
      code: name.default('code'),
      value: name,
      /** the period the CBS figure is for, e.g. '2024' */
      period: z.string().min(1),
    })
    .optional(),
  /** disclosure control for published values */
  k: z.number().int().min(1).optional(),
  min_denominator: z.number().int().min(1).optional(),
});
export type IndicatorFile = z.infer<typeof indicatorFileSchema>;

/** Optional metadata beside a model: models/<name>.yaml next to models/<name>.sql. */
export const modelMetaFileSchema = z.strictObject({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  owner: z.string().optional(),
  /** the model selects or scores persons or households (early warning): no protected column may feed it */
  signal: z.boolean().default(false),
  columns: z.record(name, z.strictObject({ description: z.string().optional() })).default({}),
  checks: z.array(checkSchema).default([]),
});

export type PublicationFile = z.infer<typeof publicationFileSchema>;
export type ProjectFile = z.infer<typeof projectFileSchema>;
export type SourceFile = z.infer<typeof sourceFileSchema>;
export type ConnectorSpec = z.infer<typeof connectorSchema>;
export type ColumnSpec = z.infer<typeof columnSchema>;
export const nodeNameSchema = name;
