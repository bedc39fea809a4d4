/**
 * The planted truths, written to `truth/` next to the exported files. The pipeline never reads
 * them; tests and evaluations measure the analytic features against them.
 */
import { join } from 'node:path';
import { formatBsn } from './bsn.js';
import type { BusinessData } from './business.js';
import { REF_DAY, ageOn, fmtIso } from './dates.js';
import type { DefectLog } from './defects.js';
import { FILES, type WrittenFile } from './files.js';
import type { HousingData } from './housing.js';
import { currentDwelling, type Dwelling, type Household, type World } from './model.js';
import { residentsAtRef } from './population.js';
import type { SafetyData } from './safety.js';
import { DOMAINS, householdDomains, type Domain, type SocialData } from './social.js';
import { writeJson } from './writers.js';

export interface TruthInputs {
  world: World;
  social: SocialData;
  housing: HousingData;
  business: BusinessData;
  safety: SafetyData;
  defects: DefectLog;
  written: WrittenFile[];
}

const address = (d: Dwelling): Record<string, unknown> => ({
  verblijfsobject_id: d.vboId,
  straat: d.street,
  huisnummer: d.huisnummer,
  huisletter: d.huisletter || null,
  toevoeging: d.toevoeging || null,
  postcode: d.postcode,
  buurtcode: d.buurt.code,
  wijkcode: d.buurt.wijk.code,
});

function ageGroups(ages: number[]): Record<string, number> {
  const g: Record<string, number> = { '0-14': 0, '15-24': 0, '25-44': 0, '45-64': 0, '65+': 0 };
  for (const a of ages) {
    const k = a < 15 ? '0-14' : a < 25 ? '15-24' : a < 45 ? '25-44' : a < 65 ? '45-64' : '65+';
    g[k] = (g[k] ?? 0) + 1;
  }
  return g;
}

