/**
 * The tables the fake CBS serves, built from test/fixtures/cbs (see its SOURCES.md for what is real,
 * what is constructed in a real shape and what is invented).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startFakeCbs, type FakeCbs, type Json, type V3Table, type V4Table } from './fake-cbs.js';

const DIR = join(import.meta.dirname, '../fixtures/cbs');
const read = <T = Json>(file: string): T => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;

export const KWB_2024 = '85984NED';
/** Invented: 85984NED with every measure key numbered one lower, as CBS renumbers them across years. */
export const KWB_SHIFTED = '99984NED';
export const V4_TABLE = '83765NED';

/** CBS pads region keys to 10 characters, and text measures to their width. */
const pad = (text: string, width: number) => text.padEnd(width, ' ');

type Figures = Record<string, number | null>;
interface Region {
  code: string;
  soort: 'Gemeente' | 'Wijk' | 'Buurt';
  gemeente: string;
  name: string;
  figures: Figures;
}

/** Den Helder 2024 (real: gemeente + 8 wijken), 3 invented buurten and an invented decoy. */
function regions(): Region[] {
  const real = read<Record<string, Figures>>('den_helder_kwb_2024_85984NED_gm_wk.json');
  const names = new Map(
    readFileSync(join(DIR, 'den_helder_kwb_2024_85984NED_gm_wk.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .map(([code, , name]) => [code as string, name as string]),
  );
  const invented = read<{ buurten: Record<string, Json>; decoys: Record<string, Json> }>(
    'invented_buurten_85984NED_for_tests.json',
  );
  const figuresOf = (entry: Json): Figures =>
    Object.fromEntries(Object.entries(entry).filter(([k]) => /_\d+$/.test(k))) as Figures;
  return [
    ...Object.entries(real).map(([code, figures]) => ({
      code,
      soort: code.startsWith('GM') ? ('Gemeente' as const) : ('Wijk' as const),
      gemeente: 'Den Helder',
      name: names.get(code) ?? code,
      figures,
    })),
    ...Object.entries(invented.buurten).map(([code, entry]) => ({
      code,
      soort: 'Buurt' as const,
      gemeente: 'Den Helder',
      name: String(entry['name']),
      figures: figuresOf(entry),
    })),
    ...Object.entries(invented.decoys).map(([code, entry]) => ({
      code,
      soort: 'Buurt' as const,
      gemeente: String(entry['gemeente']),
      name: String(entry['name']),
      figures: figuresOf(entry),
    })),
  ];
}

/** Typed: numbers and null. Untyped: every value text, numbers right-aligned, "." for a secret. */
function dataSet(list: Region[], typed: boolean): Json[] {
  const cell = (v: number | null) => (typed ? v : (v === null ? '.' : String(v)).padStart(10, ' '));
  return list.map((r, i) => ({
    ID: i,
    WijkenEnBuurten: pad(r.code, 10),
    Gemeentenaam_1: pad(r.gemeente, 40),
    SoortRegio_2: pad(r.soort, 10),
    Codering_3: pad(r.code, 10),
    ...Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [k, cell(v)])),
  }));
}

function v3Table(id: string, rename: (key: string) => string): V3Table {
  const list = regions();
  const properties = read<Json[]>('cbs_85984NED_DataProperties.json').map((p) =>
    p['Type'] === 'Topic' ? { ...p, Key: rename(String(p['Key'])) } : p,
  );
  const renameRow = (row: Json) => Object.fromEntries(Object.entries(row).map(([k, v]) => [rename(k), v]));
  const typed = dataSet(list, true).map(renameRow);
  const info = read<Json[]>('cbs_85984NED_TableInfos.json').map((t) =>
    id === KWB_2024
      ? t
      : { ...t, Identifier: id, Title: `${String(t['Title'])} (test variant, keys renumbered)` },
  );
  const entitySets = [
    'TableInfos',
    'UntypedDataSet',
    'TypedDataSet',
    'DataProperties',
    'CategoryGroups',
    'WijkenEnBuurten',
  ];
  return {
    serviceDocument: {
      'odata.metadata': `https://opendata.cbs.nl/ODataApi/OData/${id}/$metadata`,
      value: entitySets.map((name) => ({
        name,
        url: `https://opendata.cbs.nl/ODataApi/odata/${id}/${name}`,
      })),
    },
    entities: {
      TableInfos: info,
      DataProperties: properties,
      CategoryGroups: [],
      TypedDataSet: typed,
      UntypedDataSet: dataSet(list, false).map(renameRow),
      WijkenEnBuurten: [
        { Key: pad('NL00', 10), Title: 'Nederland', Description: null },
        ...list.map((r) => ({ Key: pad(r.code, 10), Title: r.name, Description: null })),
      ],
    },
    columns: Object.keys(typed[0] as Json),
  };
}

/** The tables of the fake OData v3 service. */
export function v3Tables(): Record<string, V3Table> {
  const documents = read<Record<string, Json>>('cbs_odata3_service_documents_37296ned_70895ned.json');
  const real = (id: string): V3Table => ({
    serviceDocument: documents[id] as Json,
    entities: {},
    columns: [],
  });
  return {
    [KWB_2024]: v3Table(KWB_2024, (k) => k),
    [KWB_SHIFTED]: v3Table(KWB_SHIFTED, (k) => k.replace(/_(\d+)$/, (_, n: string) => `_${Number(n) - 1}`)),
    '37296ned': real('37296ned'),
  };
}

/** The table of the fake OData v4 service: the real Observations head plus constructed metadata. */
export function v4Tables(): Record<string, V4Table> {
  const example = read<{ service_document_value: Json[]; observations_head: Json[] }>(
    'cbs_odata4_83765NED_examples_from_cbs_docs.json',
  );
  const constructed = read<Record<string, Json[] & Json>>('cbs_odata4_83765NED_constructed_for_tests.json');
  return {
    [V4_TABLE]: {
      serviceDocument: {
        '@odata.context': `https://odata4.cbs.nl/CBS/${V4_TABLE}/$metadata`,
        value: example.service_document_value,
      },
      properties: constructed['Properties'] as Json,
      entities: {
        MeasureCodes: constructed['MeasureCodes'] as Json[],
        Dimensions: constructed['Dimensions'] as Json[],
        WijkenEnBuurtenCodes: constructed['WijkenEnBuurtenCodes'] as Json[],
        Observations: [...example.observations_head, ...(constructed['invented_observations'] as Json[])],
      },
    },
  };
}

/** Retries without waiting: tests stay fast. */
export const FAST = { baseDelayMs: 1, maxDelayMs: 20, timeoutMs: 2000, maxAttempts: 3 };

/** A fake CBS for the tests of one file, started before them and closed after. */
export function useFakeCbs(pageSize = 3): () => FakeCbs {
  let cbs: FakeCbs | undefined;
  beforeAll(async () => {
    cbs = await startFakeCbs({ v3: v3Tables(), v4: v4Tables(), pageSize });
  });
  afterAll(() => cbs?.close());
  return () => {
    if (!cbs) throw new Error('the fake CBS is not running');
    return cbs;
  };
}
