/**
 * The social domain over 2019–2024: Wmo provisions, youth care, social assistance (bijstand),
 * debt assistance (schuldhulp), payment-arrears signals (vroegsignalen) and school absenteeism,
 * driven by a latent household vulnerability, calibrated on CALIBRATION.md, plus two planted
 * truths: multi-problem households and a policy measure with a known effect.
 */
import {
  HISTORY_START,
  REF_DAY,
  ageOn,
  birthdayAt,
  dayOf,
  monthFirst,
  monthIndex,
  yearOf,
  type Day,
} from './dates.js';
import type { Buurt } from './areas.js';
import {
  currentDwelling,
  dwellingAt,
  firstDay,
  head,
  lastDay,
  type Dwelling,
  type Household,
  type Person,
  type World,
} from './model.js';
import { cumulative, drawCumulative, type Rng } from './random.js';

export interface Episode {
  start: Day;
  end: Day | null;
}

export type PartnerType = 'woningcorporatie' | 'energie' | 'water' | 'zorgverzekeraar';
export const PARTNER_TYPES: readonly PartnerType[] = [
  'woningcorporatie',
  'energie',
  'water',
  'zorgverzekeraar',
];

export interface WmoRecord {
  person: Person;
  voorziening: string;
  start: Day;
  end: Day | null;
  nr: string;
  planted: boolean;
}
export interface JeugdRecord {
  person: Person;
  soort: string;
  start: Day;
  end: Day | null;
  kosten: number;
  planted: boolean;
}
export interface BijstandRecord {
  person: Person;
  start: Day;
  end: Day | null;
  bedrag: number;
  planted: boolean;
}
export interface SchuldRecord {
  person: Person;
  aanmeld: Day;
  status: string;
  end: Day | null;
  planted: boolean;
}
export interface SignalRecord {
  person: Person;
  hh: Household;
  dwelling: Dwelling;
  partner: PartnerType;
  day: Day;
  amount: number;
  planted: boolean;
}
export interface VerzuimRecord {
  person: Person;
  schooljaar: string;
  soort: 'relatief' | 'absoluut';
  uren: number | null;
  day: Day;
  planted: boolean;
}

export type Domain = 'vroegsignalering' | 'bijstand' | 'schuldhulp' | 'jeugdhulp' | 'verzuim' | 'wmo';
export const DOMAINS: readonly Domain[] = [
  'vroegsignalering',
  'bijstand',
  'schuldhulp',
  'jeugdhulp',
  'verzuim',
  'wmo',
];

export interface PolicyYear {
  year: number;
  treated_expected_without_measure: number;
  treated_expected_with_measure: number;
  treated_counterfactual_realised: number;
  treated_realised: number;
  control_expected: number;
  control_realised: number;
}

export interface MultiProblem {
  household: Household;
  problemStart: Day;
}

