/**
 * Statistical disclosure control for figures that leave the restricted zone: primary suppression
 * (threshold, small denominators, dominance), secondary suppression over the additive equations of
 * the area hierarchy and the categories, and optional rounding. See `CONTEXT.md` beside this file
 * for the rules, the algorithm and what it does not protect against.
 */
import { PublishError } from './errors.js';
import { fixedUnknowns } from './modp.js';

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

export type Measure = 'count' | 'sum' | 'mean' | 'ratio';
export type AreaLevel = 'gemeente' | 'wijk' | 'buurt';

export interface AreaNode {
  code: string;
  level: AreaLevel;
  /** The code of the area one level up; `null` for the gemeente. */
  parent: string | null;
}

/** The categories of a table: `total` is the sum of `members`. */
export interface CategorySet {
  total: string;
  members: string[];
}

export interface InputCell {
  area: string;
  /** Required when the table has categories, absent otherwise. */
  category?: string;
  period: string;
  /** `null`: missing (not applicable, e.g. a mean over nobody). Not the same as suppressed. */
  value: number | null;
  /** The number of contributing units (persons, households). A whole number ≥ 0. */
  count: number;
  /** Ratio tables: value = numerator / denominator. */
  numerator?: number;
  denominator?: number;
  /** Sum and mean tables: the largest contributions (at least the top n of every dominance rule). */
  contributions?: number[];
}

export interface StatTable {
  id: string;
  measure: Measure;
  cells: InputCell[];
  areas: AreaNode[];
  categories?: CategorySet;
  /** Overrides `DisclosureRules.minDenominator` for this table. */
  minDenominator?: number;
}

/** Sensitive when the largest `n` contributions are more than share `p` of the cell total. */
export interface DominanceRule {
  n: number;
  p: number;
}

export interface DisclosureRules {
  /** Threshold: a cell with 0 < count < k units is sensitive. */
  k: number;
  /** Ratio tables: a cell whose denominator is below this is sensitive. */
  minDenominator: number;
  /** Sum and mean tables: (n, p) dominance rules; any one that fires makes a cell sensitive. */
  dominance: DominanceRule[];
  /** Round published counts (count values, unit counts, denominators) to a multiple of this. */
  roundTo?: number;
  /** A count of 0 may be published (a 0 then hides nobody). With `false` zeros are sensitive. */
  zeroIsSafe: boolean;
  /**
   * Also make sure no suppressed cell can be computed by combining several equations of the table
   * (not only one at a time). Default true.
   */
  combinedEquations: boolean;
}

export const DEFAULT_RULES: Readonly<DisclosureRules> = Object.freeze({
  k: 5,
  minDenominator: 10,
  dominance: Object.freeze([
    Object.freeze({ n: 1, p: 0.85 }),
    Object.freeze({ n: 2, p: 0.95 }),
  ]) as DominanceRule[],
  zeroIsSafe: true,
  combinedEquations: true,
});

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

export type CellStatus = 'published' | 'suppressed' | 'missing';
export type PrimaryReason = 'below_k' | 'small_denominator' | 'dominance';
export type SuppressionReason = PrimaryReason | 'secondary';

/** Where a cell sits: area × category × period. */
export interface CellRef {
  area: string;
  category?: string;
  period: string;
}

/** A cell as it may leave the restricted zone. Suppressed and missing cells carry no numbers. */
export interface PublishedCell extends CellRef {
  status: CellStatus;
  /** `null` unless published; a suppressed cell is never shown as 0. */
  value: number | null;
  /** Contributing units; `null` unless published. */
  count: number | null;
  /** Ratio tables only; `null` unless published. */
  denominator?: number | null;
}

/** A table that may leave the restricted zone: the input of the auditor. */
export interface PublishedTable {
  id: string;
  measure: Measure;
  areas: AreaNode[];
  categories?: CategorySet;
  cells: PublishedCell[];
  /** Set when counts were rounded to a multiple of this after suppression. */
  roundedTo?: number;
  /** The table's own minimum denominator, when it overrides the rules. */
  minDenominator?: number;
}

