import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { fileSha256 } from '../../src/build/build.js';
import { VersionStore } from '../../src/build/versions.js';
import { DuckDBEngine } from '../../src/engine/duckdb.js';
import { StateStore } from '../../src/state/store.js';
import { build, query, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const ROOT = join(import.meta.dirname, '../..');

function source(name: string, file: string): string {
  return `title: ${name}\nowner: Team Test\n${TEST_PRIVACY}connector:\n  type: csv\n  path: ${file}\ncolumns:\n  id: { classification: none, type: integer }\n  wijk: { classification: none, type: text }\n`;
}

function twoSourceProject(): string {
  return writeProject({
    'data/a.csv': 'id;wijk\n1;WK040001\n2;WK040002\n',
    'data/b.csv': 'id;wijk\n10;WK040001\n',
    'sources/a.yaml': source('a', 'a.csv'),
    'sources/b.yaml': source('b', 'b.csv'),
    'models/per_wijk.sql':
      "select wijk, count(*) as n from (select * from ref('a') union all select * from ref('b')) group by wijk order by wijk",
  });
}

describe('build and atomic publish', () => {
  it('publishes a version, records the run and loads, and archives each input by its SHA-256', async () => {
    const dir = twoSourceProject();
    const summary = await build(dir);
    expect(summary).toMatchObject({ status: 'success', version: 'v000001' });
    expect(await query(dir, 'select * from models.per_wijk')).toEqual([
      { wijk: 'WK040001', n: 2 },
      { wijk: 'WK040002', n: 1 },
    ]);
    const state = new StateStore(join(dir, '.pakhuis/state.sqlite'));
    const loads = state.loads(summary.runId);
    state.close();
    const sha = await fileSha256(join(dir, 'data/a.csv'));
    expect(loads.find((l) => l.source === 'a')).toMatchObject({
      sha256: sha,
      rows_read: 2,
      rows_loaded: 2,
      rows_quarantined: 0,
      status: 'success',
      archived_as: `.pakhuis/archive/${sha}.csv`,
    });
    expect(readFileSync(join(dir, `.pakhuis/archive/${sha}.csv`), 'utf8')).toBe(
      readFileSync(join(dir, 'data/a.csv'), 'utf8'),
    );
  });

  it('does not re-ingest an unchanged source, unless --full; a changed file or definition is re-ingested', async () => {
    const dir = twoSourceProject();
    await build(dir);
    const second = await build(dir);
    expect(second.steps.map((s) => [s.node, s.status])).toEqual([
      ['a', 'reused'],
      ['b', 'reused'],
      ['per_wijk', 'success'],
    ]);
    writeFileSync(join(dir, 'data/b.csv'), 'id;wijk\n10;WK040001\n11;WK040003\n');
    const third = await build(dir);
    expect(third.steps.map((s) => s.status)).toEqual(['reused', 'success', 'success']);
    writeFileSync(
      join(dir, 'sources/a.yaml'),
      source('a', 'a.csv').replace(
        'wijk: { classification: none, type: text }',
        'wijk: { classification: none, type: text, required: true }',
      ),
    );
    const fourth = await build(dir);
    expect(fourth.steps.map((s) => s.status)).toEqual(['success', 'reused', 'success']);
    const full = await build(dir, { full: true });
    expect(full.steps.map((s) => s.status)).toEqual(['success', 'success', 'success']);
    expect(await query(dir, 'select count(*) as n from sources.b')).toEqual([{ n: 2 }]);
  });

  it('a build that fails half-way leaves the previous version current and untouched', async () => {
    const dir = twoSourceProject();
    const first = await build(dir);
    writeFileSync(join(dir, 'data/a.csv'), 'id;wijk\n1;WK040001\n2;WK040002\n3;WK040002\n');
    writeFileSync(join(dir, 'data/b.csv'), 'nummer;wijk\n10;WK040001\n'); // schema drift: id is gone
    const failed = await build(dir);
    expect(failed.status).toBe('failed');
    expect(failed.steps.map((s) => [s.node, s.status])).toEqual([
      ['a', 'success'],
      ['b', 'failed'],
      ['per_wijk', 'skipped'],
    ]);
    expect(new VersionStore(join(dir, '.pakhuis/warehouse')).current()?.version).toBe(first.version);
    expect(await query(dir, 'select count(*) as n from sources.a')).toEqual([{ n: 2 }]);
    expect(readdirSync(join(dir, '.pakhuis/warehouse')).filter((f) => f.endsWith('.duckdb'))).toEqual([
      'v000001.duckdb',
    ]);
    const state = new StateStore(join(dir, '.pakhuis/state.sqlite'));
    expect(state.run(failed.runId)).toMatchObject({ status: 'failed', version: null });
    expect(state.run(failed.runId)?.error).toMatch(/^b: data\/b\.csv: declared column "id" missing/);
    state.close();
  });

  it('a model that is not a single SELECT fails with the file named', async () => {
    const dir = writeProject({
      'data/a.csv': 'id;wijk\n1;x\n',
      'sources/a.yaml': source('a', 'a.csv'),
      'models/m.sql': "select * from ref('a'); drop table sources.a",
    });
    const summary = await build(dir);
    expect(summary.steps[1]).toMatchObject({
      status: 'failed',
      error: 'models/m.sql: a model must be exactly one SELECT statement',
    });
    const bad = writeProject({
      'data/a.csv': 'id;wijk\n1;x\n',
      'sources/a.yaml': source('a', 'a.csv'),
      'models/m.sql': "select nope from ref('a')",
    });
    expect((await build(bad)).steps[1]?.error).toMatch(
      /^models\/m\.sql: Binder Error: Referenced column "nope" not found/,
    );
  });

  it('a build process killed mid-build leaves the previous version current and queryable', async () => {
    const dir = twoSourceProject();
    const first = await build(dir);
    // A big input so the kill lands during the load.
    const engine = await DuckDBEngine.open(':memory:');
    await engine.run(
      `COPY (SELECT i AS id, 'WK04000' || (i % 8 + 1) AS wijk FROM range(3000000) t(i)) TO ${engine.dialect.quoteString(join(dir, 'data/a.csv'))} (DELIMITER ';', HEADER)`,
    );
    await engine.close();

    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/pakhuis.js'), 'build', '--json', '--project', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { event: string; node?: string };
        if (event.event === 'step_start' && event.node === 'a') setTimeout(resolve, 300);
        if (event.event === 'build_end') reject(new Error('the build finished before it could be killed'));
      });
      child.on('error', reject);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const versions = new VersionStore(join(dir, '.pakhuis/warehouse'));
    expect(versions.current()?.version).toBe(first.version);
    expect(await query(dir, 'select count(*) as n from sources.a')).toEqual([{ n: 2 }]);
    const state = new StateStore(join(dir, '.pakhuis/state.sqlite'));
    expect(state.reapAbandoned()).toBe(1);
    const killed = state.runs(1)[0];
    expect(killed).toMatchObject({ status: 'aborted', version: null });
    expect(killed?.error).toMatch(/ended before the run finished/);
    state.close();

    // The next build succeeds and clears the half-written file.
    const next = await build(dir);
    expect(next.status).toBe('success');
    expect(await query(dir, 'select count(*) as n from sources.a')).toEqual([{ n: 3000000 }]);
    expect(
      existsSync(join(dir, '.pakhuis/warehouse', `v${String(killed?.id).padStart(6, '0')}.duckdb`)),
    ).toBe(false);
  });
});
