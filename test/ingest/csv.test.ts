import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, query, sourceProject } from '../helpers/project.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/csv');

const COLUMNS = `naam: { type: text, header: Naam }
bedrag: { type: decimal, header: Bedrag }
datum: { type: date, header: Datum, required: true }`;

const DUTCH = `type: csv
path: input.csv
decimal: ','
thousands: '.'
date_format: dd-mm-jjjj`;

const EXPECTED = [
  { naam: 'Jan de Vries', bedrag: 12.5, datum: new Date('2023-02-01T00:00:00Z') },
  { naam: 'Zoë Çelik', bedrag: 1234.56, datum: new Date('2024-02-29T00:00:00Z') },
  { naam: 'Piet Müller', bedrag: -3, datum: new Date('2024-12-31T00:00:00Z') },
];

async function loadFixture(fixture: string, connector = DUTCH, columns = COLUMNS) {
  const dir = sourceProject({
    file: 'input.csv',
    content: readFileSync(join(FIXTURES, fixture)),
    connector,
    columns,
  });
  const summary = await build(dir);
  const step = summary.steps[0];
  if (summary.status !== 'success') return { summary, step, rows: [], quarantine: [] };
  const rows = await query(dir, 'select * from sources.bron');
  const quarantine = await query(
    dir,
    'select row_number, column_name, value, reason_code from pakhuis.quarantine order by row_number, column_name',
  );
  return { summary, step, rows, quarantine };
}

