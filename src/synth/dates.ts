/**
 * Calendar dates as integer day numbers (days since 1970-01-01), so the generator never touches
 * time zones or the clock. Conversion after Howard Hinnant's civil-date algorithms.
 */

export type Day = number;

export function dayOf(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civil(d: Day): { year: number; month: number; day: number } {
  const z = d + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `dd-mm-jjjj`, the Dutch export format. */
export function fmtNl(d: Day): string {
  const c = civil(d);
  return `${p2(c.day)}-${p2(c.month)}-${c.year}`;
}

/** `jjjj-mm-dd` (ISO 8601). */
export function fmtIso(d: Day): string {
  const c = civil(d);
  return `${c.year}-${p2(c.month)}-${p2(c.day)}`;
}

export function yearOf(d: Day): number {
  return civil(d).year;
}

/** Whole years between a birth day and a day (the age on that day). */
export function ageOn(birth: Day, on: Day): number {
  const b = civil(birth);
  const o = civil(on);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age--;
  return age;
}

/** The day a person born on `birth` turns `years` (29 February births turn on 1 March). */
export function birthdayAt(birth: Day, years: number): Day {
  const b = civil(birth);
  const y = b.year + years;
  if (b.month === 2 && b.day === 29 && !isLeap(y)) return dayOf(y, 3, 1);
  return dayOf(y, b.month, b.day);
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return dayOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayOf(year, month, 1);
}

/** A JS Date at UTC midnight of the day (for spreadsheet cells). */
export function toUtcDate(d: Day): Date {
  return new Date(d * 86400000);
}

/** The reference date of the synthetic municipality: the population is counted on this day. */
export const REF_YEAR = 2024;
export const REF_DAY: Day = dayOf(2024, 12, 31);
/** First day of the six-year history. */
export const HISTORY_START: Day = dayOf(2019, 1, 1);
export const HISTORY_YEARS = [2019, 2020, 2021, 2022, 2023, 2024] as const;
export const MONTHS = 72;

/** First day of month `m` of the history (m = 0 is January 2019; m = 72 is January 2025). */
export function monthStart(m: number): Day {
  return dayOf(2019 + Math.floor(m / 12), (m % 12) + 1, 1);
}

const MONTH_STARTS: Day[] = Array.from({ length: MONTHS + 1 }, (_, m) => monthStart(m));

/** First day of month `m` (table lookup for 0 ≤ m ≤ 72). */
export function monthFirst(m: number): Day {
  return MONTH_STARTS[m] ?? monthStart(m);
}

/** Month index (0 = January 2019) of a day; clamped to [0, 71]. */
export function monthIndex(d: Day): number {
  if (d < (MONTH_STARTS[0] as number)) return 0;
  let lo = 0;
  let hi = MONTHS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((MONTH_STARTS[mid] as number) <= d) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
