/**
 * Writes the exported source files (the shapes and defects of real municipal exports) from the
 * generated world. Every planted defect is logged with its exact record number.
 */
import { join, relative, sep } from 'node:path';
import { BsnFactory, formatBsn } from './bsn.js';
import type { BusinessData } from './business.js';
import { dayOf, fmtIso, fmtNl, isLeap, toUtcDate, yearOf, type Day } from './dates.js';
import { DefectLog, planDefects } from './defects.js';
import { hasCleanMojibake, mojibake } from './encoding.js';
import type { Iv3Row } from './finance.js';
import type { HousingData } from './housing.js';
import type { Dwelling, Person, World } from './model.js';
import type { Rng } from './random.js';
import { describeIncident, type SafetyData } from './safety.js';
import type { SocialData } from './social.js';
import { CsvWriter, JsonArrayWriter, NdjsonWriter, nlAmount, writeXlsx, type CellValue } from './writers.js';

export interface WrittenFile {
  path: string;
  rows: number;
  bytes: number;
}

export interface FileInputs {
  world: World;
  social: SocialData;
  housing: HousingData;
  business: BusinessData;
  safety: SafetyData;
  finance: Iv3Row[];
}

export const FILES = {
  brp: 'brp/personen.csv',
  bag: 'bag/verblijfsobjecten.csv',
  wmo: 'sociaal/wmo_voorzieningen.xlsx',
  jeugd: 'sociaal/jeugdhulp.csv',
  bijstand: 'sociaal/bijstand.json',
  schuld: 'sociaal/schuldhulp.csv',
  signals: 'sociaal/vroegsignalen.ndjson',
  verzuim: 'onderwijs/verzuim.csv',
  incidents: 'veiligheid/incidenten.csv',
  meldingen: 'openbare_ruimte/meldingen.json',
  kvk: 'kvk/vestigingen.csv',
  energy: 'energie/verbruik.csv',
  woz: 'woz/woz_waarden.csv',
  iv3: 'financien/iv3_begroting_realisatie.xlsx',
} as const;

const rel = (outDir: string, file: string): string => join(outDir, ...file.split('/'));

/** An impossible calendar date near the real one, in dd-mm-jjjj. */
function impossibleDate(rng: Rng, real: Day): string {
  const y = yearOf(real);
  const options = [
    `31-02-${y}`,
    `30-02-${y}`,
    `31-04-${y}`,
    `31-06-${y}`,
    `31-09-${y}`,
    `31-11-${y}`,
    `32-01-${y}`,
  ];
  if (!isLeap(y)) options.push(`29-02-${y}`);
  return rng.pick(options);
}

/** A date typed with the wrong year, after the reference date. */
function futureDay(rng: Rng, real: Day): Day {
  const y = yearOf(real);
  const shift = y === 2024 ? 1 : rng.chance(0.5) ? 10 : 20;
  const c = new Date(real * 86400000);
  const m = c.getUTCMonth() + 1;
  let d = c.getUTCDate();
  if (m === 2 && d === 29 && !isLeap(y + shift)) d = 28;
  return dayOf(y + shift, m, d);
}

