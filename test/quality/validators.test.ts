/**
 * The value validators, through both implementations: the TypeScript reference (`isValid`) and the
 * DuckDB SQL (`dialect.validate`) in an in-memory database. Values are batched — all named examples in
 * one query, each property in one query — so the file stays fast.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../src/engine/duckdb.js';
import {
  BAG_OBJECT_TYPES,
  BSN_WEIGHTS,
  CBS_AREA_CODES,
  describeValidator,
  IBAN_LENGTHS,
  isValid,
  validatorNames,
  WINDOWS_1252_80_9F,
  type AreaLevel,
  type BagObject,
  type ValidatorName,
  type ValidatorOptions,
} from '../../src/quality/validators.js';

interface Item {
  kind: ValidatorName;
  value: string;
  o?: ValidatorOptions | undefined;
}

let engine: DuckDBEngine;
beforeAll(async () => {
  engine = await DuckDBEngine.open(':memory:');
});
afterAll(() => engine.close());

/** The SQL verdict on every item, from one query with a UNION ALL branch per kind and options. */
async function sqlVerdicts(items: readonly Item[]): Promise<unknown[]> {
  const d = engine.dialect;
  const groups = new Map<string, { kind: ValidatorName; o: ValidatorOptions | undefined; at: number[] }>();
  items.forEach((item, at) => {
    const key = JSON.stringify([item.kind, item.o ?? {}]);
    const group = groups.get(key) ?? { kind: item.kind, o: item.o, at: [] };
    group.at.push(at);
    groups.set(key, group);
  });
  const v = d.quoteIdentifier('v');
  const branches = [...groups.values()].map(({ kind, o, at }) => {
    const values = at.map((i) => d.quoteString((items[i] as Item).value)).join(', ');
    return `SELECT idx, ${d.validate(kind, v, o)} AS ok FROM (SELECT unnest([${at.join(', ')}]) AS idx, unnest([${values}]::VARCHAR[]) AS ${v})`;
  });
  const rows = await engine.query<{ idx: number; ok: unknown }>(branches.join('\nUNION ALL\n'));
  const verdicts: unknown[] = items.map(() => 'no row');
  for (const row of rows) verdicts[row.idx] = row.ok;
  return verdicts;
}

/** Items on which the SQL and the reference disagree (or the SQL yields something other than a boolean). */
async function disagreements(items: readonly Item[]): Promise<Array<Item & { sql: unknown; ts: boolean }>> {
  const sql = await sqlVerdicts(items);
  return items
    .map((item, i) => ({ ...item, sql: sql[i], ts: isValid(item.kind, item.value, item.o) }))
    .filter((r) => r.sql !== r.ts);
}

// ---------------------------------------------------------------------------------------------------
// Named examples

type Example = [value: string, valid: boolean, reason: string, o?: ValidatorOptions];

