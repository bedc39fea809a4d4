/** The in-memory world the generator builds before it writes any file. */
import type { Buurt, Gemeente, Point } from './areas.js';
import type { Day } from './dates.js';
import type { Origin } from './names.js';
import type { Rng } from './random.js';

export interface Dwelling {
  idx: number;
  vboId: string;
  buurt: Buurt;
  residential: boolean;
  /** BAG gebruiksdoel (woonfunctie, winkelfunctie, …). */
  gebruiksdoel: string;
  street: string;
  huisnummer: number;
  huisletter: string;
  toevoeging: string;
  postcode: string;
  woonplaats: string;
  oppervlakte: number;
  bouwjaar: number;
  pt: Point;
  /** Rented from the housing corporation (drives landlord arrears signals). */
  corporation: boolean;
  /** Households that live or lived here, in order of arrival (filled by population). */
  occupants: Household[];
}

export type Sex = 'M' | 'V';

export interface Person {
  idx: number;
  bsn: number;
  voornamen: string;
  voorvoegsel: string;
  geslachtsnaam: string;
  birth: Day;
  sex: Sex;
  hh: Household;
  /** Day the person joined the household's address, when later than the stay (planted lodgers). */
  joined?: Day;
}

export type HouseholdKind = 'single' | 'couple' | 'family' | 'singleparent' | 'other' | 'overbewoning';

export interface Stay {
  dwelling: Dwelling;
  from: Day;
  /** Day of leaving (Datum vertrek); null = still living there on the reference date. */
  to: Day | null;
}

export interface Household {
  idx: number;
  kind: HouseholdKind;
  origin: Origin;
  members: Person[];
  /** Addresses in time order; the last one is the current one for current households. */
  stays: Stay[];
  /** Living in the municipality on the reference date. */
  current: boolean;
  /** Latent vulnerability (mean 1 over current households): drives the social-domain rates. */
  vuln: number;
}

export interface World {
  rng: Rng;
  gemeente: Gemeente;
  /** persons / 56,432: multiplies every count that is not driven by the population itself. */
  scale: number;
  dwellings: Dwelling[];
  households: Household[];
  persons: Person[];
  /** Persons per wijk code / buurt code living there on the reference date. */
  wijkTargets: Map<string, number>;
  buurtTargets: Map<string, number>;
  /** Relative deprivation per buurt code (drives vulnerability; mean about 1). */
  buurtVuln: Map<string, number>;
  /** Planted overcrowded addresses. */
  overcrowded: Dwelling[];
}

export function firstDay(h: Household): Day {
  return (h.stays[0] as Stay).from;
}

export function lastDay(h: Household): Day | null {
  return (h.stays[h.stays.length - 1] as Stay).to;
}

/** The household's address on a day (the last stay that began on or before it). */
export function dwellingAt(h: Household, day: Day): Dwelling {
  let d = (h.stays[0] as Stay).dwelling;
  for (const s of h.stays) if (s.from <= day) d = s.dwelling;
  return d;
}

export function currentDwelling(h: Household): Dwelling {
  return (h.stays[h.stays.length - 1] as Stay).dwelling;
}

/** The oldest member (the applicant for household-level provisions). */
export function head(h: Household): Person {
  let best = h.members[0] as Person;
  for (const p of h.members) if (p.birth < best.birth) best = p;
  return best;
}
