/** `ref('name')` calls in a model's SQL, with the line each is on. */
export interface RefCall {
  name: string;
  line: number;
  /** offsets of the whole call in the SQL */
  start: number;
  end: number;
}

const REF = /\bref\(\s*(['"])([^'"]+)\1\s*\)/g;

export function extractRefs(sql: string): RefCall[] {
  const out: RefCall[] = [];
  for (const m of sql.matchAll(REF)) {
    const start = m.index;
    out.push({
      name: m[2] as string,
      line: sql.slice(0, start).split('\n').length,
      start,
      end: start + m[0].length,
    });
  }
  return out;
}

/** Replace every ref('name') with what `resolve` returns for it (a quoted, qualified table name). */
export function compileRefs(sql: string, resolve: (name: string) => string): string {
  return sql.replace(REF, (_all, _q, name: string) => resolve(name));
}
