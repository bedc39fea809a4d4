import type { Dialect } from '../engine/dialect.js';
import { compileRefs } from './refs.js';
import { nodeSchema, type ModelDef, type NodeDef, type Project } from './types.js';

/** `link('basis', 'sociaal')`: the pseudonym pairs of a declared link between two linking domains. */
const LINK = /\blink\(\s*(['"])([a-z][a-z0-9_]*)\1\s*,\s*(['"])([a-z][a-z0-9_]*)\3\s*\)/g;

export const LINKS_SCHEMA = 'links';

/** The table of a declared link, named by the domains in their declared order; undefined if none is declared. */
export function linkTable(project: Project, a: string, b: string): string | undefined {
  const l = project.privacy.links.find(
    (x) => (x.domains[0] === a && x.domains[1] === b) || (x.domains[0] === b && x.domains[1] === a),
  );
  return l ? `${l.domains[0]}__${l.domains[1]}` : undefined;
}

/** The `link()` calls of a model, as [domain, domain, line]. */
export function extractLinks(sql: string): Array<{ a: string; b: string; line: number }> {
  return [...sql.matchAll(LINK)].map((m) => ({
    a: m[2] as string,
    b: m[4] as string,
    line: sql.slice(0, m.index).split('\n').length,
  }));
}

/**
 * A model's SQL as the engine runs it: every ref('x') becomes the qualified table of node x, every
 * link('a', 'b') the declared link table, and a trailing semicolon goes.
 */
export function compileModel(project: Project, model: ModelDef, d: Dialect): string {
  const byName = new Map<string, NodeDef>(
    [...project.sources, ...project.models, ...project.publications, ...project.indicators].map((n) => [
      n.name,
      n,
    ]),
  );
  const refs = compileRefs(model.sql, (name) => d.qualify(nodeSchema(byName.get(name) as NodeDef), name));
  return refs
    .replace(LINK, (_all, _q1, a: string, _q2, b: string) =>
      d.qualify(LINKS_SCHEMA, linkTable(project, a, b) ?? `${a}__${b}`),
    )
    .trim()
    .replace(/;\s*$/, '');
}
