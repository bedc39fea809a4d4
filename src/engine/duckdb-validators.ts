/**
 * DuckDB SQL for the value validators (rules and reference implementation: src/quality/validators.ts).
 *
 * Each builder is a fixed template around the text expression; the only literals are the constants of
 * the rules. The result is TRUE or FALSE, never NULL or an error, for any non-null text: the format is
 * checked first, and arithmetic runs only in the CASE branch for text that has the format (with
 * TRY_CAST all the same, so it cannot fail even if evaluated on other text).
 */
import {
  bagObjectTypes,
  BSN_WEIGHTS,
  cbsAreaCodes,
  CONTINUATION_EXTRA,
  CONTINUATION_RANGE,
  IBAN_LENGTHS,
  IBAN_OTHER_LENGTH,
  MOJIBAKE_LEADS,
  POSTCODE_EXCLUDED_LETTERS,
  REPLACEMENT_CHARACTER,
  SBI_DIVISIONS,
  TRIMMED_WHITESPACE,
  type ValidatorName,
  type ValidatorOptions,
} from '../quality/validators.js';
import { quoteStringStandard as literal } from './dialect.js';

const list = (values: readonly string[]): string => values.map(literal).join(', ');
const fullMatch = (text: string, pattern: string): string =>
  `regexp_full_match(${text}, ${literal(pattern)})`;

/** `text` without surrounding whitespace (any of the characters of TRIMMED_WHITESPACE) */
function trimmed(text: string): string {
  return `trim(${text}, ${literal(TRIMMED_WHITESPACE)})`;
}

function bsn(t: string): string {
  // As a number, an 8-digit BSN (its leading zero lost in a spreadsheet) has the same nine digits.
  const n = `TRY_CAST(${t} AS INTEGER)`;
  const digit = (i: number): string => `(${n} // ${10 ** (8 - i)} % 10)`;
  const sum = BSN_WEIGHTS.map((w, i) => `${w} * ${digit(i)}`).join(' + ');
  return `CASE WHEN ${fullMatch(t, '[0-9]{8,9}')} THEN ${n} <> 0 AND (${sum}) % 11 = 0 ELSE false END`;
}

function postcode(t: string): string {
  return `(${fullMatch(t, '[1-9][0-9]{3} ?[A-Z]{2}')} AND right(${t}, 2) NOT IN (${list(POSTCODE_EXCLUDED_LETTERS)}))`;
}

function iban(t: string): string {
  const iban = `replace(${t}, ' ', '')`;
  const n = `length(${iban})`;
  const perCountry = [...IBAN_LENGTHS].map(([country, len]) => `WHEN ${literal(country)} THEN ${n} = ${len}`);
  const length = `CASE left(${iban}, 2) ${perCountry.join(' ')} ELSE ${n} BETWEEN ${IBAN_OTHER_LENGTH.min} AND ${IBAN_OTHER_LENGTH.max} END`;
  // mod 97 of the number (country and check digits moved to the end, A = 10 … Z = 35), folded one
  // character at a time so it never needs more than a small integer
  const rearranged = `substr(${iban}, 5) || left(${iban}, 4)`;
  const values = `list_transform(string_split(${rearranged}, ''), lambda iban_char: instr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', iban_char) - 1)`;
  const mod97 = `list_reduce(${values}, lambda iban_rest, iban_value: (iban_rest * CASE WHEN iban_value < 10 THEN 10 ELSE 100 END + iban_value) % 97, 0)`;
  // check digits 02–98, as in the reference
  const format = `${fullMatch(iban, '[A-Z]{2}(0[2-9]|[1-8][0-9]|9[0-8])[A-Z0-9]+')} AND ${length}`;
  return `CASE WHEN ${format} THEN ${mod97} = 1 ELSE false END`;
}

function bagId(t: string, o?: ValidatorOptions): string {
  // 4-digit strings compare like the numbers they are: gemeentecode 1–1999
  return `(${fullMatch(t, '[0-9]{16}')} AND left(${t}, 4) BETWEEN '0001' AND '1999' AND substr(${t}, 5, 2) IN (${list(bagObjectTypes(o))}))`;
}

function cbsAreaCode(t: string, o?: ValidatorOptions): string {
  const shapes = cbsAreaCodes(o).map(({ prefix, digits }) => `${prefix}[0-9]{${digits}}`);
  return fullMatch(t, `(?:${shapes.join('|')})`);
}

function sbi(t: string): string {
  return `CASE WHEN ${fullMatch(t, '[0-9]{2,5}')} THEN left(${t}, 2) IN (${list([...SBI_DIVISIONS])}) ELSE false END`;
}

/** RE2 syntax for one code point */
const cp = (codePoint: number): string => `\\x{${codePoint.toString(16).toUpperCase()}}`;
const range = (r: { from: number; to: number }): string => `${cp(r.from)}-${cp(r.to)}`;

function encoding(t: string): string {
  const continuation = `[${range(CONTINUATION_RANGE)}${CONTINUATION_EXTRA.map(cp).join('')}]`;
  const { twoByte, threeByte } = MOJIBAKE_LEADS;
  const mojibake = [
    cp(REPLACEMENT_CHARACTER),
    `[${range(twoByte)}]${continuation}`,
    `[${range(threeByte)}]${continuation}{2}`,
  ].join('|');
  return `(NOT regexp_matches(${t}, ${literal(mojibake)}))`;
}

/** a boolean DuckDB expression: is the non-null text expression `text` a valid value of this kind */
export function duckdbValidate(kind: ValidatorName, text: string, o?: ValidatorOptions): string {
  const t = trimmed(text);
  switch (kind) {
    case 'bsn':
      return bsn(t);
    case 'postcode':
      return postcode(t);
    case 'kvk':
      return fullMatch(t, '[0-9]{8}');
    case 'iban':
      return iban(t);
    case 'bag_id':
      return bagId(t, o);
    case 'cbs_area_code':
      return cbsAreaCode(t, o);
    case 'sbi':
      return sbi(t);
    case 'encoding':
      return encoding(t);
  }
}
