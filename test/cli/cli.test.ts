import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_PRIVACY, tempDir, writeProject } from '../helpers/project.js';

const BIN = join(import.meta.dirname, '../../bin/pakhuis.js');
const AS_ANALIST = ['--role', 'analist', '--purpose', 'beleidsinformatie'];

function pakhuis(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pakhuis CLI', () => {
  it('init scaffolds a project that checks, builds and can be queried as table, CSV and JSON', () => {
    const dir = join(tempDir(), 'project');
    expect(pakhuis('init', dir).code).toBe(0);
    const check = pakhuis('check', '--project', dir);
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toMatch(/1 sources, 1 models, 0 indicators — OK/);
    const b = pakhuis('build', '--project', dir);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/Published v000001/);
    const q = (format: string): string =>
      pakhuis(
        'query',
        '--project',
        dir,
        ...AS_ANALIST,
        '--format',
        format,
        'select buurtcode, aantal_meldingen from models.meldingen_per_buurt order by buurtcode',
      ).stdout.trim();
    expect(q('csv')).toBe('buurtcode,aantal_meldingen\nBU04000101,2\nBU04000202,2');
    expect(JSON.parse(q('json'))).toEqual([
      { buurtcode: 'BU04000101', aantal_meldingen: 2 },
      { buurtcode: 'BU04000202', aantal_meldingen: 2 },
    ]);
    expect(q('table')).toMatch(
      /^buurtcode\s+aantal_meldingen\n─+\s+─+\nBU04000101\s+2\nBU04000202\s+2\n\(2 rows\)$/,
    );
    const runs = pakhuis('runs', '--project', dir, '--format', 'json');
    expect(JSON.parse(runs.stdout)[0]).toMatchObject({ id: 1, status: 'success', version: 'v000001' });
  });

  it('build --json prints one event per step and a summary', () => {
    const dir = join(tempDir(), 'project');
    pakhuis('init', dir);
    const b = pakhuis('build', '--json', '--project', dir);
    const events = b.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => [e['event'], e['node'] ?? null])).toEqual([
      ['step_start', 'meldingen'],
      ['step_end', 'meldingen'],
      ['step_start', 'meldingen_per_buurt'],
      ['step_end', 'meldingen_per_buurt'],
      ['build_end', null],
    ]);
    expect(events[4]).toMatchObject({ status: 'success', version: 'v000001' });
  });

  it('exits 2 on definition errors, listing each with its fix', () => {
    const dir = writeProject({
      'sources/x.yaml': `title: X\nowner: Y\n${TEST_PRIVACY}connector: { type: csv, path: x.csv }\ncolumns:\n  a: { typ: text, classification: none }\n`,
    });
    const r = pakhuis('check', '--project', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^2 definition errors:\nsources\/x\.yaml:11: columns\.a\.type is missing\n.*\nsources\/x\.yaml:11: unknown key "typ" in columns\.a\n {2}fix: did you mean "type"\?/,
    );
    expect(pakhuis('build', '--project', dir).code).toBe(2);
  });

  it('exits 2 on usage errors and on anything but one SELECT', () => {
    const dir = join(tempDir(), 'project');
    pakhuis('init', dir);
    pakhuis('build', '--project', dir);
    expect(pakhuis('bogus').code).toBe(2);
    expect(pakhuis('query', '--project', dir, ...AS_ANALIST, '--format', 'xml', 'select 1').code).toBe(2);
    const drop = pakhuis('query', '--project', dir, ...AS_ANALIST, 'drop table sources.meldingen');
    expect(drop.code).toBe(2);
    expect(drop.stderr).toMatch(/runs exactly one SELECT/);
    expect(
      pakhuis('query', '--project', dir, ...AS_ANALIST, 'select count(*) as n from sources.meldingen').stdout,
    ).toMatch(/\n4\s*\n/);
  });

  it('exits 1 when the build fails on data, and keeps the previous version', () => {
    const dir = join(tempDir(), 'project');
    pakhuis('init', dir);
    pakhuis('build', '--project', dir);
    writeFileSync(
      join(dir, 'data/meldingen.csv'),
      'Melding ID;Datum;Categorie;Buurtcode;Kosten\r\nx;y;z;w;v\r\n',
    );
    const r = pakhuis('build', '--project', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Build failed \(run 2\); version v000001 stays current/);
    expect(r.stderr).toMatch(/✖ meldingen: data\/meldingen\.csv: 1 of 1 rows \(100\.00%\) failed/);
    expect(
      pakhuis(
        'query',
        '--project',
        dir,
        ...AS_ANALIST,
        '--format',
        'csv',
        'select count(*) as n from sources.meldingen',
      ).stdout.trim(),
    ).toBe('n\n4');
  });

  it('queries only for a granted purpose, never files, and audits both', () => {
    const dir = join(tempDir(), 'project');
    pakhuis('init', dir);
    pakhuis('build', '--project', dir);
    const wrongPurpose = pakhuis(
      'query',
      '--project',
      dir,
      '--role',
      'analist',
      '--purpose',
      'handhaving',
      'select 1 from sources.meldingen',
    );
    expect(wrongPurpose.code).toBe(2);
    expect(wrongPurpose.stderr).toMatch(/refused: role analist is not granted the purpose "handhaving"/);
    const fileRead = pakhuis(
      'query',
      '--project',
      dir,
      ...AS_ANALIST,
      "select * from read_csv('/etc/passwd')",
    );
    expect(fileRead.code).toBe(2);
    expect(
      pakhuis('query', '--project', dir, '--role', 'fg', '--purpose', 'beleidsinformatie', 'select 1').code,
    ).toBe(2);
    const audit = pakhuis('audit', 'list', '--project', dir, '--format', 'json');
    const entries = JSON.parse(audit.stdout) as Array<{
      action: string;
      role: string | null;
      purpose: string | null;
    }>;
    expect(entries.filter((e) => e.action === 'denied').map((e) => e.purpose)).toContain('handhaving');
    expect(pakhuis('audit', 'verify', '--project', dir).stdout).toMatch(/audit log intact: \d+ entries/);
  });

  it('exits 1 when there is no version to query yet', () => {
    const dir = join(tempDir(), 'project');
    pakhuis('init', dir);
    const r = pakhuis('query', '--project', dir, ...AS_ANALIST, 'select 1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no published warehouse version yet; run `pakhuis build` first/);
  });
});
