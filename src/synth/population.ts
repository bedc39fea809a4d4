/**
 * Population, households, dwellings and six years of residential history.
 *
 * What must hold (and is tested): on the reference date 2024-12-31 the number of distinct persons
 * living in each wijk equals the CBS 2024 figure (AantalInwoners_5) at the default size, and is
 * scaled with largest-remainder rounding at other sizes. Persons are spread over the buurten of a
 * wijk with seeded weights; dwellings per wijk follow CBS Woningvoorraad.
 *
 * History: when a current household moved in during 2019–2024, the previous occupants of its
 * dwelling are generated too (they left the municipality, died, or moved within it — then they are
 * a current household with two stays). Chains continue until every dwelling's history reaches back
 * to before 2019, so the population is complete over the whole history.
 */
import { PointSampler, type Buurt, type Gemeente } from './areas.js';
import { BsnFactory } from './bsn.js';
import { HISTORY_START, REF_DAY, ageOn, dayOf, type Day } from './dates.js';
import type { Dwelling, Household, HouseholdKind, Person, Sex, Stay, World } from './model.js';
import {
  BUSINESS_SUFFIXES,
  ORIGIN_WEIGHTS,
  RESIDENTIAL_SUFFIXES,
  STREET_THEMES,
  pickFirstNames,
  pickSurname,
  type Origin,
} from './names.js';
import { Rng, largestRemainder } from './random.js';

/** CBS 2024 inhabitants of the gemeente (the default size). */
export const DEFAULT_PERSONS = 56432;

/**
 * Persons per wijk. At the CBS gemeente size the CBS wijk figures are used as they are (they are
 * rounded to 5 by CBS and sum to 56,430, two fewer than the gemeente); at any other size the
 * persons are apportioned proportionally with largest remainders, so they sum to `persons`.
 */
export function allocateWijkPopulation(g: Gemeente, persons: number): Map<string, number> {
  const out = new Map<string, number>();
  if (persons === g.cbsPopulation) {
    for (const w of g.wijken) out.set(w.code, w.cbsPopulation);
    return out;
  }
  const shares = largestRemainder(
    persons,
    g.wijken.map((w) => w.cbsPopulation),
  );
  g.wijken.forEach((w, i) => out.set(w.code, shares[i] as number));
  return out;
}

/** Buurten that are (nearly) not residential: navy, port, airfield, industrial estates, dunes. */
const BUURT_RESIDENTIAL: Record<string, number> = {
  Marinehaven: 0.004,
  Mijnendienst: 0.05,
  Willemsoord: 0.15,
  Havenbuurt: 0.35,
  'Fort Erfprins': 0.12,
  'Fort Dirksz Admiraal': 0.15,
  'Donkere Duinen': 0.05,
  Oostoever: 0.03,
  Kooypunt: 0.03,
  'De Kooy': 0.03,
  Friesebuurt: 0.35,
  'Koegras-Noord': 0.4,
  'Blauwe Keet': 0.5,
  Ooghduyne: 0.6,
  Marina: 0.5,
};

/** Weight for non-residential objects (shops, offices, industry). */
const BUURT_BUSINESS: Record<string, number> = {
  Marinehaven: 12,
  Mijnendienst: 6,
  Willemsoord: 10,
  Havenbuurt: 8,
  Oostoever: 25,
  Kooypunt: 25,
  'De Kooy': 12,
  Friesebuurt: 6,
  Centrum: 14,
  'Schooten-Centrum': 8,
  'Julianadorp-West': 5,
  'Van Galenbuurt': 4,
  Sluisdijk: 4,
};

export const BUSINESS_BUURTEN = new Set([
  'Marinehaven',
  'Mijnendienst',
  'Oostoever',
  'Kooypunt',
  'De Kooy',
  'Willemsoord',
]);
const CENTRE_BUURTEN = new Set([
  'Centrum',
  'Schooten-Centrum',
  'Julianadorp-West',
  'Van Galenbuurt',
  'Sluisdijk',
]);

/** Relative deprivation per wijk (an estimate: the old town and Nieuw Den Helder are poorer). */
const WIJK_VULN: Record<string, number> = {
  WK040001: 1.35,
  WK040002: 1.25,
  WK040003: 0.9,
  WK040004: 1.4,
  WK040005: 1.0,
  WK040006: 0.75,
  WK040007: 0.6,
  WK040008: 0.7,
};

/** Share of dwellings rented from the housing corporation, per wijk (estimate; ~35 % overall). */
const WIJK_CORPORATION: Record<string, number> = {
  WK040001: 0.45,
  WK040002: 0.42,
  WK040003: 0.3,
  WK040004: 0.58,
  WK040005: 0.42,
  WK040006: 0.12,
  WK040007: 0.05,
  WK040008: 0.2,
};

/** Share of dwellings in apartment blocks (sharing a house number and a point). */
const WIJK_BLOCKS: Record<string, number> = {
  WK040001: 0.4,
  WK040002: 0.35,
  WK040003: 0.2,
  WK040004: 0.35,
  WK040005: 0.3,
  WK040006: 0.05,
  WK040007: 0.05,
  WK040008: 0.08,
};

