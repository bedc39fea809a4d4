import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutralise, toCsv, toXlsx, type ExportTable } from '../../src/export/table.js';

const TABLE: ExportTable = {
  name: 'Wijken',
  columns: ['wijk', 'waarde', 'opmerking'],
  rows: [
    ['Stad binnen de Linie-Oost', 1234.5, '=HYPERLINK("http://evil.example","klik")'],
    ['Julianadorp; Noord', -3, '+31 6 1234'],
    ['"Nieuw" Den Helder', 0, '-2+3'],
    ['De Schooten', null, '@SUM(A1)'],
    ['Huisduinen', 7, '\tcmd'],
  ],
};

describe('exports that Dutch Excel opens as meant', () => {
  it('CSV: UTF-8 with BOM, semicolons, decimal comma, CRLF, quoting where needed', () => {
    const csv = toCsv(TABLE);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFwijk;waarde;opmerking',
      `Stad binnen de Linie-Oost;1234,5;"'=HYPERLINK(""http://evil.example"",""klik"")"`,
      `"Julianadorp; Noord";-3;'+31 6 1234`,
      `"""Nieuw"" Den Helder";0;'-2+3`,
      `De Schooten;;'@SUM(A1)`,
      `Huisduinen;7;'\tcmd`,
      '',
    ]);
  });

  it('CSV with a comma and a decimal point on request', () => {
    expect(
      toCsv({ name: 't', columns: ['a', 'b'], rows: [[1.5, 'x,y']] }, { delimiter: ',', decimal: '.' }),
    ).toBe('\uFEFFa,b\r\n1.5,"x,y"\r\n');
  });

  it('text that a spreadsheet would run as a formula is neutralised; numbers stay numbers', () => {
    for (const t of ['=1+1', '+1', '-1', '@A1', '\t=1', '\r=1']) expect(neutralise(t)).toBe(`'${t}`);
    for (const t of ['1+1', 'a=b', 'Den Helder', '']) expect(neutralise(t)).toBe(t);
  });

  it('XLSX: the same cells, numbers as numbers, formulas as text, a bold frozen header', async () => {
    const wb = new ExcelJS.Workbook();
    const buffer = await toXlsx([TABLE]);
    await wb.xlsx.load(
      buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer,
    );
    const ws = wb.getWorksheet('Wijken');
    expect(ws?.getRow(1).font?.bold).toBe(true);
    expect(ws?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws?.getCell('B2').value).toBe(1234.5);
    expect(ws?.getCell('C2').value).toBe(`'=HYPERLINK("http://evil.example","klik")`);
    expect(ws?.getCell('C2').formula).toBeUndefined();
    expect(ws?.getCell('B5').value).toBeNull();
  });
});
