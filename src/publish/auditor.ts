/**
 * The disclosure auditor: checks a published table from the published numbers alone, written
 * independently of the suppression code (it imports only types from `disclosure.ts`). It rebuilds
 * the additive equations from the table's areas and categories and plays the attacker:
 *
 * 1. single differencing, repeated: an equation with exactly one unknown cell gives that cell;
 *    a derived cell is then known for the next equations;
 * 2. groups: when a parent is known, parent − Σ known parts is the sum of its hidden parts; that
 *    sum must not be a small group, and when it is 0 every hidden part is 0 (counts are ≥ 0);
 * 3. combined equations (unless `combinedEquations: false`): exact rational elimination over all
 *    equations of the table finds every hidden cell that some combination of equations determines.
 *
 * Rounded tables (`roundedTo`) are read as intervals: a published multiple v of b stands for the
 * whole numbers t with v − b/2 ≤ t < v + b/2; derivations then give intervals, and a cell counts as
 * disclosed when its interval lies inside [1, k − 1] (certainly a small, non-empty group).
 */
import type {
  AreaNode,
  CellRef,
  DisclosureRules,
  PrimaryReason,
  ProtectedCell,
  PublishedCell,
  PublishedTable,
} from './disclosure.js';

export type FindingKind =
  /** (a) a published number that the rules forbid. */
  | 'published_sensitive'
  /** (b) a suppressed cell whose number an attacker can compute. */
  | 'derivable'
  /** the hidden parts of an equation together form a small group. */
  | 'group_below_k'
  /** (c) a suppressed cell that still carries a number (for example 0) instead of only the marker. */
  | 'suppressed_not_marked'
  /** the table contradicts itself or its declaration. */
  | 'inconsistent';

export interface Interval {
  low: number;
  high: number;
}

/** The additive quantities the auditor derives: unit counts, sums (sum tables), denominators (ratio tables). */
export type Quantity = 'count' | 'value' | 'denominator';

export interface AuditFinding {
  table: string;
  kind: FindingKind;
  /** `error`: a disclosure or a broken rule. `warning`: protection is weaker than it looks. */
  severity: 'error' | 'warning';
  /** The cell concerned (for a group: the parent); area and period are '' for a table-level finding. */
  cell: CellRef;
  /** The rule that makes it a disclosure, or `primary` for a recovered primary-suppressed cell. */
  rule?: 'below_k' | 'small_denominator' | 'primary';
  /** Derivations only. */
  quantity?: Quantity;
  method?: 'single' | 'nonnegative' | 'combination';
  derived?: Interval;
  /** How it was found, with the numbers. */
  detail: string;
}

const DEFAULTS = { k: 5, minDenominator: 10, zeroIsSafe: true, combinedEquations: true };
type AuditRules = typeof DEFAULTS & { roundTo?: number };

interface ACell {
  ref: CellRef;
  label: string;
  status: string;
  reason?: string;
  /** Published numbers per quantity (intervals when rounded); `null` when unknown. */
  pub: Record<Quantity, Interval | null>;
}

interface AEquation {
  label: string;
  parts: string;
  parent: number;
  children: number[];
}

const PLURAL: Record<string, string> = { gemeente: 'gemeenten', wijk: 'wijken', buurt: 'buurten' };

/**
 * Checks `published` against `rules` (defaults: k 5, minDenominator 10, zeros safe, combined
 * equations checked). Returns every finding; an empty list means the table passes.
 */
export function verify(published: PublishedTable, rules: Partial<DisclosureRules> = {}): AuditFinding[] {
  const r: AuditRules = { ...DEFAULTS };
  if (rules.k !== undefined) r.k = rules.k;
  if (rules.minDenominator !== undefined) r.minDenominator = rules.minDenominator;
  if (rules.zeroIsSafe !== undefined) r.zeroIsSafe = rules.zeroIsSafe;
  if (rules.combinedEquations !== undefined) r.combinedEquations = rules.combinedEquations;
  if (rules.roundTo !== undefined) r.roundTo = rules.roundTo;
  return new Audit(published, r).run();
}

