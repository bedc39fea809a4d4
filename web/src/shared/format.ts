import type { Label, ValueStatus } from './api.js';

const locale = (lang: string): string => (lang === 'en' ? 'en-GB' : 'nl-NL');

/** A number as the reader's language writes it, with the indicator's decimals. */
export function formatNumber(value: number | null | undefined, decimals: number, lang: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  return new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}

/** A signed difference: +1,2 or −0,4 (a real minus sign). */
export function formatSigned(value: number | null | undefined, decimals: number, lang: string): string {
  if (value === null || value === undefined) return '';
  const s = formatNumber(Math.abs(value), decimals, lang);
  return value > 0 ? `+${s}` : value < 0 ? `−${s}` : s;
}

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The label in the reader's language (English falls back to Dutch). */
export const labelOf = (label: Label, lang: string): string =>
  lang === 'en' && label.en ? label.en : label.nl;

/** A value, or the reason it has none — suppressed, missing and not applicable stay distinct. */
export function valueText(
  value: number | null,
  status: ValueStatus,
  decimals: number,
  lang: string,
  t: (key: string) => string,
): string {
  if (status === 'ok' && value !== null) return formatNumber(value, decimals, lang);
  return t(`status.${status}`);
}

/** A period (2024, 2024-06-30, 2024Q2) as a reader sees it. */
export function periodText(period: string): string {
  return /^\d{4}-12-31$/.test(period) ? period.slice(0, 4) : period;
}

/** A date (no time) as the reader's language writes it: 12 maart 2025. */
export function formatDate(date: Date | string, lang: string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return String(date);
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long' }).format(d);
}

/** The calendar year of a period (2024, 2024-06-30, 2024Q2 → 2024). */
export const yearOf = (period: string): string => period.slice(0, 4);

/** The latest period of a list of periods (sorted as strings: 2023 < 2024 < 2024-Q1). */
export function latestPeriod(periods: readonly string[] | undefined): string {
  if (!periods || periods.length === 0) return '';
  return [...periods].sort((a, b) => a.localeCompare(b))[periods.length - 1] as string;
}
