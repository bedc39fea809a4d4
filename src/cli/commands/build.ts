import { Listr } from 'listr2';
import { Build, type BuildSummary, type StepOutcome } from '../../build/build.js';
import type { NodeDef, Project } from '../../project/types.js';
import { IngestError } from '../../ingest/errors.js';
import { CliError, EXIT } from '../errors.js';

function bar(pct: number, width = 24): string {
  if (pct < 0) return '';
  const filled = Math.round((pct / 100) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}%`;
}

function describeOutcome(o: StepOutcome): string {
  const rows = o.rows === null ? '' : `${o.rows.toLocaleString('nl-NL')} rows`;
  const q =
    typeof o.detail?.['rowsQuarantined'] === 'number' && o.detail['rowsQuarantined'] > 0
      ? `, ${String(o.detail['rowsQuarantined'])} quarantined`
      : '';
  const dropped =
    Array.isArray(o.detail?.['dropped']) && o.detail['dropped'].length > 0
      ? `, dropped undeclared: ${(o.detail['dropped'] as string[]).join(', ')}`
      : '';
  return `${o.node} — ${o.status === 'reused' ? 'unchanged, reused' : rows}${q}${dropped} (${(o.durationMs / 1000).toFixed(1)} s)`;
}

/** Execute one step while polling the engine's progress. */
async function executeWithProgress(
  build: Build,
  node: NodeDef,
  onProgress: (pct: number) => void,
): Promise<StepOutcome> {
  const timer = setInterval(() => onProgress(build.progress()), 250);
  try {
    return await build.execute(node);
  } finally {
    clearInterval(timer);
  }
}

export async function runBuild(
  project: Project,
  opts: { full?: boolean; json?: boolean; command?: string },
): Promise<BuildSummary> {
  const build = await Build.start(project, {
    full: opts.full ?? false,
    command: opts.command ?? 'build',
  }).catch((e: unknown) => {
    if (e instanceof IngestError) throw new CliError(`${e.message}\n  fix: ${e.fix}`, EXIT.usage);
    throw e;
  });
  if (opts.json) {
    for (const node of build.steps) {
      process.stdout.write(JSON.stringify({ event: 'step_start', node: node.name, kind: node.kind }) + '\n');
      const outcome = await executeWithProgress(build, node, () => {});
      process.stdout.write(JSON.stringify({ event: 'step_end', ...outcome }) + '\n');
    }
  } else {
    const tasks = new Listr(
      build.steps.map((node) => ({
        title: `${node.kind === 'source' ? 'load ' : node.kind === 'model' ? 'model' : 'publish'} ${node.name}`,
        task: async (_ctx: unknown, task: { output: string; title: string; skip: (m: string) => void }) => {
          const outcome = await executeWithProgress(build, node, (pct) => {
            task.output = bar(pct);
          });
          task.title = `${node.kind === 'source' ? 'load ' : node.kind === 'model' ? 'model' : 'publish'} ${describeOutcome(outcome)}`;
          if (outcome.status === 'skipped') task.skip(`${node.name}: ${outcome.error ?? 'skipped'}`);
          if (outcome.status === 'failed')
            throw new Error(
              `${node.name}: ${outcome.error ?? 'failed'}${outcome.fix ? `\n  fix: ${outcome.fix}` : ''}`,
            );
        },
      })),
      {
        concurrent: false,
        exitOnError: false,
        rendererOptions: { collapseErrors: false },
        fallbackRendererOptions: {},
      },
    );
    await tasks.run().catch(() => {});
  }
  const summary = await build.finish();
  if (opts.json)
    process.stdout.write(JSON.stringify({ event: 'build_end', ...summary, steps: undefined }) + '\n');
  else {
    const failures = summary.steps.filter((s) => s.status === 'failed');
    for (const f of failures)
      process.stderr.write(`✖ ${f.node}: ${f.error}\n${f.fix ? `  fix: ${f.fix}\n` : ''}`);
    process.stdout.write(
      summary.status === 'success'
        ? `Published ${summary.version} (run ${summary.runId}, ${summary.steps.length} steps, ${(summary.durationMs / 1000).toFixed(1)} s)\n`
        : `Build failed (run ${summary.runId}); ${summary.previousVersion ? `version ${summary.previousVersion} stays current` : 'no version was published'}\n`,
    );
  }
  if (summary.status !== 'success') throw new CliError('', EXIT.failure);
  return summary;
}