class Audit {
  readonly findings: AuditFinding[] = [];
  readonly cells: ACell[] = [];
  /** Cell position by area × category × period. */
  readonly index = new Map<string, number>();
  readonly equations: AEquation[] = [];
  readonly minDenominator: number;
  readonly base: number | undefined;
  readonly quantities: Quantity[];

  constructor(
    readonly t: PublishedTable,
    readonly r: AuditRules,
  ) {
    this.minDenominator = t.minDenominator ?? r.minDenominator;
    this.base = t.roundedTo;
    this.quantities = ['count'];
    if (t.measure === 'sum') this.quantities.push('value');
    if (t.measure === 'ratio') this.quantities.push('denominator');
  }

  run(): AuditFinding[] {
    if (this.r.roundTo !== undefined && this.base !== this.r.roundTo)
      this.report({
        kind: 'inconsistent',
        severity: 'error',
        cell: { area: '', period: '' },
        detail: `the rules ask for counts rounded to ${this.r.roundTo}, the table declares ${this.base === undefined ? 'no rounding' : `rounding to ${this.base}`}`,
      });
    this.readCells();
    this.buildEquations();
    for (const q of this.quantities) this.derive(q);
    return this.findings;
  }

  private report(f: Omit<AuditFinding, 'table'>): void {
    this.findings.push({ table: this.t.id, ...f });
  }

  // -- reading -------------------------------------------------------------------------------

  /** The whole numbers a published (possibly rounded) count stands for. */
  private interval(v: number): Interval {
    if (this.base === undefined) return { low: v, high: v };
    const b = this.base;
    return { low: Math.max(0, Math.ceil(v - b / 2)), high: Math.ceil(v + b / 2) - 1 };
  }

  private inSmallRange(iv: Interval, limit: number): boolean {
    return iv.low >= 1 && iv.high <= limit - 1;
  }

  private readCells(): void {
    const { t, index } = this;
    const areas = new Set(t.areas.map((a) => a.code));
    const members = t.categories ? new Set([t.categories.total, ...t.categories.members]) : null;
    for (const c of t.cells) {
      const ref: CellRef = { area: c.area, period: c.period };
      if (c.category !== undefined) ref.category = c.category;
      const label = [c.area, c.category, c.period].filter((x) => x !== undefined).join(' ');
      const broken = (detail: string, severity: 'error' | 'warning' = 'warning'): void =>
        this.report({ kind: 'inconsistent', severity, cell: ref, detail: `${label}: ${detail}` });
      if (!areas.has(c.area)) {
        broken(`area ${c.area} is not among the table's areas`);
        continue;
      }
      if (members ? c.category === undefined || !members.has(c.category) : c.category !== undefined) {
        broken(`category ${c.category ?? '(none)'} does not match the declared categories`);
        continue;
      }
      const key = `${c.area}\u0000${c.category ?? ''}\u0000${c.period}`;
      if (index.has(key)) {
        broken('appears more than once');
        continue;
      }
      const cell: ACell = {
        ref,
        label,
        status: c.status,
        pub: { count: null, value: null, denominator: null },
      };
      const reason = (c as ProtectedCell).reason;
      if (reason !== undefined) cell.reason = reason;
      index.set(key, this.cells.length);
      this.cells.push(cell);

      if (c.status === 'suppressed') this.checkSuppressed(c, cell);
      else if (c.status === 'missing') {
        if (c.value !== null || (c.count !== null && c.count !== 0))
          broken(`missing cell carries value ${c.value} / count ${c.count}`);
      } else if (c.status === 'published') {
        this.readPublished(c, cell, broken);
      } else broken(`unknown status "${String(c.status)}"`, 'error');
    }
  }