const EXAMPLES: Record<ValidatorName, Example[]> = {
  bsn: [
    ['111222333', true, 'passes the elfproef'],
    ['123456782', true, 'passes the elfproef'],
    ['012345672', true, 'leading zero, passes the elfproef'],
    ['12345672', true, '8 digits: the leading zero Excel dropped is restored'],
    [' 111222333\t', true, 'surrounding whitespace is trimmed'],
    ['111222334', false, 'elfproef fails'],
    ['123456789', false, 'elfproef fails'],
    ['000000000', false, 'all zeros pass the sum but are no BSN'],
    ['00000000', false, 'all zeros after padding'],
    ['111 222 333', false, 'spaces inside'],
    ['111-222-333', false, 'separators inside'],
    ['1234567', false, 'only 7 digits'],
    ['0111222333', false, '10 digits, even with a leading zero'],
    ['11122233a', false, 'a letter'],
    ['１１１２２２３３３', false, 'full-width digits are not digits'],
    ['', false, 'empty'],
  ],
  postcode: [
    ['1234 AB', true, 'digits, one space, capitals'],
    ['1234AB', true, 'the space is optional'],
    ['9999 ZZ', true, 'highest digits and letters'],
    [' 1011 AC ', true, 'surrounding whitespace is trimmed'],
    ['0123 AB', false, 'starts with 0'],
    ['1234 ab', false, 'lower-case letters'],
    ['1234 Ab', false, 'one lower-case letter'],
    ['1234  AB', false, 'two spaces'],
    ['1234\tAB', false, 'a tab inside'],
    ['1234-AB', false, 'a hyphen'],
    ['1234 SA', false, 'SA is never issued'],
    ['1234 SD', false, 'SD is never issued'],
    ['1234SS', false, 'SS is never issued'],
    ['123 AB', false, 'three digits'],
    ['12345 AB', false, 'five digits'],
    ['1234 A', false, 'one letter'],
    ['1234 ABC', false, 'three letters'],
    ['1234 ÄB', false, 'a letter outside A–Z'],
    ['', false, 'empty'],
  ],
  kvk: [
    ['12345678', true, '8 digits'],
    ['01234567', true, 'a leading zero counts'],
    [' 12345678\n', true, 'surrounding whitespace is trimmed'],
    ['1234567', false, '7 digits'],
    ['123456789', false, '9 digits'],
    ['1234 5678', false, 'a space inside'],
    ['12.345.678', false, 'dots'],
    ['1234567a', false, 'a letter'],
    ['', false, 'empty'],
  ],
  iban: [
    ['NL91ABNA0417164300', true, 'Dutch, 18 characters'],
    ['NL91 ABNA 0417 1643 00', true, 'spaces between groups'],
    ['  NL91ABNA0417164300 ', true, 'surrounding whitespace is trimmed'],
    ['BE68539007547034', true, 'Belgian, 16 characters'],
    ['DE89370400440532013000', true, 'German, 22 characters'],
    ['FR1420041010050500013M02606', true, 'French, 27 characters with a letter in the account'],
    ['LU280019400644750000', true, 'Luxembourg, 20 characters'],
    ['GB29NWBK60161331926819', true, 'British, 22 characters'],
    ['NO9386011117947', true, 'another country, 15 characters'],
    ['MT84MALT011000012345MTLCAST001S', true, 'another country, 31 characters'],
    ['NL02ABNA0417164350', true, 'check digits 02'],
    ['NL98ABNA0417164368', true, 'check digits 98'],
    ['NL91ABNA0417164301', false, 'mod 97 fails'],
    ['NL92ABNA0417164300', false, 'check digits changed'],
    ['nl91abna0417164300', false, 'lower case'],
    ['NL91ABNA041716430', false, '17 characters for NL'],
    ['BE685390075470341', false, '17 characters for BE'],
    ['NL91-ABNA-0417-1643-00', false, 'hyphens'],
    ['NL91\tABNA0417164300', false, 'a tab inside'],
    ['NL99ABNA0417164350', false, 'check digits 99 pass mod 97 (as 02) but are never issued'],
    ['NL01ABNA0417164368', false, 'check digits 01 pass mod 97 (as 98) but are never issued'],
    ['XX82ABCD12345', false, 'another country, only 13 characters'],
    [`NL${'9'.repeat(60)}`, false, 'far too long'],
    ['', false, 'empty'],
  ],
  bag_id: [
    ['0363010000000001', true, 'Amsterdam, verblijfsobject'],
    ['0363100012345678', true, 'Amsterdam, pand'],
    ['0001300000000000', true, 'gemeentecode 0001, openbare ruimte'],
    ['1999200000000000', true, 'gemeentecode 1999, nummeraanduiding'],
    ['0363020000000001', true, 'ligplaats'],
    ['0363030000000001', true, 'standplaats'],
    ['0363010000000001', true, 'the chosen object type', { object: 'verblijfsobject' }],
    ['0363100012345678', true, 'the chosen object type', { object: 'pand' }],
    ['0363300000000001', true, 'the chosen object type', { object: 'openbare_ruimte' }],
    ['0363100012345678', false, 'a pand where a verblijfsobject is required', { object: 'verblijfsobject' }],
    ['0363010000000001', false, 'a verblijfsobject where a ligplaats is required', { object: 'ligplaats' }],
    ['0000010000000001', false, 'gemeentecode 0000'],
    ['2000010000000001', false, 'gemeentecode 2000'],
    ['0363040000000001', false, 'object type 04 does not exist'],
    ['0363000000000001', false, 'object type 00 does not exist'],
    ['036301000000001', false, '15 digits'],
    ['03630100000000011', false, '17 digits'],
    ['0363 0100 0000 0001', false, 'spaces inside'],
    ['NL.IMBAG.PAND.0363100012345678', false, 'the prefixed form'],
    ['', false, 'empty'],
  ],
  cbs_area_code: [
    ['GM0363', true, 'gemeente'],
    ['WK036301', true, 'wijk'],
    ['BU03630101', true, 'buurt'],
    ['GM0363', true, 'gemeente at level gemeente', { level: 'gemeente' }],
    ['WK036301', true, 'wijk at level wijk', { level: 'wijk' }],
    ['BU03630101', true, 'buurt at level buurt', { level: 'buurt' }],
    ['WK036301', false, 'a wijk where a gemeente is required', { level: 'gemeente' }],
    ['GM0363', false, 'a gemeente where a buurt is required', { level: 'buurt' }],
    ['BU03630101', false, 'a buurt where a wijk is required', { level: 'wijk' }],
    ['gm0363', false, 'lower-case prefix'],
    ['GM363', false, 'GM with 3 digits'],
    ['GM03633', false, 'GM with 5 digits'],
    ['WK0363', false, 'WK with 4 digits'],
    ['BU036301', false, 'BU with 6 digits'],
    ['GM 0363', false, 'a space inside'],
    ['0363', false, 'no prefix'],
    ['XX0363', false, 'unknown prefix'],
    ['BU0363010A', false, 'a letter among the digits'],
    ['', false, 'empty'],
  ],
  sbi: [
    ['01', true, 'division 01'],
    ['0111', true, 'leading zero of division 01'],
    ['111', true, 'read as division 11'],
    ['6201', true, 'class in division 62'],
    ['62011', true, 'five digits'],
    ['35', true, 'division 35 (section D)'],
    ['68', true, 'division 68 (section L)'],
    ['99', true, 'division 99 (section U)'],
    ['00', false, 'no division 00'],
    ['04', false, 'no division 04'],
    ['34', false, 'no division 34'],
    ['4011', false, 'no division 40'],
    ['44', false, 'no division 44'],
    ['48', false, 'no division 48'],
    ['54', false, 'no division 54'],
    ['57', false, 'no division 57'],
    ['67', false, 'no division 67'],
    ['76', false, 'no division 76'],
    ['83', false, 'no division 83'],
    ['89', false, 'no division 89'],
    ['1', false, 'one digit'],
    ['620111', false, 'six digits'],
    ['6201.1', false, 'a dot'],
    ['62 01', false, 'a space inside'],
    ['A62', false, 'a section letter'],
    ['', false, 'empty'],
  ],
  encoding: [
    ['Müller', true, 'ü correctly encoded'],
    ['José', true, 'é correctly encoded'],
    ['café', true, 'é at the end'],
    ['Zoë naïef Ĳsselmeer', true, 'Dutch diacritics'],
    ['’s-Hertogenbosch', true, 'a typographic apostrophe on its own'],
    ['Œuvre € 12,50', true, 'Windows-1252 specials on their own'],
    ['Ærøskøbing', true, 'Æ before r is no sequence'],
    ['Ãlvaro', true, 'Ã before l: l is no continuation character'],
    ['Ã', true, 'a lead character at the end'],
    ['â€', true, 'a three-byte lead followed by only one continuation'],
    ['Straat 12', true, 'plain ASCII'],
    ['', true, 'empty'],
    ['MÃ¼ller', false, 'ü as UTF-8 read as Windows-1252'],
    ['JosÃ©', false, 'é as UTF-8 read as Windows-1252'],
    ['cafÃ©', false, 'é at the end, mis-encoded'],
    ['â€™', false, '’ as UTF-8 read as Windows-1252'],
    ['MÃƒÂ¼ller', false, 'encoded wrongly twice'],
    ['Ã\u0081lvaro', false, 'Á: byte 0x81, which Windows-1252 leaves unassigned'],
    ['â\u0080\u0099', false, '’ as UTF-8 read as ISO-8859-1'],
    ['Ã\u00A0 la carte', false, 'à: its second byte is a no-break space, which trimming keeps'],
    ['M\uFFFDller', false, 'the replacement character'],
    [
      'Viele Grüße, Gruß…',
      false,
      'ß right before … looks exactly like mis-encoding (a known false positive)',
    ],
  ],
};

