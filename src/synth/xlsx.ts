/**
 * A small, streaming-friendly XLSX (Office Open XML spreadsheet) writer with byte-reproducible
 * output: fixed document dates and fixed zip timestamps (1980-01-01 00:00), deterministic shared
 * strings. exceljs was the first choice, but it keeps every cell as an object (memory and time
 * grow faster than linearly at 10× size) and stamps files with the current time; this writer
 * produces the same kind of file in linear time. Files are read back with exceljs in the tests.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateRawSync } from 'node:zlib';

export type CellValue = string | number | Date | null;

export interface SheetSpec {
  name: string;
  columns: readonly { header: string; width?: number; numFmt?: string }[];
  rows: readonly (readonly CellValue[])[];
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A zip archive (deflate) with all timestamps fixed at 1980-01-01 00:00. */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const DOS_TIME = 0;
  const DOS_DATE = (1 << 5) | 1;
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt16LE(DOS_TIME, 12);
    cd.writeUInt16LE(DOS_DATE, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(comp.length, 20);
    cd.writeUInt32LE(e.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, comp);
    central.push(cd, name);
    offset += local.length + name.length + comp.length;
  }
  const cdSize = central.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Built-in number formats and the custom ones this writer knows. */
const BUILTIN_FMT: Record<string, number> = { '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '@': 49 };

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const FIXED_DATE = '2025-01-01T00:00:00Z';

/** Write a workbook; returns the number of data rows written (headers excluded) and bytes. */
export function writeXlsx(
  path: string,
  sheets: readonly SheetSpec[],
): { path: string; rows: number; bytes: number } {
  // styles: 0 default, 1 bold header, then one per distinct number format
  const fmts: string[] = [];
  const fmtStyle = new Map<string, number>();
  const customFmts: { id: number; code: string }[] = [];
  for (const s of sheets) {
    for (const c of s.columns) {
      if (!c.numFmt || fmtStyle.has(c.numFmt)) continue;
      fmtStyle.set(c.numFmt, 2 + fmts.length);
      fmts.push(c.numFmt);
      if (BUILTIN_FMT[c.numFmt] === undefined)
        customFmts.push({ id: 164 + customFmts.length, code: c.numFmt });
    }
  }
  const fmtId = (code: string): number =>
    BUILTIN_FMT[code] ?? customFmts.find((f) => f.code === code)?.id ?? 0;
  const styles =
    `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
    (customFmts.length
      ? `<numFmts count="${customFmts.length}">${customFmts.map((f) => `<numFmt numFmtId="${f.id}" formatCode="${esc(f.code)}"/>`).join('')}</numFmts>`
      : '') +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${2 + fmts.length}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
    fmts
      .map(
        (f) =>
          `<xf numFmtId="${fmtId(f)}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,
      )
      .join('') +
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  let sharedCount = 0;
  const si = (s: string): number => {
    sharedCount++;
    let i = sharedIndex.get(s);
    if (i === undefined) {
      i = shared.length;
      shared.push(s);
      sharedIndex.set(s, i);
    }
    return i;
  };

  let dataRows = 0;
  const sheetXml: Buffer[] = [];
  for (const s of sheets) {
    const chunks: Buffer[] = [];
    let buf = '';
    const push = (t: string): void => {
      buf += t;
      if (buf.length > 1 << 20) {
        chunks.push(Buffer.from(buf, 'utf8'));
        buf = '';
      }
    };
    const ncol = s.columns.length;
    const last = `${colName(ncol - 1)}${s.rows.length + 1}`;
    push(`${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><dimension ref="A1:${last}"/>`);
    push(
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    );
    push('<sheetFormatPr defaultRowHeight="15"/><cols>');
    s.columns.forEach((c, i) =>
      push(
        `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? Math.max(12, c.header.length + 2)}" customWidth="1"/>`,
      ),
    );
    push('</cols><sheetData>');
    const names = s.columns.map((_, i) => colName(i));
    const colStyle = s.columns.map((c) => (c.numFmt ? (fmtStyle.get(c.numFmt) ?? 0) : 0));
    push('<row r="1">');
    s.columns.forEach((c, i) => push(`<c r="${names[i]}1" s="1" t="s"><v>${si(c.header)}</v></c>`));
    push('</row>');
    s.rows.forEach((row, ri) => {
      const r = ri + 2;
      let x = `<row r="${r}">`;
      for (let i = 0; i < ncol; i++) {
        const v = row[i];
        if (v === null || v === undefined) continue;
        const st = colStyle[i] as number;
        const sAttr = st ? ` s="${st}"` : '';
        if (typeof v === 'number') x += `<c r="${names[i]}${r}"${sAttr}><v>${v}</v></c>`;
        else if (v instanceof Date)
          x += `<c r="${names[i]}${r}"${sAttr}><v>${25569 + v.getTime() / 86400000}</v></c>`;
        else x += `<c r="${names[i]}${r}"${sAttr} t="s"><v>${si(v)}</v></c>`;
      }
      push(`${x}</row>`);
    });
    push(
      '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
    );
    chunks.push(Buffer.from(buf, 'utf8'));
    sheetXml.push(Buffer.concat(chunks));
    dataRows += s.rows.length;
  }

  const sst: string[] = [
    `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${sharedCount}" uniqueCount="${shared.length}">`,
  ];
  for (const s of shared)
    sst.push(
      /^\s|\s$/.test(s) ? `<si><t xml:space="preserve">${esc(s)}</t></si>` : `<si><t>${esc(s)}</t></si>`,
    );
  sst.push('</sst>');

  const ct =
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>';
  const rels =
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId3" Type="${NS_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  const workbook =
    `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView/></bookViews><sheets>` +
    sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const n = sheets.length;
  const wbRels =
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join('') +
    `<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${n + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const core =
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:creator>Datapakhuis synth</dc:creator><cp:lastModifiedBy>Datapakhuis synth</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${FIXED_DATE}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${FIXED_DATE}</dcterms:modified></cp:coreProperties>`;
  const app = `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`;

  const u = (s: string): Buffer => Buffer.from(s, 'utf8');
  const archive = zip([
    { name: '[Content_Types].xml', data: u(ct) },
    { name: '_rels/.rels', data: u(rels) },
    { name: 'docProps/core.xml', data: u(core) },
    { name: 'docProps/app.xml', data: u(app) },
    { name: 'xl/workbook.xml', data: u(workbook) },
    { name: 'xl/_rels/workbook.xml.rels', data: u(wbRels) },
    { name: 'xl/styles.xml', data: u(styles) },
    { name: 'xl/sharedStrings.xml', data: u(sst.join('')) },
    ...sheetXml.map((data, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data })),
  ]);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let off = 0;
  while (off < archive.length) off += writeSync(fd, archive, off, archive.length - off);
  closeSync(fd);
  return { path, rows: dataRows, bytes: archive.length };
}
