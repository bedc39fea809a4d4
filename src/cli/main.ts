#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT } from './errors.js';
import { requireProject } from './project.js';
import { runBuild } from './commands/build.js';
import { runCheck } from './commands/check.js';
import { runInit } from './commands/init.js';
import { runQuery } from './commands/query.js';
import { showRuns } from './commands/runs.js';
import { runSynth } from './commands/synth.js';
import { runDemo } from './commands/demo.js';
import type { OutputFormat } from './format.js';

const program = new Command('pakhuis')
  .description('Datapakhuis — the data warehouse of a Dutch municipality, defined as code')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const projectOption = (): Option => new Option('-p, --project <dir>', 'project folder').default('.');
const formatOption = (): Option =>
  new Option('-f, --format <format>', 'output format').choices(['table', 'csv', 'json']).default('table');

program
  .command('init <dir>')
  .description('scaffold a new project folder')
  .action((dir: string) => console.log(runInit(dir)));

program
  .command('check')
  .description('validate the project folder; every error names its file, line and fix')
  .addOption(projectOption())
  .option('--json', 'machine-readable output')
  .action((o: { project: string; json?: boolean }) => console.log(runCheck(o.project, o.json ?? false)));

program
  .command('synth')
  .description('generate the synthetic municipality (deterministic per seed and size)')
  .option('-n, --persons <n>', 'number of inhabitants', '56432')
  .option('-s, --seed <seed>', 'random seed', '1')
  .requiredOption('-o, --out <dir>', 'output folder')
  .action(async (o: { persons: string; seed: string; out: string }) => {
    await runSynth({ persons: parsePositive(o.persons, '--persons'), seed: o.seed, out: o.out });
  });

program
  .command('build')
  .description('load the sources and build the models into a new version, published atomically')
  .addOption(projectOption())
  .option('--full', 're-ingest every source even when its input is unchanged')
  .option('--json', 'one JSON event per line instead of progress bars')
  .action(async (o: { project: string; full?: boolean; json?: boolean }) => {
    await runBuild(requireProject(o.project), { full: o.full ?? false, json: o.json ?? false });
  });

program
  .command('query <select>')
  .description('run one SELECT against the published version')
  .addOption(projectOption())
  .addOption(formatOption())
  .option('-l, --limit <n>', 'maximum rows', '1000')
  .action(async (sql: string, o: { project: string; format: OutputFormat; limit: string }) => {
    console.log(await runQuery(requireProject(o.project), sql, o.format, parsePositive(o.limit, '--limit')));
  });

program
  .command('runs [id]')
  .description('the load/run history, or one run with its steps and loads')
  .addOption(projectOption())
  .addOption(formatOption())
  .option('-l, --limit <n>', 'number of runs', '20')
  .action((id: string | undefined, o: { project: string; format: OutputFormat; limit: string }) => {
    console.log(
      showRuns(requireProject(o.project), {
        ...(id ? { id: parsePositive(id, 'id') } : {}),
        limit: parsePositive(o.limit, '--limit'),
        format: o.format,
      }),
    );
  });

program
  .command('demo')
  .description('set up the demo municipality: synth + build (the demo project lives in --dir)')
  .option('-d, --dir <dir>', 'where to put the demo project', 'demo')
  .option('-n, --persons <n>', 'number of inhabitants', '56432')
  .option('-s, --seed <seed>', 'random seed', '1')
  .action(async (o: { dir: string; persons: string; seed: string }) => {
    await runDemo({ dir: o.dir, persons: parsePositive(o.persons, '--persons'), seed: o.seed });
  });

function parsePositive(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(`${name} must be a positive whole number, not "${v}"`, EXIT.usage);
  return n;
}

if (process.env['PAKHUIS_RUSAGE_FILE']) {
  // for the benchmark harness: this process's peak memory, native (DuckDB) included
  const file = process.env['PAKHUIS_RUSAGE_FILE'];
  process.on('exit', () => writeFileSync(file, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })));
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (e instanceof CliError) {
    if (e.message) process.stderr.write(`${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT.failure;
  }
}