export interface ProtectedCell extends PublishedCell {
  /** Why a suppressed cell is suppressed. Internal: strip it with {@link toPublic} before release. */
  reason?: SuppressionReason;
}

export interface LogEntry {
  cell: CellRef;
  action: 'primary' | 'secondary';
  reason: SuppressionReason;
  /** The equation that needed the complement (secondary suppression only). */
  equation?: string;
  detail: string;
}

/** The result of {@link protect}: the published cells plus the audit trail. */
export interface ProtectedTable extends PublishedTable {
  cells: ProtectedCell[];
  rules: DisclosureRules;
  /** Every suppression, in the order it was decided. */
  log: LogEntry[];
}

/** The markers an export writes for cells without a number (CBS conventions). */
export const MARKER = Object.freeze({ suppressed: 'x', missing: '.' });

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** The default rules overridden by `rules`, checked. */
export function resolveRules(rules: Partial<DisclosureRules> = {}): DisclosureRules {
  const defined = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined));
  const r: DisclosureRules = {
    ...DEFAULT_RULES,
    dominance: DEFAULT_RULES.dominance.map((d) => ({ ...d })),
    ...defined,
  };
  const bad = (what: string, fix: string): never => {
    throw new PublishError(`disclosure rules: ${what}`, fix);
  };
  if (!Number.isInteger(r.k) || r.k < 1)
    bad(`k must be a whole number ≥ 1, got ${r.k}`, 'Use k = 5 (default).');
  checkMinDenominator(r.minDenominator, 'disclosure rules');
  if (!Array.isArray(r.dominance))
    bad('dominance must be a list of { n, p }', 'Use [] for no dominance rule.');
  for (const d of r.dominance) {
    if (!Number.isInteger(d.n) || d.n < 1 || !(d.p > 0 && d.p <= 1))
      bad(
        `dominance rule (n=${d.n}, p=${d.p}) needs a whole n ≥ 1 and 0 < p ≤ 1`,
        'For example { n: 1, p: 0.85 }.',
      );
  }
  if (r.roundTo !== undefined && (!Number.isInteger(r.roundTo) || r.roundTo < 1))
    bad(`roundTo must be a whole number ≥ 1, got ${r.roundTo}`, 'Use for example 5, or leave it out.');
  if (typeof r.zeroIsSafe !== 'boolean') bad('zeroIsSafe must be true or false', 'Leave it out for true.');
  if (typeof r.combinedEquations !== 'boolean')
    bad('combinedEquations must be true or false', 'Leave it out for true.');
  return r;
}

function checkMinDenominator(v: number, where: string): void {
  if (!Number.isFinite(v) || v < 0)
    throw new PublishError(
      `${where}: minDenominator must be a number ≥ 0, got ${v}`,
      'Use 10 (default) or the minimum your publication policy sets.',
    );
}

// ---------------------------------------------------------------------------------------------
// The working model: cells and equations
// ---------------------------------------------------------------------------------------------

const DEPTH: Record<AreaLevel, number> = { gemeente: 0, wijk: 1, buurt: 2 };
const PARENT_LEVEL: Record<AreaLevel, AreaLevel | null> = { gemeente: null, wijk: 'gemeente', buurt: 'wijk' };
const PLURAL: Record<AreaLevel, string> = { gemeente: 'gemeenten', wijk: 'wijken', buurt: 'buurten' };

interface Cell {
  index: number;
  ref: CellRef;
  key: string;
  label: string;
  missing: boolean;
  count: number;
  value: number | null;
  denominator: number;
  /** The total the dominance rule compares against: the sum (a mean times its count). */
  mass: number;
  /** Contributions, largest first. */
  top: number[];
  /** Lower is more detailed: buurt before wijk before gemeente, categories before their total. */
  detail: number;
  hidden: boolean;
  reason?: SuppressionReason;
  /** Follows from missing or absent cells alone: hiding it cannot work. */
  structural: boolean;
  equations: number[];
}

