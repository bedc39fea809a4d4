import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import jsonld from 'jsonld';
import type { JsonLdObj, RemoteDocument } from 'jsonld/jsonld-spec.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CatalogError,
  DCAT_CONTEXT_URL,
  DONL_THEMES,
  LANGUAGES,
  LICENCES,
  dcatCatalog,
  dcatContext,
  type DatasetFacts,
} from '../../src/catalog/dcat.js';
import type { Project } from '../../src/project/types.js';
import { TEST_PRIVACY, mustLoad, writeProject } from '../helpers/project.js';

const DEMO = fileURLToPath(new URL('../../examples/den-helder', import.meta.url));
const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schemas/dcat-ap-donl.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ISSUED = '2025-03-02T08:00:00.000Z';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const OWMS = 'http://standaarden.overheid.nl/owms/terms/';

/** DCAT-AP-DONL 1.1 mandatory dataset properties, with creator, licence and status from the 2.0 draft. */
const MANDATORY_DATASET = [
  `${DCT}identifier`,
  `${DCT}title`,
  `${DCT}description`,
  `${DCT}publisher`,
  `${DCT}creator`,
  `${DCAT}contactPoint`,
  `${DCAT}theme`,
  `${DCT}accessRights`,
  `${DCT}license`,
  `${DCT}language`,
  'http://xmlns.com/foaf/0.1/isPrimaryTopicOf', // the catalog record, with the metadata language
  'http://www.w3.org/ns/adms#status',
  `${OWMS}authority`,
  `${DCT}modified`,
  `${DCAT}distribution`,
];
const MANDATORY_DISTRIBUTION = [
  `${DCAT}accessURL`,
  `${DCT}title`,
  `${DCT}description`,
  `${DCT}format`,
  `${DCT}license`,
  `${DCT}language`,
];

type Node = Record<string, unknown>;
type Expanded = Record<string, Array<Record<string, unknown>>>;

/** Every dataset loaded (or published) at one moment. */
function allLoaded(project: Project): Map<string, DatasetFacts> {
  return new Map(
    [...project.sources, ...project.publications].map((n) => [n.name, { lastLoad: '2025-03-01T10:00:00Z' }]),
  );
}

function datasets(doc: Node): Node[] {
  return doc['dcat:dataset'] as Node[];
}

/** Serves the repository's context for its URL and refuses everything else: no network. */
async function documentLoader(url: string): Promise<RemoteDocument> {
  if (url === DCAT_CONTEXT_URL) return { documentUrl: url, document: dcatContext() as JsonLdObj };
  throw new Error(`no network in tests: refused to load ${url}`);
}

const TERMS = dcatContext()['@context'] as Record<string, string | { '@id': string }>;

/** The absolute IRI the context maps a compact key to (keywords stay as they are). */
function iriOf(key: string): string {
  if (key.startsWith('@')) return key;
  const term = TERMS[key];
  if (term === undefined) throw new Error(`"${key}" is not defined in the context`);
  const id = typeof term === 'string' ? term : term['@id'];
  const prefix = id.slice(0, id.indexOf(':'));
  const namespace = TERMS[prefix];
  return typeof namespace === 'string' ? namespace + id.slice(prefix.length + 1) : id;
}

/**
 * Walks the compact document and its expansion side by side: every key of every compact node
 * must come out as its context IRI, with as many values as went in — nothing dropped.
 */
function expectNothingDropped(compact: unknown, expanded: unknown, path: string): void {
  if (typeof compact !== 'object' || compact === null) {
    // a plain value: a literal or, for @id-typed terms, an IRI reference
    expect(expanded, path).toSatisfy((e: Node) => '@value' in e || '@id' in e);
    return;
  }
  const node = compact as Node;
  const out = expanded as Expanded;
  const keys = Object.keys(node).filter((k) => k !== '@context');
  expect(Object.keys(out).sort(), path).toEqual(keys.map(iriOf).sort());
  for (const key of keys.filter((k) => !k.startsWith('@'))) {
    const iri = iriOf(key);
    expect(iri, `${path}/${key}`).toMatch(/^https?:\/\/\S+$/);
    const values = Array.isArray(node[key]) ? (node[key] as unknown[]) : [node[key]];
    expect(out[iri], `${path}/${key}`).toHaveLength(values.length);
    values.forEach((v, i) => expectNothingDropped(v, out[iri]?.[i], `${path}/${key}[${i}]`));
  }
}