export interface SocialData {
  wmo: WmoRecord[];
  jeugd: JeugdRecord[];
  bijstand: BijstandRecord[];
  schuld: SchuldRecord[];
  signals: SignalRecord[];
  verzuim: VerzuimRecord[];
  multiProblem: MultiProblem[];
  policy: {
    buurten: Buurt[];
    startDay: Day;
    effect: number;
    years: PolicyYear[];
    schuldhulpUptakeFactor: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Calibration (rates per month unless stated; see CALIBRATION.md for the sources of the targets)

/** Bijstand: ~1,608 recipients (Dec 2021) → ~1,385 (2024) at 56k inhabitants; mean spell ~3.5 yr. */
const BIJSTAND_OUT = 1 / 42;
const BIJSTAND_IN = 0.00285;
const BIJSTAND_IN_FROM_2022 = 0.53;
/** Problematic debts: ~10 % of households (estimate for Den Helder 2020); mean ~2.5 years. */
const DEBT_OUT = 1 / 30;
const DEBT_IN = 0.0042;
/** Arrears signals: ~5.5 per 1,000 inhabitants per month in 2023; most from households in debt. */
const SIGNAL_RATE_DEBT = 0.071;
const SIGNAL_RATE_OTHER = 0.0019;
const SIGNAL_YEAR: Record<number, number> = {
  2019: 0.35,
  2020: 0.5,
  2021: 0.62,
  2022: 0.82,
  2023: 1.0,
  2024: 1.1,
};
const PARTNER_SHARE: Record<PartnerType, number> = {
  zorgverzekeraar: 35,
  water: 25,
  woningcorporatie: 20,
  energie: 20,
};
/** Schuldhulp: ~1.2–1.5 % of households per year register. */
const SCHULD_IN_DEBT = 0.0105;
const SCHULD_IN_OTHER = 0.00015;
/** Wmo: ~70–80 clients per 1,000 inhabitants; prevalence by age. */
const WMO_OUT = 1 / 60;
/** Jeugdhulp: ~13 % of 0–17 year olds in care in a half-year (Den Helder 2019). */
const JEUGD_IN = 0.0102;
/** Verzuim per 1,000 pupils per school year: relative 23.3, absolute 1.8 (NL 2018). */
const VERZUIM_REL = 0.0233;
const VERZUIM_ABS = 0.0018;

/** The policy measure: outreach in chosen buurten reduces the arrears-signal rate. */
const POLICY_EFFECT = -0.3;
const POLICY_START_MONTH = 36; // January 2022
const POLICY_SCHULD_UPTAKE = 1.5;

const JEUGD_TYPES: readonly (readonly [string, number, number, number])[] = [
  // [soort hulp, share, mean duration in months, cost per month (EUR)]
  ['Jeugdhulp ambulant', 52, 8, 620],
  ['Jeugd-GGZ', 16, 10, 720],
  ['Dagbehandeling', 7, 9, 2100],
  ['Pleegzorg', 5, 26, 1350],
  ['Jeugdhulp met verblijf', 4, 11, 8800],
  ['Jeugdbescherming', 12, 15, 560],
  ['Jeugdreclassering', 4, 10, 470],
];

const WMO_BY_AGE: readonly (readonly [number, readonly (readonly [string, number])[]])[] = [
  [
    18,
    [
      ['Hulpmiddel', 50],
      ['Woningaanpassing', 30],
      ['Vervoer', 20],
    ],
  ],
  [
    65,
    [
      ['Begeleiding', 45],
      ['Huishoudelijke hulp', 20],
      ['Hulpmiddel', 15],
      ['Vervoer', 10],
      ['Woningaanpassing', 10],
    ],
  ],
  [
    200,
    [
      ['Huishoudelijke hulp', 45],
      ['Hulpmiddel', 25],
      ['Vervoer', 15],
      ['Woningaanpassing', 10],
      ['Begeleiding', 5],
    ],
  ],
];

function wmoPrevalence(age: number): number {
  if (age < 18) return 0.008;
  if (age < 65) return 0.046;
  if (age < 75) return 0.15;
  if (age < 85) return 0.38;
  return 0.66;
}

const DAYS_PER_YEAR = 365.2425;

// ---------------------------------------------------------------------------------------------

function monthRange(m: number, a: Day, b: Day): [Day, Day] {
  return [Math.max(monthFirst(m), a), Math.min(monthFirst(m + 1) - 1, b)];
}

/**
 * A two-state monthly process on [from, to] ∩ history: entry with probability pIn(m), exit with
 * pOut(m). Someone already eligible before 2019 starts in the state with probability `prevalence0`
 * (the start is then drawn before 2019). Episodes still running at the end of the interval end on
 * its last day, or stay open (end null) when that is the reference date.
 */
export function markovEpisodes(
  rng: Rng,
  from: Day,
  to: Day,
  pIn: (m: number) => number,
  pOut: (m: number) => number,
  prevalence0: number,
  meanPriorDays: number,
): Episode[] {
  const a = Math.max(from, HISTORY_START);
  const b = Math.min(to, REF_DAY);
  if (a > b) return [];
  const out: Episode[] = [];
  let inState = false;
  let start = 0;
  if (from < HISTORY_START && rng.chance(prevalence0)) {
    inState = true;
    start = Math.max(from, HISTORY_START - 1 - Math.round(rng.exponential(meanPriorDays)));
  }
  const m1 = monthIndex(b);
  for (let m = monthIndex(a); m <= m1; m++) {
    const [ms, me] = monthRange(m, a, b);
    if (ms > me) continue;
    if (!inState) {
      if (rng.chance(pIn(m))) {
        start = rng.intBetween(ms, me);
        inState = true;
      }
    } else if (rng.chance(pOut(m))) {
      const lo = Math.max(ms, start + 1);
      if (lo <= me) {
        out.push({ start, end: rng.intBetween(lo, me) });
        inState = false;
      }
    }
  }
  if (inState) out.push({ start, end: b < REF_DAY ? b : null });
  return out;
}

function overlaps(e: Episode, a: Day, b: Day): boolean {
  return e.start <= b && (e.end === null || e.end >= a);
}

function activeOn(e: Episode, d: Day): boolean {
  return e.start <= d && (e.end === null || e.end >= d);
}

/** Mean of f over current households, to normalise vulnerability weights to mean 1. */
function meanOver(households: readonly Household[], f: (h: Household) => number): number {
  let s = 0;
  let n = 0;
  for (const h of households) {
    if (!h.current) continue;
    s += f(h);
    n++;
  }
  return n > 0 ? s / n : 1;
}

const adultsOn = (h: Household, d: Day): Person[] => h.members.filter((p) => ageOn(p.birth, d) >= 18);

export function buildSocial(world: World): SocialData {
  const { households } = world;
  const rng = world.rng.fork('social');
  const rDebt = rng.fork('debt');
  const rBij = rng.fork('bijstand');
  const rSig = rng.fork('signals');
  const rThin = rng.fork('thinning');
  const rSchuld = rng.fork('schuldhulp');
  const rWmo = rng.fork('wmo');
  const rJeugd = rng.fork('jeugd');
  const rVerz = rng.fork('verzuim');
  const rPlant = rng.fork('multiproblem');
  const rPolicy = rng.fork('policy');

  const wDebt = meanOver(households, (h) => h.vuln ** 1.0);
  const wBij = meanOver(households, (h) => h.vuln ** 1.0);
  const wYouth = meanOver(households, (h) => h.vuln ** 0.7);

  // --- the policy buurten: 4 deprived buurten with enough inhabitants ---------------------------
  const buurten = world.gemeente.buurten;
  const persons = world.persons.filter((p) => p.hh.current).length;
  const eligible = buurten.filter(
    (b) => (world.buurtTargets.get(b.code) ?? 0) >= Math.max(1, persons * 0.012),
  );
  const policyBuurten: Buurt[] = [];
  const pool = [...eligible];
  while (policyBuurten.length < 4 && pool.length > 0) {
    const i = rPolicy.weightedIndex(pool.map((b) => (world.buurtVuln.get(b.code) ?? 1) ** 4));
    policyBuurten.push(pool[i] as Buurt);
    pool.splice(i, 1);
  }
  policyBuurten.sort((a, b) => (a.code < b.code ? -1 : 1));
  const treated = new Set(policyBuurten.map((b) => b.code));
  const isTreated = (d: Dwelling, m: number): boolean => m >= POLICY_START_MONTH && treated.has(d.buurt.code);

  // --- planted multi-problem households (chosen first: their processes are forced) --------------
  const plantCandidates = households.filter(
    (h) =>
      h.current &&
      h.kind !== 'overbewoning' &&
      firstDay(h) < dayOf(2021, 6, 1) &&
      h.members.some((p) => {
        const a = ageOn(p.birth, REF_DAY);
        return a >= 20 && a <= 64;
      }),
  );
  const nPlant = Math.max(1, Math.round(0.012 * households.filter((h) => h.current).length));
  const planted: MultiProblem[] = [];
  {
    const weights = plantCandidates.map(
      (h) => Math.sqrt(h.vuln) * (h.members.some((p) => ageOn(p.birth, REF_DAY) < 18) ? 1.6 : 1),
    );
    const chosen = new Set<number>();
    const cum = cumulative(weights);
    while (planted.length < Math.min(nPlant, plantCandidates.length)) {
      const i = drawCumulative(rPlant, cum);
      if (chosen.has(i)) continue;
      chosen.add(i);
      const h = plantCandidates[i] as Household;
      planted.push({ household: h, problemStart: rPlant.intBetween(dayOf(2021, 7, 1), dayOf(2023, 6, 30)) });
    }
    planted.sort((a, b) => a.household.idx - b.household.idx);
  }
  const plantedStart = new Map<Household, Day>(planted.map((p) => [p.household, p.problemStart]));

  // --- debt trouble (latent) and arrears signals -------------------------------------------------
  const signals: SignalRecord[] = [];
  const debtEpisodes = new Map<Household, Episode[]>();
  const years: PolicyYear[] = [2019, 2020, 2021, 2022, 2023, 2024].map((year) => ({
    year,
    treated_expected_without_measure: 0,
    treated_expected_with_measure: 0,
    treated_counterfactual_realised: 0,
    treated_realised: 0,
    control_expected: 0,
    control_realised: 0,
  }));
  const partnerFor = (r: Rng, d: Dwelling): PartnerType =>
    r.weighted(
      PARTNER_TYPES.map(
        (t) => [t, t === 'woningcorporatie' && !d.corporation ? 0 : PARTNER_SHARE[t]] as const,
      ),
    );
  const amountFor = (r: Rng, t: PartnerType): number => {
    const [median, sigma] =
      t === 'woningcorporatie'
        ? [1150, 0.5]
        : t === 'energie'
          ? [520, 0.6]
          : t === 'water'
            ? [110, 0.5]
            : [420, 0.5];
    return Math.round(r.lognormal(median, sigma) * 100) / 100;
  };
  /** Record a signal that would occur without the measure; the measure may thin it away. */
  const emit = (
    h: Household,
    day: Day,
    partner: PartnerType,
    amount: number,
    plantedSignal: boolean,
  ): void => {
    const m = monthIndex(day);
    const d = dwellingAt(h, day);
    const y = years[Math.floor(m / 12)] as PolicyYear;
    const inTreatedBuurt = treated.has(d.buurt.code);
    if (inTreatedBuurt) y.treated_counterfactual_realised++;
    if (isTreated(d, m) && !rThin.chance(1 + POLICY_EFFECT)) return;
    if (inTreatedBuurt) y.treated_realised++;
    else y.control_realised++;
    const adults = adultsOn(h, day);
    const person = adults.length > 0 && !rSig.chance(0.7) ? rSig.pick(adults) : head(h);
    signals.push({ person, hh: h, dwelling: d, partner, day, amount, planted: plantedSignal });
  };

  for (const h of households) {
    const from = firstDay(h);
    const to = lastDay(h) ?? REF_DAY;
    const w = h.vuln ** 1.0 / wDebt;
    const pIn = DEBT_IN * w;
    const eps = markovEpisodes(
      rDebt,
      from,
      to,
      () => pIn,
      () => DEBT_OUT,
      pIn / (pIn + DEBT_OUT),
      500,
    );
    const ps = plantedStart.get(h);
    if (ps !== undefined) {
      // forced into debt from the problem start onwards
      const kept = eps.filter((e) => e.end !== null && e.end < ps - 30);
      const merged = eps.filter((e) => !(e.end !== null && e.end < ps - 30));
      const start = Math.min(ps, ...merged.map((e) => e.start));
      kept.push({ start, end: null });
      debtEpisodes.set(h, kept);
    } else {
      debtEpisodes.set(h, eps);
    }
    const episodes = debtEpisodes.get(h) ?? [];
    const a = Math.max(from, HISTORY_START);
    const b = Math.min(to, REF_DAY);
    if (a > b) continue;
    for (let m = monthIndex(a); m <= monthIndex(b); m++) {
      const [ms, me] = monthRange(m, a, b);
      if (ms > me) continue;
      const mid = (ms + me) >> 1;
      const inDebt = episodes.some((e) => activeOn(e, mid));
      const frac = (me - ms + 1) / (monthFirst(m + 1) - monthFirst(m));
      const rate =
        (inDebt ? SIGNAL_RATE_DEBT : SIGNAL_RATE_OTHER) *
        (SIGNAL_YEAR[2019 + Math.floor(m / 12)] ?? 1) *
        frac;
      const d = dwellingAt(h, mid);
      const y = years[Math.floor(m / 12)] as PolicyYear;
      if (treated.has(d.buurt.code)) {
        y.treated_expected_without_measure += rate;
        y.treated_expected_with_measure += isTreated(d, m) ? rate * (1 + POLICY_EFFECT) : rate;
      } else {
        y.control_expected += rate;
      }
      const n = rSig.poisson(rate);
      for (let k = 0; k < n; k++) {
        const day = rSig.intBetween(ms, me);
        const partner = partnerFor(rSig, dwellingAt(h, day));
        emit(h, day, partner, amountFor(rSig, partner), false);
      }
    }
  }

  // planted signals: from 2–4 partner types, 2–5 each, from the problem start (≥ 2022) on
  for (const mp of planted) {
    const h = mp.household;
    const d = currentDwelling(h);
    const types = PARTNER_TYPES.filter((t) => t !== 'woningcorporatie' || d.corporation);
    const nTypes = Math.min(
      types.length,
      rPlant.weighted([
        [2, 5],
        [3, 4],
        [4, 1],
      ]),
    );
    const chosen = rPlant.sample(rPlant.shuffle([...types]), nTypes);
    const lo = Math.max(mp.problemStart, dayOf(2022, 1, 1));
    for (const t of chosen) {
      const n = rPlant.intBetween(2, 4);
      for (let k = 0; k < n; k++) {
        const day = rPlant.intBetween(lo, REF_DAY);
        const m = monthIndex(day);
        const dd = dwellingAt(h, day);
        const y = years[Math.floor(m / 12)] as PolicyYear;
        if (treated.has(dd.buurt.code)) {
          y.treated_expected_without_measure += 1;
          y.treated_expected_with_measure += isTreated(dd, m) ? 1 + POLICY_EFFECT : 1;
        } else {
          y.control_expected += 1;
        }
        emit(h, day, t, amountFor(rPlant, t), true);
      }
    }
  }
  for (const y of years) {
    y.treated_expected_without_measure = round2(y.treated_expected_without_measure);
    y.treated_expected_with_measure = round2(y.treated_expected_with_measure);
    y.control_expected = round2(y.control_expected);
  }

  // --- schuldhulp ------------------------------------------------------------------------------
  const schuld: SchuldRecord[] = [];
  for (const h of households) {
    const from = Math.max(firstDay(h), HISTORY_START);
    const to = Math.min(lastDay(h) ?? REF_DAY, REF_DAY);
    if (from > to) continue;
    const episodes = debtEpisodes.get(h) ?? [];
    let busyUntil = -Infinity;
    for (let m = monthIndex(from); m <= monthIndex(to); m++) {
      const [ms, me] = monthRange(m, from, to);
      if (ms > me || ms <= busyUntil) continue;
      const mid = (ms + me) >> 1;
      const inDebt = episodes.some((e) => activeOn(e, mid));
      const uptake =
        treated.has(dwellingAt(h, mid).buurt.code) && m >= POLICY_START_MONTH ? POLICY_SCHULD_UPTAKE : 1;
      if (!rSchuld.chance((inDebt ? SCHULD_IN_DEBT : SCHULD_IN_OTHER) * uptake)) continue;
      const aanmeld = rSchuld.intBetween(ms, me);
      const rec = schuldTrajectory(rSchuld, head(h), aanmeld, to, false);
      schuld.push(rec);
      busyUntil = rec.end ?? Infinity;
    }
  }

  // --- bijstand --------------------------------------------------------------------------------
  const bijstand: BijstandRecord[] = [];
  for (const h of households) {
    const hd = head(h);
    const from = Math.max(firstDay(h), birthdayAt(hd.birth, 18));
    const to = Math.min(lastDay(h) ?? REF_DAY, birthdayAt(hd.birth, 67) - 1);
    const w = h.vuln ** 1.0 / wBij;
    const pIn0 = BIJSTAND_IN * w;
    let eps = markovEpisodes(
      rBij,
      from,
      to,
      (m) => pIn0 * (m >= 36 ? BIJSTAND_IN_FROM_2022 : 1),
      () => BIJSTAND_OUT,
      pIn0 / (pIn0 + BIJSTAND_OUT),
      900,
    );
    const ps = plantedStart.get(h);
    if (ps !== undefined) {
      const s = ps + rPlant.intBetween(0, 120);
      const kept = eps.filter((e) => e.end !== null && e.end < s - 60);
      const merged = eps.filter((e) => !(e.end !== null && e.end < s - 60));
      kept.push({ start: Math.min(s, ...merged.map((e) => e.start)), end: null });
      eps = kept;
    }
    for (const e of eps) {
      bijstand.push({
        person: hd,
        start: e.start,
        end: e.end,
        bedrag: bijstandAmount(rBij, h, e.start),
        planted: ps !== undefined && e.end === null,
      });
    }
  }

  // --- wmo (persons) -----------------------------------------------------------------------------
  const wmo: WmoRecord[] = [];
  const wmoSeq = new Map<number, number>();
  const wmoNr = (start: Day): string => {
    const y = yearOf(start);
    const n = (wmoSeq.get(y) ?? 0) + 1;
    wmoSeq.set(y, n);
    return `WMO-${y}-${String(n).padStart(5, '0')}`;
  };
  const wmoProvisions = (p: Person, ep: Episode, planted: boolean, only?: string): void => {
    const age = ageOn(p.birth, ep.start);
    const mix = (WMO_BY_AGE.find(([lim]) => age < lim) ?? WMO_BY_AGE[2])?.[1] ?? [];
    const n = only
      ? 1
      : rWmo.weighted([
          [1, 58],
          [2, 29],
          [3, 13],
        ]);
    const types: string[] = only ? [only] : [];
    while (types.length < n) {
      const t = rWmo.weighted(mix);
      if (!types.includes(t)) types.push(t);
      if (types.length >= mix.length) break;
    }
    const epEnd = ep.end ?? REF_DAY;
    types.forEach((t, i) => {
      const start = i === 0 ? ep.start : ep.start + Math.round(rWmo.next() * 0.5 * (epEnd - ep.start));
      let end: Day | null = ep.end;
      if (t === 'Woningaanpassing') {
        const e = start + rWmo.intBetween(14, 150);
        end = e <= epEnd ? e : ep.end === null ? null : ep.end;
      }
      if (end !== null && end < HISTORY_START) return;
      if (start > REF_DAY) return;
      wmo.push({ person: p, voorziening: t, start, end, nr: '', planted });
    });
  };
  for (const h of households) {
    const from = firstDay(h);
    const to = lastDay(h) ?? REF_DAY;
    const vf = Math.sqrt(h.vuln);
    for (const p of h.members) {
      const pFrom = Math.max(from, p.birth);
      const age0 = (HISTORY_START - p.birth) / DAYS_PER_YEAR;
      const pIn = (m: number): number => {
        const age = (monthFirst(m) - p.birth) / DAYS_PER_YEAR;
        const pi = wmoPrevalence(age);
        return ((pi / (1 - pi)) * WMO_OUT * vf) / 1;
      };
      const pi0 = wmoPrevalence(age0);
      const p0 = (pi0 * vf) / (1 - pi0 + pi0 * vf);
      const eps = markovEpisodes(rWmo, pFrom, to, pIn, () => WMO_OUT, p0, 1100);
      for (const ep of eps) wmoProvisions(p, ep, false);
    }
  }

  // --- jeugdhulp (persons 0–17) --------------------------------------------------------------------
  const jeugd: JeugdRecord[] = [];
  const jeugdTrajectory = (
    p: Person,
    start: Day,
    limit: Day,
    planted: boolean,
    soort?: string,
  ): JeugdRecord => {
    const type = soort
      ? (JEUGD_TYPES.find((t) => t[0] === soort) ?? JEUGD_TYPES[0])!
      : rJeugd.weighted(JEUGD_TYPES.map((t) => [t, t[1]] as const));
    const months = Math.max(0.5, rJeugd.exponential(type[2]));
    const endRaw = start + Math.round(months * 30.44);
    const end = endRaw < limit ? endRaw : limit < REF_DAY ? limit : null;
    const spanMonths = ((end ?? REF_DAY) - start + 1) / 30.44;
    const kosten = Math.round(type[3] * spanMonths * rJeugd.lognormal(1, 0.35) * 100) / 100;
    return { person: p, soort: type[0], start, end, kosten, planted };
  };
  for (const h of households) {
    const hFrom = firstDay(h);
    const hTo = lastDay(h) ?? REF_DAY;
    const w = h.vuln ** 0.7 / wYouth;
    for (const p of h.members) {
      const from = Math.max(hFrom, p.birth);
      const to = Math.min(hTo, birthdayAt(p.birth, 18) - 1, REF_DAY);
      if (from > to || to < HISTORY_START) continue;
      const lam = JEUGD_IN * w;
      let t = Math.max(from, HISTORY_START);
      if (from < HISTORY_START && rJeugd.chance((lam * 10) / (1 + lam * 10))) {
        const rec = jeugdTrajectory(
          p,
          Math.max(from, HISTORY_START - 1 - Math.round(rJeugd.exponential(200))),
          to,
          false,
        );
        if (rec.end === null || rec.end >= HISTORY_START) jeugd.push(rec);
        t = rec.end === null ? Infinity : rec.end + 1;
      }
      while (t <= to) {
        const wait = Math.round(rJeugd.exponential(30.44 / lam));
        t += wait;
        if (t > to) break;
        const rec = jeugdTrajectory(p, t, to, false);
        jeugd.push(rec);
        if (rec.end === null) break;
        t = rec.end + 1;
      }
    }
  }

  // --- verzuim (pupils 5–17) ---------------------------------------------------------------------
  const verzuim: VerzuimRecord[] = [];
  for (const h of households) {
    const hFrom = firstDay(h);
    const hTo = lastDay(h) ?? REF_DAY;
    const w = h.vuln ** 0.7 / wYouth;
    for (const p of h.members) {
      for (let sy = 2018; sy <= 2024; sy++) {
        const age = ageOn(p.birth, dayOf(sy, 10, 1));
        if (age < 5 || age > 17) continue;
        const lo = Math.max(dayOf(sy, 9, 1), hFrom, HISTORY_START);
        const hi = Math.min(dayOf(sy + 1, 6, 30), hTo, REF_DAY);
        if (lo > hi) continue;
        const frac = (hi - lo + 1) / (dayOf(sy + 1, 6, 30) - dayOf(sy, 9, 1) + 1);
        if (rVerz.chance(VERZUIM_REL * w * frac)) {
          const reps = rVerz.chance(0.2) ? 2 : 1;
          for (let k = 0; k < reps; k++) verzuim.push(verzuimRecord(rVerz, p, sy, lo, hi, 'relatief', false));
        }
        if (age >= 6 && rVerz.chance(VERZUIM_ABS * w * frac))
          verzuim.push(verzuimRecord(rVerz, p, sy, lo, hi, 'absoluut', false));
      }
    }
  }

  // --- planted extra domains: at least two of schuldhulp / jeugdhulp / verzuim / wmo --------------
  for (const mp of planted) {
    const h = mp.household;
    const lo = Math.max(mp.problemStart, dayOf(2022, 1, 1));
    const youth = h.members.filter((p) => ageOn(p.birth, lo) < 17);
    const pupils = h.members.filter((p) => {
      const a = ageOn(p.birth, lo);
      return a >= 5 && a <= 16;
    });
    const adults = h.members.filter((p) => ageOn(p.birth, lo) >= 18);
    const options: Domain[] = ['schuldhulp'];
    if (youth.length > 0) options.push('jeugdhulp');
    if (pupils.length > 0) options.push('verzuim');
    if (adults.length > 0) options.push('wmo');
    const n = Math.min(
      options.length,
      Math.max(
        2,
        rPlant.weighted([
          [2, 6],
          [3, 3],
          [4, 1],
        ]),
      ),
    );
    const picks = options.length <= n ? options : rPlant.sample(rPlant.shuffle([...options]), n);
    for (const dom of picks) {
      const day = rPlant.intBetween(lo, Math.max(lo, REF_DAY - 60));
      if (dom === 'schuldhulp') schuld.push(schuldTrajectory(rPlant, head(h), day, REF_DAY, true));
      else if (dom === 'jeugdhulp') {
        const p = rPlant.pick(youth);
        const limit = Math.min(birthdayAt(p.birth, 18) - 1, REF_DAY);
        jeugd.push(jeugdTrajectory(p, Math.min(day, limit), limit, true));
      } else if (dom === 'verzuim') {
        const p = rPlant.pick(pupils);
        const sy = yearOf(day) - (day < dayOf(yearOf(day), 9, 1) ? 1 : 0);
        const sLo = Math.max(dayOf(sy, 9, 1), lo);
        const sHi = Math.min(dayOf(sy + 1, 6, 30), REF_DAY);
        const [a, b] = sLo <= sHi ? [sLo, sHi] : [dayOf(2023, 9, 1), dayOf(2024, 6, 30)];
        verzuim.push(verzuimRecord(rPlant, p, sLo <= sHi ? sy : 2023, a, b, 'relatief', true));
      } else {
        const p = rPlant.pick(adults);
        wmoProvisions(p, { start: day, end: null }, true, 'Begeleiding');
      }
    }
  }

  // --- ordering and numbering ---------------------------------------------------------------------
  const byDay = <T>(xs: T[], key: (x: T) => number, tie: (x: T) => number): T[] =>
    xs
      .map((x, i) => ({ x, k: key(x), t: tie(x), i }))
      .sort((p, q) => p.k - q.k || p.t - q.t || p.i - q.i)
      .map((e) => e.x);
  const wmoSorted = byDay(
    wmo,
    (r) => r.start,
    (r) => r.person.idx,
  );
  for (const r of wmoSorted) r.nr = wmoNr(r.start);

  return {
    wmo: wmoSorted,
    jeugd: byDay(
      jeugd,
      (r) => r.start,
      (r) => r.person.idx,
    ),
    bijstand: byDay(
      bijstand,
      (r) => r.start,
      (r) => r.person.idx,
    ),
    schuld: byDay(
      schuld,
      (r) => r.aanmeld,
      (r) => r.person.idx,
    ),
    signals: byDay(
      signals,
      (r) => r.day,
      (r) => r.person.idx,
    ),
    verzuim: byDay(
      verzuim,
      (r) => r.day,
      (r) => r.person.idx,
    ),
    multiProblem: planted,
    policy: {
      buurten: policyBuurten,
      startDay: monthFirst(POLICY_START_MONTH),
      effect: POLICY_EFFECT,
      years,
      schuldhulpUptakeFactor: POLICY_SCHULD_UPTAKE,
    },
  };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function schuldTrajectory(rng: Rng, p: Person, aanmeld: Day, limit: Day, planted: boolean): SchuldRecord {
  const outcome = rng.weighted([
    ['Afgerond', 55],
    ['Uitgevallen', 30],
    ['Afgewezen', 15],
  ] as const);
  const months =
    outcome === 'Afgewezen'
      ? rng.between(0.3, 2)
      : outcome === 'Uitgevallen'
        ? rng.between(2, 14)
        : rng.between(6, 40);
  const endRaw = aanmeld + Math.round(months * 30.44);
  if (endRaw <= Math.min(limit, REF_DAY) && !(planted && outcome !== 'Afgerond' && rng.chance(0.7))) {
    return { person: p, aanmeld, status: outcome, end: endRaw, planted };
  }
  if (limit < REF_DAY) return { person: p, aanmeld, status: 'Uitgevallen', end: limit, planted };
  const running = REF_DAY - aanmeld;
  const status =
    running < 60
      ? 'Aangemeld'
      : running < 240
        ? 'In behandeling'
        : rng.chance(0.5)
          ? 'Stabilisatie'
          : 'Schuldregeling';
  return { person: p, aanmeld, status, end: null, planted };
}

/** Monthly bijstand norm (EUR) at the start date, by household type, with partial benefits. */
function bijstandAmount(rng: Rng, h: Household, start: Day): number {
  const index: Record<number, number> = {
    2019: 1.0,
    2020: 1.02,
    2021: 1.04,
    2022: 1.06,
    2023: 1.19,
    2024: 1.24,
  };
  const y = Math.min(2024, Math.max(2019, yearOf(start)));
  const adults = h.members.filter((p) => ageOn(p.birth, start) >= 18).length;
  const base = adults >= 2 ? 1443 : 1010;
  const partial = rng.chance(0.22) ? rng.between(0.25, 0.9) : 1;
  return Math.round(base * (index[y] ?? 1) * partial * 100) / 100;
}

function verzuimRecord(
  rng: Rng,
  p: Person,
  sy: number,
  lo: Day,
  hi: Day,
  soort: 'relatief' | 'absoluut',
  planted: boolean,
): VerzuimRecord {
  let day = rng.intBetween(lo, hi);
  const c = new Date(day * 86400000).getUTCDay();
  if (c === 0) day = Math.min(hi, day + 1);
  if (c === 6) day = Math.max(lo, day - 1);
  return {
    person: p,
    schooljaar: `${sy}-${sy + 1}`,
    soort,
    uren: soort === 'relatief' ? rng.intBetween(16, 96) : null,
    day,
    planted,
  };
}

/** For each current household: the domains with a record overlapping 2022-01-01 … 2024-12-31. */
export function householdDomains(
  data: SocialData,
): Map<Household, { domains: Set<Domain>; partners: Set<PartnerType> }> {
  const lo = dayOf(2022, 1, 1);
  const hi = REF_DAY;
  const out = new Map<Household, { domains: Set<Domain>; partners: Set<PartnerType> }>();
  const get = (h: Household): { domains: Set<Domain>; partners: Set<PartnerType> } => {
    let e = out.get(h);
    if (!e) {
      e = { domains: new Set(), partners: new Set() };
      out.set(h, e);
    }
    return e;
  };
  for (const s of data.signals) {
    if (s.day < lo || s.day > hi || !s.hh.current) continue;
    const e = get(s.hh);
    e.domains.add('vroegsignalering');
    e.partners.add(s.partner);
  }
  const ep = (h: Household, d: Domain, start: Day, end: Day | null): void => {
    if (h.current && overlaps({ start, end }, lo, hi)) get(h).domains.add(d);
  };
  for (const r of data.bijstand) ep(r.person.hh, 'bijstand', r.start, r.end);
  for (const r of data.schuld) ep(r.person.hh, 'schuldhulp', r.aanmeld, r.end);
  for (const r of data.jeugd) ep(r.person.hh, 'jeugdhulp', r.start, r.end);
  for (const r of data.wmo) ep(r.person.hh, 'wmo', r.start, r.end);
  for (const r of data.verzuim) ep(r.person.hh, 'verzuim', r.day, r.day);
  return out;
}
