import { describe, expect, it } from 'vitest';
import { openCurrent } from '../../src/build/current.js';
import { EXAMPLE_PROJECT } from '../../src/cli/commands/demo.js';
import { authorise, principalFor, upstreamSources } from '../../src/privacy/authorise.js';
import { buildRegister, registerToCsv, registerToMarkdown } from '../../src/privacy/register.js';
import { PrivacyServices } from '../../src/privacy/services.js';
import { build, mustLoad, PROJECT_YAML, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const source = (privacy: string): string => `title: Meldingen
owner: Team Test
${privacy}connector:
  type: csv
  path: m.csv
  date_format: dd-mm-jjjj
columns:
  id: { type: integer, classification: none }
  datum: { type: date, classification: none }
  wijk: { type: text, classification: none }
`;

const APPROVED = `privacy:
  legal_basis: { ground: e, law: Gemeentewet art. 160 }
  purposes: [test]
  data_subjects: [melders]
  fg_approval: { by: FG, date: 2024-01-01 }
  retention: { years: 5, column: datum }
`;

describe('purpose binding, FG approval and retention', () => {
  it('a source without FG approval loads, but no model may use it and it cannot be queried', async () => {
    const dir = writeProject({
      'data/m.csv': 'id;datum;wijk\n1;01-01-2025;WK040001\n',
      'sources/meldingen.yaml': source(APPROVED.replace('  fg_approval: { by: FG, date: 2024-01-01 }\n', '')),
      'models/per_wijk.sql': "select wijk, count(*) as n from ref('meldingen') group by wijk",
    });
    const summary = await build(dir);
    expect(summary.steps.map((s) => [s.node, s.status])).toEqual([
      ['meldingen', 'success'],
      ['per_wijk', 'failed'],
    ]);
    expect(summary.steps[1]?.error).toBe('models/per_wijk.sql uses source meldingen without FG approval');
    expect(summary.steps[1]?.fix).toMatch(/the FG approves a source by adding privacy\.fg_approval/);
    const project = mustLoad(dir);
    const d = authorise(
      project,
      principalFor(project, 'analist'),
      'query',
      { tables: ['sources.meldingen'] },
      'test',
    );
    expect(d).toMatchObject({
      allowed: false,
      reason: 'source meldingen has no FG approval yet, so it cannot be queried',
    });
  });

  it('authorise() binds role, purpose and source purposes, and follows models to their sources', async () => {
    const dir = writeProject({
      'pakhuis.yaml':
        PROJECT_YAML + '  wijkteam: { purposes: [vroegsignalering], reveal: [sociaal], members: [jan] }\n',
      'data/m.csv': 'id;datum;wijk\n1;01-01-2025;WK040001\n',
      'sources/meldingen.yaml': source(APPROVED),
      'models/per_wijk.sql': "select wijk, count(*) as n from ref('meldingen') group by wijk",
    });
    const project = mustLoad(dir);
    const analist = principalFor(project, 'analist');
    expect(upstreamSources(project, 'models.per_wijk').map((s) => s.name)).toEqual(['meldingen']);
    expect(authorise(project, analist, 'query', { tables: ['models.per_wijk'] }, 'test')).toMatchObject({
      allowed: true,
      sources: ['meldingen'],
    });
    expect(authorise(project, analist, 'query', { tables: ['models.per_wijk'] }, 'handhaving').reason).toBe(
      'role analist is not granted the purpose "handhaving" (it has: test)',
    );
    expect(authorise(project, analist, 'query', { tables: ['models.per_wijk'] })).toMatchObject({
      allowed: false,
      reason: 'state the purpose (doelbinding) of this use of data',
    });
    expect(authorise(project, analist, 'query', { tables: ['pakhuis.quarantine'] }, 'test').reason).toBe(
      'pakhuis.quarantine is system data; only an admin role may read it',
    );
    expect(authorise(project, analist, 'build').allowed).toBe(false);
    expect(authorise(project, principalFor(project, 'beheerder'), 'build').allowed).toBe(true);
    expect(() => principalFor(project, 'wijkteam', 'piet')).toThrow(
      'user "piet" does not hold the role "wijkteam"',
    );
    expect(() => principalFor(project, 'burgemeester')).toThrow(/unknown role "burgemeester"/);
    const jan = principalFor(project, 'wijkteam', 'jan');
    expect(
      authorise(project, jan, 'query', { tables: ['sources.meldingen'] }, 'vroegsignalering').reason,
    ).toBe('source meldingen may not be used for "vroegsignalering" (its purposes: test)');
  });

  it('removes rows older than the retention period at every build, and logs the count', async () => {
    const dir = writeProject({
      'data/m.csv': 'id;datum;wijk\n1;01-01-2012;WK040001\n2;01-06-2015;WK040001\n3;01-01-2025;WK040002\n',
      'sources/meldingen.yaml': source(APPROVED),
    });
    const summary = await build(dir);
    expect(summary.steps[0]).toMatchObject({ status: 'success', rows: 1, detail: { retentionRemoved: 2 } });
    const { engine } = await openCurrent(mustLoad(dir));
    expect(await engine.query('select id from sources.meldingen')).toEqual([{ id: 3 }]);
    expect(await engine.query('select source, column_name, rows_removed from pakhuis.retention_log')).toEqual(
      [{ source: 'meldingen', column_name: 'datum', rows_removed: 2 }],
    );
    await engine.close();
    // a reused source is checked again: the retention log of the next build has it too
    const again = await build(dir);
    expect(again.steps[0]).toMatchObject({ status: 'reused', rows: 1 });
    const privacy = PrivacyServices.open(mustLoad(dir));
    expect(privacy.audit.entries({ action: 'retention' }).map((e) => [e.resource, e.rows])).toEqual([
      ['sources.meldingen', 2],
    ]);
    privacy.close();
  });
});

describe('definition changes', () => {
  it('are written to the audit log with the files that changed', async () => {
    const dir = writeProject({
      'data/m.csv': 'id;datum;wijk\n1;01-01-2025;WK040001\n',
      'sources/meldingen.yaml': source(APPROVED),
    });
    await build(dir);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(dir, 'sources/meldingen.yaml'), source(APPROVED.replace('years: 5', 'years: 7')));
    mkdirSync(join(dir, 'models'));
    writeFileSync(
      join(dir, 'models/per_wijk.sql'),
      "select wijk, count(*) as n from ref('meldingen') group by wijk",
    );
    await build(dir);
    const privacy = PrivacyServices.open(mustLoad(dir));
    const changes = privacy.audit.entries({ action: 'definition_change' });
    privacy.close();
    expect(changes).toHaveLength(1);
    expect(JSON.parse(changes[0]?.detail ?? '{}')).toEqual({
      added: ['models/per_wijk.sql'],
      removed: [],
      changed: ['sources/meldingen.yaml'],
    });
  });
});