/** Build periods per wijk: [from, to, weight]. */
const WIJK_BUILD: Record<string, readonly (readonly [number, number, number])[]> = {
  WK040001: [
    [1870, 1939, 4],
    [1945, 1969, 3],
    [1970, 1999, 2],
    [2000, 2023, 1.5],
  ],
  WK040002: [
    [1890, 1939, 5],
    [1945, 1969, 3],
    [1970, 1999, 1],
    [2000, 2023, 1],
  ],
  WK040003: [
    [1920, 1949, 1],
    [1950, 1975, 6],
    [1976, 2000, 2],
    [2001, 2023, 1],
  ],
  WK040004: [
    [1950, 1975, 7],
    [1976, 2000, 2],
    [2001, 2023, 1],
  ],
  WK040005: [
    [1960, 1985, 7],
    [1986, 2005, 2],
    [2006, 2023, 1],
  ],
  WK040006: [
    [1960, 1989, 2],
    [1990, 2010, 5],
    [2011, 2024, 3],
  ],
  WK040007: [
    [1925, 1969, 2],
    [1970, 1999, 4],
    [2000, 2024, 2],
  ],
  WK040008: [
    [1970, 1989, 5],
    [1990, 2004, 3],
    [2005, 2024, 3],
  ],
};

const POSTCODE_DIGITS: Record<string, string> = {
  WK040001: '1781',
  WK040002: '1782',
  WK040003: '1783',
  WK040004: '1784',
  WK040005: '1785',
  WK040006: '1786',
  WK040007: '1787',
  WK040008: '1788',
};

const JULIANADORP = new Set(['Julianadorp-Oost', 'Koegras-Zuid', 'Blauwe Keet']);

/** Street theme per buurt name (others get a seeded generic theme). */
const BUURT_THEME: Record<string, string> = {
  Vogelbuurt: 'vogels',
  Visbuurt: 'vissen',
  'Indische Buurt-Noord': 'eilanden',
  'Indische buurt-Zuid': 'eilanden',
  Geleerdenbuurt: 'geleerden',
  'Grote Rivierenbuurt': 'rivieren',
  'Kleine Rivierenbuurt': 'rivieren',
  Waterkeringsbuurt: 'rivieren',
  Zuiderzeebuurt: 'dorpen',
  Schepenbuurt: 'zee',
  Golfstroombuurt: 'zee',
  Zeeloodsenbuurt: 'zee',
  Walvisvaarderbuurt: 'zeevaarders',
  'Van Galenbuurt': 'zeevaarders',
  'Schouten en Schepenenbuurt': 'zeevaarders',
  Landmetersbuurt: 'geleerden',
  Boerderijbuurt: 'ambacht',
  Liniebuurt: 'fort',
  'Fort Erfprins': 'fort',
  'Fort Dirksz Admiraal': 'fort',
  Huisduinen: 'duin',
  Duinbuurt: 'duin',
  'Donkere Duinen': 'duin',
  Mariëndal: 'duin',
  'De Zandloper': 'duin',
  Ooghduyne: 'duin',
  Doorzwin: 'duin',
  Kruiszwin: 'duin',
  Malzwin: 'duin',
  Boterzwin: 'duin',
  Wierbalg: 'duin',
  Zwanenbalg: 'duin',
  Tuindorp: 'bloemen',
  'Tuindorp-West': 'bloemen',
  'Tuindorp-Oost': 'bomen',
};
const GENERIC_THEMES = [
  'bomen',
  'bloemen',
  'sterren',
  'schilders',
  'dorpen',
  'eilanden',
  'ambacht',
  'vogels',
];

const NONRES_MIX: Record<'business' | 'centre' | 'other', readonly (readonly [string, number])[]> = {
  business: [
    ['industriefunctie', 50],
    ['kantoorfunctie', 25],
    ['overige gebruiksfunctie', 10],
    ['winkelfunctie', 10],
    ['bijeenkomstfunctie', 5],
  ],
  centre: [
    ['winkelfunctie', 55],
    ['kantoorfunctie', 18],
    ['bijeenkomstfunctie', 12],
    ['logiesfunctie', 5],
    ['gezondheidszorgfunctie', 5],
    ['overige gebruiksfunctie', 5],
  ],
  other: [
    ['winkelfunctie', 25],
    ['kantoorfunctie', 20],
    ['gezondheidszorgfunctie', 10],
    ['onderwijsfunctie', 8],
    ['bijeenkomstfunctie', 10],
    ['sportfunctie', 5],
    ['overige gebruiksfunctie', 15],
    ['industriefunctie', 7],
  ],
};

const NONRES_AREA: Record<string, readonly [number, number]> = {
  winkelfunctie: [110, 0.8],
  kantoorfunctie: [180, 0.9],
  industriefunctie: [650, 1.0],
  bijeenkomstfunctie: [260, 0.8],
  logiesfunctie: [400, 0.9],
  gezondheidszorgfunctie: [220, 0.8],
  onderwijsfunctie: [1400, 0.6],
  sportfunctie: [700, 0.8],
  'overige gebruiksfunctie': [60, 1.0],
};