/** parent = Σ children, for one category (or area) and one period. */
interface Equation {
  id: string;
  label: string;
  period: string;
  parent: Cell;
  children: Cell[];
}

interface Model {
  table: StatTable;
  rules: DisclosureRules;
  minDenominator: number;
  cells: Cell[];
  /** Cells sorted by key: the order of every deterministic choice. */
  sorted: Cell[];
  equations: Equation[];
}

export function cellKey(ref: CellRef): string {
  return `${ref.area}\u0000${ref.category ?? ''}\u0000${ref.period}`;
}

export function cellLabel(ref: CellRef): string {
  return [ref.area, ref.category, ref.period].filter((p) => p !== undefined).join(' ');
}

function buildModel(table: StatTable, rules: DisclosureRules): Model {
  const where = `table "${table.id}"`;
  const fail = (what: string, fix: string): never => {
    throw new PublishError(`${where}: ${what}`, fix);
  };
  if (typeof table.id !== 'string' || table.id === '')
    throw new PublishError('a table needs a non-empty id', 'Give every table an id.');
  if (!['count', 'sum', 'mean', 'ratio'].includes(table.measure))
    fail(`unknown measure "${String(table.measure)}"`, "Use 'count', 'sum', 'mean' or 'ratio'.");
  const minDenominator = table.minDenominator ?? rules.minDenominator;
  checkMinDenominator(minDenominator, where);

  // Areas.
  const areas = new Map<string, AreaNode>();
  for (const a of table.areas) {
    if (areas.has(a.code)) fail(`area ${a.code} is listed twice`, 'List every area once.');
    if (!(a.level in DEPTH))
      fail(`area ${a.code} has unknown level "${String(a.level)}"`, 'Use gemeente, wijk or buurt.');
    areas.set(a.code, a);
  }
  const children = new Map<string, string[]>();
  for (const a of table.areas) {
    const wanted = PARENT_LEVEL[a.level];
    if (wanted === null) {
      if (a.parent !== null) fail(`gemeente ${a.code} has parent ${a.parent}`, 'A gemeente has parent null.');
      continue;
    }
    const parent = a.parent === null ? undefined : areas.get(a.parent);
    if (parent === undefined || parent.level !== wanted)
      fail(
        `${a.level} ${a.code} needs a ${wanted} as parent, got ${a.parent === null ? 'none' : a.parent}`,
        `Give every ${a.level} the code of its ${wanted}, and list that ${wanted} among the areas.`,
      );
    const list = children.get(a.parent as string) ?? [];
    list.push(a.code);
    children.set(a.parent as string, list);
  }
  for (const list of children.values()) list.sort();

  // Categories.
  const cats = table.categories;
  if (cats) {
    if (cats.members.length === 0)
      fail('categories need at least one member', 'List the members of the total.');
    const seen = new Set<string>([cats.total]);
    for (const m of cats.members) {
      if (seen.has(m)) fail(`category "${m}" appears twice (or equals the total)`, 'List every member once.');
      seen.add(m);
    }
  }

  // Cells.
  const maxN = Math.max(0, ...rules.dominance.map((d) => d.n));
  const cells: Cell[] = [];
  const byKey = new Map<string, Cell>();
  table.cells.forEach((c, index) => {
    const ref: CellRef = { area: c.area, period: c.period };
    if (c.category !== undefined) ref.category = c.category;
    const label = cellLabel(ref);
    const bad = (what: string, fix: string): never => fail(`cell ${label}: ${what}`, fix);
    const area = areas.get(c.area);
    if (!area) bad(`area ${c.area} is not among the table's areas`, 'Add the area or drop the cell.');
    if (typeof c.period !== 'string' || c.period === '') bad('period is empty', 'Give every cell a period.');
    if (cats) {
      if (c.category === undefined)
        bad('no category, but the table has categories', `Use ${cats.total} for totals.`);
      else if (c.category !== cats.total && !cats.members.includes(c.category))
        bad(
          `category "${c.category}" is not declared`,
          `Use ${cats.total} or one of ${cats.members.join(', ')}.`,
        );
    } else if (c.category !== undefined) {
      bad(
        `category "${c.category}", but the table declares no categories`,
        'Declare categories or drop them.',
      );
    }
    const key = cellKey(ref);
    if (byKey.has(key)) bad('appears twice', 'Give every area × category × period one cell.');
    if (!Number.isInteger(c.count) || c.count < 0)
      bad(`count ${c.count} is not a whole number ≥ 0`, 'count is the number of contributing units.');
    const missing = c.value === null;
    if (!missing && !Number.isFinite(c.value))
      bad(`value ${c.value} is not a finite number`, 'Use null for a missing (not applicable) value.');
    if (missing && c.count !== 0)
      bad(
        `value is null (missing) but count is ${c.count}`,
        'A missing value has no contributing units: give count 0, or give the value.',
      );
    let denominator = 0;
    let mass = 0;
    let top: number[] = [];
    if (!missing) {
      const value = c.value as number;
      if (table.measure === 'count' && value !== c.count)
        bad(
          `value ${value} differs from count ${c.count}`,
          "In a count table value and count are the same number; use measure 'sum' for other totals.",
        );
      if (table.measure === 'mean' && c.count === 0)
        bad('a mean over 0 units', 'Give value null (missing) for a mean over nobody.');
      if (table.measure === 'ratio') {
        const d = c.denominator;
        if (d === undefined || !Number.isFinite(d) || d <= 0)
          bad(`ratio needs a denominator > 0, got ${d}`, 'Give the denominator, or value null when it is 0.');
        denominator = d as number;
      }
      if (table.measure === 'sum' || table.measure === 'mean') {
        mass = table.measure === 'sum' ? value : value * c.count;
        if (maxN > 0 && c.count > 0) {
          const given = c.contributions;
          if (!given || given.length < Math.min(c.count, maxN))
            bad(
              `the dominance rule needs the largest ${Math.min(c.count, maxN)} contributions, got ${given?.length ?? 0}`,
              'Pass contributions (largest first), or set dominance: [] for this table.',
            );
          for (const x of given as number[]) {
            if (!Number.isFinite(x) || x < 0)
              bad(
                `contribution ${x} is not a number ≥ 0`,
                'Pass magnitudes (absolute values) as contributions.',
              );
          }
          if (mass < 0)
            bad(`total ${mass} is negative`, 'Dominance compares against a total ≥ 0; pass magnitudes.');
          top = [...(given as number[])].sort((a, b) => b - a);
        }
      }
    }
    const cell: Cell = {
      index,
      ref,
      key,
      label,
      missing,
      count: c.count,
      value: c.value,
      denominator,
      mass,
      top,
      detail: 2 - DEPTH[(area as AreaNode).level] + (cats && c.category === cats.total ? 1 : 0),
      hidden: false,
      structural: false,
      equations: [],
    };
    cells.push(cell);
    byKey.set(key, cell);
  });

  // Equations: parent = Σ parts. The parts of an area are its child areas that have a cell in the
  // table, and for a child without one, that child's parts (a table without wijk cells still has
  // gemeente = Σ buurten). A parent that is absent or missing, or has no parts in the table at all,
  // gives no equation; missing parts are known to contribute nothing and are left out, and so are
  // absent parts beside present ones (counting them as known is the cautious reading).
  const periods = [...new Set(cells.map((c) => c.ref.period))].sort();
  const categories: (string | undefined)[] = cats ? [cats.total, ...cats.members] : [undefined];
  const equations: Equation[] = [];
  // period → category → area → cell: lookups without building key strings.
  const grid = new Map<string, Map<string, Map<string, Cell>>>();
  for (const c of cells) {
    const byCategory = grid.get(c.ref.period) ?? new Map<string, Map<string, Cell>>();
    grid.set(c.ref.period, byCategory);
    const byArea = byCategory.get(c.ref.category ?? '') ?? new Map<string, Cell>();
    byCategory.set(c.ref.category ?? '', byArea);
    byArea.set(c.ref.area, c);
  }
  const at = (area: string, category: string | undefined, period: string): Cell | undefined =>
    grid
      .get(period)
      ?.get(category ?? '')
      ?.get(area);
  const partsOf = (code: string, category: string | undefined, period: string): Cell[] =>
    (children.get(code) ?? []).flatMap((k) => {
      const cell = at(k, category, period);
      return cell ? [cell] : partsOf(k, category, period);
    });
  const live = (c: Cell): boolean => !c.missing;
  const areaCodes = [...areas.keys()].sort();
  for (const period of periods) {
    for (const category of categories) {
      for (const code of areaCodes) {
        const parent = at(code, category, period);
        const parts = partsOf(code, category, period);
        if (!parent || parent.missing || parts.length === 0) continue;
        const levels = [...new Set(parts.map((c) => (areas.get(c.ref.area) as AreaNode).level))];
        equations.push({
          id: `${period}\u0000a\u0000${category ?? ''}\u0000${code}`,
          label: `${code} = Σ ${levels.map((l) => PLURAL[l]).join(' and ')} (${category === undefined ? '' : `${category}, `}${period})`,
          period,
          parent,
          children: parts.filter(live),
        });
      }
    }
    if (cats) {
      for (const code of areaCodes) {
        const parent = at(code, cats.total, period);
        const parts = cats.members.map((m) => at(code, m, period)).filter((c): c is Cell => c !== undefined);
        if (!parent || parent.missing || parts.length === 0) continue;
        equations.push({
          id: `${period}\u0000c\u0000${code}`,
          label: `${cats.total} = Σ categories (${code}, ${period})`,
          period,
          parent,
          children: parts.filter(live),
        });
      }
    }
  }
  equations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  equations.forEach((eq, i) => {
    for (const c of [eq.parent, ...eq.children]) c.equations.push(i);
  });
  const sorted = [...cells].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { table, rules, minDenominator, cells, sorted, equations };
}

