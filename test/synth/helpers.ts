/** Independent readers for the generated files (tests must not trust the generator's own code). */
import { readFileSync } from 'node:fs';
import { FILES } from '../../src/synth/index.js';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/** RFC 4180 records: quoted fields may contain the separator, doubled quotes and newlines. */
export function parseCsv(text: string, sep: string): string[][] {
  const s = sep === ';' ? ';' : ',';
  const token = new RegExp(`"((?:[^"]|"")*)"|([^${s}\r\n"]*)`, 'y');
  const out: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    token.lastIndex = i;
    const m = token.exec(text);
    if (!m) throw new Error(`CSV syntax error at ${i}`);
    const q = m[1];
    row.push(q === undefined ? (m[2] ?? '') : q.includes('"') ? q.replace(/""/g, '"') : q);
    i = token.lastIndex;
    const c = text[i];
    if (c === s) {
      i++;
      if (i === n) row.push('');
    } else if (c === '\r' && text[i + 1] === '\n') {
      out.push(row);
      row = [];
      i += 2;
    } else if (c === '\n') {
      out.push(row);
      row = [];
      i++;
    } else if (c !== undefined) {
      throw new Error(`CSV syntax error at ${i}: unexpected ${JSON.stringify(c)}`);
    }
  }
  if (row.length > 0) out.push(row);
  return out;
}

/** Windows-1252 decoding (independent of src/synth/encoding.ts). */
export function decodeWindows1252(buf: Buffer): string {
  return new TextDecoder('windows-1252').decode(buf);
}

export interface Table {
  header: string[];
  /** Records including the header at index 0, so `records[i]` is record number i + 1. */
  records: string[][];
  col: (name: string) => number;
}

const cache = new Map<string, Table>();

/** Read and parse a CSV file (memoised: the tests read the large files several times). */
export function readCsv(dir: string, file: string, sep: string, encoding: 'utf8' | 'cp1252' = 'utf8'): Table {
  const k = `${dir}|${file}|${sep}|${encoding}`;
  const hit = cache.get(k);
  if (hit) return hit;
  const t = readCsvUncached(dir, file, sep, encoding);
  cache.set(k, t);
  return t;
}

function readCsvUncached(dir: string, file: string, sep: string, encoding: 'utf8' | 'cp1252'): Table {
  const buf = readFileSync(join(dir, file));
  let text = encoding === 'cp1252' ? decodeWindows1252(buf) : buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = parseCsv(text, sep);
  const header = records[0] ?? [];
  return {
    header,
    records,
    col: (name: string) => {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`${file}: no column ${name}`);
      return i;
    },
  };
}

export function elfproef(text: string): boolean {
  const s = text.trim().padStart(9, '0');
  if (!/^\d{9}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(s[i]);
  sum -= Number(s[8]);
  return sum % 11 === 0 && s !== '000000000';
}

/** dd-mm-jjjj that is a real calendar date. */
export function isNlDate(s: string): boolean {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s);
  if (!m) return false;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** dd-mm-jjjj → jjjj-mm-dd (for comparisons). */
export function nlToIso(s: string): string {
  return `${s.slice(6, 10)}-${s.slice(3, 5)}-${s.slice(0, 2)}`;
}

export interface XlsxSheet {
  header: string[];
  /** Values per row, index 0 = header row (row 1). */
  rows: ExcelJS.CellValue[][];
}

export async function readXlsx(path: string, sheet: string): Promise<XlsxSheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`${path}: no sheet ${sheet}`);
  const rows: ExcelJS.CellValue[][] = [];
  const n = ws.columnCount;
  ws.eachRow({ includeEmpty: true }, (row, r) => {
    const vals: ExcelJS.CellValue[] = [];
    for (let c = 1; c <= n; c++) vals.push(row.getCell(c).value);
    rows[r - 1] = vals;
  });
  return { header: (rows[0] ?? []).map(String), rows };
}

