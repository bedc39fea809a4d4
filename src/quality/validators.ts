/**
 * Value validators for Dutch government data: BSN, postcode, KvK-nummer, IBAN, BAG-identificatie,
 * CBS-gebiedscode, SBI-code and mis-encoded text.
 *
 * `isValid` is the reference implementation, written for clarity. The engine SQL (`Dialect.validate`,
 * for DuckDB in src/engine/duckdb-validators.ts) must agree with it on every input; the tests check
 * both on the same values. The tables below are the single source of the rules' data, used by both.
 *
 * Every rule first trims surrounding whitespace (see `TRIMMED_WHITESPACE`).
 */

export const validatorNames = [
  'bsn',
  'postcode',
  'kvk',
  'iban',
  'bag_id',
  'cbs_area_code',
  'sbi',
  'encoding',
] as const;
export type ValidatorName = (typeof validatorNames)[number];

export type AreaLevel = 'gemeente' | 'wijk' | 'buurt';
export type BagObject =
  'verblijfsobject' | 'ligplaats' | 'standplaats' | 'pand' | 'nummeraanduiding' | 'openbare_ruimte';

export interface ValidatorOptions {
  /** `cbs_area_code`: accept only codes of this level */
  level?: AreaLevel;
  /** `bag_id`: accept only identifications of this object type */
  object?: BagObject;
}

/**
 * Trimmed around every value: ASCII whitespace only. A no-break space (U+00A0) is kept, as it can be
 * the second half of a mis-encoded character ("Ã" + U+00A0 is "à" read as Windows-1252).
 */
export const TRIMMED_WHITESPACE = ' \t\n\v\f\r';

/** Elfproef weights of the nine BSN digits: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11). */
export const BSN_WEIGHTS: readonly number[] = [9, 8, 7, 6, 5, 4, 3, 2, -1];

/** Letter pairs PostNL never issues (for their connotations with the occupation: SA, SD, SS). */
export const POSTCODE_EXCLUDED_LETTERS: readonly string[] = ['SA', 'SD', 'SS'];

/** IBAN length per country, where we check it exactly; other countries need 15–34 characters. */
export const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['NL', 18],
  ['BE', 16],
  ['DE', 22],
  ['FR', 27],
  ['LU', 20],
  ['GB', 22],
]);
export const IBAN_OTHER_LENGTH = { min: 15, max: 34 } as const;

/** The object type code in positions 5–6 of a BAG identification. */
export const BAG_OBJECT_TYPES: Readonly<Record<BagObject, string>> = {
  verblijfsobject: '01',
  ligplaats: '02',
  standplaats: '03',
  pand: '10',
  nummeraanduiding: '20',
  openbare_ruimte: '30',
};

/** CBS area codes: a prefix and a fixed number of digits per level. */
export const CBS_AREA_CODES: Readonly<Record<AreaLevel, { prefix: string; digits: number }>> = {
  gemeente: { prefix: 'GM', digits: 4 },
  wijk: { prefix: 'WK', digits: 6 },
  buurt: { prefix: 'BU', digits: 8 },
};

/** The divisions (afdelingen, first two digits) of SBI 2008, per section A–U, as inclusive ranges. */
const SBI_SECTIONS: ReadonlyArray<readonly [section: string, from: number, to: number]> = [
  ['A', 1, 3],
  ['B', 5, 9],
  ['C', 10, 33],
  ['D', 35, 35],
  ['E', 36, 39],
  ['F', 41, 43],
  ['G', 45, 47],
  ['H', 49, 53],
  ['I', 55, 56],
  ['J', 58, 63],
  ['K', 64, 66],
  ['L', 68, 68],
  ['M', 69, 75],
  ['N', 77, 82],
  ['O', 84, 84],
  ['P', 85, 85],
  ['Q', 86, 88],
  ['R', 90, 93],
  ['S', 94, 96],
  ['T', 97, 98],
  ['U', 99, 99],
];
/** every SBI 2008 division as two digits: '01', '02', …, '99' */
export const SBI_DIVISIONS: ReadonlySet<string> = new Set(
  SBI_SECTIONS.flatMap(([, from, to]) =>
    Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0')),
  ),
);

/**
 * Mis-encoded text ("mojibake") is UTF-8 read as Windows-1252 (or ISO-8859-1). Such a decoder keeps a
 * lead byte 0xC2–0xDF (two-byte character) or 0xE0–0xEF (three-byte character) as that code point and
 * turns each continuation byte 0x80–0xBF into a "continuation character": "é" (C3 A9) becomes "Ã©".
 */
export const MOJIBAKE_LEADS = {
  twoByte: { from: 0xc2, to: 0xdf },
  threeByte: { from: 0xe0, to: 0xef },
} as const;
/**
 * How Windows-1252 renders the bytes 0x80–0x9F, in byte order. The five bytes it leaves unassigned
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) decoders pass through as the C1 controls U+0081, U+008D, … .
 */