  private checkSuppressed(c: PublishedCell, cell: ACell): void {
    const shown = [
      ['value', c.value],
      ['count', c.count],
      ['denominator', c.denominator ?? null],
    ].filter(([, v]) => v !== null && v !== undefined);
    if (shown.length > 0)
      this.report({
        kind: 'suppressed_not_marked',
        severity: 'error',
        cell: cell.ref,
        detail: `${cell.label} is suppressed but shows ${shown.map(([n, v]) => `${n} ${v}`).join(', ')} instead of only the marker`,
      });
  }

  private readPublished(
    c: PublishedCell,
    cell: ACell,
    broken: (d: string, s?: 'error' | 'warning') => void,
  ): void {
    const { r, t } = this;
    if (c.value === null) broken('published without a value (use status missing)');
    const count = c.count ?? (t.measure === 'count' ? c.value : null);
    if (count === null) broken('published without a count of units: the threshold cannot be checked');
    if (t.measure === 'count' && c.value !== null && c.count !== null && c.value !== c.count)
      broken(`value ${c.value} differs from count ${c.count} in a count table`);
    for (const [name, v] of [
      ['count', count],
      ['denominator', c.denominator ?? null],
    ] as const) {
      if (v !== null && this.base !== undefined && v % this.base !== 0)
        broken(`${name} ${v} is not a multiple of the rounding base ${this.base}`);
    }
    if (count !== null) {
      const iv = this.interval(count);
      cell.pub.count = iv;
      if (this.inSmallRange(iv, r.k))
        this.report({
          kind: 'published_sensitive',
          severity: 'error',
          cell: cell.ref,
          rule: 'below_k',
          detail: `${cell.label} is published with ${this.show(iv)} units, below k = ${r.k}`,
        });
      else if (iv.high === 0 && !r.zeroIsSafe)
        this.report({
          kind: 'published_sensitive',
          severity: 'error',
          cell: cell.ref,
          rule: 'below_k',
          detail: `${cell.label} is published with 0 units while zeros are not safe`,
        });
    }
    if (t.measure === 'sum' && c.value !== null) cell.pub.value = { low: c.value, high: c.value };
    if (t.measure === 'ratio' && c.value !== null) {
      const d = c.denominator;
      if (typeof d === 'number') {
        const iv = this.interval(d);
        cell.pub.denominator = iv;
        if (iv.high < this.minDenominator)
          this.report({
            kind: 'published_sensitive',
            severity: 'error',
            cell: cell.ref,
            rule: 'small_denominator',
            detail: `${cell.label} is published with denominator ${this.show(iv)}, below the minimum ${this.minDenominator}`,
          });
      } else if (d === null) broken('published ratio without its denominator: the minimum cannot be checked');
    }
  }

