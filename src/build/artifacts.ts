import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineageGraph } from '../lineage/graph.js';
import type { CheckResult } from '../quality/checks.js';
import { dimensionOf } from '../quality/checks.js';
import type { QualityScore } from '../quality/score.js';
import type { Project } from '../project/types.js';
import type { StepOutcome } from './build.js';

/** Versions of the artifact formats; their JSON Schemas are schemas/<name>.v<N>.schema.json. */
export const MANIFEST_VERSION = 1;
export const RUN_RESULTS_VERSION = 1;
const SCHEMA_BASE = 'https://datapakhuis.nl/schemas';

/** Columns of the built models, read from the warehouse version (model columns are known only then). */
export type ModelColumns = Map<string, Array<{ name: string; type: string }>>;

/**
 * manifest.json: the compiled project — every node with its columns and classifications, its
 * checks, and the lineage edges — as the build saw it.
 */
export function manifest(
  project: Project,
  modelColumns: ModelColumns,
  generatedAt: string,
): Record<string, unknown> {
  const graph = lineageGraph(project);
  const checks = (list: Project['sources'][number]['checks']): unknown[] =>
    list.map((c) => ({
      id: c.id,
      type: c.type,
      column: c.column ?? null,
      columns: c.columns ?? null,
      dimension: dimensionOf(c.type),
      severity: c.severity,
      mostly: c.mostly,
      where: c.where ?? null,
      refs: c.refs,
    }));
  const upstreamClass = new Map<string, string>();
  for (const s of project.sources) for (const c of s.columns) upstreamClass.set(c.name, c.classification);
  const nodes: Record<string, unknown> = {};
  for (const s of project.sources) {
    nodes[s.name] = {
      kind: 'source',
      file: s.file,
      title: s.title,
      description: s.description ?? null,
      owner: s.owner,
      steward: s.steward ?? null,
      domain: s.domain ?? null,
      refresh: s.refresh,
      definition_hash: s.definitionHash,
      catalog: s.catalog,
      privacy: {
        legal_basis: s.privacy.legalBasis,
        purposes: s.privacy.purposes,
        data_subjects: s.privacy.dataSubjects,
        fg_approval: s.privacy.fgApproval ?? null,
        retention: s.privacy.retention,
        vault: s.privacy.vault,
      },
      columns: s.columns.map((c) => ({
        name: c.name,
        type: c.type,
        classification: c.classification,
        identifier_kind: c.identifierKind ?? null,
        category: c.category ?? null,
        generalise: c.generalise ?? null,
        description: c.description ?? null,
      })),
      checks: checks(s.checks),
    };
  }
  for (const m of project.models) {
    nodes[m.name] = {
      kind: 'model',
      file: m.file,
      title: m.title ?? null,
      description: m.description ?? null,
      owner: m.owner ?? null,
      refs: m.refs,
      definition_hash: m.definitionHash,
      // a model column's classification is that of the source column of the same name, if any
      columns: (modelColumns.get(m.name) ?? []).map((c) => ({
        name: c.name,
        type: c.type,
        classification: upstreamClass.get(c.name) ?? null,
        description: m.columnDescriptions[c.name] ?? null,
      })),
      checks: checks(m.checks),
    };
  }
  for (const p of project.publications) {
    nodes[p.name] = {
      kind: 'publication',
      file: p.file,
      title: p.title,
      description: p.description ?? null,
      model: p.model,
      measure: p.measure,
      area: p.area,
      k: p.k ?? project.privacy.k,
    };
  }
  for (const i of project.indicators) {
    nodes[i.name] = {
      kind: 'indicator',
      file: i.file,
      title: i.label,
      description: i.description,
      owner: i.owner,
      type: i.type,
      theme: i.theme,
      domain: i.domain,
      unit: i.unit,
      polarity: i.polarity,
      refs: i.refs,
    };
  }
  return {
    $schema: `${SCHEMA_BASE}/manifest.v${MANIFEST_VERSION}.schema.json`,
    manifest_version: MANIFEST_VERSION,
    generated_at: generatedAt,
    municipality: project.municipality,
    reference_date: project.referenceDate ?? null,
    order: project.order,
    nodes,
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to, label: e.label })),
  };
}

export interface RunFacts {
  runId: number;
  command: string;
  status: 'success' | 'failed';
  version: string | null;
  startedAt: string;
  finishedAt: string;
  steps: StepOutcome[];
  checks: CheckResult[];
  scores: Array<{ node: string } & QualityScore>;
}

/** run_results.json: every step, every check result and the quality scores of one build. */
export function runResults(r: RunFacts): Record<string, unknown> {
  return {
    $schema: `${SCHEMA_BASE}/run_results.v${RUN_RESULTS_VERSION}.schema.json`,
    run_results_version: RUN_RESULTS_VERSION,
    run_id: r.runId,
    command: r.command,
    status: r.status,
    warehouse_version: r.version,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    steps: r.steps.map((s) => ({
      node: s.node,
      kind: s.kind,
      status: s.status,
      rows: s.rows,
      duration_ms: s.durationMs,
      error: s.error ?? null,
      fix: s.fix ?? null,
    })),
    checks: r.checks.map((c) => ({ ...c })),
    quality: r.scores,
  };
}

/** Write both artifacts to <state>/target/ (the latest build) and <state>/runs/<id>/ (history). */
export function writeArtifacts(stateDir: string, runId: number, files: Record<string, unknown>): string[] {
  const written: string[] = [];
  for (const dir of [join(stateDir, 'runs', String(runId)), join(stateDir, 'target')]) {
    mkdirSync(dir, { recursive: true });
    for (const [name, doc] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
      written.push(path);
    }
  }
  return written;
}