// ---------------------------------------------------------------------------------------------
// Sensitivity: of one cell (primary) and of the hidden parts of an equation taken together
// ---------------------------------------------------------------------------------------------

function dominated(top: readonly number[], mass: number, rules: DisclosureRules): string | null {
  if (mass <= 0) return null;
  for (const { n, p } of rules.dominance) {
    const largest = top.slice(0, n).reduce((s, x) => s + x, 0);
    if (largest > p * mass)
      return `the largest ${n === 1 ? 'contribution is' : `${n} contributions are`} ${percent(largest / mass)} of the total (rule n=${n}, p=${p})`;
  }
  return null;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function primaryReason(m: Model, c: Cell): { reason: PrimaryReason; detail: string } | null {
  if (c.missing) return null;
  const { k, zeroIsSafe } = m.rules;
  if (c.count > 0 && c.count < k) return { reason: 'below_k', detail: `${c.count} units, below k = ${k}` };
  if (c.count === 0 && !zeroIsSafe) return { reason: 'below_k', detail: '0 units and zeroIsSafe is false' };
  if (m.table.measure === 'ratio' && c.denominator < m.minDenominator)
    return {
      reason: 'small_denominator',
      detail: `denominator ${c.denominator} is below the minimum ${m.minDenominator}`,
    };
  if (m.table.measure === 'sum' || m.table.measure === 'mean') {
    const d = dominated(c.top, c.mass, m.rules);
    if (d) return { reason: 'dominance', detail: d };
  }
  return null;
}

/**
 * When the parent of an equation is published, its hidden children are published together:
 * parent − Σ published children is their sum. That sum must itself be publishable, or it exposes
 * a small group (or, when it is 0, every hidden child as 0).
 */
function groupProblem(m: Model, hidden: readonly Cell[]): string | null {
  const count = hidden.reduce((s, c) => s + c.count, 0);
  if (count === 0) return 'together hold 0 units, so each of them is derivable as 0';
  if (count < m.rules.k) return `together hold ${count} units, below k = ${m.rules.k}`;
  if (m.table.measure === 'ratio') {
    const d = hidden.reduce((s, c) => s + c.denominator, 0);
    if (d < m.minDenominator) return `together have denominator ${d}, below the minimum ${m.minDenominator}`;
  }
  if (m.table.measure === 'sum' || m.table.measure === 'mean') {
    const top = hidden.flatMap((c) => c.top).sort((a, b) => b - a);
    const d = dominated(
      top,
      hidden.reduce((s, c) => s + c.mass, 0),
      m.rules,
    );
    if (d) return `together are dominated: ${d}`;
  }
  return null;
}

interface Problem {
  kind: 'singleton' | 'group';
  detail: string;
}

function problemOf(m: Model, eq: Equation): Problem | null {
  let any = eq.parent.hidden;
  for (let i = 0; !any && i < eq.children.length; i++) any = (eq.children[i] as Cell).hidden;
  if (!any) return null;
  const hiddenChildren = eq.children.filter((c) => c.hidden);
  const unknowns = hiddenChildren.length + (eq.parent.hidden ? 1 : 0);
  if (unknowns === 0) return null;
  if (unknowns === 1) {
    const only = eq.parent.hidden ? eq.parent : (hiddenChildren[0] as Cell);
    return { kind: 'singleton', detail: `${only.label} was its only hidden cell` };
  }
  if (eq.parent.hidden) return null;
  const g = groupProblem(m, hiddenChildren);
  return g
    ? { kind: 'group', detail: `its hidden parts ${hiddenChildren.map((c) => c.label).join(', ')} ${g}` }
    : null;
}

// ---------------------------------------------------------------------------------------------
// Secondary suppression
// ---------------------------------------------------------------------------------------------

function compareKeys(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Equations of `c` (other than `except`) that are fine now and would have a problem if `c` were hidden. */
function newProblems(m: Model, c: Cell, except: Equation | null): number {
  const before = c.equations.map((i) => problemOf(m, m.equations[i] as Equation) !== null);
  c.hidden = true;
  let n = 0;
  c.equations.forEach((i, j) => {
    const eq = m.equations[i] as Equation;
    if (eq !== except && !before[j] && problemOf(m, eq) !== null) n++;
  });
  c.hidden = false;
  return n;
}

/**
 * The candidate that is cheapest to hide, comparing lexicographically: `first` (solves the problem),
 * the level of detail, the new problems it creates, units, |value|, key. The new problems are
 * counted only for the candidates still tied on the first two.
 */
function cheapest(
  m: Model,
  candidates: { cell: Cell; first: number }[],
  except: Equation | null,
): Cell | null {
  if (candidates.length === 0) return null;
  const best = Math.min(...candidates.map((c) => c.first));
  let tied = candidates.filter((c) => c.first === best);
  const level = Math.min(...tied.map((c) => c.cell.detail));
  tied = tied.filter((c) => c.cell.detail === level);
  const scored = tied.map(({ cell }) => ({
    cell,
    cost: [newProblems(m, cell, except), cell.count, Math.abs(cell.value ?? 0), cell.key],
  }));
  scored.sort((a, b) => compareKeys(a.cost, b.cost));
  return scored[0]?.cell ?? null;
}

function chooseForEquation(m: Model, eq: Equation): Cell | null {
  const candidates = [...eq.children, eq.parent].filter((c) => !c.hidden && !c.structural);
  return cheapest(
    m,
    candidates.map((c) => {
      c.hidden = true;
      const fixes = problemOf(m, eq) === null;
      c.hidden = false;
      return { cell: c, first: fixes ? 0 : 1 };
    }),
    eq,
  );
}

/** The hidden cells linked to `start` through equations, and those equations. */
function componentOf(m: Model, start: Cell): { cells: Cell[]; equations: Equation[] } {
  const cells = new Set<Cell>([start]);
  const equations = new Set<Equation>();
  const queue = [start];
  for (let c = queue.pop(); c; c = queue.pop()) {
    for (const i of c.equations) {
      const eq = m.equations[i] as Equation;
      if (equations.has(eq)) continue;
      equations.add(eq);
      for (const other of [eq.parent, ...eq.children]) {
        if (other.hidden && !cells.has(other)) {
          cells.add(other);
          queue.push(other);
        }
      }
    }
  }
  return { cells: [...cells], equations: [...equations] };
}

/** The hidden cells of a component whose value follows from its equations. */
function fixedIn(component: { cells: Cell[]; equations: Equation[] }): Cell[] {
  const column = new Map(component.cells.map((c, i) => [c, i]));
  const rows = component.equations.map((eq) => {
    const row = new Map<number, number>();
    const p = column.get(eq.parent);
    if (p !== undefined) row.set(p, 1);
    for (const c of eq.children) {
      const j = column.get(c);
      if (j !== undefined) row.set(j, -1);
    }
    return row;
  });
  const fixed = fixedUnknowns(rows, component.cells.length);
  return component.cells.filter((_, i) => fixed.has(i));
}

/** Hidden cells that the equations of the table, combined, determine; sorted by key. */
function fixedHiddenCells(m: Model): Cell[] {
  const seen = new Set<Cell>();
  const fixed: Cell[] = [];
  for (const c of m.sorted) {
    if (!c.hidden || seen.has(c)) continue;
    const comp = componentOf(m, c);
    for (const x of comp.cells) seen.add(x);
    fixed.push(...fixedIn(comp));
  }
  return fixed.sort((a, b) => (a.key < b.key ? -1 : 1));
}

function chooseForFixed(m: Model, x: Cell): Cell | null {
  const near = (cells: Iterable<Equation>): Cell[] => {
    const out = new Set<Cell>();
    for (const eq of cells)
      for (const c of [eq.parent, ...eq.children]) if (!c.hidden && !c.structural) out.add(c);
    return [...out];
  };
  let candidates = near(x.equations.map((i) => m.equations[i] as Equation));
  if (candidates.length === 0) candidates = near(componentOf(m, x).equations);
  return cheapest(
    m,
    candidates.map((c) => {
      c.hidden = true;
      const frees = !fixedIn(componentOf(m, x)).includes(x);
      c.hidden = false;
      return { cell: c, first: frees ? 0 : 1 };
    }),
    null,
  );
}

function hide(log: LogEntry[], c: Cell, reason: SuppressionReason, detail: string, equation?: string): void {
  c.hidden = true;
  c.reason = reason;
  const entry: LogEntry = {
    cell: { ...c.ref },
    action: reason === 'secondary' ? 'secondary' : 'primary',
    reason,
    detail,
  };
  if (equation !== undefined) entry.equation = equation;
  log.push(entry);
}

/** Cells that follow from missing or absent cells alone (an equation whose other cells all do). */
function markStructural(m: Model): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const eq of m.equations) {
      const open = [eq.parent, ...eq.children].filter((c) => !c.structural);
      if (open.length === 1) {
        (open[0] as Cell).structural = true;
        changed = true;
      }
    }
  }
}