async function expand(doc: Node): Promise<Expanded[]> {
  return (await jsonld.expand(doc as jsonld.NodeObject, { documentLoader })) as Expanded[];
}

function expectValidSchema(doc: Node): void {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(SCHEMA);
  expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
}

/** A source file with the given catalog block and one column without personal data. */
function sourceYaml(catalog: string): string {
  return `title: Testbron\nowner: Team Test\ncatalog: ${catalog}\n${TEST_PRIVACY}connector: { type: csv, path: bron.csv }\ncolumns:\n  wijk: { type: text, classification: none }\n`;
}

/** A small project: one source of each access level, a model and a publication without a theme. */
function mixedProject(): Project {
  return mustLoad(
    writeProject({
      'sources/wijkcijfers.yaml': sourceYaml(
        '{ theme: [openbare-orde-en-veiligheid, sociale-zekerheid|werkloosheid], access: public, licence: cc-by-4.0, creator: CBS, language: [nl, en], contact: { name: Team Data, email: data@gemeente.example }, keywords: [wijken] }',
      ),
      // an unknown licence on a source that is not exported is not the export's concern
      'sources/meldingen.yaml': sourceYaml('{ theme: [bestuur], access: restricted, licence: geheim }'),
      'sources/intern.yaml': sourceYaml('{ theme: [financien] }'),
      'models/per_wijk.sql': "select wijk, count(*) as aantal from ref('wijkcijfers') group by wijk\n",
      'publications/wijken.yaml':
        'title: Aantallen per wijk\nmodel: per_wijk\nmeasure: count\narea: wijk\ncount: aantal\n',
    }),
  );
}