// ---------------------------------------------------------------------------------------------
// Household composition

interface MemberSpec {
  age: number;
  sex: Sex;
  adult: boolean;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function band(rng: Rng, bands: readonly (readonly [number, number, number])[]): number {
  const [lo, hi] = rng.weighted(bands.map((b) => [[b[0], b[1]] as const, b[2]] as const));
  return rng.intBetween(lo, hi);
}

function otherSex(s: Sex): Sex {
  return s === 'M' ? 'V' : 'M';
}

function kids(rng: Rng, n: number): number[] {
  const out: number[] = [];
  let age = band(rng, [
    [0, 17, 14],
    [18, 21, 4],
    [22, 27, 2],
  ]);
  for (let i = 0; i < n; i++) {
    out.push(Math.max(0, age));
    age -= rng.intBetween(1, 5);
  }
  return out;
}

function composeHousehold(rng: Rng, kind: HouseholdKind, forcedKids?: number): MemberSpec[] {
  switch (kind) {
    case 'single': {
      const age = band(rng, [
        [18, 24, 9],
        [25, 34, 13],
        [35, 49, 12],
        [50, 64, 19],
        [65, 79, 27],
        [80, 99, 20],
      ]);
      const sex: Sex = rng.chance(age >= 75 ? 0.66 : 0.48) ? 'V' : 'M';
      return [{ age, sex, adult: true }];
    }
    case 'couple': {
      const age = band(rng, [
        [20, 29, 10],
        [30, 44, 10],
        [45, 64, 33],
        [65, 79, 33],
        [80, 96, 14],
      ]);
      const sex: Sex = rng.chance(0.5) ? 'M' : 'V';
      const partner = clamp(Math.round(age + rng.normal() * 3.5), 18, 99);
      return [
        { age, sex, adult: true },
        { age: partner, sex: rng.chance(0.95) ? otherSex(sex) : sex, adult: true },
      ];
    }
    case 'family':
    case 'singleparent': {
      const n =
        forcedKids ??
        (kind === 'family'
          ? rng.weighted([
              [1, 38],
              [2, 42],
              [3, 14],
              [4, 4],
              [5, 2],
            ])
          : rng.weighted([
              [1, 55],
              [2, 33],
              [3, 12],
            ]));
      const ks = kids(rng, n);
      const oldest = ks[0] ?? 0;
      const parentAge = clamp(oldest + rng.intBetween(kind === 'family' ? 24 : 19, 40), 19, 70);
      const out: MemberSpec[] = [];
      if (kind === 'family') {
        const sex: Sex = rng.chance(0.5) ? 'M' : 'V';
        out.push({ age: parentAge, sex, adult: true });
        out.push({
          age: clamp(Math.round(parentAge + rng.normal() * 3), 19, 75),
          sex: rng.chance(0.96) ? otherSex(sex) : sex,
          adult: true,
        });
      } else {
        out.push({ age: parentAge, sex: rng.chance(0.84) ? 'V' : 'M', adult: true });
      }
      for (const a of ks) out.push({ age: a, sex: rng.chance(0.51) ? 'M' : 'V', adult: a >= 18 });
      return out;
    }
    case 'other': {
      if (rng.chance(0.5)) {
        const n = rng.weighted([
          [2, 5],
          [3, 3],
          [4, 2],
        ]);
        return Array.from({ length: n }, () => ({
          age: rng.intBetween(19, 31),
          sex: rng.chance(0.5) ? ('M' as const) : ('V' as const),
          adult: true,
        }));
      }
      const parent = rng.intBetween(52, 85);
      return [
        { age: parent, sex: rng.chance(0.7) ? 'V' : 'M', adult: true },
        {
          age: clamp(parent - rng.intBetween(22, 36), 18, 60),
          sex: rng.chance(0.55) ? 'M' : 'V',
          adult: true,
        },
      ];
    }
    case 'overbewoning': {
      const n = forcedKids ?? 8;
      return Array.from({ length: n }, () => ({
        age: rng.intBetween(19, 52),
        sex: rng.chance(0.72) ? ('M' as const) : ('V' as const),
        adult: true,
      }));
    }
  }
}

/** A household of exactly `size` persons (fills up a buurt to its exact target). */
function composeExact(rng: Rng, size: number): { kind: HouseholdKind; specs: MemberSpec[] } {
  if (size === 1) return { kind: 'single', specs: composeHousehold(rng, 'single') };
  if (size === 2) return { kind: 'couple', specs: composeHousehold(rng, 'couple') };
  return { kind: 'family', specs: composeHousehold(rng, 'family', size - 2) };
}

/** Non-single household mix; mean size ≈ 2.88. */
const NON_SINGLE: readonly (readonly [HouseholdKind, number])[] = [
  ['couple', 0.46],
  ['family', 0.34],
  ['singleparent', 0.12],
  ['other', 0.08],
];
const NON_SINGLE_MEAN = 2.8;

function singleShare(meanSize: number): number {
  return clamp((NON_SINGLE_MEAN - meanSize) / (NON_SINGLE_MEAN - 1), 0.12, 0.8);
}

function drawKind(rng: Rng, single: number): HouseholdKind {
  return rng.chance(single) ? 'single' : rng.weighted(NON_SINGLE);
}

// ---------------------------------------------------------------------------------------------
// Building the world

interface HouseholdDraft {
  kind: HouseholdKind;
  specs: MemberSpec[];
  origin: Origin;
}

const DAYS_PER_YEAR = 365.2425;

export interface PopulationOptions {
  persons: number;
  rng: Rng;
  gemeente: Gemeente;
}

/** Build dwellings, current households, persons and their history. */
export function buildPopulation(opts: PopulationOptions): World {
  const { gemeente: g, persons } = opts;
  const root = opts.rng;
  const scale = persons / DEFAULT_PERSONS;
  const rAlloc = root.fork('allocation');
  const rHh = root.fork('households');
  const rGeo = root.fork('geo');
  const rHist = root.fork('history');
  const rNames = root.fork('names');
  const bsns = new BsnFactory(root.fork('bsn'));

  // --- persons per wijk and buurt --------------------------------------------------------------
  const wijkTargets = allocateWijkPopulation(g, persons);
  const buurtTargets = new Map<string, number>();
  const buurtVuln = new Map<string, number>();
  for (const w of g.wijken) {
    const weights = w.buurten.map((b) => (BUURT_RESIDENTIAL[b.name] ?? 1) * rAlloc.lognormal(1, 0.45));
    const shares = largestRemainder(wijkTargets.get(w.code) ?? 0, weights);
    w.buurten.forEach((b, i) => {
      buurtTargets.set(b.code, shares[i] as number);
      buurtVuln.set(b.code, (WIJK_VULN[w.code] ?? 1) * rAlloc.lognormal(1, 0.25));
    });
  }

  // --- dwellings per wijk (CBS Woningvoorraad, scaled) ----------------------------------------
  const dwellTotal = Math.round((g.cbsDwellings * persons) / g.cbsPopulation);
  const wijkDwellings = largestRemainder(
    dwellTotal,
    g.wijken.map((w) => w.cbsDwellings),
  );

  // --- planted overcrowded addresses: ≥ 8 persons registered at < 50 m² ----------------------
  const overcrowdCount = Math.max(1, Math.round(12 * scale));
  const overcrowdBuurten: Buurt[] = [];
  {
    const candidates = g.buurten.filter(
      (b) =>
        ['WK040001', 'WK040002', 'WK040004', 'WK040005'].includes(b.wijk.code) &&
        (buurtTargets.get(b.code) ?? 0) >= 40,
    );
    for (let i = 0; i < overcrowdCount && candidates.length > 0; i++) {
      const b = candidates[
        rAlloc.weightedIndex(candidates.map((c) => buurtTargets.get(c.code) ?? 0))
      ] as Buurt;
      overcrowdBuurten.push(b);
    }
  }

  // --- household drafts per buurt ----------------------------------------------------------------
  const draftsByBuurt = new Map<string, HouseholdDraft[]>();
  const wijkSingle = new Map<string, number>();
  for (const [wi, w] of g.wijken.entries()) {
    const pop = wijkTargets.get(w.code) ?? 0;
    const dw = Math.max(1, wijkDwellings[wi] as number);
    wijkSingle.set(w.code, singleShare(clamp(pop / (dw * 0.955), 1.3, 2.8)));
  }
  for (const b of g.buurten) {
    const drafts: HouseholdDraft[] = [];
    let left = buurtTargets.get(b.code) ?? 0;
    for (const ob of overcrowdBuurten) {
      if (ob !== b) continue;
      const n = Math.min(rHh.intBetween(8, 14), left - 10);
      if (n < 8) continue;
      drafts.push({ kind: 'overbewoning', specs: composeHousehold(rHh, 'overbewoning', n), origin: 'pl' });
      left -= n;
    }
    const single = wijkSingle.get(b.wijk.code) ?? 0.4;
    while (left > 0) {
      const kind = drawKind(rHh, single);
      let specs = composeHousehold(rHh, kind);
      let k = kind;
      if (specs.length > left) ({ kind: k, specs } = composeExact(rHh, left));
      drafts.push({ kind: k, specs, origin: rHh.weighted(ORIGIN_WEIGHTS) });
      left -= specs.length;
    }
    draftsByBuurt.set(b.code, drafts);
  }

  // --- dwellings per buurt: households + vacancy; non-residential objects --------------------
  const resPerBuurt = new Map<string, number>();
  for (const [wi, w] of g.wijken.entries()) {
    const hh = w.buurten.map((b) => (draftsByBuurt.get(b.code) ?? []).length);
    const hhTotal = hh.reduce((s, x) => s + x, 0);
    const total = Math.max(wijkDwellings[wi] as number, hhTotal + Math.ceil(hhTotal * 0.012) + 1);
    const vacancy = largestRemainder(
      total - hhTotal,
      hh.map((x) => x + 0.5),
    );
    w.buurten.forEach((b, i) => resPerBuurt.set(b.code, (hh[i] as number) + (vacancy[i] as number)));
  }
  const nonResTotal = Math.max(8, Math.round(2400 * scale));
  const nonResShares = largestRemainder(
    nonResTotal,
    g.buurten.map(
      (b) =>
        (BUURT_BUSINESS[b.name] ?? 1) * (0.3 + (resPerBuurt.get(b.code) ?? 0) / Math.max(1, dwellTotal / 65)),
    ),
  );

  // --- place and address every object ------------------------------------------------------------
  const dwellings: Dwelling[] = [];
  const usedStreets = new Set<string>();
  for (const w of g.wijken) {
    const wijkObjects: Dwelling[][] = []; // per street
    for (const b of w.buurten) {
      const nRes = resPerBuurt.get(b.code) ?? 0;
      const nNon = nonResShares[g.buurten.indexOf(b)] as number;
      const n = nRes + nNon;
      if (n === 0) continue;
      const sampler = new PointSampler(b);
      const type: 'business' | 'centre' | 'other' = BUSINESS_BUURTEN.has(b.name)
        ? 'business'
        : CENTRE_BUURTEN.has(b.name)
          ? 'centre'
          : 'other';
      const objs: Dwelling[] = [];
      for (let i = 0; i < n; i++) {
        const residential = i < nRes;
        const gebruiksdoel = residential ? 'woonfunctie' : rGeo.weighted(NONRES_MIX[type]);
        objs.push({
          idx: -1,
          vboId: '',
          buurt: b,
          residential,
          gebruiksdoel,
          street: '',
          huisnummer: 0,
          huisletter: '',
          toevoeging: '',
          postcode: '',
          woonplaats:
            w.code === 'WK040008' || w.code === 'WK040007' || JULIANADORP.has(b.name)
              ? 'Julianadorp'
              : 'Den Helder',
          oppervlakte: 0,
          bouwjaar: residential
            ? band(rGeo, WIJK_BUILD[w.code] ?? [[1960, 2000, 1]])
            : rGeo.intBetween(1950, 2022),
          pt: sampler.sample(rGeo),
          corporation: false,
          occupants: [],
        });
      }
      // Morton order, so that a street is a compact run of nearby objects.
      const bb = b.wijk.bbox;
      const key = (d: Dwelling): number => {
        const xi = Math.floor(((d.pt.lon - bb.minX) / (bb.maxX - bb.minX + 1e-9)) * 1023);
        const yi = Math.floor(((d.pt.lat - bb.minY) / (bb.maxY - bb.minY + 1e-9)) * 1023);
        let k = 0;
        for (let bit = 9; bit >= 0; bit--) k = k * 4 + (((yi >> bit) & 1) << 1) + ((xi >> bit) & 1);
        return k;
      };
      const keyed = objs.map((d, i) => ({ d, k: key(d), i }));
      keyed.sort((p, q) => p.k - q.k || p.i - q.i);
      const sorted = keyed.map((x) => x.d);
      const nStreets = Math.max(1, Math.round(n / (45 * Math.max(1, scale))));
      const theme = BUURT_THEME[b.name] ?? (type === 'business' ? 'bedrijf' : rGeo.pick(GENERIC_THEMES));
      const blockShare = type === 'business' ? 0.05 : (WIJK_BLOCKS[w.code] ?? 0.2);
      const streetSizes = largestRemainder(
        n,
        Array.from({ length: nStreets }, () => rGeo.between(0.5, 1.5)),
      );
      let pos = 0;
      for (const size of streetSizes) {
        if (size === 0) continue;
        const members = sorted.slice(pos, pos + size);
        pos += size;
        const name = streetName(rGeo, theme, type === 'business', usedStreets);
        numberStreet(rGeo, members, name, blockShare);
        wijkObjects.push(members);
      }
    }
    assignPostcodes(wijkObjects, POSTCODE_DIGITS[w.code] ?? '1789');
    for (const street of wijkObjects) for (const d of street) dwellings.push(d);
  }
  dwellings.forEach((d, i) => (d.idx = i));
  assignVboIds(rGeo, dwellings);

  // --- households into dwellings -------------------------------------------------------------
  const households: Household[] = [];
  const personsOut: Person[] = [];
  const byBuurtRes = new Map<string, Dwelling[]>();
  for (const d of dwellings) {
    if (!d.residential) continue;
    const list = byBuurtRes.get(d.buurt.code) ?? [];
    list.push(d);
    byBuurtRes.set(d.buurt.code, list);
  }
  const overcrowded: Dwelling[] = [];
  const makePersons = (h: Household, specs: MemberSpec[], at: Day, origin: Origin): void => {
    const surname = pickSurname(rNames, origin);
    const partnerSurname = pickSurname(rNames, rNames.chance(0.85) ? origin : 'nl');
    specs.forEach((s, i) => {
      const birth = Math.round(at - (s.age + rNames.next()) * DAYS_PER_YEAR);
      const birthYear = 1970 + Math.floor(birth / DAYS_PER_YEAR);
      const own = h.kind === 'overbewoning' || h.kind === 'other' ? pickSurname(rNames, origin) : null;
      const name = own ?? (i === 1 && s.adult && h.kind === 'family' ? partnerSurname : surname);
      const p: Person = {
        idx: personsOut.length,
        bsn: bsns.next(),
        voornamen: pickFirstNames(rNames, origin, s.sex, birthYear),
        voorvoegsel: name.voorvoegsel,
        geslachtsnaam: name.geslachtsnaam,
        birth,
        sex: s.sex,
        hh: h,
      };
      personsOut.push(p);
      h.members.push(p);
    });
  };

  for (const b of g.buurten) {
    const drafts = draftsByBuurt.get(b.code) ?? [];
    const homes = rHh.shuffle([...(byBuurtRes.get(b.code) ?? [])]);
    if (homes.length < drafts.length)
      throw new Error(`buurt ${b.code}: ${drafts.length} households, ${homes.length} dwellings`);
    const bv = buurtVuln.get(b.code) ?? 1;
    drafts.forEach((dr, i) => {
      const d = homes[i] as Dwelling;
      const h: Household = {
        idx: households.length,
        kind: dr.kind,
        origin: dr.origin,
        members: [],
        stays: [],
        current: true,
        vuln: bv * kindVuln(dr) * (dr.origin === 'nl' ? 1 : 1.2) * rHh.lognormal(1, 0.6),
      };
      households.push(h);
      makePersons(h, dr.specs, REF_DAY, dr.origin);
      const size = dr.specs.length;
      if (dr.kind === 'overbewoning') {
        d.oppervlakte = rHh.intBetween(28, 48);
        overcrowded.push(d);
        let first = REF_DAY;
        for (const p of h.members) {
          p.joined = rHh.intBetween(dayOf(2022, 6, 1), dayOf(2024, 12, 15));
          first = Math.min(first, p.joined);
        }
        h.stays.push({ dwelling: d, from: first, to: null });
      } else {
        d.oppervlakte = dwellingArea(rHh, size);
        const headAge = Math.max(...dr.specs.map((s) => s.age));
        const meanYears =
          dr.kind === 'single'
            ? headAge < 35
              ? 3
              : headAge >= 65
                ? 16
                : 8
            : dr.kind === 'other'
              ? 3
              : dr.kind === 'singleparent'
                ? 5
                : 11;
        const years = Math.min(rHh.exponential(meanYears), Math.max(0.1, headAge - 18));
        const from = Math.max(dayOf(1955, 1, 1), Math.round(REF_DAY - years * DAYS_PER_YEAR));
        const built = builtDay(d);
        h.stays.push({
          dwelling: d,
          from: from >= built ? from : Math.min(REF_DAY - 1, built + rHh.intBetween(60, 300)),
          to: null,
        });
      }
      d.occupants.push(h);
    });
    for (let i = drafts.length; i < homes.length; i++) {
      const d = homes[i] as Dwelling;
      d.oppervlakte = Math.round(clamp(rHh.lognormal(80, 0.35), 22, 300));
    }
  }
  for (const d of dwellings) {
    if (!d.residential) {
      const [median, sigma] = NONRES_AREA[d.gebruiksdoel] ?? [100, 0.8];
      d.oppervlakte = Math.round(clamp(rGeo.lognormal(median, sigma), 12, 25000));
    }
  }

  // --- residential history 2019–2024 -----------------------------------------------------------
  buildHistory(rHist, dwellings, households, makePersons, wijkSingle, buurtVuln);

  // --- vulnerability normalised to mean 1 over current households; corporation tenure ----------
  let sum = 0;
  let n = 0;
  for (const h of households) {
    if (!h.current) continue;
    sum += h.vuln;
    n++;
  }
  const mean = n > 0 ? sum / n : 1;
  for (const h of households) h.vuln /= mean;
  for (const d of dwellings) {
    if (!d.residential) continue;
    const occ = d.occupants[d.occupants.length - 1];
    const base = WIJK_CORPORATION[d.buurt.wijk.code] ?? 0.35;
    const p = occ
      ? clamp(base * (0.55 + 0.45 * Math.sqrt(occ.vuln)) * (d.oppervlakte < 110 ? 1.15 : 0.55), 0, 0.95)
      : base;
    d.corporation = rGeo.chance(p);
  }

  return {
    rng: root,
    gemeente: g,
    scale,
    dwellings,
    households,
    persons: personsOut,
    wijkTargets,
    buurtTargets,
    buurtVuln,
    overcrowded,
  };
}

function kindVuln(d: HouseholdDraft): number {
  const headAge = Math.max(...d.specs.map((s) => s.age));
  switch (d.kind) {
    case 'single':
      return headAge < 65 ? 1.35 : 0.85;
    case 'couple':
      return 0.6;
    case 'family':
      return 0.8;
    case 'singleparent':
      return 2.3;
    case 'other':
      return 1.1;
    case 'overbewoning':
      return 1.0;
  }
}

function dwellingArea(rng: Rng, size: number): number {
  let a = Math.round(clamp(rng.lognormal(80 + 10 * (size - 1), 0.28), 24, 350));
  if (size >= 5 && a < 55) a = 55 + rng.intBetween(0, 40);
  return a;
}

// ---------------------------------------------------------------------------------------------
// Streets, numbers, postcodes, BAG ids

function streetName(rng: Rng, theme: string, business: boolean, used: Set<string>): string {
  const suffixes = business ? BUSINESS_SUFFIXES : RESIDENTIAL_SUFFIXES;
  const themes = [theme, ...GENERIC_THEMES, 'zee', 'duin', 'rivieren', 'geleerden', 'zeevaarders'];
  for (const t of themes) {
    const words = STREET_THEMES[t] ?? [];
    const start = rng.int(Math.max(1, words.length));
    for (let k = 0; k < words.length; k++) {
      const word = words[(start + k) % words.length] as string;
      for (let s = 0; s < 3; s++) {
        const suffix = rng.weighted(suffixes);
        const name = `${word}${suffix}`;
        if (!used.has(name)) {
          used.add(name);
          return name;
        }
      }
    }
  }
  for (let i = 2; ; i++) {
    const name = `${rng.pick(STREET_THEMES.zee ?? ['Zee'])}${rng.weighted(suffixes)} ${i}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

function numberStreet(rng: Rng, members: Dwelling[], name: string, blockShare: number): void {
  let nr = rng.chance(0.8) ? 1 : rng.intBetween(2, 40);
  let i = 0;
  while (i < members.length) {
    const left = members.length - i;
    if (left >= 2 && rng.chance(blockShare / 6)) {
      const size = Math.min(left, rng.intBetween(2, 16));
      const letters = size <= 4 && rng.chance(0.35);
      const first = members[i] as Dwelling;
      for (let k = 0; k < size; k++) {
        const d = members[i + k] as Dwelling;
        d.street = name;
        d.huisnummer = nr;
        d.pt = first.pt;
        if (letters) d.huisletter = 'ABCD'[k] ?? '';
        else if (size === 2 && rng.chance(0.3)) d.toevoeging = k === 0 ? 'hs' : '1';
        else d.toevoeging = String(k + 1);
      }
      i += size;
    } else {
      const d = members[i] as Dwelling;
      d.street = name;
      d.huisnummer = nr;
      if (rng.chance(0.02) && i > 0) {
        const prev = members[i - 1] as Dwelling;
        if (prev.huisletter === '' && prev.toevoeging === '' && prev.huisnummer === nr - 1) {
          d.huisnummer = prev.huisnummer;
          d.huisletter = 'A';
          nr--;
        }
      }
      i += 1;
    }
    nr += rng.chance(0.85) ? 1 : 2;
  }
}

const PC_LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';
const PC_SUFFIXES: string[] = [];
for (const a of PC_LETTERS)
  for (const b of PC_LETTERS) if (!['SA', 'SD', 'SS'].includes(a + b)) PC_SUFFIXES.push(a + b);

function assignPostcodes(streets: Dwelling[][], digits: string): void {
  let group = 12;
  const needed = (gsz: number): number => streets.reduce((s, st) => s + Math.ceil(st.length / gsz), 0);
  while (needed(group) > PC_SUFFIXES.length) group++;
  let k = 0;
  for (const st of streets) {
    for (let i = 0; i < st.length; i += group) {
      const pc = `${digits}${PC_SUFFIXES[k++] as string}`;
      for (let j = i; j < Math.min(st.length, i + group); j++) (st[j] as Dwelling).postcode = pc;
    }
  }
}

/** 16-digit BAG verblijfsobject ids: 0400 (gemeente) 01 (object type) + a sequence with gaps. */
function assignVboIds(rng: Rng, dwellings: Dwelling[]): void {
  const order = rng.shuffle(dwellings.map((_, i) => i));
  let seq = 100000 + rng.int(1000);
  for (const i of order) {
    seq += 1 + rng.int(20);
    (dwellings[i] as Dwelling).vboId = `040001${String(seq).padStart(10, '0')}`;
  }
}

// ---------------------------------------------------------------------------------------------
// History

interface Slot {
  dwelling: Dwelling;
  /** Previous occupants must have left in [latest - 120, latest] (a household moving within: ≤ 120 days before). */
  latest: Day;
  /** The dwelling is vacant afterwards: departed occupants leave exactly on `latest`. */
  exact: boolean;
}

function buildHistory(
  rng: Rng,
  dwellings: Dwelling[],
  households: Household[],
  makePersons: (h: Household, specs: MemberSpec[], at: Day, origin: Origin) => void,
  wijkSingle: Map<string, number>,
  buurtVuln: Map<string, number>,
): void {
  const slots: Slot[] = [];
  for (const d of dwellings) {
    if (!d.residential) continue;
    const occ = d.occupants[0];
    if (occ) {
      const arrival = (occ.stays[0] as Stay).from;
      if (arrival > HISTORY_START + 60 && arrival - builtDay(d) > 365)
        slots.push({ dwelling: d, latest: arrival - rng.intBetween(0, 75), exact: false });
    } else if (rng.chance(0.55) && builtDay(d) < HISTORY_START) {
      slots.push({ dwelling: d, latest: rng.intBetween(HISTORY_START + 30, REF_DAY - 45), exact: true });
    }
  }
  slots.sort((a, b) => a.latest - b.latest || a.dwelling.idx - b.dwelling.idx);

  // Households that moved within the municipality: their previous stay fills a slot.
  const movers = households.filter(
    (h) =>
      h.current &&
      h.kind !== 'overbewoning' &&
      (h.stays[0] as Stay).from > HISTORY_START + 150 &&
      rng.chance(0.35),
  );
  movers.sort((a, b) => (a.stays[0] as Stay).from - (b.stays[0] as Stay).from || a.idx - b.idx);
  const used = new Uint8Array(slots.length);
  const firstAtOrAfter = (day: Day): number => {
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((slots[mid] as Slot).latest >= day) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const extraSlots: Slot[] = [];
  for (const h of movers) {
    const stay = h.stays[0] as Stay;
    const moveDay = stay.from;
    let chosen = -1;
    for (let i = firstAtOrAfter(moveDay), tries = 0; i < slots.length && tries < 60; i++, tries++) {
      const s = slots[i] as Slot;
      if (s.latest - moveDay > 120) break;
      if (used[i] || s.dwelling === stay.dwelling) continue;
      chosen = i;
      break;
    }
    if (chosen < 0) continue;
    used[chosen] = 1;
    const s = slots[chosen] as Slot;
    const years = rng.exponential(6);
    const from = Math.max(
      dayOf(1960, 1, 1),
      builtDay(s.dwelling),
      Math.round(moveDay - Math.max(0.2, years) * DAYS_PER_YEAR),
    );
    h.stays.unshift({ dwelling: s.dwelling, from, to: moveDay });
    s.dwelling.occupants.unshift(h);
    if (from > HISTORY_START && from - builtDay(s.dwelling) > 365)
      extraSlots.push({ dwelling: s.dwelling, latest: from, exact: false });
  }

  // Everyone else who left: departed households (moved away or died).
  const queue: Slot[] = slots.filter((_, i) => !used[i]).concat(extraSlots);
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi] as Slot;
    const leave = s.exact ? s.latest : s.latest - rng.intBetween(0, 100);
    if (leave <= HISTORY_START) continue;
    const single = wijkSingle.get(s.dwelling.buurt.wijk.code) ?? 0.4;
    const kind = drawKind(rng, single);
    const specs = composeHousehold(rng, kind);
    const origin = rng.weighted(ORIGIN_WEIGHTS);
    const headAge = Math.max(...specs.map((x) => x.age));
    const years = Math.min(
      rng.exponential(kind === 'single' && headAge < 35 ? 3 : 9),
      Math.max(0.2, headAge - 18),
    );
    const from = Math.max(
      dayOf(1955, 1, 1),
      builtDay(s.dwelling),
      Math.round(leave - Math.max(0.15, years) * DAYS_PER_YEAR),
    );
    if (from >= leave) continue;
    const h: Household = {
      idx: households.length,
      kind,
      origin,
      members: [],
      stays: [{ dwelling: s.dwelling, from, to: leave }],
      current: false,
      vuln:
        (buurtVuln.get(s.dwelling.buurt.code) ?? 1) *
        kindVuln({ kind, specs, origin }) *
        (origin === 'nl' ? 1 : 1.2) *
        rng.lognormal(1, 0.6),
    };
    households.push(h);
    makePersons(h, specs, leave, origin);
    s.dwelling.occupants.unshift(h);
    if (from > HISTORY_START && from - builtDay(s.dwelling) > 365)
      queue.push({ dwelling: s.dwelling, latest: from, exact: false });
  }
  for (const d of dwellings)
    d.occupants.sort((a, b) => (stayAt(a, d)?.from ?? 0) - (stayAt(b, d)?.from ?? 0) || a.idx - b.idx);
}

function builtDay(d: Dwelling): Day {
  return dayOf(d.bouwjaar, 1, 1);
}

function stayAt(h: Household, d: Dwelling): Stay | undefined {
  return h.stays.find((s) => s.dwelling === d);
}

/** Age on the reference date. */
export function ageAtRef(p: Person): number {
  return ageOn(p.birth, REF_DAY);
}

/** Persons living at the dwelling on the reference date. */
export function residentsAtRef(d: Dwelling): Person[] {
  const out: Person[] = [];
  for (const h of d.occupants) {
    if (!h.current) continue;
    const s = h.stays[h.stays.length - 1] as Stay;
    if (s.dwelling === d && s.to === null) out.push(...h.members);
  }
  return out;
}
