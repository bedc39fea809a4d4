import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStrftime, UnsafeSqlError } from '../../src/engine/dialect.js';
import { DuckDBEngine } from '../../src/engine/duckdb.js';

const HOSTILE = [
  'plain',
  'with space',
  'Hoofdletters',
  'quote"inside',
  '""',
  "single'quote",
  'semi; DROP TABLE victim; --',
  'back\\slash',
  'new\nline',
  'ünïcødé_€',
  '"); DROP TABLE victim; --',
  '*/ select 1 /*',
];

describe('DuckDB dialect quoting', () => {
  let engine: DuckDBEngine;
  beforeAll(async () => {
    engine = await DuckDBEngine.open(':memory:');
    await engine.run('CREATE TABLE victim (x INTEGER)');
  });
  afterAll(() => engine.close());

  it.each(HOSTILE)('round-trips the identifier %j as table, schema and column name', async (name) => {
    const d = engine.dialect;
    await engine.ensureSchema(name);
    await engine.run(`CREATE TABLE ${d.qualify(name, name)} (${d.quoteIdentifier(name)} VARCHAR)`);
    await engine.run(`INSERT INTO ${d.qualify(name, name)} VALUES (${d.quoteString(name)})`);
    const rows = await engine.query(`SELECT ${d.quoteIdentifier(name)} AS v FROM ${d.qualify(name, name)}`);
    expect(rows).toEqual([{ v: name }]);
    expect(await engine.tableExists(name, name)).toBe(true);
    expect(await engine.tableExists('main', 'victim')).toBe(true);
  });

  it.each(HOSTILE)('round-trips the string %j as a literal', async (value) => {
    const rows = await engine.query(`SELECT ${engine.dialect.quoteString(value)} AS v`);
    expect(rows).toEqual([{ v: value }]);
  });

  it('refuses NUL characters and empty identifiers instead of emitting wrong SQL', () => {
    expect(() => engine.dialect.quoteIdentifier('a\u0000b')).toThrow(UnsafeSqlError);
    expect(() => engine.dialect.quoteString('a\u0000b')).toThrow(UnsafeSqlError);
    expect(() => engine.dialect.quoteIdentifier('')).toThrow(UnsafeSqlError);
  });

  it('binds parameters rather than splicing them', async () => {
    const rows = await engine.query('SELECT $1 AS a, $2 AS b', ["x'; DROP TABLE victim; --", 42]);
    expect(rows).toEqual([{ a: "x'; DROP TABLE victim; --", b: 42 }]);
    expect(await engine.tableExists('main', 'victim')).toBe(true);
  });

  it('tells a single SELECT from anything else', async () => {
    expect(await engine.isSingleSelect('select 1')).toBe(true);
    expect(await engine.isSingleSelect('with a as (select 1) select * from a')).toBe(true);
    expect(await engine.isSingleSelect('select 1; select 2')).toBe(false);
    expect(await engine.isSingleSelect('drop table victim')).toBe(false);
    expect(await engine.isSingleSelect("copy victim to '/tmp/x.csv'")).toBe(false);
  });

  it('converts Dutch numbers and dates, and yields NULL when it cannot', async () => {
    const d = engine.dialect;
    const conv = (
      text: string,
      type: 'decimal' | 'integer' | 'date' | 'timestamp' | 'boolean',
      fmt = '%d-%m-%Y',
    ): string =>
      d.tryConvert(d.quoteString(text), type, {
        number: { decimal: ',', thousands: '.' },
        dateFormat: fmt,
        timestampFormat: '%d-%m-%Y %H:%M',
      });
    const [row] = await engine.query(
      `SELECT ${conv('1.234,56', 'decimal')} AS a, ${conv('1.234', 'integer')} AS b, ${conv('12,5', 'integer')} AS c,
              ${conv('31-12-2024', 'date')} AS d, ${conv('31-02-2023', 'date')} AS e, ${conv('n.v.t.', 'decimal')} AS f,
              ${conv('05-03-2024 14:30', 'timestamp')} AS g, ${conv('Ja', 'boolean')} AS h, ${conv('misschien', 'boolean')} AS i`,
    );
    expect(row).toEqual({
      a: 1234.56,
      b: 1234,
      c: null,
      d: new Date('2024-12-31T00:00:00Z'),
      e: null,
      f: null,
      g: new Date('2024-03-05T14:30:00Z'),
      h: true,
      i: null,
    });
  });
});

describe('generalisation and identifier normalisation', () => {
  it('keeps only what a quasi-identifier may keep', async () => {
    const engine = await DuckDBEngine.open(':memory:');
    const d = engine.dialect;
    const born = "DATE '1990-06-15'";
    const today = "DATE '2026-11-28'";
    const [row] = await engine.query(
      `SELECT ${d.generalise('year', born, today)} AS y, ${d.generalise('month', born, today)} AS m,
              ${d.generalise('age_band', born, today)} AS a, ${d.generalise('age_band', "DATE '1930-01-01'", today)} AS old,
              ${d.generalise('age_band', "DATE '2021-11-29'", today)} AS young, ${d.generalise('pc4', "' 1781 ab '", today)} AS pc4`,
    );
    expect(row).toEqual({
      y: 1990,
      m: new Date('1990-06-01T00:00:00Z'),
      a: '35-39',
      old: '90+',
      young: '0-4',
      pc4: '1781',
    });
    await engine.close();
  });

  it('normalises identifiers so that the same person gets the same pseudonym', async () => {
    const engine = await DuckDBEngine.open(':memory:');
    const d = engine.dialect;
    const n = (kind: Parameters<typeof d.normaliseIdentifier>[0], v: string): string =>
      d.normaliseIdentifier(kind, d.quoteString(v));
    const [row] = await engine.query(
      `SELECT ${n('bsn', '12345672')} AS bsn, ${n('bsn', ' 012.345.672 ')} AS bsn2, ${n('name', '  Zoë   ÇELIK ')} AS name,
              ${n('kvk', '1234567')} AS kvk, ${n('postcode_huisnummer', '1781 ab 12')} AS pchn, ${n('email', ' Jan@Example.NL ')} AS email`,
    );
    expect(row).toEqual({
      bsn: '012345672',
      bsn2: '012345672',
      name: 'zoe celik',
      kvk: '01234567',
      pchn: '1781AB12',
      email: 'jan@example.nl',
    });
    await engine.close();
  });
});

describe('date patterns', () => {
  it.each([
    ['dd-mm-jjjj', '%d-%m-%Y'],
    ['jjjj-mm-dd', '%Y-%m-%d'],
    ['dd/mm/yyyy', '%d/%m/%Y'],
    ['dd-mm-jjjj uu:mm:ss', '%d-%m-%Y %H:%M:%S'],
    ['jjjjmmdd', '%Y%m%d'],
    ['%d.%m.%Y', '%d.%m.%Y'],
  ])('%s → %s', (pattern, expected) => {
    expect(toStrftime(pattern)).toBe(expected);
  });
});