describe('dcatCatalog on the demo project', () => {
  let project: Project;
  let doc: Node;
  beforeAll(() => {
    project = mustLoad(DEMO);
    doc = dcatCatalog(project, allLoaded(project), { issued: ISSUED });
  });

  it('is a dcat:Catalog of the municipality that refers to the context by URL', () => {
    expect(doc).toMatchObject({
      '@context': DCAT_CONTEXT_URL,
      '@id': `${project.catalog.baseUri}/catalog`,
      '@type': 'dcat:Catalog',
      'dct:title': 'Datacatalogus Den Helder',
      'dct:publisher': project.catalog.publisherUri,
      'dct:issued': ISSUED,
    });
  });

  it('lists every publication and every public source, and no other source', () => {
    const ids = datasets(doc).map((d) => d['@id']);
    const publicSources = project.sources.filter((s) => s.catalog.access === 'public');
    expect(publicSources.length).toBeGreaterThan(0);
    expect(ids.sort()).toEqual(
      [
        ...project.publications.map((p) => `${project.catalog.baseUri}/dataset/${p.name}`),
        ...publicSources.map((s) => s.catalog.identifier),
      ].sort(),
    );
    for (const s of project.sources.filter((s) => s.catalog.access !== 'public')) {
      expect(JSON.stringify(doc)).not.toContain(`/${s.name}"`);
    }
  });

  it('describes a publication as public figures behind the API', () => {
    const pub = project.publications[0];
    const d = datasets(doc).find((x) => x['@id'] === `${project.catalog.baseUri}/dataset/${pub?.name}`);
    expect(d).toMatchObject({
      'dct:accessRights': 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
      'dct:license': LICENCES['cc-0'],
      'dct:creator': project.catalog.publisherUri,
      'dct:modified': '2025-03-01T10:00:00.000Z',
      'dcat:theme': [`${OWMS}Bestuur`],
      'dcat:distribution': [
        {
          'dcat:accessURL': `${project.catalog.baseUri}/api/v1/publications/${pub?.name}`,
          'dct:format': [
            'http://publications.europa.eu/resource/authority/file-type/CSV',
            'http://publications.europa.eu/resource/authority/file-type/JSON',
          ],
        },
      ],
    });
  });

  it('expands against its context without dropping a property', async () => {
    const expanded = await expand(doc);
    expect(expanded).toHaveLength(1);
    expectNothingDropped(doc, expanded[0], 'catalog');
  });

  it('gives every dataset each mandatory DCAT-AP-DONL property in the expanded form', async () => {
    const [catalog] = await expand(doc);
    const expandedDatasets = catalog?.[`${DCAT}dataset`] as Expanded[];
    expect(expandedDatasets).toHaveLength(datasets(doc).length);
    for (const d of expandedDatasets) {
      for (const iri of MANDATORY_DATASET) expect(d[iri], `${String(d['@id'])} ${iri}`).toBeDefined();
      expect(d[`${DCT}title`]?.[0]).toMatchObject({ '@language': 'nl' });
      const [record] = d['http://xmlns.com/foaf/0.1/isPrimaryTopicOf'] as Expanded[];
      expect(record?.[`${DCT}language`]?.[0]).toEqual({ '@id': LANGUAGES['nl'] });
      const [contact] = d[`${DCAT}contactPoint`] as Expanded[];
      expect(contact?.['@type']).toEqual([`${VCARD}Kind`]);
      expect(contact?.[`${VCARD}fn`]).toBeDefined();
      for (const dist of d[`${DCAT}distribution`] as Expanded[]) {
        for (const iri of MANDATORY_DISTRIBUTION)
          expect(dist[iri], `${String(d['@id'])} distribution ${iri}`).toBeDefined();
      }
    }
  });

  it('validates against the JSON Schema', () => {
    expectValidSchema(doc);
  });

  it('maps the CBS creator of the demo sources to its TOOI URI', () => {
    const cbs = datasets(doc).find((d) => d['@id'] === `${project.catalog.baseUri}/dataset/cbs_buurten`);
    expect(cbs?.['dct:creator']).toBe('https://identifier.overheid.nl/tooi/id/zbo/zb000193');
    expect(cbs?.['dct:license']).toBe(LICENCES['cc-by-4.0']);
  });
});