export const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
/**
 * Continuation characters: U+0080–U+00BF — the bytes 0xA0–0xBF in Windows-1252, and all of 0x80–0xBF in
 * ISO-8859-1, which is the same mistake with the other code page (Node 20's TextDecoder('windows-1252')
 * makes it) — and the Windows-1252 renderings of 0x80–0x9F outside that range (€ ‚ ƒ „ … ).
 */
export const CONTINUATION_RANGE = { from: 0x80, to: 0xbf } as const;
export const CONTINUATION_EXTRA: readonly number[] = [...WINDOWS_1252_80_9F]
  .map((c) => c.codePointAt(0) as number)
  .filter((cp) => cp > CONTINUATION_RANGE.to);
export const REPLACEMENT_CHARACTER = 0xfffd;

/** The BAG object type codes these options allow. */
export function bagObjectTypes(o?: ValidatorOptions): string[] {
  if (o?.object === undefined) return Object.values(BAG_OBJECT_TYPES);
  if (!Object.hasOwn(BAG_OBJECT_TYPES, o.object)) throw new Error(`unknown BAG object type ${o.object}`);
  return [BAG_OBJECT_TYPES[o.object]];
}

/** The CBS area code shapes these options allow. */
export function cbsAreaCodes(o?: ValidatorOptions): Array<{ prefix: string; digits: number }> {
  if (o?.level === undefined) return Object.values(CBS_AREA_CODES);
  if (!Object.hasOwn(CBS_AREA_CODES, o.level)) throw new Error(`unknown CBS area level ${o.level}`);
  return [CBS_AREA_CODES[o.level]];
}

function trimWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && TRIMMED_WHITESPACE.includes(value[start] as string)) start++;
  while (end > start && TRIMMED_WHITESPACE.includes(value[end - 1] as string)) end--;
  return value.slice(start, end);
}

function isBsn(t: string): boolean {
  if (!/^[0-9]{8,9}$/.test(t)) return false;
  // An 8-digit BSN lost its leading zero in a spreadsheet.
  const bsn = t.padStart(9, '0');
  if (bsn === '000000000') return false;
  const sum = BSN_WEIGHTS.reduce((s, weight, i) => s + weight * Number(bsn[i]), 0);
  return sum % 11 === 0;
}

function isPostcode(t: string): boolean {
  return /^[1-9][0-9]{3} ?[A-Z]{2}$/.test(t) && !POSTCODE_EXCLUDED_LETTERS.includes(t.slice(-2));
}

function isIban(t: string): boolean {
  const iban = t.replaceAll(' ', '');
  // Check digits are 98 − (rest mod 97), so always 02–98: 00, 01 and 99 would pass mod 97 by accident.
  if (!/^[A-Z]{2}(0[2-9]|[1-8][0-9]|9[0-8])[A-Z0-9]+$/.test(iban)) return false;
  const length = IBAN_LENGTHS.get(iban.slice(0, 2));
  if (length === undefined) {
    if (iban.length < IBAN_OTHER_LENGTH.min || iban.length > IBAN_OTHER_LENGTH.max) return false;
  } else if (iban.length !== length) return false;
  // Country and check digits move to the end; letters become 10 (A) … 35 (Z).
  const digits = [...(iban.slice(4) + iban.slice(0, 4))].map((c) => parseInt(c, 36)).join('');
  return BigInt(digits) % 97n === 1n;
}

function isBagId(t: string, o?: ValidatorOptions): boolean {
  if (!/^[0-9]{16}$/.test(t)) return false;
  const gemeente = Number(t.slice(0, 4));
  return gemeente >= 1 && gemeente <= 1999 && bagObjectTypes(o).includes(t.slice(4, 6));
}

function isCbsAreaCode(t: string, o?: ValidatorOptions): boolean {
  return cbsAreaCodes(o).some(
    ({ prefix, digits }) =>
      t.startsWith(prefix) && t.length === prefix.length + digits && /^[0-9]+$/.test(t.slice(prefix.length)),
  );
}

function isSbi(t: string): boolean {
  return /^[0-9]{2,5}$/.test(t) && SBI_DIVISIONS.has(t.slice(0, 2));
}

const continuation = new Set(CONTINUATION_EXTRA);
function isContinuation(cp: number | undefined): boolean {
  return (
    cp !== undefined &&
    ((cp >= CONTINUATION_RANGE.from && cp <= CONTINUATION_RANGE.to) || continuation.has(cp))
  );
}