export function writeFiles(
  outDir: string,
  inp: FileInputs,
  log: DefectLog,
  onProgress: (s: string) => void,
): WrittenFile[] {
  const { world, social, housing, business, safety, finance } = inp;
  const rng = world.rng.fork('defects');
  const bsnTypos = new BsnFactory(rng.fork('bsn-typos'));
  const written: WrittenFile[] = [];
  const plantedPersons = new Set<Person>();
  for (const mp of social.multiProblem) for (const p of mp.household.members) plantedPersons.add(p);

  // ---------------------------------------------------------------- brp/personen.csv
  onProgress('brp/personen.csv');
  {
    const f = FILES.brp;
    const cols = [
      'BSN',
      'Voornamen',
      'Voorvoegsel',
      'Geslachtsnaam',
      'Geboortedatum',
      'Geslacht',
      'Straatnaam',
      'Huisnummer',
      'Huisletter',
      'Huisnummertoevoeging',
      'Postcode',
      'Woonplaats',
      'Verblijfsobject-ID',
      'Datum vestiging',
      'Datum vertrek',
    ];
    interface Row {
      p: Person;
      d: Dwelling;
      from: Day;
      to: Day | null;
    }
    const rows: Row[] = [];
    for (const h of world.households) {
      for (const s of h.stays) {
        for (const p of h.members) {
          const from = Math.max(s.from, p.birth, p.joined ?? -Infinity);
          if (s.to !== null && from >= s.to) continue;
          rows.push({ p, d: s.dwelling, from, to: s.to });
        }
      }
    }
    rows.sort((a, b) => a.d.idx - b.d.idx || a.from - b.from || a.p.idx - b.p.idx);
    const nonAscii = (r: Row): boolean =>
      hasCleanMojibake(r.p.geslachtsnaam) || hasCleanMojibake(r.p.voornamen);
    const plan = planDefects(rng, rows.length, [
      { kind: 'invalid_bsn', rate: 0.001, eligible: (i) => !plantedPersons.has((rows[i] as Row).p) },
      { kind: 'missing_postcode', rate: 0.0015 },
      { kind: 'mojibake', rate: 0.0008, eligible: (i) => nonAscii(rows[i] as Row) },
      { kind: 'unparseable_date', rate: 0.0005 },
      { kind: 'duplicate_row', rate: 0.002 },
    ] as const);
    for (const k of ['invalid_bsn', 'missing_postcode', 'unparseable_date', 'duplicate_row'] as const) {
      log.declare(
        f,
        k === 'invalid_bsn'
          ? 'BSN'
          : k === 'missing_postcode'
            ? 'Postcode'
            : k === 'unparseable_date'
              ? 'Geboortedatum'
              : '*',
        k,
      );
    }
    log.declare(f, 'Geslachtsnaam', 'mojibake');
    const w = new CsvWriter(rel(outDir, f), cols, {
      separator: ';',
      eol: '\r\n',
      encoding: 'cp1252',
      quoting: 'spaces',
    });
    rows.forEach((r, i) => {
      const { p, d } = r;
      const v = [
        formatBsn(p.bsn),
        p.voornamen,
        p.voorvoegsel,
        p.geslachtsnaam,
        fmtNl(p.birth),
        p.sex,
        d.street,
        String(d.huisnummer),
        d.huisletter,
        d.toevoeging,
        d.postcode,
        d.woonplaats,
        d.vboId,
        fmtNl(r.from),
        r.to === null ? '' : fmtNl(r.to),
      ];
      const kind = plan.get(i);
      let col = '';
      if (kind === 'invalid_bsn') {
        v[0] = formatBsn(bsnTypos.corrupt(p.bsn));
        col = 'BSN';
      } else if (kind === 'missing_postcode') {
        v[10] = '';
        col = 'Postcode';
      } else if (kind === 'unparseable_date') {
        v[4] = impossibleDate(rng, p.birth);
        col = 'Geboortedatum';
      } else if (kind === 'mojibake' && hasCleanMojibake(p.geslachtsnaam)) {
        v[3] = mojibake(p.geslachtsnaam);
        col = 'Geslachtsnaam';
      } else if (kind === 'mojibake') {
        v[1] = mojibake(p.voornamen);
        col = 'Voornamen';
      }
      const row = w.row(v);
      if (kind && kind !== 'duplicate_row') log.add(f, col, kind, row);
      if (kind === 'duplicate_row') log.add(f, '*', 'duplicate_row', w.row(v));
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- bag/verblijfsobjecten.csv
  onProgress('bag/verblijfsobjecten.csv');
  {
    const f = FILES.bag;
    const cols = [
      'verblijfsobject_id',
      'postcode',
      'huisnummer',
      'huisletter',
      'toevoeging',
      'straat',
      'woonplaats',
      'gebruiksdoel',
      'oppervlakte',
      'bouwjaar',
      'x_rd',
      'y_rd',
      'buurtcode',
    ];
    const sorted = [...world.dwellings].sort((a, b) => (a.vboId < b.vboId ? -1 : a.vboId > b.vboId ? 1 : 0));
    const plan = planDefects(rng, sorted.length, [{ kind: 'missing_postcode', rate: 0.003 }] as const);
    log.declare(f, 'postcode', 'missing_postcode');
    const w = new CsvWriter(rel(outDir, f), cols, {
      separator: ',',
      eol: '\r\n',
      encoding: 'utf8',
      bom: true,
    });
    sorted.forEach((d, i) => {
      const missing = plan.get(i) === 'missing_postcode';
      const row = w.row([
        d.vboId,
        missing ? '' : d.postcode,
        String(d.huisnummer),
        d.huisletter,
        d.toevoeging,
        d.street,
        d.woonplaats,
        d.gebruiksdoel,
        String(d.oppervlakte),
        String(d.bouwjaar),
        d.pt.x.toFixed(2),
        d.pt.y.toFixed(2),
        d.buurt.code,
      ]);
      if (missing) log.add(f, 'postcode', 'missing_postcode', row);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- sociaal/wmo_voorzieningen.xlsx
  onProgress('sociaal/wmo_voorzieningen.xlsx');
  {
    const f = FILES.wmo;
    const recs = social.wmo;
    const plan = planDefects(rng, recs.length, [
      {
        kind: 'invalid_bsn',
        rate: 0.002,
        eligible: (i) => !plantedPersons.has((recs[i] as (typeof recs)[number]).person),
      },
    ] as const);
    log.declare(f, 'BSN', 'invalid_bsn');
    const rows: CellValue[][] = recs.map((r, i) => {
      const bad = plan.get(i) === 'invalid_bsn';
      if (bad) log.add(f, 'BSN', 'invalid_bsn', i + 2);
      return [
        bad ? bsnTypos.corrupt(r.person.bsn) : r.person.bsn,
        r.voorziening,
        toUtcDate(r.start),
        r.end === null ? null : toUtcDate(r.end),
        r.nr,
      ];
    });
    written.push(
      writeXlsx(rel(outDir, f), [
        {
          name: 'Voorzieningen',
          columns: [
            { header: 'BSN', width: 12, numFmt: '0' },
            { header: 'Voorziening', width: 22 },
            { header: 'Startdatum', width: 12, numFmt: 'dd-mm-yyyy' },
            { header: 'Einddatum', width: 12, numFmt: 'dd-mm-yyyy' },
            { header: 'Beschikkingsnummer', width: 20 },
          ],
          rows,
        },
      ]),
    );
  }

  // ---------------------------------------------------------------- sociaal/jeugdhulp.csv
  onProgress('sociaal/jeugdhulp.csv');
  {
    const f = FILES.jeugd;
    const recs = social.jeugd;
    const cols = ['BSN jeugdige', 'Soort hulp', 'Startdatum', 'Einddatum', 'Kosten'];
    const w = new CsvWriter(rel(outDir, f), cols, { separator: ';', eol: '\n', encoding: 'utf8' });
    const seen = new Set<string>();
    const base = recs.map((r) => {
      let cents = Math.round(r.kosten * 100);
      for (;;) {
        const v = [
          formatBsn(r.person.bsn),
          r.soort,
          fmtNl(r.start),
          r.end === null ? '' : fmtNl(r.end),
          nlAmount(cents / 100),
        ];
        const line = w.format(v);
        if (!seen.has(line)) {
          seen.add(line);
          return v;
        }
        cents++;
      }
    });
    const notPlanted = (i: number): boolean => !plantedPersons.has((recs[i] as (typeof recs)[number]).person);
    const plan = planDefects(rng, recs.length, [
      { kind: 'invalid_bsn', rate: 0.002, eligible: notPlanted },
      { kind: 'unparseable_number', rate: 0.002 },
      { kind: 'duplicate_row', rate: 0.004 },
    ] as const);
    log.declare(f, 'BSN jeugdige', 'invalid_bsn');
    log.declare(f, 'Kosten', 'unparseable_number');
    log.declare(f, '*', 'duplicate_row');
    base.forEach((v0, i) => {
      const v = [...v0];
      const kind = plan.get(i);
      if (kind === 'invalid_bsn')
        v[0] = formatBsn(bsnTypos.corrupt((recs[i] as (typeof recs)[number]).person.bsn));
      if (kind === 'unparseable_number') v[4] = rng.pick(['n.v.t.', 'onbekend', 'n.v.t.']);
      const row = w.row(v);
      if (kind === 'invalid_bsn') log.add(f, 'BSN jeugdige', kind, row);
      if (kind === 'unparseable_number') log.add(f, 'Kosten', kind, row);
      if (kind === 'duplicate_row') log.add(f, '*', kind, w.row(v));
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- sociaal/bijstand.json
  onProgress('sociaal/bijstand.json');
  {
    const f = FILES.bijstand;
    const recs = social.bijstand;
    const plan = planDefects(rng, recs.length, [
      {
        kind: 'invalid_bsn',
        rate: 0.002,
        eligible: (i) => !plantedPersons.has((recs[i] as (typeof recs)[number]).person),
      },
    ] as const);
    log.declare(f, 'bsn', 'invalid_bsn');
    const w = new JsonArrayWriter(rel(outDir, f));
    recs.forEach((r, i) => {
      const bad = plan.get(i) === 'invalid_bsn';
      const n = w.item({
        bsn: formatBsn(bad ? bsnTypos.corrupt(r.person.bsn) : r.person.bsn),
        regeling: 'Participatiewet',
        ingangsdatum: fmtIso(r.start),
        einddatum: r.end === null ? null : fmtIso(r.end),
        bedrag_per_maand: r.bedrag,
      });
      if (bad) log.add(f, 'bsn', 'invalid_bsn', n);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- sociaal/schuldhulp.csv
  onProgress('sociaal/schuldhulp.csv');
  {
    const f = FILES.schuld;
    const recs = social.schuld;
    const plan = planDefects(rng, recs.length, [
      {
        kind: 'invalid_bsn',
        rate: 0.003,
        eligible: (i) => !plantedPersons.has((recs[i] as (typeof recs)[number]).person),
      },
      { kind: 'unparseable_date', rate: 0.003 },
    ] as const);
    log.declare(f, 'BSN', 'invalid_bsn');
    log.declare(f, 'Aanmelddatum', 'unparseable_date');
    const w = new CsvWriter(rel(outDir, f), ['BSN', 'Aanmelddatum', 'Status', 'Einddatum'], {
      separator: ';',
      eol: '\n',
      encoding: 'utf8',
    });
    recs.forEach((r, i) => {
      const kind = plan.get(i);
      const row = w.row([
        formatBsn(kind === 'invalid_bsn' ? bsnTypos.corrupt(r.person.bsn) : r.person.bsn),
        kind === 'unparseable_date' ? impossibleDate(rng, r.aanmeld) : fmtNl(r.aanmeld),
        r.status,
        r.end === null ? '' : fmtNl(r.end),
      ]);
      if (kind === 'invalid_bsn') log.add(f, 'BSN', kind, row);
      if (kind === 'unparseable_date') log.add(f, 'Aanmelddatum', kind, row);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- sociaal/vroegsignalen.ndjson
  onProgress('sociaal/vroegsignalen.ndjson');
  {
    const f = FILES.signals;
    const recs = social.signals;
    const plan = planDefects(rng, recs.length, [
      {
        kind: 'invalid_bsn',
        rate: 0.002,
        eligible: (i) => !plantedPersons.has((recs[i] as (typeof recs)[number]).person),
      },
    ] as const);
    log.declare(f, 'bsn', 'invalid_bsn');
    const w = new NdjsonWriter(rel(outDir, f));
    const seq = new Map<number, number>();
    recs.forEach((r, i) => {
      const y = yearOf(r.day);
      const k = (seq.get(y) ?? 0) + 1;
      seq.set(y, k);
      const bad = plan.get(i) === 'invalid_bsn';
      const toev = `${r.dwelling.huisletter}${r.dwelling.toevoeging}`;
      const n = w.line({
        signaal_id: `VS-${y}-${String(k).padStart(6, '0')}`,
        partner_type: r.partner,
        bsn: formatBsn(bad ? bsnTypos.corrupt(r.person.bsn) : r.person.bsn),
        postcode: r.dwelling.postcode,
        huisnummer: r.dwelling.huisnummer,
        huisnummer_toevoeging: toev === '' ? null : toev,
        signaaldatum: fmtIso(r.day),
        achterstand_bedrag: r.amount,
      });
      if (bad) log.add(f, 'bsn', 'invalid_bsn', n);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- onderwijs/verzuim.csv
  onProgress('onderwijs/verzuim.csv');
  {
    const f = FILES.verzuim;
    const recs = social.verzuim;
    const plan = planDefects(rng, recs.length, [
      {
        kind: 'invalid_bsn',
        rate: 0.003,
        eligible: (i) => !plantedPersons.has((recs[i] as (typeof recs)[number]).person),
      },
    ] as const);
    log.declare(f, 'bsn_leerling', 'invalid_bsn');
    const w = new CsvWriter(
      rel(outDir, f),
      ['bsn_leerling', 'schooljaar', 'soort_verzuim', 'aantal_uren', 'meldingsdatum'],
      {
        separator: ',',
        eol: '\n',
        encoding: 'utf8',
      },
    );
    recs.forEach((r, i) => {
      const bad = plan.get(i) === 'invalid_bsn';
      const row = w.row([
        formatBsn(bad ? bsnTypos.corrupt(r.person.bsn) : r.person.bsn),
        r.schooljaar,
        r.soort,
        r.uren === null ? '' : String(r.uren),
        fmtIso(r.day),
      ]);
      if (bad) log.add(f, 'bsn_leerling', 'invalid_bsn', row);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- veiligheid/incidenten.csv
  onProgress('veiligheid/incidenten.csv');
  {
    const f = FILES.incidents;
    const recs = safety.incidents;
    const plan = planDefects(rng, recs.length, [
      { kind: 'future_date', rate: 0.001, eligible: (i) => !(recs[i] as (typeof recs)[number]).planted },
    ] as const);
    log.declare(f, 'datum', 'future_date');
    const w = new CsvWriter(
      rel(outDir, f),
      ['incidentnummer', 'datum', 'tijd', 'categorie', 'omschrijving', 'lon', 'lat'],
      {
        separator: ';',
        eol: '\r\n',
        encoding: 'cp1252',
        alwaysQuote: [4],
      },
    );
    const p2 = (n: number): string => String(n).padStart(2, '0');
    const rText = world.rng.fork('incident-text');
    recs.forEach((r, i) => {
      const future = plan.get(i) === 'future_date';
      const row = w.row([
        r.nr,
        fmtNl(future ? futureDay(rng, r.day) : r.day),
        `${p2(Math.floor(r.minute / 60))}:${p2(r.minute % 60)}`,
        r.categorie,
        describeIncident(rText, r),
        r.pt.lon.toFixed(6).replace('.', ','),
        r.pt.lat.toFixed(6).replace('.', ','),
      ]);
      if (future) log.add(f, 'datum', 'future_date', row);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- openbare_ruimte/meldingen.json
  onProgress('openbare_ruimte/meldingen.json');
  {
    const f = FILES.meldingen;
    const recs = safety.meldingen;
    const plan = planDefects(rng, recs.length, [{ kind: 'future_date', rate: 0.001 }] as const);
    log.declare(f, 'datum', 'future_date');
    const w = new JsonArrayWriter(rel(outDir, f));
    recs.forEach((r, i) => {
      const future = plan.get(i) === 'future_date';
      const n = w.item({
        melding_id: r.id,
        datum: fmtIso(future ? futureDay(rng, r.day) : r.day),
        categorie: r.categorie,
        x_rd: r.pt.x,
        y_rd: r.pt.y,
        status: r.status,
      });
      if (future) log.add(f, 'datum', 'future_date', n);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- kvk/vestigingen.csv
  onProgress('kvk/vestigingen.csv');
  {
    const f = FILES.kvk;
    const recs = business.vestigingen;
    const plan = planDefects(rng, recs.length, [
      {
        kind: 'mojibake',
        rate: 0.002,
        eligible: (i) => hasCleanMojibake((recs[i] as (typeof recs)[number]).handelsnaam),
      },
    ] as const);
    log.declare(f, 'Handelsnaam', 'mojibake');
    const cols = [
      'KvK-nummer',
      'Vestigingsnummer',
      'Handelsnaam',
      'SBI-code',
      'Straat',
      'Huisnummer',
      'Postcode',
      'Verblijfsobject-ID',
      'Datum inschrijving',
      'Datum opheffing',
    ];
    const w = new CsvWriter(rel(outDir, f), cols, { separator: ';', eol: '\n', encoding: 'utf8' });
    recs.forEach((r, i) => {
      const moji = plan.get(i) === 'mojibake';
      const d = r.dwelling;
      const nr = `${d.huisnummer}${d.huisletter}${d.toevoeging ? `-${d.toevoeging}` : ''}`;
      const row = w.row([
        r.kvk,
        r.vestigingsnummer,
        moji ? mojibake(r.handelsnaam) : r.handelsnaam,
        r.sbi,
        d.street,
        nr,
        d.postcode,
        d.vboId,
        fmtNl(r.start),
        r.end === null ? '' : fmtNl(r.end),
      ]);
      if (moji) log.add(f, 'Handelsnaam', 'mojibake', row);
    });
    written.push(w.close());
  }

  // ---------------------------------------------------------------- energie/verbruik.csv
  onProgress('energie/verbruik.csv');
  {
    const f = FILES.energy;
    const plan = planDefects(rng, housing.energyCount, [
      { kind: 'unparseable_number', rate: 0.0005 },
    ] as const);
    log.declare(f, 'elektriciteit_kwh', 'unparseable_number');
    const w = new CsvWriter(rel(outDir, f), ['verblijfsobject_id', 'jaar', 'elektriciteit_kwh', 'gas_m3'], {
      separator: ';',
      eol: '\n',
      encoding: 'utf8',
    });
    let i = 0;
    for (const r of housing.energyRows()) {
      const bad = plan.get(i++) === 'unparseable_number' && !r.planted;
      const row = w.row([
        r.dwelling.vboId,
        String(r.year),
        bad ? rng.pick(['onbekend', 'n.v.t.', 'geen meting']) : String(r.kwh),
        r.gas === null ? '' : nlAmount(r.gas, 1, false),
      ]);
      if (bad) log.add(f, 'elektriciteit_kwh', 'unparseable_number', row);
    }
    written.push(w.close());
  }

  // ---------------------------------------------------------------- woz/woz_waarden.csv
  onProgress('woz/woz_waarden.csv');
  {
    const w = new CsvWriter(rel(outDir, FILES.woz), ['verblijfsobject_id', 'peildatum', 'woz_waarde'], {
      separator: ';',
      eol: '\n',
      encoding: 'utf8',
    });
    for (const r of housing.wozRows()) w.row([r.dwelling.vboId, fmtNl(r.peildatum), nlAmount(r.value, 0)]);
    written.push(w.close());
  }

  // ---------------------------------------------------------------- financien/iv3_begroting_realisatie.xlsx
  onProgress('financien/iv3_begroting_realisatie.xlsx');
  written.push(
    writeXlsx(rel(outDir, FILES.iv3), [
      {
        name: 'Begroting en realisatie',
        columns: [
          { header: 'Jaar', width: 8, numFmt: '0' },
          { header: 'Taakveld', width: 10, numFmt: '@' },
          { header: 'Omschrijving', width: 60 },
          { header: 'Begroting (lasten)', width: 20, numFmt: '#,##0.00' },
          { header: 'Realisatie (lasten)', width: 20, numFmt: '#,##0.00' },
          { header: 'Baten', width: 20, numFmt: '#,##0.00' },
        ],
        rows: finance.map((r) => [r.jaar, r.taakveld, r.omschrijving, r.begroting, r.realisatie, r.baten]),
      },
    ]),
  );

  return written.map((w) => ({
    ...w,
    path: relative(outDir, w.path).split(sep).join('/'),
  }));
}