function secondary(m: Model, log: LogEntry[]): void {
  const cannot = (what: string): never => {
    throw new PublishError(
      `table "${m.table.id}": cannot protect ${what}: no cell is left that could be suppressed with it`,
      'Check that the parts of the table add up to its totals and that missing cells are really empty.',
    );
  };
  // Only an equation with a newly hidden cell can have a new problem: those are marked dirty and
  // checked again, in the fixed order of the equations.
  const dirty = m.equations.map(() => true);
  const hideAndMark = (c: Cell, detail: string, equation?: string): void => {
    hide(log, c, 'secondary', detail, equation);
    for (const i of c.equations) dirty[i] = true;
  };
  for (;;) {
    for (let progress = true; progress;) {
      progress = false;
      m.equations.forEach((eq, i) => {
        if (!dirty[i]) return;
        dirty[i] = false;
        for (let p = problemOf(m, eq); p; p = problemOf(m, eq)) {
          const c = chooseForEquation(m, eq) ?? cannot(eq.label);
          hideAndMark(c, `complement for ${eq.label}: ${p.detail}`, eq.label);
          progress = true;
        }
      });
    }
    if (!m.rules.combinedEquations) return;
    const x = fixedHiddenCells(m)[0];
    if (!x) return;
    const c = chooseForFixed(m, x) ?? cannot(x.label);
    hideAndMark(c, `complement: ${x.label} could be computed by combining the equations around it`);
  }
}

