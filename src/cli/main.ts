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
import { runAuditList, runAuditVerify } from './commands/audit.js';
import { runKeysRotate } from './commands/keys.js';
import { runRegister } from './commands/register.js';
import { runPublishVerify } from './commands/publish.js';
import { runReveal } from './commands/reveal.js';
import { registerLineage } from './commands/lineage.js';
import { registerServe } from './commands/serve.js';
import { runCatalogExport, runCatalogList, runCatalogShow } from './commands/catalog.js';
import { runQuality } from './commands/quality.js';
import { runProfile, runSwingExport } from './commands/profile.js';
import { runAreasFetch } from './commands/areas.js';
import { registerUsers } from '../auth/cli.js';
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
  .action(async (o: { project: string; json?: boolean }) =>
    console.log(await runCheck(o.project, o.json ?? false)),
  );

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
  .description('run one SELECT against the published version, for a role and a purpose (audited)')
  .addOption(projectOption())
  .addOption(formatOption())
  .requiredOption('-r, --role <role>', 'the role you act in (roles in pakhuis.yaml)')
  .requiredOption('--purpose <purpose>', 'the purpose of this use of data (doelbinding)')
  .option('-l, --limit <n>', 'maximum rows', '1000')
  .action(
    async (
      sql: string,
      o: { project: string; format: OutputFormat; limit: string; role: string; purpose: string },
    ) => {
      console.log(
        await runQuery(requireProject(o.project), sql, {
          format: o.format,
          limit: parsePositive(o.limit, '--limit'),
          role: o.role,
          purpose: o.purpose,
        }),
      );
    },
  );

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
  .description(
    'set up the demo municipality: synth + build, demo accounts per role, then serve it (--no-serve to stop)',
  )
  .option('-d, --dir <dir>', 'where to put the demo project', 'demo')
  .option('-n, --persons <n>', 'number of inhabitants', '56432')
  .option('-s, --seed <seed>', 'random seed', '1')
  .option('--no-serve', 'stop after the build instead of serving the demo on http://localhost:3000')
  .option('--port <port>', 'port to serve on', '3000')
  .action(async (o: { dir: string; persons: string; seed: string; serve: boolean; port: string }) => {
    await runDemo({
      dir: o.dir,
      persons: parsePositive(o.persons, '--persons'),
      seed: o.seed,
      serve: o.serve,
      port: parsePositive(o.port, '--port'),
    });
  });

program
  .command('register')
  .description('the AVG art. 30 processing register with DPIA flags, generated from the definitions')
  .addOption(projectOption())
  .addOption(
    new Option('-f, --format <format>', 'output format').choices(['md', 'csv', 'json']).default('md'),
  )
  .action((o: { project: string; format: 'md' | 'csv' | 'json' }) => {
    process.stdout.write(runRegister(requireProject(o.project), o.format) + '\n');
  });

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description('check the hash chain; names the first modified, deleted, inserted or reordered entry')
  .addOption(projectOption())
  .action((o: { project: string }) => console.log(runAuditVerify(requireProject(o.project))));
audit
  .command('list')
  .description('the latest audit entries')
  .addOption(projectOption())
  .addOption(formatOption())
  .option('-l, --limit <n>', 'number of entries', '50')
  .option('-a, --action <action>', 'only this action (query, reveal, denied, build, …)')
  .action((o: { project: string; format: OutputFormat; limit: string; action?: string }) => {
    console.log(
      runAuditList(requireProject(o.project), {
        limit: parsePositive(o.limit, '--limit'),
        format: o.format,
        ...(o.action ? { action: o.action } : {}),
      }),
    );
  });

program
  .command('reveal <pseudonym>')
  .description(
    're-identify one pseudonym: needs a role allowed for the domain and a written reason (audited)',
  )
  .addOption(projectOption())
  .requiredOption('-d, --domain <domain>', 'the linking domain of the pseudonym')
  .requiredOption('-r, --role <role>', 'the role you act in')
  .requiredOption('--reason <text>', 'why this person must be re-identified')
  .action((pseudonym: string, o: { project: string; domain: string; role: string; reason: string }) => {
    console.log(
      runReveal(requireProject(o.project), { pseudonym, domain: o.domain, role: o.role, reason: o.reason }),
    );
  });

program
  .command('retention')
  .description(
    'enforce the retention periods now (a build that reuses unchanged sources), and log what was removed',
  )
  .addOption(projectOption())
  .action(async (o: { project: string }) => {
    await runBuild(requireProject(o.project), { command: 'retention' });
  });

const keys = program.command('keys').description('the pseudonymisation key');
keys
  .command('rotate')
  .description('new key, empty vault, full rebuild: pseudonyms change consistently everywhere')
  .addOption(projectOption())
  .action(async (o: { project: string }) => console.log(await runKeysRotate(requireProject(o.project))));

program
  .command('publish')
  .description(
    'disclosure control: publications are built by `pakhuis build`; --verify audits every public table independently',
  )
  .addOption(projectOption())
  .option('--verify', 'audit the public tables of the published version; exit 1 on any finding')
  .action(async (o: { project: string; verify?: boolean }) => {
    if (!o.verify)
      throw new CliError(
        'publications are produced by `pakhuis build`; use `pakhuis publish --verify` to audit them',
        EXIT.usage,
      );
    console.log(await runPublishVerify(requireProject(o.project)));
  });