describe('dcatCatalog on a project with restricted and non-public sources', () => {
  let project: Project;
  let doc: Node;
  beforeAll(() => {
    project = mixedProject();
    doc = dcatCatalog(project, allLoaded(project), { issued: ISSUED });
  });

  it('exports the public source and the publication only', () => {
    expect(datasets(doc).map((d) => d['@id'])).toEqual([
      `${project.catalog.baseUri}/dataset/wijken`,
      `${project.catalog.baseUri}/dataset/wijkcijfers`,
    ]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain('meldingen');
    expect(text).not.toContain('intern');
    expect(text).not.toContain('RESTRICTED');
    expect(text).not.toContain('NON_PUBLIC');
  });

  it('maps the source catalog block to DONL values', () => {
    expect(datasets(doc)[1]).toMatchObject({
      'dct:description': 'Testbron', // no description: the title
      'dct:creator': 'https://identifier.overheid.nl/tooi/id/zbo/zb000193',
      'dcat:theme': [`${OWMS}Openbare_orde_en_veiligheid`, `${OWMS}Werkloosheid`],
      'dct:license': 'http://creativecommons.org/licenses/by/4.0/deed.nl',
      'dct:language': [
        'http://publications.europa.eu/resource/authority/language/NLD',
        'http://publications.europa.eu/resource/authority/language/ENG',
      ],
      'dcat:contactPoint': { 'vcard:fn': 'Team Data', 'vcard:hasEmail': 'mailto:data@gemeente.example' },
      'adms:status': 'http://data.overheid.nl/status/beschikbaar',
      'dcat:keyword': ['wijken'],
      'dcat:distribution': [{ 'dcat:accessURL': `${project.catalog.baseUri}/dataset/wijkcijfers` }],
    });
  });

  it('expands without dropping a property and validates against the JSON Schema', async () => {
    const [catalog] = await expand(doc);
    expectNothingDropped(doc, catalog, 'catalog');
    expectValidSchema(doc);
  });

  it('needs a load on record for every exported dataset (dct:modified is mandatory)', () => {
    const facts = allLoaded(project);
    facts.delete('wijkcijfers');
    expect(() => dcatCatalog(project, facts)).toThrow(
      /sources\/wijkcijfers\.yaml: source wijkcijfers has never been loaded/,
    );
  });
});

describe('dcatCatalog errors', () => {
  function catalogError(catalog: string): CatalogError {
    const project = mustLoad(writeProject({ 'sources/bron.yaml': sourceYaml(catalog) }));
    try {
      dcatCatalog(project, allLoaded(project));
    } catch (e) {
      if (e instanceof CatalogError) return e;
      throw e;
    }
    throw new Error('no CatalogError');
  }

  it('names the file and the allowed ids for an unknown licence', () => {
    const e = catalogError('{ theme: [bestuur], access: public, licence: cc-by-nc-4.0 }');
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]).toMatchObject({ file: 'sources/bron.yaml' });
    expect(e.message).toContain('sources/bron.yaml: source bron has an unknown licence id "cc-by-nc-4.0"');
    expect(e.message).toContain('use one of: cc-0, cc-by-4.0, cc-by-sa-4.0, licentie-onbekend');
  });

  it('names the file for an unknown theme, language or creator', () => {
    const e = catalogError('{ theme: [bevolking], access: public, language: [de], creator: Kadaster }');
    expect(e.errors.map((x) => x.file)).toEqual([
      'sources/bron.yaml',
      'sources/bron.yaml',
      'sources/bron.yaml',
    ]);
    expect(e.message).toContain('unknown theme "bevolking"');
    expect(e.message).toContain('unknown language "de"');
    expect(e.message).toContain('unknown creator "Kadaster"');
  });
});

describe('DONL vocabularies', () => {
  it('maps theme codes to the taxonomy terms, subthemes as main|sub', () => {
    expect(DONL_THEMES.get('sociale-zekerheid')).toBe(`${OWMS}Sociale_zekerheid`);
    expect(DONL_THEMES.get('openbare-orde-en-veiligheid')).toBe(`${OWMS}Openbare_orde_en_veiligheid`);
    expect(DONL_THEMES.get('bestuur')).toBe(`${OWMS}Bestuur`);
    expect(DONL_THEMES.get('huisvesting')).toBe(`${OWMS}Huisvesting_(thema)`);
    expect(DONL_THEMES.get('bestuur|gemeenten')).toBe(`${OWMS}Gemeenten`);
    expect(DONL_THEMES.get('zorg-en-gezondheid|jongeren')).toBe(`${OWMS}Jongeren_(gezondheid-thema)`);
    expect(DONL_THEMES.get('sociale-zekerheid|jongeren')).toBe(`${OWMS}Jongeren_(thema)`);
  });

  it('has 17 main themes and 110 terms, every code one the project schema accepts', () => {
    const codes = [...DONL_THEMES.keys()];
    expect(codes.filter((c) => !c.includes('|'))).toHaveLength(17);
    expect(new Set(DONL_THEMES.values()).size).toBe(110);
    for (const code of codes) expect(code).toMatch(/^[a-z-]+(\|[a-z-]+)?$/);
  });

  it('the JSON Schema allows exactly the licences and languages the export maps to', () => {
    const defs = SCHEMA['$defs'] as Record<string, { enum?: string[] }>;
    expect(defs['licence']?.enum).toEqual(Object.values(LICENCES));
    expect(defs['language']?.enum).toEqual(Object.values(LANGUAGES));
  });

  it('dcatContext returns the context file', () => {
    const file = JSON.parse(
      readFileSync(new URL('../../schemas/dcat-ap-donl.context.jsonld', import.meta.url), 'utf8'),
    ) as unknown;
    expect(dcatContext()).toEqual(file);
  });
});
