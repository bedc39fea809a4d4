import { Option, type Command } from 'commander';
import type { ColumnType } from '../../engine/dialect.js';
import { impact, impactTarget, type ImpactReport } from '../../lineage/columns.js';
import {
  downstream,
  LineageError,
  lineageGraph,
  renderTree,
  requireNode,
  upstream,
  type Direction,
} from '../../lineage/graph.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';
import { requireProject } from '../project.js';

const COLUMN_TYPES: ColumnType[] = ['text', 'integer', 'decimal', 'number', 'date', 'timestamp', 'boolean'];

/**
 * `pakhuis lineage <node>` and `pakhuis lineage impact <node>.<column>`. Registered as a whole, so
 * that the subcommand inherits the program's settings (exit override, output).
 */
export function registerLineage(program: Command, projectOption: () => Option): void {
  const lineage = program
    .command('lineage')
    .description('what a source, model or publication reads and what reads it, from the definitions')
    .argument('<node>', 'a source, model or publication')
    .addOption(projectOption())
    .addOption(new Option('--upstream', 'only what the node reads').conflicts('downstream'))
    .option('--downstream', 'only what reads the node')
    .option('--json', 'machine-readable output')
    .action((node: string, o: LineageOptions) => {
      const directions: Direction[] = o.upstream
        ? ['upstream']
        : o.downstream
          ? ['downstream']
          : ['upstream', 'downstream'];
      console.log(runLineage(requireProject(o.project), node, directions, o.json ?? false));
    });
  // `lineage` takes --project and --json wherever they are on the command line (commander gives a
  // parent's options to the parent), so the subcommand reads them from there.
  lineage
    .command('impact <column>')
    .description('what breaks when <source or model>.<column> is removed, or retyped with --type')
    .addOption(
      new Option('-t, --type <type>', 'retype the column instead of removing it').choices(COLUMN_TYPES),
    )
    .configureHelp({ showGlobalOptions: true })
    .action(async (column: string, _o: unknown, command: Command) => {
      const o = command.optsWithGlobals<LineageOptions & { type?: ColumnType }>();
      console.log(await runImpact(requireProject(o.project), column, o.type, o.json ?? false));
    });
}

interface LineageOptions {
  project: string;
  upstream?: boolean;
  downstream?: boolean;
  json?: boolean;
}

export function runLineage(project: Project, name: string, directions: Direction[], json: boolean): string {
  try {
    const graph = lineageGraph(project);
    const node = requireNode(graph, name);
    if (json) {
      const walk = { upstream, downstream };
      return JSON.stringify(
        { node, ...Object.fromEntries(directions.map((d) => [d, walk[d](graph, name)])) },
        null,
        2,
      );
    }
    return directions.map((d) => `${capitalise(d)}:\n${renderTree(graph, node.name, d)}`).join('\n\n');
  } catch (e) {
    throw usageError(e);
  }
}

export async function runImpact(
  project: Project,
  spec: string,
  type: ColumnType | undefined,
  json: boolean,
): Promise<string> {
  try {
    const report = await impact(project, impactTarget(project, spec, type ? { type } : 'remove'));
    return json ? JSON.stringify(report, null, 2) : renderImpact(report);
  } catch (e) {
    throw usageError(e);
  }
}

/** An unknown node or column is a usage error (exit 2), with the message that names it. */
function usageError(e: unknown): unknown {
  return e instanceof LineageError ? new CliError(e.message, EXIT.usage) : e;
}

function renderImpact(r: ImpactReport): string {
  const t = r.target;
  const lines = [
    `${t.change === 'remove' ? 'Removing' : 'Retyping'} ${t.node}.${t.column} (${t.kind}, ${t.file})${t.change === 'remove' ? '' : ` to ${t.change.type}`}:`,
  ];
  const section = <T>(title: string, items: T[], line: (item: T) => string): void => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`, ...items.map((i) => `  ${line(i)}`));
  };
  section('no longer builds', r.broken, (b) => `✖ ${b.node} (${b.kind}, ${b.file}): ${b.error}`);
  section('not built', r.downstream, (d) => `✖ ${d.node} (${d.file}): ${d.reason}`);
  section(
    'column changes',
    r.columnChanges,
    (c) =>
      `~ ${c.node}.${c.column}: ${c.after === null ? `gone (was ${c.before})` : `${c.before} → ${c.after}`}`,
  );
  section(
    'checks',
    r.checks,
    (c) => `✖ ${c.node}.${c.check} (${c.type}, ${c.file}${c.line ? `:${c.line}` : ''}): ${c.reason}`,
  );
  section('publications', r.publications, (p) => `✖ ${p.node} (${p.file}): ${p.reason}`);
  lines.push(...r.notes.map((n) => `note: ${n}`));
  const counts = [r.broken, r.downstream, r.columnChanges, r.checks, r.publications].map((l) => l.length);
  lines.push(
    counts.every((n) => n === 0)
      ? 'Nothing breaks: every model, check and publication still binds, with the same column types.'
      : `affected: ${r.broken.length} broken, ${r.downstream.length} not built, ${r.columnChanges.length} column changes, ${r.checks.length} checks, ${r.publications.length} publications`,
  );
  return lines.join('\n');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
