/**
 * The business register (KvK): establishments with SBI codes, addresses and registration dates
 * over 2019–2024, plus the planted undermining pattern "cash-intensive businesses with frequent
 * owner changes at one address".
 */
import { HISTORY_START, REF_DAY, dayOf, type Day } from './dates.js';
import type { Dwelling, World } from './model.js';
import { PLACE_WORDS, pickFirstNames, pickSurname } from './names.js';
import { BUSINESS_BUURTEN } from './population.js';
import type { Rng } from './random.js';

export interface Vestiging {
  kvk: string;
  vestigingsnummer: string;
  handelsnaam: string;
  sbi: string;
  dwelling: Dwelling;
  start: Day;
  end: Day | null;
  planted: boolean;
}

export interface OwnerChangeSite {
  dwelling: Dwelling;
  vestigingen: Vestiging[];
}

export interface BusinessData {
  vestigingen: Vestiging[];
  ownerChanges: OwnerChangeSite[];
}

/** [section, share %, share working from home, SBI codes with weights]. */
const SECTIONS: readonly (readonly [string, number, number, readonly (readonly [string, number])[]])[] = [
  [
    'M',
    15,
    0.75,
    [
      ['6910', 2],
      ['6920', 3],
      ['7022', 6],
      ['7111', 2],
      ['7112', 3],
      ['7311', 2],
      ['7410', 3],
      ['7420', 2],
      ['7490', 2],
    ],
  ],
  [
    'G',
    14,
    0.25,
    [
      ['4711', 2],
      ['4719', 1],
      ['4771', 3],
      ['4776', 1],
      ['4791', 5],
      ['4511', 2],
      ['4520', 2],
      ['4641', 1],
      ['4690', 2],
      ['4724', 1],
      ['4730', 1],
    ],
  ],
  [
    'F',
    10,
    0.6,
    [
      ['4120', 3],
      ['4321', 3],
      ['4322', 3],
      ['4332', 3],
      ['4334', 3],
      ['4391', 1],
      ['4399', 2],
    ],
  ],
  [
    'Q',
    10,
    0.35,
    [
      ['8621', 1],
      ['8623', 1],
      ['8690', 5],
      ['8810', 3],
      ['8891', 2],
      ['8710', 1],
    ],
  ],
  [
    'RS',
    12,
    0.55,
    [
      ['9602', 6],
      ['9001', 2],
      ['9003', 2],
      ['9311', 1],
      ['9313', 1],
      ['9604', 1],
      ['9609', 2],
      ['9499', 2],
    ],
  ],
  [
    'N',
    6,
    0.55,
    [
      ['7711', 1],
      ['7810', 2],
      ['8121', 4],
      ['8130', 3],
      ['8299', 2],
    ],
  ],
  [
    'J',
    4,
    0.75,
    [
      ['6201', 3],
      ['6202', 3],
      ['5811', 1],
      ['6311', 1],
    ],
  ],
  [
    'P',
    5,
    0.65,
    [
      ['8551', 2],
      ['8552', 2],
      ['8559', 4],
      ['8520', 1],
    ],
  ],
  [
    'KL',
    5,
    0.4,
    [
      ['6619', 2],
      ['6622', 2],
      ['6810', 2],
      ['6820', 3],
      ['6831', 2],
    ],
  ],
  [
    'A',
    2,
    0.3,
    [
      ['0111', 2],
      ['0113', 2],
      ['0141', 1],
      ['0161', 1],
      ['0311', 3],
    ],
  ],
  [
    'I',
    4,
    0.05,
    [
      ['5510', 1],
      ['5520', 1],
      ['5610', 5],
      ['5621', 1],
      ['5630', 3],
    ],
  ],
  [
    'H',
    5,
    0.35,
    [
      ['4932', 3],
      ['4941', 3],
      ['5010', 1],
      ['5020', 1],
      ['5222', 2],
      ['5229', 1],
      ['5320', 2],
    ],
  ],
  [
    'C',
    3,
    0.2,
    [
      ['1071', 2],
      ['2511', 2],
      ['3011', 2],
      ['3315', 2],
      ['1813', 1],
    ],
  ],
  [
    'O',
    1,
    0,
    [
      ['8422', 1],
      ['8411', 1],
    ],
  ],
  [
    'other',
    4,
    0.3,
    [
      ['3511', 1],
      ['3600', 1],
      ['3811', 1],
      ['9900', 0.2],
      ['6419', 1],
    ],
  ],
];

