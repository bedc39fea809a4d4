import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build.js';
import { openCurrent } from '../../src/build/current.js';
import { setupDemoProject } from '../../src/cli/commands/demo.js';
import { principalFor } from '../../src/privacy/authorise.js';
import { domainKey, pseudonym } from '../../src/privacy/keys.js';
import { reveal } from '../../src/privacy/reveal.js';
import { PrivacyServices } from '../../src/privacy/services.js';
import { synthesize } from '../../src/synth/index.js';
import { mustLoad, tempDir } from '../helpers/project.js';

const KEY_A = process.env['PAKHUIS_PSEUDONYM_KEY'] as string;
const KEY_B = 'b0b0'.repeat(16);

/** Every text value of every table of the published version. */
async function allText(dir: string): Promise<Map<string, Set<string>>> {
  const { engine } = await openCurrent(mustLoad(dir));
  try {
    const cols = await engine.query<{ table_schema: string; table_name: string; column_name: string }>(
      "select table_schema, table_name, column_name from information_schema.columns where data_type = 'VARCHAR' and table_catalog = current_database()",
    );
    const out = new Map<string, Set<string>>();
    for (const c of cols) {
      const d = engine.dialect;
      const rows = await engine.query<{ v: string }>(
        `select distinct ${d.quoteIdentifier(c.column_name)} as v from ${d.qualify(c.table_schema, c.table_name)} where ${d.quoteIdentifier(c.column_name)} is not null`,
      );
      out.set(`${c.table_schema}.${c.table_name}.${c.column_name}`, new Set(rows.map((r) => r.v)));
    }
    return out;
  } finally {
    await engine.close();
  }
}

