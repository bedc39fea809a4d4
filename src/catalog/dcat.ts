import { readFileSync } from 'node:fs';
import {
  DefinitionError,
  type CatalogMeta,
  type ContactPoint,
  type Project,
  type PublicationDef,
  type SourceDef,
} from '../project/types.js';

/**
 * The catalog as DCAT-AP-DONL JSON-LD, for data.overheid.nl to harvest.
 *
 * Only what may be public is exported: every publication (disclosure-controlled figures) and every
 * source whose `catalog.access` is `public`. Restricted and non-public sources never appear, and no
 * data value does either: the document holds metadata only.
 *
 * Property sources: DCAT-AP-DONL 1.1 (mandatory dataset and distribution properties,
 * https://dcat-ap-donl.readthedocs.io) and the DCAT-AP-DONL 2.0 draft (creator, licence and status
 * on the dataset, github.com/dataoverheid/dcat-ap-donl). Value lists: the DONL waardelijsten
 * (https://waardelijsten.dcat-ap-donl.nl) and the EU authority tables
 * (http://publications.europa.eu/resource/authority/).
 */

/** Where a harvester fetches the context; the same file is `schemas/dcat-ap-donl.context.jsonld`. */
export const DCAT_CONTEXT_URL = 'https://datapakhuis.nl/schemas/dcat-ap-donl.context.jsonld';
const CONTEXT_FILE = new URL('../../schemas/dcat-ap-donl.context.jsonld', import.meta.url);

export interface DatasetFacts {
  /** ISO timestamp of the last successful load (source) or publication */
  lastLoad?: string;
  /** not exported: DCAT-AP-DONL has no property for it, and the catalog carries no figures */
  rows?: number;
}

/** The export cannot be made as the project stands; `errors` name the file of each dataset and the fix. */
export class CatalogError extends Error {
  constructor(readonly errors: DefinitionError[]) {
    super(errors.map(String).join('\n'));
    this.name = 'CatalogError';
  }
}

const OWMS = 'http://standaarden.overheid.nl/owms/terms/';
const EU = 'http://publications.europa.eu/resource/authority/';

/** Licence ids → DONL licence URIs (waardelijst overheid:license). */
export const LICENCES: Readonly<Record<string, string>> = {
  'cc-0': 'http://creativecommons.org/publicdomain/zero/1.0/deed.nl',
  'cc-by-4.0': 'http://creativecommons.org/licenses/by/4.0/deed.nl',
  'cc-by-sa-4.0': 'http://creativecommons.org/licenses/by-sa/4.0/deed.nl',
  'licentie-onbekend': `${OWMS}licentieonbekend`,
};

/** Language codes → the EU language table (waardelijst donl:language holds NLD, ENG and FRY). */
export const LANGUAGES: Readonly<Record<string, string>> = {
  nl: `${EU}language/NLD`,
  en: `${EU}language/ENG`,
  fy: `${EU}language/FRY`,
};

/** Only public datasets are exported; restricted and non_public would be …/RESTRICTED and …/NON_PUBLIC. */
const PUBLIC_ACCESS = `${EU}access-right/PUBLIC`;

/** Organisations a `creator` may name instead of a URI → their TOOI URI. */
const CREATORS: Readonly<Record<string, string>> = {
  // CBS is a zelfstandig bestuursorgaan; its TOOI identifier is zb000193 (organisaties.overheid.nl)
  cbs: 'https://identifier.overheid.nl/tooi/id/zbo/zb000193',
  'centraal bureau voor de statistiek': 'https://identifier.overheid.nl/tooi/id/zbo/zb000193',
};

/**
 * The DONL theme taxonomy ("TaxonomieBeleidsagenda", waardelijst overheid:taxonomiebeleidsagenda):
 * the 17 main themes and their subthemes, as OWMS term names. Several names carry a "(thema)"
 * qualifier that is part of the URI (Huisvesting_(thema), Recht_(thema), Verkeer_(thema), …).
 * Hierarchy as in data.overheid.nl's own theme hierarchy (ckanext-dataoverheid, hierarchy_theme.json).
 */
