import type { CheckDef, Project } from '../project/types.js';
import { closest } from '../util/text.js';

/**
 * The lineage graph of a project, from its definitions alone (nothing needs to be built).
 *
 * Nodes are the project's sources, models and publications; an edge runs from a node to a node that
 * reads it (upstream → downstream). Each kind of node is described by one contributor in `KINDS`, so a
 * later kind (indicators, signals) is one more member of `LineageKind` and one more contributor.
 */
export type LineageKind = 'source' | 'model' | 'publication' | 'indicator';

export interface LineageNode {
  name: string;
  kind: LineageKind;
  /** project-relative definition file */
  file: string;
}

/** `from` is read by `to`. */
export interface LineageEdge {
  from: string;
  to: string;
  /** why: `ref` (a model's ref()), `publishes` (a publication's model) or `check:<id>` (a check reads `from`) */
  label: string;
}

export interface LineageGraph {
  /** by name: sources, models and publications share one namespace */
  nodes: Map<string, LineageNode>;
  edges: LineageEdge[];
}

export type Direction = 'upstream' | 'downstream';

/** A node reached from another, at `depth` edges along the shortest path. */
export interface Reached extends LineageNode {
  depth: number;
}

/** An unknown node or column: the message names it and suggests the closest name. */
export class LineageError extends Error {}

/** One kind of node: its nodes, and for each the nodes it reads. */
interface KindContributor {
  entries(project: Project): Array<{ node: LineageNode; reads: Array<{ from: string; label: string }> }>;
}

/** Nodes a check reads besides its own node (relationships, sql checks). */
function checkReads(owner: string, checks: CheckDef[]): Array<{ from: string; label: string }> {
  return checks.flatMap((c) =>
    c.refs.filter((r) => r !== owner).map((from) => ({ from, label: `check:${c.id}` })),
  );
}

const KINDS: KindContributor[] = [
  {
    entries: (p) =>
      p.sources.map((s) => ({
        node: { name: s.name, kind: 'source', file: s.file },
        reads: checkReads(s.name, s.checks),
      })),
  },
  {
    entries: (p) =>
      p.models.map((m) => ({
        node: { name: m.name, kind: 'model', file: m.file },
        reads: [...m.refs.map((from) => ({ from, label: 'ref' })), ...checkReads(m.name, m.checks)],
      })),
  },
  {
    entries: (p) =>
      p.indicators.map((ind) => ({
        node: { name: ind.name, kind: 'indicator', file: ind.file },
        reads: ind.refs.map((from) => ({ from, label: from === ind.cbs?.source ? 'compares' : 'ref' })),
      })),
  },
  {
    entries: (p) =>
      p.publications.map((pub) => ({
        node: { name: pub.name, kind: 'publication', file: pub.file },
        reads: [{ from: pub.model, label: 'publishes' }],
      })),
  },
];

export function lineageGraph(project: Project): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const seen = new Set<string>();
  for (const kind of KINDS) {
    for (const { node, reads } of kind.entries(project)) {
      nodes.set(node.name, node);
      for (const { from, label } of reads) {
        const key = `${from}\u0000${node.name}\u0000${label}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push({ from, to: node.name, label });
      }
    }
  }
  return { nodes, edges };
}

/** The node named `name`, or a LineageError naming it and the closest existing name. */
export function requireNode(graph: LineageGraph, name: string): LineageNode {
  const node = graph.nodes.get(name);
  if (node) return node;
  throw new LineageError(
    `no source, model or publication is named "${name}"${didYouMean(name, graph.nodes.keys())}`,
  );
}

/** `; did you mean "<closest>"?` when a candidate is close enough to be a likely typo, else nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const hint = closest(name, candidates);
  return hint ? `; did you mean "${hint}"?` : '';
}

/** The direct neighbours of a node in one direction, by name, each with the labels of its edges. */
function neighbours(
  graph: LineageGraph,
  name: string,
  direction: Direction,
): Array<{ node: LineageNode; labels: string[] }> {
  const labels = new Map<string, string[]>();
  for (const e of graph.edges) {
    const [self, other] = direction === 'upstream' ? [e.to, e.from] : [e.from, e.to];
    if (self === name) labels.set(other, [...(labels.get(other) ?? []), e.label]);
  }
  return [...labels.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([other, l]) => ({ node: requireNode(graph, other), labels: l.sort() }));
}

/** Every node reachable in one direction (transitively), by depth and then name. */
function reach(graph: LineageGraph, name: string, direction: Direction): Reached[] {
  requireNode(graph, name);
  const depth = new Map<string, number>([[name, 0]]);
  let frontier = [name];
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const { node } of neighbours(graph, n, direction)) {
        if (depth.has(node.name)) continue;
        depth.set(node.name, d);
        next.push(node.name);
      }
    }
    frontier = next;
  }
  depth.delete(name);
  return [...depth.entries()]
    .map(([n, d]) => ({ ...(graph.nodes.get(n) as LineageNode), depth: d }))
    .sort((a, b) => a.depth - b.depth || byName(a.name, b.name));
}

/** What `name` reads, directly (depth 1) and indirectly. */
export function upstream(graph: LineageGraph, name: string): Reached[] {
  return reach(graph, name, 'upstream');
}

/** What reads `name`, directly (depth 1) and indirectly. */
export function downstream(graph: LineageGraph, name: string): Reached[] {
  return reach(graph, name, 'downstream');
}

/**
 * An indented tree of one direction from `name`, children ordered by name. A node reached a second
 * time (the graph is a DAG, not a tree) is marked `(see above)` and not expanded again. Edges other
 * than plain refs show their label.
 */
export function renderTree(graph: LineageGraph, name: string, direction: Direction): string {
  const root = requireNode(graph, name);
  const lines = [describe(root)];
  const expanded = new Set<string>([name]);
  const walk = (node: string, indent: string): void => {
    const children = neighbours(graph, node, direction);
    children.forEach(({ node: child, labels }, i) => {
      const last = i === children.length - 1;
      const via = labels.filter((l) => l !== 'ref' && l !== 'publishes');
      const again = expanded.has(child.name);
      lines.push(
        `${indent}${last ? '└── ' : '├── '}${describe(child)}${via.length > 0 ? ` via ${via.join(', ')}` : ''}${again ? ' (see above)' : ''}`,
      );
      if (again) return;
      expanded.add(child.name);
      walk(child.name, `${indent}${last ? '    ' : '│   '}`);
    });
  };
  walk(name, '');
  if (lines.length === 1) lines.push(`└── (nothing ${direction})`);
  return lines.join('\n');
}

/** Code-point order, as the DAG order uses: independent of the locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(node: LineageNode): string {
  return `${node.name} (${node.kind}, ${node.file})`;
}

/**
 * The sources `name` is computed from: upstream along the edges that carry data (`ref`,
 * `publishes`), not the nodes a check reads nor the CBS figures an indicator is compared with. By name.
 */
export function computedFrom(graph: LineageGraph, name: string): LineageNode[] {
  requireNode(graph, name);
  const seen = new Set<string>([name]);
  const sources: LineageNode[] = [];
  let frontier = [name];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const e of graph.edges) {
      if (!frontier.includes(e.to) || seen.has(e.from) || (e.label !== 'ref' && e.label !== 'publishes'))
        continue;
      seen.add(e.from);
      const node = graph.nodes.get(e.from);
      if (node?.kind === 'source') sources.push(node);
      next.push(e.from);
    }
    frontier = next;
  }
  return sources.sort((a, b) => byName(a.name, b.name));
}