  private buildEquations(): void {
    const { t } = this;
    const grid = new Map<string, Map<string, Map<string, number>>>();
    this.cells.forEach((c, i) => {
      const byCategory = grid.get(c.ref.period) ?? new Map<string, Map<string, number>>();
      grid.set(c.ref.period, byCategory);
      const byArea = byCategory.get(c.ref.category ?? '') ?? new Map<string, number>();
      byCategory.set(c.ref.category ?? '', byArea);
      byArea.set(c.ref.area, i);
    });
    const at = (area: string, category: string | undefined, period: string): number | undefined =>
      grid
        .get(period)
        ?.get(category ?? '')
        ?.get(area);
    const live = (i: number | undefined): i is number =>
      i !== undefined && (this.cells[i] as ACell).status !== 'missing';
    const level = new Map<string, AreaNode>(t.areas.map((a) => [a.code, a]));
    const kids = new Map<string, string[]>();
    for (const a of t.areas) {
      if (a.parent === null || !level.has(a.parent)) continue;
      kids.set(a.parent, [...(kids.get(a.parent) ?? []), a.code]);
    }
    // The parts of an area: child areas with a cell in the table, or else their own parts.
    const below = (area: string, cat: string | undefined, period: string, seen: Set<string>): number[] =>
      (kids.get(area) ?? []).flatMap((child) => {
        if (seen.has(child)) return [];
        seen.add(child);
        const i = at(child, cat, period);
        return i !== undefined ? [i] : below(child, cat, period, seen);
      });
    const periods = [...new Set(this.cells.map((c) => c.ref.period))].sort();
    const cats: (string | undefined)[] = t.categories
      ? [t.categories.total, ...t.categories.members]
      : [undefined];
    const areas = [...level.keys()].sort();
    for (const period of periods) {
      for (const area of areas) {
        for (const cat of cats) {
          const parent = at(area, cat, period);
          const parts = below(area, cat, period, new Set([area]));
          if (!live(parent) || parts.length === 0) continue;
          const levels = [
            ...new Set(parts.map((i) => level.get((this.cells[i] as ACell).ref.area)?.level ?? 'area')),
          ].map((l) => PLURAL[l] ?? l);
          this.equations.push({
            label: `${area} = Σ ${levels.join(' and ')} (${cat === undefined ? '' : `${cat}, `}${period})`,
            parts: levels.join(' and '),
            parent,
            children: parts.filter(live),
          });
        }
      }
      if (t.categories) {
        const { total, members } = t.categories;
        for (const area of areas) {
          const parent = at(area, total, period);
          const parts = members.map((m) => at(area, m, period)).filter((i) => i !== undefined);
          if (!live(parent) || parts.length === 0) continue;
          this.equations.push({
            label: `${total} = Σ categories (${area}, ${period})`,
            parts: 'categories',
            parent,
            children: parts.filter(live),
          });
        }
      }
    }
  }

  // -- deriving ------------------------------------------------------------------------------

  private show(iv: Interval): string {
    return iv.low === iv.high ? `${iv.low}` : `${iv.low}..${iv.high}`;
  }

  private derive(q: Quantity): void {
    // What the attacker knows of quantity q, per cell: published numbers, then derived ones.
    const known: (Interval | null)[] = this.cells.map((c) => (c.status === 'published' ? c.pub[q] : null));
    const nonNegative = q !== 'value';
    const groupsReported = new Set<AEquation>();
    for (;;) {
      for (let progress = true; progress;) {
        progress = false;
        for (const eq of this.equations) {
          const all = [eq.parent, ...eq.children];
          const open = all.filter((i) => known[i] === null);
          if (open.length === 1) {
            this.single(q, eq, open[0] as number, known);
            progress = true;
          } else if (open.length >= 2 && known[eq.parent] !== null && nonNegative) {
            if (this.group(q, eq, open, known, groupsReported)) progress = true;
          }
        }
      }
      if (!this.r.combinedEquations || !this.combined(q, known)) return;
    }
  }

  private single(q: Quantity, eq: AEquation, x: number, known: (Interval | null)[]): void {
    const iv = (i: number): Interval => known[i] as Interval;
    const others = eq.children.filter((i) => i !== x);
    const word = others.every((i) => this.cells[i]?.status === 'published') ? 'published' : 'known';
    const sum = (list: number[]): Interval => total(list.map(iv));
    let result: Interval;
    let how: string;
    const parts = (list: number[]): string =>
      list.length ? list.map((i) => this.show(iv(i))).join('+') : '(none)';
    if (x === eq.parent) {
      result = sum(eq.children);
      how = `${this.cells[x]?.label} = Σ ${word} ${eq.parts} ${parts(eq.children)}`;
    } else {
      const s = sum(others);
      const p = iv(eq.parent);
      result = { low: p.low - s.high, high: p.high - s.low };
      how = `${this.cells[eq.parent]?.label}: ${this.show(p)} − ${word} ${eq.parts} ${parts(others)}`;
    }
    if (q !== 'value') {
      if (result.high < 0) this.doesNotAddUp(eq, how, result);
      result = { low: Math.max(0, result.low), high: Math.max(0, result.high) };
    }
    known[x] = result;
    this.derived(q, x, result, 'single', `${q === 'count' ? '' : `${q}: `}${how} = ${this.show(result)}`);
  }