function csvColumn(path: string, delimiter: string, encoding: string, header: string): string[] {
  const lines = new TextDecoder(encoding)
    .decode(readFileSync(path))
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const head = (lines[0] as string).split(delimiter).map((h) => h.replace(/"/g, ''));
  const i = head.indexOf(header);
  return lines
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => (l.split(delimiter)[i] ?? '').replace(/"/g, ''));
}

async function column(dir: string, sql: string): Promise<string[]> {
  const { engine } = await openCurrent(mustLoad(dir));
  try {
    return (await engine.query<{ v: string }>(sql)).map((r) => r.v);
  } finally {
    await engine.close();
  }
}

describe('pseudonymisation in the engine, on the demo municipality', () => {
  const dir = tempDir('pakhuis-privacy-');
  const data = join(dir, 'data');

  beforeAll(async () => {
    process.env['PAKHUIS_PSEUDONYM_KEY'] = KEY_A;
    setupDemoProject(dir);
    await synthesize({ persons: 1500, seed: 7, outDir: data });
    const summary = await buildProject(mustLoad(dir));
    expect(summary.status).toBe('success');
  }, 120_000);

  it('leaves no BSN, name or street address of the synthetic truth in any warehouse table', async () => {
    const brp = join(data, 'brp/personen.csv');
    const bsns = new Set(csvColumn(brp, ';', 'windows-1252', 'BSN'));
    // surnames that are also ordinary words of the CBS reference data ("Wijk") are not evidence
    const reference =
      readFileSync(join(data, 'cbs/kerncijfers_wijken_2024.csv'), 'utf8') +
      readFileSync(join(data, 'cbs/buurten_2014.csv'), 'utf8');
    const surnames = new Set(
      csvColumn(brp, ';', 'windows-1252', 'Geslachtsnaam').filter(
        (n) => n.length > 3 && !reference.includes(n),
      ),
    );
    const streets = csvColumn(brp, ';', 'windows-1252', 'Straatnaam');
    const numbers = csvColumn(brp, ';', 'windows-1252', 'Huisnummer');
    const addresses = new Set(streets.map((s, i) => `${s} ${numbers[i]}`));
    for (const file of ['sociaal/jeugdhulp.csv', 'sociaal/schuldhulp.csv']) {
      for (const b of csvColumn(
        join(data, file),
        ';',
        'utf-8',
        file.includes('jeugd') ? 'BSN jeugdige' : 'BSN',
      ))
        bsns.add(b);
    }
    expect(bsns.size).toBeGreaterThan(1000);
    const found: string[] = [];
    for (const [col, values] of await allText(dir)) {
      for (const v of values) {
        const digits = v.replace(/\D/g, '');
        if (bsns.has(v) || (digits.length === 9 && bsns.has(digits))) found.push(`${col}: BSN ${v}`);
        if (surnames.has(v)) found.push(`${col}: name ${v}`);
        for (const a of addresses) if (v.includes(a)) found.push(`${col}: address ${a}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('a pseudonym is the keyed HMAC of the normalised identifier, different per linking domain', async () => {
    const bsn = csvColumn(join(data, 'sociaal/jeugdhulp.csv'), ';', 'utf-8', 'BSN jeugdige')[0] as string;
    const master = Buffer.from(KEY_A, 'hex');
    const inSociaal = pseudonym(domainKey(master, 'sociaal'), bsn.padStart(9, '0'));
    const inBasis = pseudonym(domainKey(master, 'basis'), bsn.padStart(9, '0'));
    expect(inSociaal).not.toBe(inBasis);
    expect(await column(dir, 'select distinct bsn as v from sources.jeugdhulp')).toContain(inSociaal);
    expect(await column(dir, 'select distinct bsn as v from sources.personen')).toContain(inBasis);
    expect(await column(dir, 'select distinct bsn as v from sources.personen')).not.toContain(inSociaal);
    // the declared link basis ↔ sociaal maps one to the other
    expect(
      await column(
        dir,
        `select distinct pseudonym_sociaal as v from links.basis__sociaal where pseudonym_basis = '${inBasis}'`,
      ),
    ).toEqual([inSociaal]);
  });

  it('pseudonyms are stable across builds, and change consistently when the key is rotated', async () => {
    const before = await column(
      dir,
      'select bsn as v from sources.wmo_voorzieningen order by beschikkingsnummer',
    );
    const joinedBefore = await column(
      dir,
      'select cast(count(*) as varchar) as v from models.personen_actueel where buurtcode is not null',
    );
    await buildProject(mustLoad(dir), { full: true });
    expect(
      await column(dir, 'select bsn as v from sources.wmo_voorzieningen order by beschikkingsnummer'),
    ).toEqual(before);

    process.env['PAKHUIS_PSEUDONYM_KEY'] = KEY_B;
    try {
      await buildProject(mustLoad(dir), { full: true });
      const after = await column(
        dir,
        'select bsn as v from sources.wmo_voorzieningen order by beschikkingsnummer',
      );
      expect(after).toHaveLength(before.length);
      expect(after.filter((p, i) => p === before[i])).toEqual([]);
      // same person, same new pseudonym everywhere: joins and links still line up
      expect(
        await column(
          dir,
          'select cast(count(*) as varchar) as v from models.personen_actueel where buurtcode is not null',
        ),
      ).toEqual(joinedBefore);
      const linked = await column(
        dir,
        'select cast(count(*) as varchar) as v from sources.wmo_voorzieningen w join links.basis__sociaal l on l.pseudonym_sociaal = w.bsn',
      );
      expect(Number(linked[0])).toBeGreaterThan(0);
    } finally {
      process.env['PAKHUIS_PSEUDONYM_KEY'] = KEY_A;
      await buildProject(mustLoad(dir), { full: true });
    }
  });

  it('reveal: refused without the role or a reason, logged either way, and it returns the identifier', async () => {
    const project = mustLoad(dir);
    const p = (
      await column(dir, 'select bsn as v from sources.vroegsignalen order by signaaldatum limit 1')
    )[0] as string;
    const privacy = PrivacyServices.open(project);
    try {
      expect(() =>
        reveal(project, privacy, principalFor(project, 'analist'), {
          domain: 'sociaal',
          pseudonym: p,
          reason: 'Huisbezoek na stapeling van signalen',
        }),
      ).toThrow(/refused: role analist may not re-identify pseudonyms of domain sociaal/);
      expect(() =>
        reveal(project, privacy, principalFor(project, 'wijkteam'), {
          domain: 'sociaal',
          pseudonym: p,
          reason: '',
        }),
      ).toThrow(/needs a written reason/);
      const bsn = reveal(project, privacy, principalFor(project, 'wijkteam'), {
        domain: 'sociaal',
        pseudonym: p,
        reason: 'Huisbezoek na stapeling van signalen',
      });
      expect(bsn).toMatch(/^\d{9}$/);
      expect(pseudonym(domainKey(Buffer.from(KEY_A, 'hex'), 'sociaal'), bsn)).toBe(p);
      const log = privacy.audit.entries({ limit: 3 });
      expect(log.map((e) => [e.action, e.role])).toEqual([
        ['reveal', 'wijkteam'],
        ['denied', 'wijkteam'],
        ['denied', 'analist'],
      ]);
      expect(JSON.parse(log[0]?.detail ?? '{}')).toMatchObject({
        reason: 'Huisbezoek na stapeling van signalen',
        found: true,
      });
      expect(privacy.audit.verify().ok).toBe(true);
    } finally {
      privacy.close();
    }
  });

  it('generalises quasi-identifiers before they land: birth year, PC4', async () => {
    const years = await column(
      dir,
      'select distinct cast(geboortedatum as varchar) as v from sources.personen where geboortedatum is not null',
    );
    expect(years.every((y) => /^\d{4}$/.test(y))).toBe(true);
    const pc = await column(
      dir,
      'select distinct postcode as v from sources.personen where postcode is not null',
    );
    expect(pc.every((p) => /^\d{4}$/.test(p))).toBe(true);
  });
});