const TAXONOMY: Readonly<Record<string, readonly string[]>> = {
  Bestuur: [
    'De_Nederlandse_Antillen_en_Aruba',
    'Gemeenten',
    'Koninklijk_Huis_(thema)',
    'Organisatie_en_beleid',
    'Parlement',
    'Provincies',
    'Rijksoverheid',
    'Waterschappen',
  ],
  Cultuur_en_recreatie: [
    'Cultuur_(thema)',
    'Kunst_(thema)',
    'Media',
    'Recreatie_(thema)',
    'Religie',
    'Sport_(thema)',
  ],
  Economie: [
    'Bouwnijverheid',
    'Handel',
    'ICT',
    'Industrie_(thema)',
    'Markttoezicht',
    'Ondernemen',
    'Overige_economische_sectoren',
    'Toerisme',
    'Transport_(thema)',
  ],
  Financien: ['Begroting', 'Belasting', 'Financieel_toezicht', 'Inkomensbeleid'],
  'Huisvesting_(thema)': ['Bouwen_en_verbouwen', 'Huren_en_verhuren', 'Kopen_en_verkopen'],
  Internationaal: [
    'Defensie_(thema)',
    'Europese_zaken',
    'Internationale_samenwerking_(thema)',
    'Militaire_missies',
    'Ontwikkelingssamenwerking',
    'Reizen',
  ],
  'Landbouw_(thema)': ['Dieren_(thema)', 'Planten', 'Voedselkwaliteit'],
  Migratie_en_integratie: [
    'Emigratie_(thema)',
    'Immigratie_(thema)',
    'Integratie_(thema)',
    'Nederlanderschap_(thema)',
    'Tijdelijk_verblijf',
  ],
  Natuur_en_milieu: [
    'Afval_(thema)',
    'Bodem',
    'Energie',
    'Geluid_(thema)',
    'Lucht',
    'Natuur-_en_landschapsbeheer',
    'Stoffen',
  ],
  Onderwijs_en_wetenschap: [
    'Basisonderwijs_(thema)',
    'Beroepsonderwijs_(thema)',
    'Hoger_onderwijs_(thema)',
    'Onderzoek_en_wetenschap',
    'Overige_vormen_van_onderwijs',
    'Voortgezet_onderwijs_(thema)',
  ],
  Openbare_orde_en_veiligheid: [
    'Criminaliteit',
    'Politie_brandweer_en_hulpdiensten',
    'Rampen',
    'Staatsveiligheid',
    'Terrorisme_(thema)',
  ],
  'Recht_(thema)': [
    'Bestuursrecht',
    'Bezwaar_en_klachten',
    'Burgerlijk_recht',
    'Rechtspraak',
    'Staatsrecht',
    'Strafrecht',
  ],
  Ruimte_en_infrastructuur: ['Netwerken', 'Ruimtelijke_ordening', 'Waterkeringen_en_waterbeheer'],
  Sociale_zekerheid: [
    'Gezin_en_kinderen',
    'Jongeren_(thema)',
    'Nabestaanden',
    'Ouderen',
    'Werkloosheid',
    'Ziekte_en_arbeidsongeschiktheid',
  ],
  'Verkeer_(thema)': ['Luchtvaart', 'Spoor', 'Water_(verkeer-thema)', 'Weg_(thema)'],
  'Werk_(thema)': [
    'Arbeidsomstandigheden_(thema)',
    'Arbeidsvoorwaarden',
    'Levensloop',
    'Ontslag_(thema)',
    'Werkgelegenheid',
  ],
  Zorg_en_gezondheid: [
    'Ethiek',
    'Geneesmiddelen_en_medische_hulpmiddelen',
    "Gezondheidsrisico's",
    'Jongeren_(gezondheid-thema)',
    'Verzekeringen',
    'Voeding',
    'Ziekten_en_behandelingen',
  ],
};

/** Our code of an OWMS term: lower case, '-' for '_', without the "(thema)" qualifier or apostrophes. */
function themeCode(term: string): string {
  return term
    .replace(/_\([^)]*\)$/, '')
    .replace(/'/g, '')
    .replace(/[-_]+/g, '-')
    .toLowerCase();
}

/** Theme codes → DONL theme URIs: `bestuur` for a main theme, `bestuur|gemeenten` for a subtheme. */
export const DONL_THEMES: ReadonlyMap<string, string> = new Map(
  Object.entries(TAXONOMY).flatMap(([main, subs]) => [
    [themeCode(main), OWMS + main] as const,
    ...subs.map((sub) => [`${themeCode(main)}|${themeCode(sub)}`, OWMS + sub] as const),
  ]),
);

/** A publication without a theme: figures a municipality publishes about its own areas. */
export const DEFAULT_PUBLICATION_THEME = 'bestuur';

/** DONL dataset status URIs (waardelijst overheid:datasetStatus) carry our status names as they are. */
const statusUri = (status: CatalogMeta['status']): string => `http://data.overheid.nl/status/${status}`;
/** EU file types (http://publications.europa.eu/resource/authority/file-type) */
const fileType = (format: string): string => `${EU}file-type/${format}`;

let contextDocument: Record<string, unknown> | undefined;