  /** parent − Σ known parts = Σ hidden parts. Returns true when it derived cells. */
  private group(
    q: Quantity,
    eq: AEquation,
    open: number[],
    known: (Interval | null)[],
    reported: Set<AEquation>,
  ): boolean {
    const p = known[eq.parent] as Interval;
    const rest = eq.children.filter((i) => known[i] !== null);
    const s = total(rest.map((i) => known[i] as Interval));
    const union: Interval = { low: Math.max(0, p.low - s.high), high: p.high - s.low };
    const names = open.map((i) => this.cells[i]?.label).join(', ');
    const how = `${this.cells[eq.parent]?.label}: ${this.show(p)} − known ${eq.parts} ${rest.map((i) => this.show(known[i] as Interval)).join('+') || '(none)'} = ${this.show(union)}`;
    if (union.high < 0) this.doesNotAddUp(eq, how, union);
    if (union.high <= 0) {
      for (const i of open) {
        known[i] = { low: 0, high: 0 };
        this.derived(q, i, { low: 0, high: 0 }, 'nonnegative', `${how}, shared by ${names}, so each is 0`);
      }
      return true;
    }
    const limit = q === 'count' ? this.r.k : this.minDenominator;
    if (!reported.has(eq) && this.inSmallRange(union, limit)) {
      reported.add(eq);
      this.report({
        kind: 'group_below_k',
        severity: 'error',
        cell: (this.cells[eq.parent] as ACell).ref,
        rule: q === 'count' ? 'below_k' : 'small_denominator',
        quantity: q,
        derived: union,
        detail: `${how} held by the hidden ${names} together (${q === 'count' ? `below k = ${limit}` : `denominator below ${limit}`})`,
      });
    }
    return false;
  }

  private readonly unbalanced = new Set<AEquation>();
  private readonly solved = new Map<string, Solution[]>();

  private doesNotAddUp(eq: AEquation, how: string, result: Interval): void {
    if (this.unbalanced.has(eq)) return;
    this.unbalanced.add(eq);
    this.report({
      kind: 'inconsistent',
      severity: 'warning',
      cell: (this.cells[eq.parent] as ACell).ref,
      detail: `${eq.label} does not add up: ${how} = ${this.show(result)} is negative`,
    });
  }

  private derived(
    q: Quantity,
    i: number,
    iv: Interval,
    method: 'single' | 'nonnegative' | 'combination',
    how: string,
  ): void {
    const cell = this.cells[i] as ACell;
    if (cell.status !== 'suppressed') return; // a published cell without a count: nothing new
    let rule: AuditFinding['rule'];
    if (q === 'count' && this.inSmallRange(iv, this.r.k)) rule = 'below_k';
    else if (q === 'count' && iv.high === 0 && !this.r.zeroIsSafe) rule = 'below_k';
    else if (q === 'denominator' && iv.high < this.minDenominator) rule = 'small_denominator';
    else if (iv.low === iv.high && isPrimary(cell.reason)) rule = 'primary';
    const f: Omit<AuditFinding, 'table'> = {
      kind: 'derivable',
      severity: rule ? 'error' : 'warning',
      cell: cell.ref,
      quantity: q,
      method,
      derived: iv,
      detail: rule
        ? how
        : `${how} (${iv.low === iv.high ? 'recoverable, though not itself sensitive' : 'narrowed, not disclosed'})`,
    };
    if (rule) f.rule = rule;
    this.report(f);
  }