// ---------------------------------------------------------------------------------------------
// protect
// ---------------------------------------------------------------------------------------------

/**
 * Applies disclosure control to one table: primary suppression, secondary suppression to a fixed
 * point over all area and category equations, then rounding (when `roundTo` is set). Deterministic:
 * the same table and rules give the same result, whatever the order of the cells.
 */
export function protect(table: StatTable, rules: Partial<DisclosureRules> = {}): ProtectedTable {
  const r = resolveRules(rules);
  const m = buildModel(table, r);
  const log: LogEntry[] = [];

  for (const c of m.sorted) {
    const p = primaryReason(m, c);
    if (p) hide(log, c, p.reason, p.detail);
  }
  markStructural(m);
  for (const c of m.sorted) {
    if (c.hidden && c.structural)
      throw new PublishError(
        `table "${table.id}": cell ${c.label} is sensitive (${c.reason}) but follows from the table's structure: ` +
          'all its parts are missing or absent, so suppressing it cannot hide it',
        'Check the missing and absent cells under it; a total whose parts are all empty must itself be 0 or missing.',
      );
  }
  secondary(m, log);

  const round = (x: number): number => (r.roundTo === undefined ? x : Math.round(x / r.roundTo) * r.roundTo);
  const cells = m.cells.map((c): ProtectedCell => {
    const out: ProtectedCell = {
      area: c.ref.area,
      period: c.ref.period,
      status: 'published',
      value: null,
      count: null,
    };
    if (c.ref.category !== undefined) out.category = c.ref.category;
    if (c.missing) out.status = 'missing';
    else if (c.hidden) {
      out.status = 'suppressed';
      out.reason = c.reason as SuppressionReason;
    } else {
      out.count = round(c.count);
      out.value = table.measure === 'count' ? out.count : c.value;
    }
    if (table.measure === 'ratio') out.denominator = out.status === 'published' ? round(c.denominator) : null;
    return out;
  });

  const result: ProtectedTable = {
    id: table.id,
    measure: table.measure,
    areas: table.areas.map((a) => ({ ...a })),
    cells,
    rules: r,
    log,
  };
  if (table.categories)
    result.categories = { total: table.categories.total, members: [...table.categories.members] };
  if (r.roundTo !== undefined) result.roundedTo = r.roundTo;
  if (table.minDenominator !== undefined) result.minDenominator = table.minDenominator;
  return result;
}

/**
 * The table as it may leave the restricted zone: without suppression reasons (which would tell
 * an attacker which hidden cells are the small ones), the rules and the log.
 */
export function toPublic(t: ProtectedTable): PublishedTable {
  const out: PublishedTable = {
    id: t.id,
    measure: t.measure,
    areas: t.areas.map((a) => ({ ...a })),
    cells: t.cells.map((c) => {
      const cell: PublishedCell = {
        area: c.area,
        period: c.period,
        status: c.status,
        value: c.value,
        count: c.count,
      };
      if (c.category !== undefined) cell.category = c.category;
      if (c.denominator !== undefined) cell.denominator = c.denominator;
      return cell;
    }),
  };
  if (t.categories) out.categories = { total: t.categories.total, members: [...t.categories.members] };
  if (t.roundedTo !== undefined) out.roundedTo = t.roundedTo;
  if (t.minDenominator !== undefined) out.minDenominator = t.minDenominator;
  return out;
}
