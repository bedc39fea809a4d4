import { impact } from '../lineage/columns.js';
import { upstreamSources } from './authorise.js';
import type { ModelDef, Project } from '../project/types.js';

export interface ProtectedUse {
  model: string;
  file: string;
  source: string;
  column: string;
  /** how the engine saw the use */
  how: string;
}

/**
 * Protected columns (nationality, ethnicity, migration background …) may never feed a signal: a
 * model that selects or scores persons or households. Whether a signal model uses one is decided by
 * the engine's binder, not by reading SQL text: every protected column upstream is removed in a
 * scratch database, and a signal model that no longer binds, or whose output loses the column, uses
 * it — directly, in a filter, or through any model in between.
 */
export async function protectedSignalInputs(project: Project): Promise<ProtectedUse[]> {
  const signals = project.models.filter((m) => m.signal);
  const out: ProtectedUse[] = [];
  const cache = new Map<string, Awaited<ReturnType<typeof impact>>>();
  for (const model of signals) {
    for (const source of upstreamSources(project, model.name)) {
      for (const col of source.columns.filter((c) => c.classification === 'protected')) {
        const key = `${source.name}.${col.name}`;
        const report =
          cache.get(key) ??
          (await impact(project, { source: source.name, column: col.name, change: 'remove' }));
        cache.set(key, report);
        const how = usedBy(model, report);
        if (how)
          out.push({
            model: model.name,
            file: model.metaFile ?? model.file,
            source: source.name,
            column: col.name,
            how,
          });
      }
    }
  }
  return out;
}

function usedBy(model: ModelDef, r: Awaited<ReturnType<typeof impact>>): string | undefined {
  const broken = r.broken.find((b) => b.node === model.name);
  if (broken) return `it no longer binds without the column: ${broken.error}`;
  const down = r.downstream.find((b) => b.node === model.name);
  if (down) return `it reads a model that needs the column (${down.reason})`;
  const passed = r.columnChanges.find((c) => c.node === model.name);
  if (passed) return `its output carries the column (${passed.column})`;
  return undefined;
}