  /**
   * Exact elimination over the rationals: every open cell that a combination of equations
   * determines is derived (with the combination in the finding). Returns true when it derived any.
   */
  private combined(q: Quantity, known: (Interval | null)[]): boolean {
    const open = new Set<number>();
    known.forEach((v, i) => {
      if (v === null) open.add(i);
    });
    // Components of open cells linked by equations.
    const root = new Map<number, number>([...open].map((i) => [i, i]));
    const find = (i: number): number => {
      let x = i;
      while (root.get(x) !== x) x = root.get(x) as number;
      root.set(i, x);
      return x;
    };
    const touching = this.equations.filter((eq) => [eq.parent, ...eq.children].some((i) => open.has(i)));
    for (const eq of touching) {
      const o = [eq.parent, ...eq.children].filter((i) => open.has(i));
      for (const i of o.slice(1)) root.set(find(i), find(o[0] as number));
    }
    const groups = new Map<number, AEquation[]>();
    for (const eq of touching) {
      const first = [eq.parent, ...eq.children].find((i) => open.has(i)) as number;
      const g = find(first);
      groups.set(g, [...(groups.get(g) ?? []), eq]);
    }
    let any = false;
    for (const eqs of groups.values()) {
      const cols = [
        ...new Set(eqs.flatMap((eq) => [eq.parent, ...eq.children]).filter((i) => open.has(i))),
      ].sort((a, b) => a - b);
      // The same hidden cells give the same system for every quantity: solve it once.
      const id = `${cols.join(',')}|${eqs.map((eq) => this.equations.indexOf(eq)).join(',')}`;
      const solutions = this.solved.get(id) ?? solve(eqs, cols);
      this.solved.set(id, solutions);
      for (const s of solutions) {
        // x = Σ_e λ_e b_e with b_e = −(known terms of e): coefficient of a known cell c is μ_c.
        const mu = new Map<number, bigint>();
        s.lambda.forEach((l, e) => {
          if (l === 0n) return;
          const eq = eqs[e] as AEquation;
          const add = (i: number, a: bigint): void => {
            if (!open.has(i)) mu.set(i, (mu.get(i) ?? 0n) - l * a);
          };
          add(eq.parent, 1n);
          for (const c of eq.children) add(c, -1n);
        });
        const d = Number(s.d);
        let low = 0;
        let high = 0;
        for (const [i, m] of mu) {
          const f = Number(m) / d;
          const iv = known[i] as Interval;
          low += f >= 0 ? f * iv.low : f * iv.high;
          high += f >= 0 ? f * iv.high : f * iv.low;
        }
        const tidy = (v: number): number => (Math.abs(v - Math.round(v)) < 1e-9 ? Math.round(v) : v);
        let result: Interval = { low: tidy(low), high: tidy(high) };
        if (q !== 'value') result = { low: Math.max(0, result.low), high: result.high };
        const x = cols[s.col] as number;
        known[x] = result;
        any = true;
        const terms = s.lambda
          .map((l, e) => (l === 0n ? '' : `${fraction(l, s.d)}·[${(eqs[e] as AEquation).label}]`))
          .filter((x) => x !== '');
        this.derived(
          q,
          x,
          result,
          'combination',
          `${q === 'count' ? '' : `${q}: `}combining ${terms.length} equations ${terms.join(' ')} gives ${this.cells[x]?.label} = ${this.show(result)}`,
        );
      }
    }
    return any;
  }
}

function total(list: Interval[]): Interval {
  return list.reduce((s, x) => ({ low: s.low + x.low, high: s.high + x.high }), { low: 0, high: 0 });
}

function isPrimary(reason: string | undefined): reason is PrimaryReason {
  return reason === 'below_k' || reason === 'small_denominator' || reason === 'dominance';
}