const catalog = program
  .command('catalog')
  .description('the source catalog (bronnenregister): definitions, last loads, quality');
catalog
  .command('list', { isDefault: true })
  .description('every source: owner, domain, access, refresh, last load, rows, quality score')
  .addOption(projectOption())
  .addOption(formatOption())
  .action((o: { project: string; format: OutputFormat }) =>
    console.log(runCatalogList(requireProject(o.project), o.format)),
  );
catalog
  .command('show <source>')
  .description(
    'every field of one source: DCAT metadata, legal basis, columns with profile, checks, score history',
  )
  .addOption(projectOption())
  .option('--json', 'machine-readable output')
  .option('-c, --column <column>', "the column's profile at every load (how it changed over time)")
  .action((source: string, o: { project: string; json?: boolean; column?: string }) =>
    console.log(
      runCatalogShow(requireProject(o.project), source, {
        json: o.json ?? false,
        ...(o.column ? { column: o.column } : {}),
      }),
    ),
  );
catalog
  .command('export')
  .description('public-facing metadata as DCAT-AP-DONL JSON-LD (publications and public sources; no data)')
  .addOption(projectOption())
  .addOption(new Option('-f, --format <format>', 'export format').choices(['dcat']).default('dcat'))
  .option('-o, --out <file>', 'write to this file instead of stdout')
  .action((o: { project: string; out?: string }) =>
    console.log(runCatalogExport(requireProject(o.project), o.out ? { out: o.out } : {})),
  );

program
  .command('quality')
  .description('quality score per source with trend, and what fails (with example rows; audited)')
  .addOption(projectOption())
  .addOption(formatOption())
  .option('-o, --owner <name>', "only this owner's sources")
  .option('-s, --source <name>', 'only this source')
  .action((o: { project: string; format: OutputFormat; owner?: string; source?: string }) =>
    console.log(
      runQuality(requireProject(o.project), {
        format: o.format,
        ...(o.owner ? { owner: o.owner } : {}),
        ...(o.source ? { source: o.source } : {}),
      }),
    ),
  );

registerLineage(program, projectOption);
registerServe(program, projectOption);

registerUsers(program, projectOption);

program
  .command('profile <area>')
  .description(
    'the area profile (wijkprofiel): every indicator with the municipality, trend, target, rank and CBS',
  )
  .addOption(projectOption())
  .option('-y, --year <year>', 'the year to show (default: the latest)')
  .option('--public', 'the published, disclosure-controlled figures (no role needed)')
  .option('-r, --role <role>', 'the role you act in, for the internal figures')
  .option('--purpose <purpose>', 'the purpose (doelbinding), for the internal figures')
  .addOption(new Option('--lang <lang>', 'language').choices(['nl', 'en']).default('nl'))
  .option('--csv <file>', 'also write CSV (Dutch Excel: UTF-8 BOM, ;, decimal comma)')
  .option('--xlsx <file>', 'also write XLSX')
  .action(
    async (
      area: string,
      o: {
        project: string;
        year?: string;
        public?: boolean;
        role?: string;
        purpose?: string;
        lang: 'nl' | 'en';
        csv?: string;
        xlsx?: string;
      },
    ) => {
      console.log(
        await runProfile(requireProject(o.project), area, {
          lang: o.lang,
          public: o.public ?? false,
          ...(o.year ? { year: o.year } : {}),
          ...(o.role ? { role: o.role } : {}),
          ...(o.purpose ? { purpose: o.purpose } : {}),
          ...(o.csv ? { csv: o.csv } : {}),
          ...(o.xlsx ? { xlsx: o.xlsx } : {}),
        }),
      );
    },
  );

const exportCommand = program.command('export').description('exports of published figures');
exportCommand
  .command('swing')
  .description('published indicators in Swing import format 1 (XLSX + CSV) with the metadata sheet')
  .addOption(projectOption())
  .requiredOption(
    '-o, --out <file>',
    'output name, e.g. swing/indicatoren (writes .xlsx, _data.csv, _metadata.csv)',
  )
  .action(async (o: { project: string; out: string }) =>
    console.log(await runSwingExport(requireProject(o.project), { out: o.out })),
  );

const areas = program.command('areas').description('the area model: gemeente, wijken, buurten');
areas
  .command('fetch')
  .description('download the wijken and buurten of one year from PDOK (CBS wijk- en buurtkaart) as GeoJSON')
  .addOption(projectOption())
  .requiredOption('-y, --year <year>', 'the year of the CBS area division, e.g. 2024')
  .option('-o, --out <dir>', 'folder for the GeoJSON files, relative to the project', 'data/areas')
  .option('--base-url <url>', 'the OGC API Features endpoint (default: PDOK wijken-en-buurten-<year>)')
  .action(async (o: { project: string; year: string; out: string; baseUrl?: string }) =>
    console.log(
      await runAreasFetch(requireProject(o.project), {
        year: parsePositive(o.year, '--year'),
        out: o.out,
        ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
      }),
    ),
  );

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
