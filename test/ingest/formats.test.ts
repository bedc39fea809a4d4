import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../src/engine/duckdb.js';
import { build, query, sourceProject, tempDir } from '../helpers/project.js';

const COLUMNS = `naam: { type: text, header: Naam }
bedrag: { type: decimal, header: Bedrag }
datum: { type: date, header: Datum }
actief: { type: boolean, header: Actief }`;

describe('XLSX connector (exceljs)', () => {
  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Toelichting').addRow(['Dit blad is geen data']);
    const ws = wb.addWorksheet('Voorzieningen');
    ws.addRow(['Naam', 'Telefoon', ' bedrag ', 'Datum', 'Actief']);
    ws.addRow(['Jan de Vries', '0612345678', 12.5, new Date(Date.UTC(2023, 1, 1)), true]);
    ws.addRow([]); // an empty row in the middle, as spreadsheets have
    ws.addRow([
      { richText: [{ text: 'Zoë ' }, { text: 'Çelik' }] },
      '',
      { formula: '1000+234.56', result: 1234.56 },
      '29-02-2024',
      'nee',
    ]);
    ws.addRow(['Fout', '', 'veel', new Date(Date.UTC(2024, 0, 1)), 'ja']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads the named sheet: types, rich text, formulas, Excel dates and text dates, with spreadsheet row numbers', async () => {
    const dir = sourceProject({
      file: 'input.xlsx',
      content: await workbook(),
      connector:
        'type: xlsx\npath: input.xlsx\nsheet: Voorzieningen\ndate_format: dd-mm-jjjj\nmax_bad_rows: 1',
      columns: COLUMNS,
    });
    const summary = await build(dir);
    expect(summary.status).toBe('success');
    expect(summary.steps[0]?.detail?.['dropped']).toEqual(['Telefoon']);
    expect(await query(dir, 'select * from sources.bron')).toEqual([
      { naam: 'Jan de Vries', bedrag: 12.5, datum: new Date('2023-02-01T00:00:00Z'), actief: true },
      { naam: 'Zoë Çelik', bedrag: 1234.56, datum: new Date('2024-02-29T00:00:00Z'), actief: false },
    ]);
    expect(await query(dir, 'select row_number, column_name, value from pakhuis.quarantine')).toEqual([
      { row_number: 5, column_name: 'bedrag', value: 'veel' },
    ]);
  });

  it('names the sheets when the declared one is missing', async () => {
    const dir = sourceProject({
      file: 'input.xlsx',
      content: await workbook(),
      connector: 'type: xlsx\npath: input.xlsx\nsheet: Blad1',
      columns: COLUMNS,
    });
    const summary = await build(dir);
    expect(summary.steps[0]?.error).toBe(
      'data/input.xlsx: no sheet "Blad1" in the workbook; sheets: "Toelichting", "Voorzieningen"',
    );
  });

  it('refuses a CSV file declared as xlsx', async () => {
    const dir = sourceProject({
      file: 'input.xlsx',
      content: 'Naam;Bedrag\n',
      connector: 'type: xlsx\npath: input.xlsx',
      columns: COLUMNS,
    });
    const summary = await build(dir);
    expect(summary.steps[0]?.error).toMatch(/^data\/input\.xlsx: cannot read as XLSX/);
  });
});

describe('JSON connector', () => {
  const records = [
    { naam: 'Jan', bedrag: 12.5, datum: '2023-02-01', actief: true, extra: { genest: 1 } },
    { naam: 'Zoë', bedrag: 1234.56, datum: '2024-02-29', actief: false, extra: null },
    { naam: 'Fout', bedrag: 'n.v.t.', datum: '2024-13-01', actief: true, extra: null },
  ];
  const cols = COLUMNS.replace(/, header: \w+/g, '');

  it.each([
    ['array', JSON.stringify(records, null, 2)],
    ['ndjson', records.map((r) => JSON.stringify(r)).join('\n') + '\n'],
  ])('reads %s and quarantines what does not convert', async (_format, content) => {
    const dir = sourceProject({
      file: 'input.json',
      content,
      connector: 'type: json\npath: input.json\nmax_bad_rows: 1',
      columns: cols,
    });
    const summary = await build(dir);
    expect(summary.status).toBe('success');
    expect(summary.steps[0]?.detail?.['dropped']).toEqual(['extra']);
    expect(await query(dir, 'select naam, bedrag, actief from sources.bron')).toEqual([
      { naam: 'Jan', bedrag: 12.5, actief: true },
      { naam: 'Zoë', bedrag: 1234.56, actief: false },
    ]);
    expect(
      await query(dir, 'select row_number, column_name from pakhuis.quarantine order by column_name'),
    ).toEqual([
      { row_number: 3, column_name: 'bedrag' },
      { row_number: 3, column_name: 'datum' },
    ]);
  });

  it('reports malformed JSON with the file name', async () => {
    const dir = sourceProject({
      file: 'input.json',
      content: '[{"naam": "Jan",',
      connector: 'type: json\npath: input.json',
      columns: cols,
    });
    const summary = await build(dir);
    expect(summary.steps[0]?.error).toMatch(/^data\/input\.json: invalid JSON: /);
  });
});

describe('Parquet connector', () => {
  it('keeps types, casts to the declared ones and numbers rows from 1', async () => {
    const tmp = tempDir();
    const file = join(tmp, 'input.parquet');
    const engine = await DuckDBEngine.open(':memory:');
    await engine.run(
      `COPY (SELECT * FROM (VALUES ('Jan', 12.5::DECIMAL(10,2), DATE '2023-02-01', true, 'x'), ('Zoë', NULL, DATE '2024-02-29', false, 'y'), ('Fout', 1.0, NULL, NULL, 'z')) t(Naam, Bedrag, Datum, Actief, Extra)) TO ${engine.dialect.quoteString(file)} (FORMAT parquet)`,
    );
    await engine.close();
    const { readFileSync } = await import('node:fs');
    const dir = sourceProject({
      file: 'input.parquet',
      content: readFileSync(file),
      connector: 'type: parquet\npath: input.parquet\nmax_bad_rows: 1',
      columns: COLUMNS.replace(
        'datum: { type: date, header: Datum }',
        'datum: { type: date, header: Datum, required: true }',
      ),
    });
    const summary = await build(dir);
    expect(summary.status).toBe('success');
    expect(await query(dir, 'select * from sources.bron')).toEqual([
      { naam: 'Jan', bedrag: 12.5, datum: new Date('2023-02-01T00:00:00Z'), actief: true },
      { naam: 'Zoë', bedrag: null, datum: new Date('2024-02-29T00:00:00Z'), actief: false },
    ]);
    expect(await query(dir, 'select row_number, column_name, reason_code from pakhuis.quarantine')).toEqual([
      { row_number: 3, column_name: 'datum', reason_code: 'required' },
    ]);
  });
});