const PREMISES: Record<string, readonly string[]> = {
  M: ['kantoorfunctie'],
  G: ['winkelfunctie'],
  F: ['industriefunctie', 'kantoorfunctie'],
  Q: ['gezondheidszorgfunctie', 'kantoorfunctie'],
  RS: ['winkelfunctie', 'bijeenkomstfunctie', 'sportfunctie'],
  N: ['kantoorfunctie', 'industriefunctie'],
  J: ['kantoorfunctie'],
  P: ['onderwijsfunctie', 'kantoorfunctie'],
  KL: ['kantoorfunctie'],
  A: ['industriefunctie', 'overige gebruiksfunctie'],
  I: ['bijeenkomstfunctie', 'winkelfunctie', 'logiesfunctie'],
  H: ['industriefunctie', 'kantoorfunctie'],
  C: ['industriefunctie'],
  O: ['kantoorfunctie'],
  other: ['industriefunctie', 'overige gebruiksfunctie'],
};

const NAME_PATTERNS: Record<string, readonly string[]> = {
  '4711': ['Supermarkt {P}', '{S} Supermarkt', 'Buurtsuper {P}'],
  '4771': ['Boutique {F}', 'Modehuis {S}', '{F} Fashion'],
  '4791': ['{F}s Webshop', '{P} Online', 'Webwinkel {F}'],
  '4511': ['Autobedrijf {P}', '{S} Auto’s', 'Autohandel {F}', 'Garage {S}'],
  '4520': ['Autoservice {S}', 'Garagebedrijf {P}'],
  '5610': ['Restaurant {P}', 'Eetcafé {P}', 'Brasserie {F}', 'Snackbar {P}', 'Pizzeria {F}', 'Crêperie {P}'],
  '5630': ['Café {P}', 'Café ’t {W}', 'Bar {F}', 'Kroeg {P}'],
  '5510': ['Hotel {P}', 'Pension {F}'],
  '9602': [
    'Kapsalon {F}',
    'Nagelstudio {F}',
    'Barbershop {P}',
    'Coiffure {F}',
    'Beautysalon {F}',
    'Kapper {S}',
  ],
  '0311': ['Visserijbedrijf {S}', 'Kotter HD {N}'],
  '4120': ['Bouwbedrijf {S}', '{S} Bouw'],
  '4321': ['Elektrotechniek {S}', '{S} Installatietechniek'],
  '4322': ['Loodgietersbedrijf {S}', '{S} Installaties'],
  '4334': ['Schildersbedrijf {S}', 'Schilderwerken {I}. {S}'],
  '8690': ['Fysiotherapie {P}', 'Praktijk {F} {S}', 'Pedicure {F}'],
  '8121': ['Schoonmaakbedrijf {P}', '{S} Schoonmaak'],
  '6201': ['{S} Software', '{P} IT'],
  '7022': ['{S} Advies', '{F} {S} Consultancy', 'Adviesbureau {P}'],
  '4932': ['Taxi {P}', 'Taxibedrijf {S}'],
};
const GENERIC_PATTERNS = ['{S} {K}', '{P} {K}', '{F} {S} {K}', '{K} {S}', '{K} {P}'];
const KIND_WORD: Record<string, string> = {
  M: 'Advies',
  G: 'Handel',
  F: 'Bouw & Onderhoud',
  Q: 'Zorg',
  RS: 'Studio',
  N: 'Diensten',
  J: 'Digitaal',
  P: 'Training',
  KL: 'Vastgoed',
  A: 'Agrarisch',
  I: 'Horeca',
  H: 'Transport',
  C: 'Productie',
  O: 'Dienst',
  other: 'Services',
};
const CASH_SBI = ['9602', '5610', '4511', '5630'];