const ALL_EXAMPLES = validatorNames.flatMap((kind) =>
  EXAMPLES[kind].map(([value, valid, reason, o]) => ({ kind, value, valid, reason, o })),
);

describe('named examples, through the reference and the SQL', () => {
  let sql: unknown[];
  beforeAll(async () => {
    sql = await sqlVerdicts(ALL_EXAMPLES);
  });

  describe.each(validatorNames)('%s', (kind) => {
    const rows = ALL_EXAMPLES.map((example, at) => ({
      ...example,
      at,
      title: `${example.valid ? 'valid' : 'invalid'}: ${JSON.stringify(example.value)}${example.o ? ` ${JSON.stringify(example.o)}` : ''} — ${example.reason}`,
    })).filter((e) => e.kind === kind);
    it.each(rows)('$title', ({ value, valid, o, at }) => {
      expect(isValid(kind, value, o)).toBe(valid);
      expect(sql[at]).toBe(valid);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Totality: TRUE or FALSE for everything, for every validator and every option

/** no options, and each option that applies to `kind` */
function optionsFor(kind: ValidatorName): Array<ValidatorOptions | undefined> {
  if (kind === 'bag_id')
    return [undefined, ...(Object.keys(BAG_OBJECT_TYPES) as BagObject[]).map((object) => ({ object }))];
  if (kind === 'cbs_area_code')
    return [undefined, ...(Object.keys(CBS_AREA_CODES) as AreaLevel[]).map((level) => ({ level }))];
  return [undefined];
}

const EDGE_INPUTS = [
  '',
  ' ',
  ' \t\n\v\f\r',
  '\u00A0',
  '🙂',
  'Ω'.repeat(5_000),
  'x'.repeat(20_000),
  '1'.repeat(20_000),
  `NL${'9'.repeat(20_000)}`,
  `${' '.repeat(1_000)}111222333`,
  "'; DROP TABLE victim; --",
  '\\x{FFFD}',
  '%_*',
];

it('is TRUE or FALSE, as the reference says, on edge inputs for every validator and option', async () => {
  const items = validatorNames.flatMap((kind) =>
    optionsFor(kind).flatMap((o) => EDGE_INPUTS.map((value) => ({ kind, value, o }))),
  );
  expect(await disagreements(items)).toEqual([]);
});

it('refuses unknown options rather than writing SQL for them', () => {
  const level = { level: 'provincie' as AreaLevel };
  const object = { object: 'woonboot' as BagObject };
  expect(() => isValid('cbs_area_code', 'GM0363', level)).toThrow(/provincie/);
  expect(() => engine.dialect.validate('cbs_area_code', 'v', level)).toThrow(/provincie/);
  expect(() => isValid('bag_id', '0363010000000001', object)).toThrow(/woonboot/);
  expect(() => engine.dialect.validate('bag_id', 'v', object)).toThrow(/woonboot/);
});

// ---------------------------------------------------------------------------------------------------
// Properties

const RUNS = 200;
/** One run of a property over RUNS values: one query. A failure lists every value the two disagree on. */
const ONCE = { numRuns: 1, endOnFailure: true };
const digits = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
/** any text but NUL, which no SQL literal can hold */
const anyText = fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\u0000'));
const space = fc.constantFrom('', '', '', ' ', '  ', '\t', '\n', '\u00A0');
/** sometimes with whitespace around, so that trimming is exercised */
const padded = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(space, arb, space).map(([before, value, after]) => before + value + after);
/** with `insert` put at a random place */
const inserted = (arb: fc.Arbitrary<string>, insert: string): fc.Arbitrary<string> =>
  fc
    .tuple(arb, fc.nat())
    .map(([s, at]) => s.slice(0, at % (s.length + 1)) + insert + s.slice(at % (s.length + 1)));
/** `s` with the `pick`-th digit (modulo their number) raised by `delta` (1–9, modulo 10) */
function changeDigit(s: string, pick: number, delta: number): string {
  const positions = [...s].flatMap((c, i) => (/[0-9]/.test(c) ? [i] : []));
  if (positions.length === 0) return s;
  const at = positions[pick % positions.length] as number;
  return s.slice(0, at) + String((Number(s[at]) + delta) % 10) + s.slice(at + 1);
}
const digitChange = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 9 }));
const oneDigitChanged = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(arb, digitChange).map(([s, [pick, delta]]) => changeDigit(s, pick, delta));

/** A valid BSN: eight random digits (the first one fixed, if given) and the check digit that fits. */
const validBsn = (first?: number): fc.Arbitrary<string> =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
    .map((ds) => (first === undefined ? ds : [first, ...ds.slice(1)]))
    .map((ds) => [...ds, ds.reduce((sum, d, i) => sum + (9 - i) * d, 0) % 11])
    .filter((ds) => (ds[8] as number) < 10 && ds.some((d) => d !== 0))
    .map((ds) => ds.join(''));
/** 8-digit form: a valid BSN starting with 0, without it */
const validBsn8 = validBsn(0).map((s) => s.slice(1));

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function withCheckDigits(country: string, bban: string): string {
  const n = BigInt([...`${bban}${country}00`].map((c) => ALNUM.indexOf(c)).join(''));
  return `${country}${String(98n - (n % 97n)).padStart(2, '0')}${bban}`;
}
const bban = (length: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof({ arbitrary: fc.constantFrom(...'0123456789'), weight: 4 }, fc.constantFrom(...ALNUM)),
    minLength: length,
    maxLength: length,
  });
/** A valid IBAN: a country with a fixed length, or another with 15–34 characters. */
const validIban = fc.oneof(
  fc
    .constantFrom(...IBAN_LENGTHS)
    .chain(([country, length]) => bban(length - 4).map((b) => withCheckDigits(country, b))),
  fc
    .tuple(fc.constantFrom('NO', 'MT', 'XK', 'CH', 'ZZ'), fc.integer({ min: 11, max: 30 }))
    .chain(([country, length]) => bban(length).map((b) => withCheckDigits(country, b))),
);
const grouped = (s: string): string => s.replace(/(.{4})(?=.)/g, '$1 ');

/** Windows-1252 as a decoder should read bytes 0x80–0x9F, written out apart from the source's table. */
const CP1252_80_9F =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
/** UTF-8 bytes read as Windows-1252: the mistake the encoding validator looks for */
const misread = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (b >= 0x80 && b <= 0x9f ? (CP1252_80_9F[b - 0x80] as string) : String.fromCharCode(b)))
    .join('');
const mojibakeUnit = fc.oneof(
  fc.constantFrom('a', 'l', ' ', 'é', 'ü', 'ß', '€', '\uFFFD'),
  fc.integer({ min: 0xc2, max: 0xef }).map((cp) => String.fromCodePoint(cp)),
  fc.integer({ min: 0x80, max: 0xbf }).map((cp) => String.fromCodePoint(cp)),
  fc.constantFrom(...CP1252_80_9F),
);

/** random inputs per validator, biased towards almost-valid values */
const INPUTS: Record<ValidatorName, fc.Arbitrary<string>> = {
  bsn: fc.oneof(
    digits(7, 10),
    padded(validBsn()),
    validBsn8,
    oneDigitChanged(validBsn()),
    inserted(validBsn(), ' '),
    anyText,
  ),
  kvk: fc.oneof(digits(7, 10), padded(digits(8, 8)), inserted(digits(8, 8), ' '), anyText),
  postcode: fc.oneof(
    {
      weight: 4,
      arbitrary: padded(
        fc
          .tuple(
            digits(4, 4),
            fc.constantFrom('', ' ', '  ', '-'),
            fc.string({ unit: fc.constantFrom('A', 'D', 'S', 'Z'), minLength: 2, maxLength: 2 }),
          )
          .map((parts) => parts.join('')),
      ),
    },
    fc
      .tuple(
        digits(3, 5),
        fc.constantFrom('', ' ', '\t'),
        fc.string({ unit: fc.constantFrom('A', 'S', 'a', 'Ä'), minLength: 1, maxLength: 3 }),
      )
      .map((parts) => parts.join('')),
    anyText,
  ),
  iban: fc.oneof(
    padded(validIban),
    validIban.map(grouped),
    oneDigitChanged(validIban),
    validIban.map((s) => s.toLowerCase()),
    fc.tuple(validIban, fc.constantFrom('00', '01', '99')).map(([s, cd]) => s.slice(0, 2) + cd + s.slice(4)),
    validIban.map((s) => s.slice(0, -1)),
    anyText,
  ),
  bag_id: fc.oneof(
    {
      weight: 4,
      arbitrary: padded(
        fc
          .tuple(
            fc.integer({ min: 0, max: 2100 }).map((n) => String(n).padStart(4, '0')),
            fc.constantFrom('01', '02', '03', '10', '20', '30', '00', '04'),
            fc.oneof({ weight: 4, arbitrary: digits(10, 10) }, digits(9, 11)),
          )
          .map((parts) => parts.join('')),
      ),
    },
    anyText,
  ),
  cbs_area_code: fc.oneof(
    {
      weight: 3,
      arbitrary: padded(
        fc
          .constantFrom(...Object.values(CBS_AREA_CODES))
          .chain(({ prefix, digits: n }) => digits(n, n).map((d) => prefix + d)),
      ),
    },
    fc.tuple(fc.constantFrom('GM', 'WK', 'BU', 'gm', 'GB', ''), digits(3, 9)).map((parts) => parts.join('')),
    anyText,
  ),
  sbi: fc.oneof(
    padded(digits(1, 6)),
    inserted(digits(4, 5), '.'),
    fc
      .integer({ min: 0, max: 99 })
      .chain((n) => digits(0, 4).map((rest) => String(n).padStart(2, '0') + rest)),
    anyText,
  ),
  encoding: fc.oneof(
    { weight: 3, arbitrary: padded(fc.string({ unit: mojibakeUnit, maxLength: 10 })) },
    fc.string({ unit: 'grapheme-composite', maxLength: 10 }).map(misread),
    anyText,
  ),
};

describe.each(validatorNames)('%s: SQL and reference agree', (kind) => {
  it(`on ${RUNS} random inputs, both valid and invalid ones among them`, async () => {
    const item = fc
      .tuple(INPUTS[kind], fc.oneof(fc.constant(undefined), fc.constantFrom(...optionsFor(kind))))
      .map(([value, o]) => ({ kind, value, o }));
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: RUNS, maxLength: RUNS }), async (items) => {
        expect(await disagreements(items)).toEqual([]);
        const verdicts = new Set(items.map((i) => isValid(kind, i.value, i.o)));
        expect(verdicts).toEqual(new Set([true, false]));
      }),
      ONCE,
    );
  });
});