export function writeTruth(outDir: string, t: TruthInputs): WrittenFile[] {
  const { world, social, housing, business, safety, defects } = t;
  const out: WrittenFile[] = [];
  const put = (name: string, value: unknown): void => {
    const w = writeJson(join(outDir, 'truth', name), value);
    out.push({ path: `truth/${name}`, rows: w.rows, bytes: w.bytes });
  };
  const g = world.gemeente;
  const current = world.households.filter((h) => h.current);

  // ---------------------------------------------------------------- population.json
  {
    const perBuurt = new Map<
      string,
      { persons: number; households: number; dwellings: number; vacant: number }
    >();
    for (const b of g.buurten) perBuurt.set(b.code, { persons: 0, households: 0, dwellings: 0, vacant: 0 });
    const ages = new Map<string, number[]>();
    const sexes = new Map<string, { M: number; V: number }>();
    for (const d of world.dwellings) {
      if (!d.residential) continue;
      const e = perBuurt.get(d.buurt.code);
      if (!e) continue;
      e.dwellings++;
      const res = residentsAtRef(d);
      if (res.length === 0) e.vacant++;
      e.persons += res.length;
      const wk = d.buurt.wijk.code;
      const a = ages.get(wk) ?? [];
      const sx = sexes.get(wk) ?? { M: 0, V: 0 };
      for (const p of res) {
        a.push(ageOn(p.birth, REF_DAY));
        sx[p.sex]++;
      }
      ages.set(wk, a);
      sexes.set(wk, sx);
    }
    for (const h of current) {
      const e = perBuurt.get(currentDwelling(h).buurt.code);
      if (e) e.households++;
    }
    const wijken = g.wijken.map((w) => {
      const bs = w.buurten.map((b) => perBuurt.get(b.code)!);
      const sum = (k: 'persons' | 'households' | 'dwellings' | 'vacant'): number =>
        bs.reduce((s, x) => s + x[k], 0);
      return {
        code: w.code,
        name: w.name,
        persons: sum('persons'),
        cbs_2024_aantal_inwoners: w.cbsPopulation,
        households: sum('households'),
        average_household_size: Math.round((sum('persons') / Math.max(1, sum('households'))) * 100) / 100,
        dwellings: sum('dwellings'),
        cbs_2024_woningvoorraad: w.cbsDwellings,
        vacant_dwellings: sum('vacant'),
        men: sexes.get(w.code)?.M ?? 0,
        women: sexes.get(w.code)?.V ?? 0,
        age_groups: ageGroups(ages.get(w.code) ?? []),
      };
    });
    const total = wijken.reduce((s, w) => s + w.persons, 0);
    const hhTotal = wijken.reduce((s, w) => s + w.households, 0);
    put('population.json', {
      reference_date: fmtIso(REF_DAY),
      gemeente: { code: g.code, name: g.name, cbs_2024_aantal_inwoners: g.cbsPopulation },
      counting_rule:
        'Distinct BSNs in brp/personen.csv with an empty "Datum vertrek", counted in the wijk/buurt of their Verblijfsobject-ID (bag/verblijfsobjecten.csv buurtcode; buurt BU0400WWxx belongs to wijk WK0400WW). Rows with a planted defect (invalid BSN, missing postcode, mojibake name, unparseable birth date) are real persons and are counted; exact duplicate rows are not extra persons.',
      size_rule:
        'At the default size (56,432 persons) every wijk has exactly its CBS 2024 AantalInwoners_5 (these sum to 56,430: CBS rounds wijk figures to 5); at other sizes the persons are apportioned over the wijken with largest remainders.',
      total_persons: total,
      total_households: hhTotal,
      average_household_size: Math.round((total / Math.max(1, hhTotal)) * 100) / 100,
      households_note:
        'A household is one unit of the generator (a family, a couple, a single person, flatmates); a planted overcrowded address counts as one unit.',
      age_groups: ageGroups(current.flatMap((h) => h.members.map((p) => ageOn(p.birth, REF_DAY)))),
      wijken,
      buurten: g.buurten.map((b) => ({
        code: b.code,
        name: b.name,
        wijk: b.wijk.code,
        ...perBuurt.get(b.code)!,
      })),
    });
  }

  // ---------------------------------------------------------------- multiproblem_households.json
  {
    const doms = householdDomains(social);
    const planted = new Set(social.multiProblem.map((m) => m.household));
    const describeHh = (h: Household): Record<string, unknown> => {
      const e = doms.get(h);
      return {
        ...address(currentDwelling(h)),
        members_bsn: h.members.map((p) => formatBsn(p.bsn)),
        domains: DOMAINS.filter((d) => e?.domains.has(d)),
        partner_types: [...(e?.partners ?? [])].sort(),
      };
    };
    const byCount: Record<string, number> = {};
    let pattern = 0;
    const background3: Record<string, unknown>[] = [];
    for (const h of current) {
      if (planted.has(h)) continue;
      const e = doms.get(h);
      const n = e?.domains.size ?? 0;
      byCount[String(n)] = (byCount[String(n)] ?? 0) + 1;
      if (!e) continue;
      const others: Domain[] = ['schuldhulp', 'jeugdhulp', 'verzuim', 'wmo'];
      if (e.partners.size >= 2 && e.domains.has('bijstand') && others.some((d) => e.domains.has(d)))
        pattern++;
      if (n >= 3) background3.push(describeHh(h));
    }
    put('multiproblem_households.json', {
      reference_date: fmtIso(REF_DAY),
      evaluation_window: { from: '2022-01-01', to: '2024-12-31' },
      definition:
        'Planted households with stacked problems from a problem start date (July 2021 – June 2023) onwards: in debt, arrears signals from 2–4 partner types (2–4 signals each, from 2022), an ongoing Participatiewet benefit, and at least two of schuldhulp / jeugdhulp / verzuim / wmo (begeleiding). "domains" lists the domains with a record overlapping the evaluation window, recomputed from the generated records (signals of planted households in the policy buurten are subject to the policy effect like all others). BSNs of planted households never carry a planted invalid-BSN defect.',
      domains_considered: DOMAINS,
      households_total: current.length,
      planted_count: social.multiProblem.length,
      planted_share: Math.round((social.multiProblem.length / Math.max(1, current.length)) * 10000) / 10000,
      households: social.multiProblem.map((m) => ({
        problem_start: fmtIso(m.problemStart),
        ...describeHh(m.household),
      })),
      background: {
        note: 'Non-planted current households: background rates per CALIBRATION.md, correlated through a latent vulnerability, so some of them also stack problems.',
        households_by_number_of_domains: byCount,
        with_3_or_more_domains: background3.length,
        matching_planted_pattern: pattern,
        matching_planted_pattern_rule:
          'signals from ≥2 partner types + bijstand + at least one of schuldhulp/jeugdhulp/verzuim/wmo, in the evaluation window',
        households_with_3_or_more_domains: background3,
      },
    });
  }

  // ---------------------------------------------------------------- undermining.json
  {
    const overcrowded = world.overcrowded.map((d) => {
      const res = residentsAtRef(d);
      return {
        ...address(d),
        oppervlakte_m2: d.oppervlakte,
        persons_registered: res.length,
        bsns: res.map((p) => formatBsn(p.bsn)),
        registered_since: res.map((p) => fmtIso(Math.max(p.joined ?? 0, p.birth))),
      };
    });
    const noiseOvercrowded = world.dwellings.filter(
      (d) => d.residential && !world.overcrowded.includes(d) && residentsAtRef(d).length >= 6,
    ).length;
    put('undermining.json', {
      reference_date: fmtIso(REF_DAY),
      overcrowded_addresses: {
        rule: '≥ 8 persons registered on 2024-12-31 at a dwelling with oppervlakte < 50 m² (BAG)',
        note: 'Only planted addresses match the rule. Background: large families live in dwellings of ≥ 55 m².',
        background_dwellings_with_6_or_more_persons: noiseOvercrowded,
        items: overcrowded,
      },
      vacant_high_electricity: {
        rule: 'no one registered (brp) during the listed years, and electricity use ≥ 16,000 kWh in those years (energie/verbruik.csv)',
        note: 'Background: vacant dwellings use ~200–800 kWh, some 1,500–3,600 kWh (renovation); occupied homes with an EV or heat pump up to ~10,000 kWh.',
        items: housing.growHouses.map((gh) => ({
          ...address(gh.dwelling),
          persons_registered_on_reference_date: residentsAtRef(gh.dwelling).length,
          years: gh.years,
          elektriciteit_kwh: gh.kwh,
        })),
      },
      business_owner_changes: {
        rule: '≥ 3 KvK registrations (different KvK-nummer) of cash-intensive SBI codes (9602, 5610, 5630, 4511) at one Verblijfsobject-ID within 3 years',
        note: 'Background shops change tenant too, but rarely more than once in 3 years.',
        items: business.ownerChanges.map((s) => ({
          ...address(s.dwelling),
          gebruiksdoel: s.dwelling.gebruiksdoel,
          registrations: s.vestigingen.map((v) => ({
            kvk_nummer: v.kvk,
            vestigingsnummer: v.vestigingsnummer,
            handelsnaam: v.handelsnaam,
            sbi: v.sbi,
            datum_inschrijving: fmtIso(v.start),
            datum_opheffing: v.end === null ? null : fmtIso(v.end),
          })),
        })),
      },
      repeated_incidents: {
        rule: '8–20 incidents (overlast, drugs, threats, violence) in 2022–2024 at the exact coordinates of one address (veiligheid/incidenten.csv lon/lat)',
        note: 'Apartments in one block share a point; background incidents at homes (burglary, domestic violence, noise) can repeat 2–4 times at a point.',
        items: safety.repeatSites.map((s) => ({
          ...address(s.dwelling),
          lon: s.dwelling.pt.lon,
          lat: s.dwelling.pt.lat,
          reason: s.reason,
          incidents: s.incidents.length,
          incidentnummers: s.incidents.map((i) => i.nr).sort(),
        })),
      },
    });
  }

  // ---------------------------------------------------------------- policy_effect.json
  {
    const p = social.policy;
    put('policy_effect.json', {
      measure:
        'Schuldhulp outreach (vroegsignalering: huisbezoek binnen 2 weken na een betalingsachterstand)',
      buurten: p.buurten.map((b) => ({
        code: b.code,
        name: b.name,
        wijk: b.wijk.code,
        persons_on_reference_date: world.buurtTargets.get(b.code) ?? 0,
      })),
      start_date: fmtIso(p.startDay),
      start_year: 2022,
      indicator:
        'number of arrears signals (sociaal/vroegsignalen.ndjson) per year for households living in the buurt (buurt of the signal address)',
      effect: {
        relative: p.effect,
        applies_to: 'the rate of arrears signals in the chosen buurten from the start date onwards',
      },
      mechanism:
        'Signals are generated under the counterfactual rate (also in the chosen buurten); from the start date each signal at an address in a chosen buurt is then kept with probability 0.7 (thinning), so the realised effect is exactly the thinning and the counterfactual is known per signal.',
      expected_counts_note:
        'expected = sum of the Poisson rates of the background signals + the number of planted multi-problem signals; counterfactual_realised = signals before thinning; realised = signals in the file (invalid-BSN defects do not remove signals).',
      secondary_effect: {
        description:
          'schuldhulp registrations (sociaal/schuldhulp.csv) of households in the chosen buurten are 1.5× as likely from the start date (outreach brings people in)',
        factor: p.schuldhulpUptakeFactor,
      },
      by_year: p.years,
      totals_from_start: {
        treated_expected_without_measure: round2(
          p.years.filter((y) => y.year >= 2022).reduce((s, y) => s + y.treated_expected_without_measure, 0),
        ),
        treated_expected_with_measure: round2(
          p.years.filter((y) => y.year >= 2022).reduce((s, y) => s + y.treated_expected_with_measure, 0),
        ),
        treated_counterfactual_realised: p.years
          .filter((y) => y.year >= 2022)
          .reduce((s, y) => s + y.treated_counterfactual_realised, 0),
        treated_realised: p.years.filter((y) => y.year >= 2022).reduce((s, y) => s + y.treated_realised, 0),
      },
    });
  }

  // ---------------------------------------------------------------- quality_defects.json
  {
    const list = defects.list();
    const perFile: Record<string, number> = {};
    for (const e of list) perFile[e.file] = (perFile[e.file] ?? 0) + e.count;
    const rows: Record<string, number> = {};
    for (const w of t.written) rows[w.path] = w.rows;
    put('quality_defects.json', {
      reference_date: fmtIso(REF_DAY),
      row_numbering: {
        csv: 'record number counting the header as record 1 (a quoted field containing a newline is still one record)',
        xlsx: 'spreadsheet row number (the header is row 1)',
        json: '1-based position of the element in the top-level array',
        ndjson: '1-based line number',
      },
      data_records_per_file: rows,
      defects_per_file: perFile,
      format_notes: [
        `${FILES.wmo}: BSN is a numeric cell, so BSNs with a leading zero (≈ 4 %) show 8 digits; pad to 9 before the elfproef (this is not counted as a defect).`,
        `${FILES.brp} and ${FILES.incidents}: Windows-1252; ${FILES.bag}: UTF-8 with BOM; other text files UTF-8 without BOM.`,
        `${FILES.incidents}: omschrijving is quoted and may contain ';', '"' and line feeds while records end with CRLF; lon/lat use a decimal comma.`,
        `${FILES.woz}: woz_waarde uses thousands dots ("234.000" = 234000); ${FILES.jeugd}: Kosten "1.234,56"; ${FILES.energy}: gas_m3 decimal comma, empty = no gas connection.`,
        `${FILES.iv3}: Taakveld is text ("0.1" and "0.10" differ); 0.10 Mutaties reserves and 0.11 Resultaat are not lasten or baten.`,
      ],
      defects: list,
      files_without_planted_defects: Object.values(FILES).filter((f) => !(f in perFile)),
    });
  }
  return out;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
