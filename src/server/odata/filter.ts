/**
 * OData v4 `$filter` and `$orderby`, parsed by hand into predicates over in-memory rows — never into
 * SQL. Supported: eq ne gt ge lt le, and or not, parentheses, string ('it''s'), number, true, false
 * and null literals, and the functions contains, startswith, endswith (string, string), tolower,
 * toupper, trim (string) and length (string). Types are checked against the entity type before any
 * row is read, so a mistake is a 400 that names it.
 */

export type Scalar = string | number | boolean | null;
export type ODataRow = Record<string, Scalar>;
export type Kind = 'string' | 'number' | 'boolean' | 'null';

/** An OData error: the status, a stable code and an English message (OData's JSON error format). */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): ODataError => new ODataError(400, 'invalid_query', message);

type Token =
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'name'; v: string }
  | { t: '(' | ')' | ',' | '=' };

const MAX_LENGTH = 4_000;
const MAX_DEPTH = 64;

export function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH) throw bad(`the expression is longer than ${MAX_LENGTH} characters`);
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      // a string literal; a quote inside is written twice
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw bad('a string literal is not closed');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text[i];
        i++;
      }
      out.push({ t: 'string', v });
    } else if (c === '(' || c === ')' || c === ',' || c === '=') {
      out.push({ t: c });
      i++;
    } else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?)|^([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
      if (!m) throw bad(`unexpected "${c}" at position ${i + 1}`);
      out.push(m[1] !== undefined ? { t: 'number', v: Number(m[1]) } : { t: 'name', v: m[4] as string });
      i += m[0].length;
    }
  }
  return out;
}

interface Expr {
  kind: Kind;
  evaluate: (row: ODataRow) => Scalar;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const STRING_TESTS: Record<string, (a: string, b: string) => boolean> = {
  contains: (a, b) => a.includes(b),
  startswith: (a, b) => a.startsWith(b),
  endswith: (a, b) => a.endsWith(b),
};
const STRING_MAPS: Record<string, (a: string) => Scalar> = {
  tolower: (a) => a.toLowerCase(),
  toupper: (a) => a.toUpperCase(),
  trim: (a) => a.trim(),
  length: (a) => a.length,
};

function compare(op: string, l: Scalar, r: Scalar): boolean {
  if (op === 'eq') return l === r;
  if (op === 'ne') return l !== r;
  // OData: an ordering comparison with null is false
  if (l === null || r === null) return false;
  if (op === 'gt') return l > r;
  if (op === 'ge') return l >= r;
  if (op === 'lt') return l < r;
  return l <= r;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly kinds: ReadonlyMap<string, Kind>,
  ) {}

  parse(): Expr {
    const e = this.or();
    const rest = this.tokens[this.i];
    if (rest) throw bad(`unexpected ${describe(rest)} after the expression`);
    return e;
  }

  private peekName(...names: string[]): boolean {
    const t = this.tokens[this.i];
    return t?.t === 'name' && names.includes(t.v);
  }

  private expect(t: ')' | '(' | ','): void {
    const got = this.tokens[this.i];
    if (got?.t !== t) throw bad(`expected "${t}" but found ${got ? describe(got) : 'the end'}`);
    this.i++;
  }

  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw bad(`the expression nests deeper than ${MAX_DEPTH} levels`);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private logical(op: 'and' | 'or', next: () => Expr): Expr {
    let left = next();
    while (this.peekName(op)) {
      this.i++;
      const l = boolean(left, op);
      const r = boolean(next(), op);
      // three-valued logic: null and false = false, null or true = true
      left = {
        kind: 'boolean',
        evaluate:
          op === 'and'
            ? (row) => {
                const a = l(row);
                const b = r(row);
                return a === false || b === false ? false : a === null || b === null ? null : true;
              }
            : (row) => {
                const a = l(row);
                const b = r(row);
                return a === true || b === true ? true : a === null || b === null ? null : false;
              },
      };
    }
    return left;
  }

  private or(): Expr {
    return this.nested(() => this.logical('or', () => this.and()));
  }

  private and(): Expr {
    return this.logical('and', () => this.not());
  }

  private not(): Expr {
    if (!this.peekName('not')) return this.comparison();
    this.i++;
    const inner = boolean(
      this.nested(() => this.not()),
      'not',
    );
    return {
      kind: 'boolean',
      evaluate: (row) => {
        const v = inner(row);
        return v === null ? null : !v;
      },
    };
  }

  private comparison(): Expr {
    const left = this.primary();
    const t = this.tokens[this.i];
    if (t?.t !== 'name' || !COMPARISONS.has(t.v)) return left;
    this.i++;
    const right = this.primary();
    const op = t.v;
    if (left.kind !== 'null' && right.kind !== 'null') {
      if (left.kind !== right.kind) throw bad(`cannot compare ${left.kind} with ${right.kind} (${op})`);
      if (left.kind === 'boolean' && op !== 'eq' && op !== 'ne')
        throw bad(`a boolean can only be compared with eq or ne, not ${op}`);
    } else if (op !== 'eq' && op !== 'ne') {
      throw bad(`null can only be compared with eq or ne, not ${op}`);
    }
    return { kind: 'boolean', evaluate: (row) => compare(op, left.evaluate(row), right.evaluate(row)) };
  }