export function pointInRing(x: number, y: number, ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface Defect {
  file: string;
  column: string;
  defect: string;
  count: number;
  rows: number[];
}

/** Distinct BSNs living in each wijk on 31-12-2024, counted from the files alone. */
export function personsPerWijk(dir: string): Map<string, number> {
  const bag = readCsv(dir, FILES.bag, ',');
  const buurtOf = new Map(
    bag.records.slice(1).map((r) => [r[0] as string, r[bag.col('buurtcode')] as string]),
  );
  const brp = readCsv(dir, FILES.brp, ';', 'cp1252');
  const [iBsn, iVbo, iOut] = [brp.col('BSN'), brp.col('Verblijfsobject-ID'), brp.col('Datum vertrek')];
  const seen = new Map<string, Set<string>>();
  for (const r of brp.records.slice(1)) {
    if (r[iOut] !== '') continue;
    const buurt = buurtOf.get(r[iVbo] as string);
    if (!buurt) throw new Error(`unknown VBO ${r[iVbo]}`);
    const wijk = `WK${buurt.slice(2, 8)}`;
    const set = seen.get(wijk) ?? new Set<string>();
    set.add(r[iBsn] as string);
    seen.set(wijk, set);
  }
  return new Map([...seen].map(([k, v]) => [k, v.size]));
}

export type Recount = Map<string, number[]>;
export const key = (file: string, column: string, defect: string): string => `${file}|${column}|${defect}`;
const MOJIBAKE = /Ã|Â|â€/;
const AMOUNT = /^-?\d{1,3}(\.\d{3})*,\d{2}$/;

/** Recount every planted defect from the files alone. */
export async function recountDefects(dir: string): Promise<Recount> {
  const out: Recount = new Map();
  const add = (file: string, column: string, defect: string, row: number): void => {
    const k = key(file, column, defect);
    out.set(k, [...(out.get(k) ?? []), row]);
  };
  const dupes = (file: string, records: string[][]): void => {
    for (let i = 2; i < records.length; i++) {
      if ((records[i] as string[]).join('\u0000') === (records[i - 1] as string[]).join('\u0000'))
        add(file, '*', 'duplicate_row', i + 1);
    }
  };
  {
    const t = readCsv(dir, FILES.brp, ';', 'cp1252');
    t.records.forEach((r, i) => {
      if (i === 0) return;
      if (!elfproef(r[t.col('BSN')] as string)) add(FILES.brp, 'BSN', 'invalid_bsn', i + 1);
      if (r[t.col('Postcode')] === '') add(FILES.brp, 'Postcode', 'missing_postcode', i + 1);
      if (!isNlDate(r[t.col('Geboortedatum')] as string))
        add(FILES.brp, 'Geboortedatum', 'unparseable_date', i + 1);
      if (MOJIBAKE.test(r[t.col('Geslachtsnaam')] as string))
        add(FILES.brp, 'Geslachtsnaam', 'mojibake', i + 1);
      if (MOJIBAKE.test(r[t.col('Voornamen')] as string)) add(FILES.brp, 'Voornamen', 'mojibake', i + 1);
    });
    dupes(FILES.brp, t.records);
  }
  {
    const t = readCsv(dir, FILES.bag, ',');
    t.records.forEach(
      (r, i) => i > 0 && r[t.col('postcode')] === '' && add(FILES.bag, 'postcode', 'missing_postcode', i + 1),
    );
  }
  {
    const x = await readXlsx(join(dir, FILES.wmo), 'Voorzieningen');
    x.rows.forEach((r, i) => i > 0 && !elfproef(String(r[0])) && add(FILES.wmo, 'BSN', 'invalid_bsn', i + 1));
  }
  {
    const t = readCsv(dir, FILES.jeugd, ';');
    t.records.forEach((r, i) => {
      if (i === 0) return;
      if (!elfproef(r[0] as string)) add(FILES.jeugd, 'BSN jeugdige', 'invalid_bsn', i + 1);
      if (!AMOUNT.test(r[t.col('Kosten')] as string)) add(FILES.jeugd, 'Kosten', 'unparseable_number', i + 1);
    });
    dupes(FILES.jeugd, t.records);
  }
  {
    const arr = JSON.parse(readFileSync(join(dir, FILES.bijstand), 'utf8')) as { bsn: string }[];
    arr.forEach((o, i) => !elfproef(o.bsn) && add(FILES.bijstand, 'bsn', 'invalid_bsn', i + 1));
  }
  {
    const t = readCsv(dir, FILES.schuld, ';');
    t.records.forEach((r, i) => {
      if (i === 0) return;
      if (!elfproef(r[0] as string)) add(FILES.schuld, 'BSN', 'invalid_bsn', i + 1);
      if (!isNlDate(r[1] as string)) add(FILES.schuld, 'Aanmelddatum', 'unparseable_date', i + 1);
    });
  }
  {
    const lines = readFileSync(join(dir, FILES.signals), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    lines.forEach(
      (l, i) =>
        !elfproef((JSON.parse(l) as { bsn: string }).bsn) && add(FILES.signals, 'bsn', 'invalid_bsn', i + 1),
    );
  }
  {
    const t = readCsv(dir, FILES.verzuim, ',');
    t.records.forEach(
      (r, i) =>
        i > 0 && !elfproef(r[0] as string) && add(FILES.verzuim, 'bsn_leerling', 'invalid_bsn', i + 1),
    );
  }
  {
    const t = readCsv(dir, FILES.incidents, ';', 'cp1252');
    t.records.forEach(
      (r, i) =>
        i > 0 &&
        nlToIso(r[1] as string) > '2024-12-31' &&
        add(FILES.incidents, 'datum', 'future_date', i + 1),
    );
  }
  {
    const arr = JSON.parse(readFileSync(join(dir, FILES.meldingen), 'utf8')) as { datum: string }[];
    arr.forEach((o, i) => o.datum > '2024-12-31' && add(FILES.meldingen, 'datum', 'future_date', i + 1));
  }
  {
    const t = readCsv(dir, FILES.kvk, ';');
    t.records.forEach(
      (r, i) => i > 0 && MOJIBAKE.test(r[2] as string) && add(FILES.kvk, 'Handelsnaam', 'mojibake', i + 1),
    );
  }
  {
    const t = readCsv(dir, FILES.energy, ';');
    t.records.forEach(
      (r, i) =>
        i > 0 &&
        !/^\d+$/.test(r[2] as string) &&
        add(FILES.energy, 'elektriciteit_kwh', 'unparseable_number', i + 1),
    );
  }
  return out;
}

export const CBS: Record<string, number> = {
  WK040001: 9180,
  WK040002: 10330,
  WK040003: 3190,
  WK040004: 9230,
  WK040005: 9090,
  WK040006: 2170,
  WK040007: 320,
  WK040008: 12920,
};

export const truth = <T>(dir: string, name: string): T =>
  JSON.parse(readFileSync(join(dir, 'truth', name), 'utf8')) as T;

interface Wijkgeo {
  features: { properties: { statcode: string }; geometry: { coordinates: number[][][] } }[];
}
export const wijkRings = (): Map<string, number[][]> => {
  const g = JSON.parse(
    readFileSync(join('data', 'areas', 'den_helder_wijken_2024_wgs84.geojson'), 'utf8'),
  ) as Wijkgeo;
  return new Map(g.features.map((f) => [f.properties.statcode, f.geometry.coordinates[0] as number[][]]));
};
