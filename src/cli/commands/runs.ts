import { existsSync } from 'node:fs';
import { statePath } from '../../build/build.js';
import type { Project } from '../../project/types.js';
import { StateStore } from '../../state/store.js';
import { CliError, EXIT } from '../errors.js';
import { formatRows, type OutputFormat } from '../format.js';

/** The run history, or one run with its steps and loads. */
export function showRuns(
  project: Project,
  opts: { id?: number; limit: number; format: OutputFormat },
): string {
  if (!existsSync(statePath(project))) return opts.format === 'json' ? '[]' : 'no runs yet';
  const state = new StateStore(statePath(project));
  try {
    state.reapAbandoned();
    if (opts.id === undefined) {
      const runs = state.runs(opts.limit).map((r) => ({
        ...r,
        duration_s: r.finished_at
          ? ((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1)
          : null,
      }));
      return formatRows(
        runs,
        ['id', 'status', 'command', 'started_at', 'duration_s', 'version', 'error'],
        opts.format,
      );
    }
    const run = state.run(opts.id);
    if (!run) throw new CliError(`no run ${opts.id}`, EXIT.usage);
    const steps = state.steps(run.id);
    const loads = state.loads(run.id).map((l) => ({ ...l, sha256: l.sha256.slice(0, 12) }));
    if (opts.format === 'json') return JSON.stringify({ run, steps, loads: state.loads(run.id) }, null, 2);
    return [
      formatRows(
        [run],
        ['id', 'status', 'command', 'started_at', 'finished_at', 'version', 'error'],
        opts.format,
      ),
      '',
      formatRows(steps, ['node', 'kind', 'status', 'rows', 'duration_ms', 'error'], opts.format),
      '',
      formatRows(
        loads,
        [
          'source',
          'file',
          'sha256',
          'rows_read',
          'rows_loaded',
          'rows_quarantined',
          'dropped_columns',
          'status',
          'error',
        ],
        opts.format,
      ),
    ].join('\n');
  } finally {
    state.close();
  }
}