describe('processing register (AVG art. 30)', () => {
  const project = mustLoad(EXAMPLE_PROJECT);
  const register = buildRegister(project);

  it('has one processing per purpose, with DPIA flags and their reasons', () => {
    expect(register.map((p) => p.purpose)).toEqual([
      'beleidsinformatie',
      'gebiedsgericht_werken',
      'kadernota',
      'ondermijning',
      'vroegsignalering',
    ]);
    const vroeg = register.find((p) => p.purpose === 'vroegsignalering');
    expect(vroeg?.dpia.required).toBe(true);
    expect(vroeg?.recipients).toEqual(['wijkteam']);
    expect(vroeg?.specialCategories).toEqual(['gezondheid (art. 9 AVG)']);
    expect(vroeg?.domainLinks).toEqual([
      'basis ↔ sociaal (goedgekeurd door FG gemeente Den Helder, 2025-02-01)',
    ]);
  });

  it('matches the golden files (Markdown, CSV, JSON)', async () => {
    await expect(registerToMarkdown(project, register)).toMatchFileSnapshot('../golden/register.md');
    await expect(registerToCsv(register)).toMatchFileSnapshot('../golden/register.csv');
    await expect(JSON.stringify(register, null, 2) + '\n').toMatchFileSnapshot('../golden/register.json');
  });
});

describe('pseudonyms of mostly new identifiers (hashed inline, without a distinct pass)', () => {
  it('are the same keyed HMAC as through the distinct map', async () => {
    const { createHmac } = await import('node:crypto');
    const { domainKey } = await import('../../src/privacy/keys.js');
    const bsns = Array.from({ length: 30 }, (_, i) => String(100000000 + i * 7919));
    const spec = (vault: boolean): string =>
      `title: Uniek\nowner: Test\ndomain: sociaal\n${TEST_PRIVACY}${vault ? '  vault: true\n' : ''}connector: { type: csv, path: u.csv }\ncolumns:\n  bsn: { type: text, classification: identifier, identifier: bsn }\n`;
    const inline = writeProject({
      'data/u.csv': `bsn\n${bsns.join('\n')}\n`,
      'sources/uniek.yaml': spec(false),
    });
    const mapped = writeProject({
      'data/u.csv': `bsn\n${bsns.join('\n')}\n`,
      'sources/uniek.yaml': spec(true),
    });
    expect((await build(inline)).status).toBe('success');
    expect((await build(mapped)).status).toBe('success');
    const key = domainKey(Buffer.from(process.env['PAKHUIS_PSEUDONYM_KEY'] as string, 'hex'), 'sociaal');
    const expected = bsns.map((b) =>
      createHmac('sha256', key).update(b.padStart(9, '0')).digest('hex').slice(0, 32),
    );
    const read = async (dir: string): Promise<string[]> => {
      const { engine } = await openCurrent(mustLoad(dir));
      const rows = await engine.query<{ bsn: string }>('select bsn from sources.uniek');
      await engine.close();
      return rows.map((r) => r.bsn);
    };
    expect(await read(inline)).toEqual(expected);
    expect(await read(mapped)).toEqual(expected);
  });
});