/** Values that must all pass, and values that must all fail, through both implementations. */
async function expectVerdicts(kind: ValidatorName, pass: string[], fail: string[]): Promise<void> {
  const items = [...pass, ...fail].map((value) => ({ kind, value }));
  const sql = await sqlVerdicts(items);
  const wrong = items
    .map((item, i) => ({ ...item, expected: i < pass.length, ts: isValid(kind, item.value), sql: sql[i] }))
    .filter((r) => r.ts !== r.expected || r.sql !== r.expected);
  expect(wrong).toEqual([]);
}

/** RUNS generated valid values pass, and each of them with one digit changed fails. */
async function expectOneDigitChangeCaught(kind: ValidatorName, valid: fc.Arbitrary<string>): Promise<void> {
  const cases = fc.array(fc.tuple(valid, digitChange), { minLength: RUNS, maxLength: RUNS });
  await fc.assert(
    fc.asyncProperty(cases, async (cs) => {
      const changed = cs.map(([s, [pick, delta]]) => changeDigit(s, pick, delta));
      await expectVerdicts(
        kind,
        cs.map(([s]) => s),
        changed,
      );
    }),
    ONCE,
  );
}

describe('elfproef', () => {
  it('detects every single-digit change: no weight times a digit difference of 1–9 is a multiple of 11', () => {
    // 11 is prime and divides neither a weight (±1…9) nor the difference, so never their product.
    for (const weight of BSN_WEIGHTS)
      for (let difference = 1; difference <= 9; difference++) expect((weight * difference) % 11).not.toBe(0);
  });

  it(`passes ${RUNS} generated BSNs (9 and 8 digits) and fails each with one digit changed`, async () => {
    await expectOneDigitChangeCaught('bsn', fc.oneof(validBsn(), validBsn8));
  });
});