export function buildBusinesses(world: World): BusinessData {
  const rng = world.rng.fork('kvk');
  const rPlant = rng.fork('owner-changes');
  const persons = [...world.wijkTargets.values()].reduce((s, x) => s + x, 0);
  const nonRes = world.dwellings.filter((d) => !d.residential);
  const homes = world.dwellings.filter((d) => d.residential && d.occupants.length > 0);
  const byUse = new Map<string, Dwelling[]>();
  for (const d of nonRes) {
    const list = byUse.get(d.gebruiksdoel) ?? [];
    list.push(d);
    byUse.set(d.gebruiksdoel, list);
  }
  const busyUntil = new Map<Dwelling, Day>();
  const usedKvk = new Set<string>();
  const usedVest = new Set<string>();

  const kvkNumber = (start: Day): string => {
    for (;;) {
      let s: string;
      if (start < dayOf(2000, 1, 1))
        s = rng.chance(0.08) ? `0${rng.intBetween(1000000, 9999999)}` : `37${rng.intBetween(100000, 999999)}`;
      else if (start < dayOf(2014, 1, 1))
        s = `${rng.pick(['37', '50', '51', '52', '53', '54', '55', '56'])}${rng.intBetween(100000, 999999)}`;
      else s = String(rng.intBetween(58000000, 99999999));
      if (!usedKvk.has(s)) {
        usedKvk.add(s);
        return s;
      }
    }
  };
  const vestNumber = (): string => {
    for (;;) {
      const s = `0000${rng.intBetween(10000000, 59999999)}`;
      if (!usedVest.has(s)) {
        usedVest.add(s);
        return s;
      }
    }
  };
  const tradeName = (r: Rng, section: string, sbi: string): string => {
    const patterns = NAME_PATTERNS[sbi] ?? GENERIC_PATTERNS;
    const origin = r.chance(0.85) ? 'nl' : r.pick(['tr', 'ma', 'de', 'pl', 'sr', 'other'] as const);
    const sn = pickSurname(r, origin);
    const first = pickFirstNames(r, origin, r.chance(0.5) ? 'M' : 'V', 1980).split(' ')[0] ?? 'Jan';
    return r
      .pick(patterns)
      .replace(
        '{S}',
        `${sn.voorvoegsel ? `${sn.voorvoegsel[0]?.toUpperCase()}${sn.voorvoegsel.slice(1)} ` : ''}${sn.geslachtsnaam}`,
      )
      .replace('{F}', first)
      .replace('{P}', r.pick(PLACE_WORDS))
      .replace('{W}', r.pick(['Anker', 'Wapen', 'Hoekje', 'Zeepaardje', 'Vlot', 'Kompas']))
      .replace('{I}', first[0] ?? 'J')
      .replace('{N}', String(r.intBetween(1, 99)))
      .replace('{K}', KIND_WORD[section] ?? 'Services');
  };
  const premisesFor = (section: string, at: Day): Dwelling | undefined => {
    const uses = PREMISES[section] ?? ['kantoorfunctie'];
    const shopLike = section === 'I' || section === 'G' || section === 'RS';
    for (let t = 0; t < 12; t++) {
      const list = byUse.get(rng.pick(uses)) ?? [];
      if (list.length === 0) continue;
      const d = rng.pick(list);
      if (!shopLike || (busyUntil.get(d) ?? -Infinity) < at || t >= 10) return d;
    }
    return nonRes.length > 0 ? rng.pick(nonRes) : undefined;
  };

  // planted sites first, so background shops avoid them
  const ownerChanges: OwnerChangeSite[] = [];
  const siteCount = Math.max(1, Math.round(10 * world.scale));
  const siteCandidates = nonRes.filter(
    (d) =>
      (d.gebruiksdoel === 'winkelfunctie' || d.gebruiksdoel === 'bijeenkomstfunctie') &&
      !BUSINESS_BUURTEN.has(d.buurt.name),
  );
  for (const d of rPlant
    .sample(rPlant.shuffle([...siteCandidates]), siteCount)
    .sort((a, b) => a.idx - b.idx)) {
    const n = rPlant.intBetween(3, 5);
    const sbi = rPlant.pick(CASH_SBI);
    let t = rPlant.intBetween(dayOf(2021, 1, 1), dayOf(2022, 3, 1));
    const site: OwnerChangeSite = { dwelling: d, vestigingen: [] };
    for (let i = 0; i < n; i++) {
      const code = rPlant.chance(0.8) ? sbi : rPlant.pick(CASH_SBI);
      const section = code === '9602' ? 'RS' : code === '4511' ? 'G' : 'I';
      const end = t + rPlant.intBetween(90, 320);
      const v: Vestiging = {
        kvk: kvkNumber(t),
        vestigingsnummer: vestNumber(),
        handelsnaam: tradeName(rPlant, section, code),
        sbi: code,
        dwelling: d,
        start: t,
        end: i === n - 1 && end > REF_DAY - 200 ? null : Math.min(end, REF_DAY - 1),
        planted: true,
      };
      site.vestigingen.push(v);
      if (v.end === null) break;
      t = v.end + rPlant.intBetween(5, 60);
      if (t > REF_DAY - 30) break;
    }
    busyUntil.set(d, Infinity);
    ownerChanges.push(site);
  }

  // background: the stock on 1-1-2019 and the starters of 2019–2024
  const vestigingen: Vestiging[] = [];
  const active = Math.round(0.072 * persons);
  const stock = Math.round(active * 0.87);
  const sectionPick = SECTIONS.map(
    (s) => [s, s[1] * (s[0] === 'H' ? 1.3 : s[0] === 'I' ? 1.2 : s[0] === 'J' ? 0.8 : 1)] as const,
  );
  const drafts: { start: Day; end: Day | null }[] = [];
  for (let i = 0; i < stock; i++) {
    const start = Math.max(dayOf(1965, 1, 1), HISTORY_START - 1 - Math.round(rng.exponential(9 * 365.25)));
    const life = Math.round(rng.exponential(16 * 365.25));
    const end = HISTORY_START + life;
    drafts.push({ start, end: end <= REF_DAY ? end : null });
  }
  for (let y = 2019; y <= 2024; y++) {
    const n = rng.poisson(0.088 * stock);
    for (let i = 0; i < n; i++) {
      const start = rng.intBetween(dayOf(y, 1, 1), Math.min(dayOf(y, 12, 31), REF_DAY));
      const end = start + Math.round(rng.exponential(10 * 365.25));
      drafts.push({ start, end: end <= REF_DAY ? end : null });
    }
  }
  drafts.sort((a, b) => a.start - b.start);
  for (const dr of drafts) {
    const sec = rng.weighted(sectionPick);
    const [section, , homeShare, codes] = sec;
    const sbi = rng.weighted(codes);
    const atHome = rng.chance(homeShare) || nonRes.length === 0;
    const d = atHome ? rng.pick(homes.length > 0 ? homes : world.dwellings) : premisesFor(section, dr.start);
    if (!d) continue;
    if (!atHome && (section === 'I' || section === 'G' || section === 'RS'))
      busyUntil.set(d, dr.end ?? Infinity);
    vestigingen.push({
      kvk: kvkNumber(dr.start),
      vestigingsnummer: vestNumber(),
      handelsnaam: tradeName(rng, section, sbi),
      sbi,
      dwelling: d,
      start: dr.start,
      end: dr.end,
      planted: false,
    });
  }
  for (const s of ownerChanges) vestigingen.push(...s.vestigingen);
  const keyed = vestigingen.map((v, i) => ({ v, i }));
  keyed.sort((a, b) => a.v.start - b.v.start || a.i - b.i);
  return { vestigingen: keyed.map((k) => k.v), ownerChanges };
}