/** The JSON-LD context document at DCAT_CONTEXT_URL, parsed (a fresh copy on each call). */
export function dcatContext(): Record<string, unknown> {
  contextDocument ??= JSON.parse(readFileSync(CONTEXT_FILE, 'utf8')) as Record<string, unknown>;
  return structuredClone(contextDocument);
}

/** What one exported dataset says, the same for publications and public sources. */
interface DatasetMeta {
  kind: 'publication' | 'source';
  name: string;
  file: string;
  identifier: string;
  landingPage: string;
  title: string;
  description?: string;
  theme: string[];
  licence: string;
  status: CatalogMeta['status'];
  language: string[];
  creator?: string;
  contact: ContactPoint;
  keywords: string[];
  distribution: { accessURL: string; title: string; description: string; formats: string[] };
}

/**
 * The DCAT-AP-DONL catalog of the project as a compact JSON-LD document. `facts` holds, per dataset
 * name, when it was last loaded or published (dct:modified, mandatory). Throws a CatalogError naming
 * every exported dataset whose licence, theme, language or creator has no DONL value, or that has
 * no load on record.
 */
export function dcatCatalog(
  project: Project,
  facts: Map<string, DatasetFacts>,
  opts: { issued?: string } = {},
): Record<string, unknown> {
  const { baseUri, publisherUri } = project.catalog;
  const problems: DefinitionError[] = [];
  const metas = [
    ...project.publications.map((p) => publicationMeta(project, p)),
    ...project.sources.filter((s) => s.catalog.access === 'public').map((s) => sourceMeta(project, s)),
  ];
  const datasets = metas.map((meta) => dataset(meta, project, facts.get(meta.name), problems));

  const seen = new Map<string, DatasetMeta>();
  for (const meta of metas) {
    const other = seen.get(meta.identifier);
    if (other) {
      problems.push(
        problem(meta, `has the identifier ${meta.identifier} of ${other.file}`, 'give each dataset its own'),
      );
    } else seen.set(meta.identifier, meta);
  }
  if (problems.length > 0) throw new CatalogError(problems);
  const issued = xsdDateTime(opts.issued ?? new Date().toISOString());
  if (issued === undefined) throw new RangeError(`opts.issued is not a timestamp: "${opts.issued}"`);

  const catalogUri = `${baseUri}/catalog`;
  return {
    '@context': DCAT_CONTEXT_URL,
    '@id': catalogUri,
    '@type': 'dcat:Catalog',
    'dct:identifier': catalogUri,
    'dct:title': `Datacatalogus ${project.municipality.name}`,
    'dct:description': `Openbare datasets en gepubliceerde cijfers van de gemeente ${project.municipality.name}.`,
    'dct:publisher': publisherUri,
    'foaf:homepage': baseUri,
    'dct:language': [LANGUAGES['nl']],
    // the licence of the metadata itself, as data.overheid.nl's own catalog declares it
    'dct:license': LICENCES['cc-0'],
    'dcat:themeTaxonomy': `${OWMS}TaxonomieBeleidsagenda`,
    'dct:issued': issued,
    'dcat:dataset': datasets,
  };
}

function publicationMeta(project: Project, p: PublicationDef): DatasetMeta {
  const { baseUri, contact } = project.catalog;
  return {
    kind: 'publication',
    name: p.name,
    file: p.file,
    identifier: `${baseUri}/dataset/${p.name}`,
    landingPage: `${baseUri}/dataset/${p.name}`,
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    theme: p.theme.length > 0 ? p.theme : [DEFAULT_PUBLICATION_THEME],
    // publications carry no licence of their own yet: the figures are public domain
    licence: 'cc-0',
    status: 'beschikbaar',
    language: ['nl'],
    contact,
    keywords: [project.municipality.name, 'wijken en buurten'],
    distribution: {
      accessURL: `${baseUri}/api/v1/publications/${p.name}`,
      title: 'Publieke API',
      description: 'De gepubliceerde cijfers per gebied, als CSV of JSON. Kleine aantallen zijn onderdrukt.',
      formats: ['CSV', 'JSON'],
    },
  };
}

function sourceMeta(project: Project, s: SourceDef): DatasetMeta {
  const c = s.catalog;
  const landingPage = `${project.catalog.baseUri}/dataset/${s.name}`;
  return {
    kind: 'source',
    name: s.name,
    file: s.file,
    identifier: c.identifier,
    landingPage,
    title: s.title,
    ...(s.description ? { description: s.description } : {}),
    theme: c.theme,
    licence: c.licence,
    status: c.status,
    language: c.language,
    ...(c.creator ? { creator: c.creator } : {}),
    contact: c.contact,
    keywords: c.keywords,
    distribution: {
      accessURL: landingPage,
      title: 'Landingspagina',
      description: 'Beschrijving van de bron en hoe u de gegevens verkrijgt.',
      formats: ['HTML'],
    },
  };
}