describe('mod 97', () => {
  it('detects every single-digit change: 97 is prime and divides no digit difference times a power of 10', () => {
    for (let difference = 1; difference <= 9; difference++)
      for (let power = 0; power < 70; power++)
        expect((BigInt(difference) * 10n ** BigInt(power)) % 97n).not.toBe(0n);
  });

  it(`passes ${RUNS} generated IBANs, grouped or not, and fails each with one digit changed`, async () => {
    await expectOneDigitChangeCaught('iban', fc.oneof(validIban, validIban.map(grouped)));
  });
});

describe('mis-encoding', () => {
  it('uses the Windows-1252 table for bytes 0x80–0x9F', () => {
    expect(WINDOWS_1252_80_9F).toBe(CP1252_80_9F);
  });

  it(`catches ${RUNS} texts with a non-ASCII character (up to U+FFFF) whose UTF-8 was read as Windows-1252`, async () => {
    const text = fc
      .string({ unit: 'grapheme-composite', minLength: 1, maxLength: 10 })
      .filter((s) =>
        [...s].some((c) => (c.codePointAt(0) as number) >= 0x80 && (c.codePointAt(0) as number) <= 0xffff),
      );
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: RUNS, maxLength: RUNS }), async (texts) => {
        await expectVerdicts('encoding', texts, texts.map(misread));
      }),
      ONCE,
    );
  });
});

describe('describeValidator', () => {
  it.each(validatorNames.flatMap((kind) => optionsFor(kind).map((o) => ({ kind, o }))))(
    'describes $kind with $o in Dutch and English',
    ({ kind, o }) => {
      const { nl, en } = describeValidator(kind, o);
      expect(nl.length).toBeGreaterThan(10);
      expect(en.length).toBeGreaterThan(10);
    },
  );

  it('says what the rule and the option require', () => {
    expect(describeValidator('bsn').nl).toContain('elfproef');
    expect(describeValidator('bag_id', { object: 'pand' }).nl).toContain('van een pand');
    expect(describeValidator('cbs_area_code', { level: 'wijk' }).nl).toBe(
      'een CBS-wijkcode (WK + 6 cijfers)',
    );
    expect(describeValidator('cbs_area_code').nl).toContain('BU + 8 cijfers');
  });
});