/** no replacement character and no UTF-8 byte sequence read as Windows-1252 */
function isWellEncoded(t: string): boolean {
  const { twoByte, threeByte } = MOJIBAKE_LEADS;
  const cps = [...t].map((c) => c.codePointAt(0) as number);
  return cps.every((cp, i) => {
    if (cp === REPLACEMENT_CHARACTER) return false;
    if (cp >= twoByte.from && cp <= twoByte.to) return !isContinuation(cps[i + 1]);
    if (cp >= threeByte.from && cp <= threeByte.to)
      return !(isContinuation(cps[i + 1]) && isContinuation(cps[i + 2]));
    return true;
  });
}

/** reference implementation: is this (non-null) text valid */
export function isValid(name: ValidatorName, value: string, o?: ValidatorOptions): boolean {
  const t = trimWhitespace(value);
  switch (name) {
    case 'bsn':
      return isBsn(t);
    case 'postcode':
      return isPostcode(t);
    case 'kvk':
      return /^[0-9]{8}$/.test(t);
    case 'iban':
      return isIban(t);
    case 'bag_id':
      return isBagId(t, o);
    case 'cbs_area_code':
      return isCbsAreaCode(t, o);
    case 'sbi':
      return isSbi(t);
    case 'encoding':
      return isWellEncoded(t);
  }
}

const BAG_OBJECT_NAMES: Readonly<Record<BagObject, { nl: string; en: string }>> = {
  verblijfsobject: { nl: 'een verblijfsobject', en: 'a residential or business unit (verblijfsobject)' },
  ligplaats: { nl: 'een ligplaats', en: 'a mooring (ligplaats)' },
  standplaats: { nl: 'een standplaats', en: 'a pitch (standplaats)' },
  pand: { nl: 'een pand', en: 'a building (pand)' },
  nummeraanduiding: { nl: 'een nummeraanduiding', en: 'an address designation (nummeraanduiding)' },
  openbare_ruimte: { nl: 'een openbare ruimte', en: 'a public space (openbare ruimte)' },
};

const AREA_NAMES: Readonly<Record<AreaLevel, { nl: string; en: string }>> = {
  gemeente: { nl: 'gemeentecode', en: 'municipality code' },
  wijk: { nl: 'wijkcode', en: 'district code' },
  buurt: { nl: 'buurtcode', en: 'neighbourhood code' },
};

/** a short Dutch description of what a valid value is, for check messages, e.g. "een BSN dat de elfproef doorstaat" */
export function describeValidator(name: ValidatorName, o?: ValidatorOptions): { nl: string; en: string } {
  switch (name) {
    case 'bsn':
      return {
        nl: 'een BSN van 9 cijfers (of 8 zonder voorloopnul) dat de elfproef doorstaat',
        en: 'a BSN of 9 digits (or 8 without the leading zero) that passes the eleven test',
      };
    case 'postcode':
      return {
        nl: 'een postcode als 1234 AB: vier cijfers (niet beginnend met 0), hoogstens één spatie en twee hoofdletters (niet SA, SD of SS)',
        en: 'a postcode like 1234 AB: four digits (not starting with 0), at most one space and two capital letters (not SA, SD or SS)',
      };
    case 'kvk':
      return { nl: 'een KvK-nummer van precies 8 cijfers', en: 'a KvK number of exactly 8 digits' };
    case 'iban':
      return {
        nl: 'een IBAN in hoofdletters met de juiste lengte voor het land en een kloppend controlegetal',
        en: 'an IBAN in capitals with the right length for its country and correct check digits',
      };
    case 'bag_id': {
      const object = o?.object === undefined ? undefined : BAG_OBJECT_NAMES[o.object];
      return {
        nl: `een BAG-identificatie van 16 cijfers (gemeentecode, objecttypecode, volgnummer)${object ? ` van ${object.nl}` : ''}`,
        en: `a BAG identification of 16 digits (municipality code, object type code, serial number)${object ? ` of ${object.en}` : ''}`,
      };
    }
    case 'cbs_area_code': {
      const shapes = cbsAreaCodes(o);
      const nl = shapes.map((s) => `${s.prefix} + ${s.digits} cijfers`).join(', ');
      const en = shapes.map((s) => `${s.prefix} + ${s.digits} digits`).join(', ');
      if (o?.level === undefined) return { nl: `een CBS-gebiedscode (${nl})`, en: `a CBS area code (${en})` };
      const area = AREA_NAMES[o.level];
      return { nl: `een CBS-${area.nl} (${nl})`, en: `a CBS ${area.en} (${en})` };
    }
    case 'sbi':
      return {
        nl: 'een SBI 2008-code van 2 tot 5 cijfers waarvan de eerste twee een bestaande afdeling zijn',
        en: 'an SBI 2008 code of 2 to 5 digits whose first two are an existing division',
      };
    case 'encoding':
      return {
        nl: 'tekst zonder verkeerd gecodeerde tekens (zoals "Ã©" voor "é", of "�")',
        en: 'text without mis-encoded characters (such as "Ã©" for "é", or "�")',
      };
  }
}