function fraction(n: bigint, d: bigint): string {
  let [a, b] = d < 0n ? [-n, -d] : [n, d];
  const g = gcd(a < 0n ? -a : a, b);
  [a, b] = [a / g, b / g];
  const sign = a < 0n ? '−' : '+';
  const abs = a < 0n ? -a : a;
  return b === 1n ? `${sign}${abs}` : `${sign}${abs}/${b}`;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** Exact integer arithmetic: JavaScript numbers while they stay safe integers, else BigInt. */
interface Ring<T> {
  zero: T;
  one: T;
  minusOne: T;
  mul(a: T, b: T): T;
  sub(a: T, b: T): T;
  div(a: T, b: T): T;
  abs(a: T): T;
  gcd(a: T, b: T): T;
  toBig(a: T): bigint;
}

class Overflow extends Error {}

function safe(v: number): number {
  if (!Number.isSafeInteger(v)) throw new Overflow();
  return v;
}

const NUMBERS: Ring<number> = {
  zero: 0,
  one: 1,
  minusOne: -1,
  mul: (a, b) => safe(a * b),
  sub: (a, b) => safe(a - b),
  div: (a, b) => a / b,
  abs: Math.abs,
  gcd: (a, b) => {
    while (b !== 0) [a, b] = [b, a % b];
    return a;
  },
  toBig: (a) => BigInt(a),
};

const BIGINTS: Ring<bigint> = {
  zero: 0n,
  one: 1n,
  minusOne: -1n,
  mul: (a, b) => a * b,
  sub: (a, b) => a - b,
  div: (a, b) => a / b,
  abs: (a) => (a < 0n ? -a : a),
  gcd,
  toBig: (a) => a,
};

type Solution = { col: number; d: bigint; lambda: bigint[] };

/**
 * Gauss–Jordan elimination, fraction-free and exact, of [A | I] where A holds the equations
 * (parent +1, child −1) restricted to the open cells `cols`. A reduced row whose A part has one
 * non-zero entry d (in column `col`) says x_col = (Σ_e λ_e b_e) / d with λ its I part. Rows are
 * divided by the gcd of their entries, so numbers stay small; should one still leave the safe
 * integers, the elimination is redone in BigInt.
 */
function solve(eqs: AEquation[], cols: number[]): Solution[] {
  try {
    return eliminate(NUMBERS, eqs, cols);
  } catch (e) {
    if (e instanceof Overflow) return eliminate(BIGINTS, eqs, cols);
    throw e;
  }
}

function eliminate<T>(ring: Ring<T>, eqs: AEquation[], cols: number[]): Solution[] {
  const { zero } = ring;
  const at = new Map(cols.map((c, j) => [c, j]));
  const n = cols.length;
  const rows = eqs.map((eq, e) => {
    const row = new Array<T>(n + eqs.length).fill(zero);
    const p = at.get(eq.parent);
    if (p !== undefined) row[p] = ring.one;
    for (const c of eq.children) {
      const j = at.get(c);
      if (j !== undefined) row[j] = ring.minusOne;
    }
    row[n + e] = ring.one;
    return row;
  });
  let rank = 0;
  for (let c = 0; c < n && rank < rows.length; c++) {
    const pivot = rows.findIndex((row, i) => i >= rank && row[c] !== zero);
    if (pivot < 0) continue;
    const pr = rows[pivot] as T[];
    rows[pivot] = rows[rank] as T[];
    rows[rank] = pr;
    const a = pr[c] as T;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as T[];
      const f = row[c] as T;
      if (i === rank || f === zero) continue;
      let g = zero;
      for (let j = 0; j < row.length; j++) {
        const x = row[j] as T;
        const y = pr[j] as T;
        if (x === zero && y === zero) continue;
        const v = ring.sub(ring.mul(x, a), ring.mul(y, f));
        row[j] = v;
        if (v !== zero) g = g === zero ? ring.abs(v) : ring.gcd(g, ring.abs(v));
      }
      if (g !== zero && g !== ring.one)
        for (let j = 0; j < row.length; j++) if (row[j] !== zero) row[j] = ring.div(row[j] as T, g);
    }
    rank++;
  }
  const out: Solution[] = [];
  for (let i = 0; i < rank; i++) {
    const row = rows[i] as T[];
    const nz: number[] = [];
    for (let j = 0; j < n && nz.length < 2; j++) if (row[j] !== zero) nz.push(j);
    if (nz.length === 1)
      out.push({
        col: nz[0] as number,
        d: ring.toBig(row[nz[0] as number] as T),
        lambda: row.slice(n).map((v) => ring.toBig(v)),
      });
  }
  return out;
}