describe('CSV as Dutch municipal systems export it', () => {
  it.each([
    ['semicolon.csv', DUTCH],
    ['crlf.csv', DUTCH],
    ['comma.csv', 'type: csv\npath: input.csv\ndate_format: dd-mm-jjjj'],
    ['utf8-bom.csv', DUTCH],
    ['iso-dates.csv', DUTCH.replace('dd-mm-jjjj', 'jjjj-mm-dd')],
    ['trailing-empty-columns.csv', DUTCH],
    ['header-case-spacing.csv', DUTCH],
  ])('%s lands every row with the right values', async (fixture, connector) => {
    const { summary, rows, quarantine } = await loadFixture(fixture, connector);
    expect(summary.status).toBe('success');
    expect(rows).toEqual(EXPECTED);
    expect(quarantine).toEqual([]);
  });

  it('detects the delimiter: ; and , files both land without declaring it', async () => {
    const semi = await loadFixture(
      'semicolon.csv',
      DUTCH.replace("decimal: ','", "delimiter: auto\ndecimal: ','"),
    );
    expect(semi.step?.detail?.['notes']).toContain('delimiter ";"');
    const comma = await loadFixture('comma.csv', 'type: csv\npath: input.csv\ndate_format: dd-mm-jjjj');
    expect(comma.step?.detail?.['notes']).toContain('delimiter ","');
  });

  it('reads Windows-1252, including € and curly quotes', async () => {
    const { rows, step } = await loadFixture('windows-1252.csv');
    expect(rows.map((r) => r['naam'])).toEqual([
      'Jan de Vries',
      'Zoë Çelik',
      'Piet Müller',
      'Café “De Sluis” €',
    ]);
    expect(step?.detail?.['notes']).toContain('encoding windows-1252');
  });

  it('re-reads as Windows-1252 when invalid UTF-8 appears only after the first megabyte', async () => {
    const { rows, step, quarantine } = await loadFixture('cp1252-after-1mb.csv');
    expect(rows).toHaveLength(40001);
    expect(rows.at(-1)?.['naam']).toBe('Müller');
    expect(quarantine).toEqual([]);
    expect(String(step?.detail?.['notes'])).toMatch(/read as Windows-1252/);
  });

  it('keeps quoted fields with newlines, delimiters and doubled quotes', async () => {
    const { rows } = await loadFixture('quoted-newlines.csv');
    expect(rows.map((r) => r['naam'])).toEqual(['Jan\nde Vries', 'Zoë; "Zus" Çelik', 'Piet Müller']);
  });

  it('lands only declared columns and reports the undeclared ones', async () => {
    const { rows, step } = await loadFixture('undeclared-columns.csv');
    expect(Object.keys(rows[0] ?? {})).toEqual(['naam', 'bedrag', 'datum']);
    expect(step?.detail?.['dropped']).toEqual(['BSN', 'Telefoon']);
  });

  it('fails the source on schema drift, naming the missing column and the likely rename', async () => {
    const { summary, step } = await loadFixture('missing-column.csv');
    expect(summary.status).toBe('failed');
    expect(step?.error).toBe(
      'data/input.csv: declared column "Bedrag" missing from the file (schema drift). Found: "Naam", "Bedragen", "Datum"',
    );
    expect(step?.fix).toMatch(
      /set `header:` on the column in sources\/bron\.yaml \("Bedrag" → is it "Bedragen"\?\)/,
    );
  });

  it('quarantines unparseable and missing values with source row number, column and reason', async () => {
    const { rows, quarantine, summary } = await loadFixture('bad-values.csv', DUTCH + '\nmax_bad_rows: 60%');
    expect(summary.status).toBe('success');
    expect(rows.map((r) => r['naam'])).toEqual(['Regel\ntwee', 'Goed']);
    // row numbers count records as a spreadsheet does: the header is row 1; the quoted newline does not add one
    expect(quarantine).toEqual([
      { row_number: 3, column_name: 'bedrag', value: 'n.v.t.', reason_code: 'invalid_type' },
      { row_number: 5, column_name: 'datum', value: '31-02-2023', reason_code: 'invalid_type' },
      { row_number: 6, column_name: 'datum', value: null, reason_code: 'required' },
    ]);
  });

  it('fails the load when bad rows exceed max_bad_rows, and says which row first', async () => {
    const { summary, step } = await loadFixture('bad-values.csv', DUTCH + '\nmax_bad_rows: 1');
    expect(summary.status).toBe('failed');
    expect(step?.error).toBe(
      'data/input.csv: 3 of 5 rows (60.00%) failed, more than max_bad_rows allows (1); first: row 3, column bedrag: not a valid decimal (value "n.v.t.")',
    );
  });

  it('quarantines ragged rows and keeps the row numbers of later rows right', async () => {
    const { rows, quarantine } = await loadFixture('ragged-rows.csv', DUTCH + '\nmax_bad_rows: 50%');
    expect(rows.map((r) => r['naam'])).toEqual(['Jan', 'Piet']);
    expect(quarantine.map((q) => [q.row_number, q.reason_code])).toEqual([
      [3, 'missing_columns'],
      [4, 'too_many_columns'],
    ]);
  });

  it('row numbers of type failures after a rejected row are still the source rows', async () => {
    const dir = sourceProject({
      file: 'input.csv',
      content:
        'Naam;Bedrag;Datum\nA;1,00;01-01-2024\nKort\nB;x;01-01-2024\nC;3,00;01-01-2024\nD;4,00;32-01-2024\n',
      connector: DUTCH + '\nmax_bad_rows: 100%',
      columns: COLUMNS,
    });
    await build(dir);
    const q = await query(
      dir,
      'select distinct row_number, reason_code from pakhuis.quarantine order by row_number',
    );
    expect(q).toEqual([
      { row_number: 3, reason_code: 'missing_columns' },
      { row_number: 4, reason_code: 'invalid_type' },
      { row_number: 6, reason_code: 'invalid_type' },
    ]);
  });

  it('quarantines an unterminated quote', async () => {
    const { rows, quarantine } = await loadFixture('unterminated-quote.csv', DUTCH + '\nmax_bad_rows: 50%');
    expect(rows.map((r) => r['naam'])).toEqual(['Jan']);
    expect(quarantine.map((q) => [q.row_number, q.reason_code])).toEqual([[3, 'unquoted_value']]);
  });

  it('refuses binary garbage with a clear message', async () => {
    const { summary, step } = await loadFixture('binary-garbage.csv');
    expect(summary.status).toBe('failed');
    expect(step?.error).toBe(
      'data/input.csv: binary content (a NUL byte at byte 0); this is not a text CSV file',
    );
  });

  it('refuses an empty file', async () => {
    const { step } = await loadFixture('empty.csv');
    expect(step?.error).toBe('data/input.csv: the file is empty (0 bytes)');
  });

  it('loads a header-only file as zero rows', async () => {
    const { summary, rows } = await loadFixture('header-only.csv');
    expect(summary.status).toBe('success');
    expect(rows).toEqual([]);
  });

  it('enforces declared constraints: accepted values, min/max and pattern', async () => {
    const dir = sourceProject({
      file: 'input.csv',
      content: 'code;aantal;postcode\nA;1;1781 AB\nB;2;1781AB\nZ;3;1781 AB\nA;-1;1781 AB\nA;5;17811\n',
      connector: 'type: csv\npath: input.csv\nmax_bad_rows: 100%',
      columns: `code: { type: text, values: [A, B] }
aantal: { type: integer, min: 0 }
postcode: { type: text, pattern: '^[1-9][0-9]{3} ?[A-Z]{2}$' }`,
    });
    await build(dir);
    expect(await query(dir, 'select code, aantal from sources.bron')).toEqual([
      { code: 'A', aantal: 1 },
      { code: 'B', aantal: 2 },
    ]);
    expect(
      await query(
        dir,
        'select row_number, column_name, reason_code from pakhuis.quarantine order by row_number',
      ),
    ).toEqual([
      { row_number: 4, column_name: 'code', reason_code: 'not_accepted' },
      { row_number: 5, column_name: 'aantal', reason_code: 'below_min' },
      { row_number: 6, column_name: 'postcode', reason_code: 'pattern' },
    ]);
  });
});
