import { computedFrom, lineageGraph, type LineageGraph } from '../lineage/graph.js';
import type { IndicatorDef, Project, SourceDef } from '../project/types.js';

/** Where an indicator comes from: its owner, the sources it is computed from, and whom to credit. */
export interface Provenance {
  owner: string;
  /** names and titles only: metadata of the catalog */
  sources: Array<{ name: string; title: string }>;
  /** "Bron: CBS" when a source is a CBS table, else the municipality; null without sources */
  attribution: string | null;
}

const graphs = new WeakMap<Project, LineageGraph>();

/** The lineage graph of a project, built once per loaded project. */
export function graphOf(project: Project): LineageGraph {
  let graph = graphs.get(project);
  if (!graph) {
    graph = lineageGraph(project);
    graphs.set(project, graph);
  }
  return graph;
}

/** A source downloaded from CBS StatLine (connector type cbs in its definition). */
export function isCbsSource(source: SourceDef): boolean {
  return source.connector.type === 'json' && source.connector.download?.kind === 'cbs';
}

export function provenance(project: Project, indicator: IndicatorDef): Provenance {
  const names = new Set(computedFrom(graphOf(project), indicator.name).map((n) => n.name));
  const sources = project.sources.filter((s) => names.has(s.name));
  return {
    owner: indicator.owner,
    sources: sources.map((s) => ({ name: s.name, title: s.title })),
    attribution:
      sources.length === 0
        ? null
        : sources.some(isCbsSource)
          ? 'Bron: CBS'
          : `Bron: gemeente ${project.municipality.name}`,
  };
}