  private primary(): Expr {
    const t = this.tokens[this.i++];
    if (!t) throw bad('the expression ends too early');
    if (t.t === '(') {
      const e = this.or();
      this.expect(')');
      return e;
    }
    if (t.t === 'string') return constant('string', t.v);
    if (t.t === 'number') return constant('number', t.v);
    if (t.t !== 'name') throw bad(`unexpected ${describe(t)}`);
    if (t.v === 'true' || t.v === 'false') return constant('boolean', t.v === 'true');
    if (t.v === 'null') return constant('null', null);
    if (this.tokens[this.i]?.t === '(') return this.call(t.v);
    const kind = this.kinds.get(t.v);
    if (!kind) throw bad(`unknown property "${t.v}"; properties: ${[...this.kinds.keys()].join(', ')}`);
    const name = t.v;
    return { kind, evaluate: (row) => row[name] ?? null };
  }

  private call(name: string): Expr {
    this.expect('(');
    const args: Expr[] = [this.or()];
    while (this.tokens[this.i]?.t === ',') {
      this.i++;
      args.push(this.or());
    }
    this.expect(')');
    const strings = args.map((a) => {
      if (a.kind !== 'string' && a.kind !== 'null') throw bad(`${name}() takes text, not ${a.kind}`);
      return a.evaluate;
    });
    const test = STRING_TESTS[name];
    if (test && strings.length === 2) {
      const [a, b] = strings as [Expr['evaluate'], Expr['evaluate']];
      return {
        kind: 'boolean',
        evaluate: (row) => {
          const x = a(row);
          const y = b(row);
          return typeof x === 'string' && typeof y === 'string' ? test(x, y) : null;
        },
      };
    }
    const map = STRING_MAPS[name];
    if (map && strings.length === 1) {
      const [a] = strings as [Expr['evaluate']];
      return {
        kind: name === 'length' ? 'number' : 'string',
        evaluate: (row) => {
          const x = a(row);
          return typeof x === 'string' ? map(x) : null;
        },
      };
    }
    if (test || map) throw bad(`${name}() takes ${test ? 2 : 1} argument${test ? 's' : ''}`);
    throw bad(
      `the function ${name}() is not supported; supported: ${[...Object.keys(STRING_TESTS), ...Object.keys(STRING_MAPS)].join(', ')}`,
    );
  }
}

function constant(kind: Kind, v: Scalar): Expr {
  return { kind, evaluate: () => v };
}

function boolean(e: Expr, where: string): (row: ODataRow) => boolean | null {
  if (e.kind !== 'boolean') throw bad(`${where} needs a condition, not a ${e.kind}`);
  return e.evaluate as (row: ODataRow) => boolean | null;
}

function describe(t: Token): string {
  return t.t === 'string' ? `'${t.v}'` : t.t === 'number' || t.t === 'name' ? `"${t.v}"` : `"${t.t}"`;
}

/** A `$filter` as a predicate: a row passes when the condition is true (not false, not null). */
export function parseFilter(text: string, kinds: ReadonlyMap<string, Kind>): (row: ODataRow) => boolean {
  const e = new Parser(tokenize(text), kinds).parse();
  const test = boolean(e, '$filter');
  return (row) => test(row) === true;
}

/** A `$orderby` as a comparator: nulls first, as OData sorts them ascending. */
export function parseOrderBy(
  text: string,
  kinds: ReadonlyMap<string, Kind>,
): (a: ODataRow, b: ODataRow) => number {
  const keys = text.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!m) throw bad(`cannot read "${part.trim()}" in $orderby; write: Property [asc|desc]`);
    const name = m[1] as string;
    if (!kinds.has(name)) throw bad(`unknown property "${name}" in $orderby`);
    return { name, sign: m[2] === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { name, sign } of keys) {
      const x = a[name] ?? null;
      const y = b[name] ?? null;
      if (x === y) continue;
      if (x === null) return -sign;
      if (y === null) return sign;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

/** A key predicate: `('x')` for a single key, `(A='x',B='y')` for a composite one. */
export function parseKey(text: string, key: readonly string[]): Record<string, Scalar> {
  const tokens = tokenize(text);
  const literal = (t: Token | undefined): Scalar => {
    if (t?.t === 'string' || t?.t === 'number') return t.v;
    throw bad("a key value must be a literal, like 'code'");
  };
  if (tokens.length === 1 && key.length === 1) return { [key[0] as string]: literal(tokens[0]) };
  const out: Record<string, Scalar> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const [name, eq, value, sep] = tokens.slice(i, i + 4);
    if (name?.t !== 'name' || eq?.t !== '=' || (sep && sep.t !== ','))
      throw bad(`write the key as (${key.map((k) => `${k}='…'`).join(',')})`);
    if (!key.includes(name.v)) throw bad(`"${name.v}" is not part of the key (${key.join(', ')})`);
    out[name.v] = literal(value);
  }
  const missing = key.filter((k) => !(k in out));
  if (missing.length > 0) throw bad(`the key needs ${missing.join(', ')}`);
  return out;
}