/** One dcat:Dataset; what cannot be mapped is added to `problems`. */
function dataset(
  d: DatasetMeta,
  project: Project,
  facts: DatasetFacts | undefined,
  problems: DefinitionError[],
): Record<string, unknown> {
  const { baseUri, publisherUri } = project.catalog;
  /** `uri`, the DONL value of `id`; without one, a problem naming the dataset */
  const mapped = (uri: string | undefined, id: string, what: string, fix: string): string => {
    if (uri === undefined) problems.push(problem(d, `has an unknown ${what} "${id}"`, fix));
    return uri ?? '';
  };
  const oneOf = (table: Readonly<Record<string, string>>): string =>
    `use one of: ${Object.keys(table).join(', ')}`;

  const themes = d.theme.map((code) =>
    mapped(
      DONL_THEMES.get(code),
      code,
      'theme',
      'use a DONL theme code such as sociale-zekerheid or sociale-zekerheid|werkloosheid (see docs/project-format.md)',
    ),
  );
  if (themes.length === 0) problems.push(problem(d, 'has no theme', 'add catalog.theme, e.g. [bestuur]'));
  const licence = mapped(LICENCES[d.licence], d.licence, 'licence id', oneOf(LICENCES));
  const languages = d.language.map((code) => mapped(LANGUAGES[code], code, 'language', oneOf(LANGUAGES)));
  // no creator: the municipality made the data itself; a URI is taken as it is; else a known name
  const creator = !d.creator
    ? publisherUri
    : /^https?:\/\//.test(d.creator)
      ? d.creator
      : mapped(
          CREATORS[d.creator.trim().toLowerCase()],
          d.creator,
          'creator',
          'write the TOOI URI of the organisation (https://identifier.overheid.nl/tooi/id/…), or CBS',
        );
  const modified = facts?.lastLoad ? xsdDateTime(facts.lastLoad) : undefined;
  if (modified === undefined) {
    problems.push(
      facts?.lastLoad
        ? problem(d, `has a last load that is not a timestamp: "${facts.lastLoad}"`, 'pass an ISO timestamp')
        : problem(
            d,
            `has never been ${d.kind === 'source' ? 'loaded' : 'published'}, and dct:modified is mandatory`,
            'run pakhuis build before exporting the catalog',
          ),
    );
  }

  return {
    '@id': d.identifier,
    '@type': 'dcat:Dataset',
    'dct:identifier': d.identifier,
    'dct:title': d.title,
    'dct:description': d.description ?? d.title,
    'dct:publisher': publisherUri,
    'dct:creator': creator,
    'overheid:authority': publisherUri,
    'dcat:contactPoint': contactPoint(d.contact, baseUri),
    'dcat:theme': themes,
    'dct:accessRights': PUBLIC_ACCESS,
    'dct:license': licence,
    'dct:language': languages,
    // DCAT-AP puts the language of the metadata on the catalog record; titles are written in Dutch
    'foaf:isPrimaryTopicOf': { '@type': 'dcat:CatalogRecord', 'dct:language': LANGUAGES['nl'] },
    'adms:status': statusUri(d.status),
    'dct:modified': modified,
    // an empty list would vanish in expansion: leave the property out instead
    ...(d.keywords.length > 0 ? { 'dcat:keyword': d.keywords } : {}),
    'dcat:landingPage': d.landingPage,
    'dcat:distribution': [
      {
        '@type': 'dcat:Distribution',
        'dcat:accessURL': d.distribution.accessURL,
        'dct:title': d.distribution.title,
        'dct:description': d.distribution.description,
        'dct:format': d.distribution.formats.map(fileType),
        'dct:license': licence,
        'dct:language': languages,
      },
    ],
  };
}

/** A vcard:Kind; one without e-mail or URL is reached through the catalog's home page. */
function contactPoint(c: ContactPoint, homepage: string): Record<string, unknown> {
  return {
    '@type': 'vcard:Kind',
    'vcard:fn': c.name,
    ...(c.email ? { 'vcard:hasEmail': `mailto:${c.email}` } : {}),
    ...(c.url || !c.email ? { 'vcard:hasURL': c.url ?? homepage } : {}),
  };
}

function problem(d: DatasetMeta, message: string, fix: string): DefinitionError {
  return new DefinitionError(d.file, undefined, `${d.kind} ${d.name} ${message}`, fix);
}

/** An ISO timestamp as xsd:dateTime in UTC; undefined when it is none. */
function xsdDateTime(value: string): string | undefined {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
