/**
 * Which unknowns of a homogeneous linear system are fixed by it, computed by Gauss–Jordan
 * elimination modulo two primes below 2^26 (so every product stays an exact double).
 *
 * Used by `disclosure.ts` only. An unknown x_j is fixed when the unit vector e_j lies in the row
 * space, which is the case exactly when the reduced row echelon form has a row whose only non-zero
 * entry is in column j. Working modulo a prime p can differ from working over the rationals only
 * when p divides a minor of the matrix; with 0/±1 coefficients and two primes of ~6.7·10^7 that does
 * not happen at the sizes of a municipal table. A column is reported as fixed when either prime
 * says so, so the rare error can only add a suppression, never miss one. The auditor checks the same
 * property independently with exact rational arithmetic.
 */

const PRIMES = [67108859, 67108837] as const;

function modInverse(a: number, p: number): number {
  let [oldR, r] = [a, p];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % p) + p) % p;
}

function fixedModulo(
  rows: ReadonlyArray<ReadonlyMap<number, number>>,
  columns: number,
  p: number,
): Set<number> {
  const m = rows.map((row) => {
    const dense = new Array<number>(columns).fill(0);
    for (const [col, coef] of row) dense[col] = ((coef % p) + p) % p;
    return dense;
  });
  let rank = 0;
  for (let c = 0; c < columns && rank < m.length; c++) {
    let pivot = -1;
    for (let i = rank; i < m.length; i++) {
      if ((m[i] as number[])[c] !== 0) {
        pivot = i;
        break;
      }
    }
    if (pivot < 0) continue;
    const swap = m[pivot] as number[];
    m[pivot] = m[rank] as number[];
    m[rank] = swap;
    const pr = swap;
    const inv = modInverse(pr[c] as number, p);
    for (let j = c; j < columns; j++) pr[j] = ((pr[j] as number) * inv) % p;
    for (let i = 0; i < m.length; i++) {
      const row = m[i] as number[];
      const f = row[c] as number;
      if (i === rank || f === 0) continue;
      for (let j = c; j < columns; j++) {
        const v = pr[j] as number;
        if (v !== 0) row[j] = ((row[j] as number) - ((f * v) % p) + p) % p;
      }
    }
    rank++;
  }
  const fixed = new Set<number>();
  for (let i = 0; i < rank; i++) {
    const row = m[i] as number[];
    let only = -1;
    let nonZero = 0;
    for (let j = 0; j < columns; j++) {
      if (row[j] !== 0) {
        nonZero++;
        only = j;
      }
    }
    if (nonZero === 1) fixed.add(only);
  }
  return fixed;
}

/**
 * The columns (unknowns) whose value follows from the system `rows · x = b` whatever `b` is.
 * Each row maps a column index to an integer coefficient.
 */
export function fixedUnknowns(
  rows: ReadonlyArray<ReadonlyMap<number, number>>,
  columns: number,
): Set<number> {
  const fixed = new Set<number>();
  for (const p of PRIMES) for (const c of fixedModulo(rows, columns, p)) fixed.add(c);
  return fixed;
}
