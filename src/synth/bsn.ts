/**
 * Burgerservicenummers: 9 digits passing the elfproef
 * (9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 mod 11). Numbers are kept as integers and written with
 * leading zeros (`padStart(9, '0')`).
 */
import type { Rng } from './random.js';

export function formatBsn(n: number): string {
  return String(n).padStart(9, '0');
}

/** The elfproef on a 9-digit string (8-digit strings are padded, as the BRP does for old numbers). */
export function isValidBsn(text: string): boolean {
  const s = text.trim().padStart(9, '0');
  if (!/^\d{9}$/.test(s) || s === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (s.charCodeAt(i) - 48);
  sum -= s.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

/** Unique valid BSNs; about 4 % start with a 0 (so files must keep leading zeros). */
export class BsnFactory {
  private readonly used = new Set<number>();

  constructor(private readonly rng: Rng) {}

  next(): number {
    for (;;) {
      const first = this.rng.chance(0.04) ? 0 : this.rng.intBetween(1, 9);
      const digits = [first];
      for (let i = 1; i < 8; i++) digits.push(this.rng.int(10));
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += (9 - i) * (digits[i] as number);
      const check = sum % 11;
      if (check === 10) continue;
      const n = digits.reduce((acc, d) => acc * 10 + d, 0) * 10 + check;
      if (n < 10000000 || this.used.has(n)) continue;
      this.used.add(n);
      return n;
    }
  }

  /** A mistyped copy of a valid BSN: one digit changed, which always fails the elfproef. */
  corrupt(bsn: number): number {
    const s = formatBsn(bsn).split('');
    for (;;) {
      const pos = this.rng.int(9);
      const old = Number(s[pos]);
      const digit = (old + 1 + this.rng.int(9)) % 10;
      const t = [...s];
      t[pos] = String(digit);
      const n = Number(t.join(''));
      if (!isValidBsn(formatBsn(n)) && !this.used.has(n)) return n;
    }
  }
}
