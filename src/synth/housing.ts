/**
 * Energy use per dwelling per year (2019–2024) and WOZ values per object per valuation date, plus
 * the planted undermining pattern "no one registered, very high electricity use" (cannabis grows).
 */
import { REF_DAY, dayOf, type Day } from './dates.js';
import type { Dwelling, World } from './model.js';
import { residentsAtRef } from './population.js';

export const ENERGY_YEARS = [2019, 2020, 2021, 2022, 2023, 2024] as const;
/** WOZ valuation dates 1-1-2018 … 1-1-2023 (the values for tax years 2019 … 2024). */
export const WOZ_PEILDATA: readonly Day[] = [2018, 2019, 2020, 2021, 2022, 2023].map((y) => dayOf(y, 1, 1));
const WOZ_INDEX = [0.88, 0.94, 1.0, 1.09, 1.26, 1.33];
/** Average WOZ value of a home on 1-1-2020 (Den Helder 2021: €170,000). */
const WOZ_MEAN_2020 = 170000;

const ELEC_YEAR = [1.0, 1.03, 1.01, 0.93, 0.9, 0.9];
const GAS_YEAR = [1.0, 0.96, 1.04, 0.8, 0.76, 0.75];

export interface EnergyRow {
  dwelling: Dwelling;
  year: number;
  kwh: number;
  gas: number | null;
  planted: boolean;
}

export interface WozRow {
  dwelling: Dwelling;
  peildatum: Day;
  value: number;
}

export interface GrowHouse {
  dwelling: Dwelling;
  years: number[];
  kwh: number[];
}

export interface HousingData {
  growHouses: GrowHouse[];
  /** Number of rows `energyRows()` yields. */
  energyCount: number;
  /** Energy rows per residential dwelling and year, generated on demand (same rows on every call). */
  energyRows: () => Generator<EnergyRow>;
  wozCount: number;
  wozRows: () => Generator<WozRow>;
}

export function buildHousing(world: World): HousingData {
  const root = world.rng.fork('housing');
  const rGrow = root.fork('grow');
  const { dwellings } = world;
  const nYears = ENERGY_YEARS.length;

  // person-years and occupied fraction per dwelling and year
  const personYears = new Float64Array(dwellings.length * nYears);
  const occupied = new Float64Array(dwellings.length * nYears);
  const yearStart = ENERGY_YEARS.map((y) => dayOf(y, 1, 1));
  const yearLen = ENERGY_YEARS.map((y) => dayOf(y + 1, 1, 1) - dayOf(y, 1, 1));
  const lastOccupied = new Float64Array(dwellings.length).fill(-Infinity);
  for (const h of world.households) {
    for (const s of h.stays) {
      const end = s.to ?? REF_DAY + 1;
      const d = s.dwelling.idx;
      if (end > (lastOccupied[d] as number)) lastOccupied[d] = end;
      for (let y = 0; y < nYears; y++) {
        const a = Math.max(s.from, yearStart[y] as number);
        const b = Math.min(end, (yearStart[y] as number) + (yearLen[y] as number));
        if (a >= b) continue;
        const len = yearLen[y] as number;
        occupied[d * nYears + y] = Math.min(1, (occupied[d * nYears + y] as number) + (b - a) / len);
        for (const p of h.members) {
          const pa = Math.max(a, p.birth, p.joined ?? -Infinity);
          if (pa < b) personYears[d * nYears + y] = (personYears[d * nYears + y] as number) + (b - pa) / len;
        }
      }
    }
  }

  // planted grow houses: dwellings nobody lived in since before the start year, very high use
  const growCount = Math.max(1, Math.round(8 * world.scale));
  const growCandidates = dwellings.filter(
    (d) =>
      d.residential &&
      residentsAtRef(d).length === 0 &&
      (lastOccupied[d.idx] as number) < dayOf(2023, 1, 1) &&
      d.oppervlakte >= 45 &&
      d.bouwjaar < 2019,
  );
  const growHouses: GrowHouse[] = [];
  const growByDwelling = new Map<Dwelling, GrowHouse>();
  for (const d of rGrow.sample(rGrow.shuffle([...growCandidates]), growCount).sort((a, b) => a.idx - b.idx)) {
    const lo = lastOccupied[d.idx] as number;
    const lastYear = Number.isFinite(lo) ? new Date(lo * 86400000).getUTCFullYear() : 2018;
    const first = Math.min(2024, Math.max(lastYear + 1, rGrow.intBetween(2020, 2023)));
    const years: number[] = [];
    for (let y = first; y <= 2024; y++) years.push(y);
    const g: GrowHouse = { dwelling: d, years, kwh: years.map(() => rGrow.intBetween(16000, 46000)) };
    growHouses.push(g);
    growByDwelling.set(d, g);
  }

  let energyCount = 0;
  for (const d of dwellings)
    if (d.residential) for (const y of ENERGY_YEARS) if (y >= d.bouwjaar) energyCount++;

  function* energyRows(): Generator<EnergyRow> {
    const rng = root.fork('energy');
    for (const d of dwellings) {
      if (!d.residential) continue;
      const fE = rng.lognormal(1, 0.25);
      const fG = rng.lognormal(1, 0.22);
      const gasless = d.bouwjaar >= 2018;
      const heatPumpFrom = !gasless && rng.chance(0.04) ? rng.intBetween(2019, 2024) : 9999;
      const evBoost = rng.chance(0.05) ? rng.between(1.6, 2.6) : 1;
      const vacantUse = rng.chance(0.1) ? rng.between(1500, 3600) : rng.lognormal(380, 0.4);
      const ageFactor =
        d.bouwjaar < 1945
          ? 1.25
          : d.bouwjaar < 1975
            ? 1.1
            : d.bouwjaar < 1995
              ? 0.95
              : d.bouwjaar < 2010
                ? 0.8
                : 0.6;
      const grow = growByDwelling.get(d);
      for (let y = 0; y < nYears; y++) {
        const year = ENERGY_YEARS[y] as number;
        if (year < d.bouwjaar) continue;
        const occ = occupied[d.idx * nYears + y] as number;
        const py = personYears[d.idx * nYears + y] as number;
        const pAvg = occ > 0 ? Math.min(8, py / occ) : 0;
        let kwh = vacantUse * (1 - occ) + occ * (1015 + 785 * pAvg) * fE * evBoost;
        kwh *= (ELEC_YEAR[y] as number) * rng.lognormal(1, 0.06);
        let gas: number | null = null;
        if (!gasless && year < heatPumpFrom) {
          gas =
            ((1 - occ) * 210 + occ * 11.1 * d.oppervlakte * ageFactor * (0.78 + 0.08 * Math.min(pAvg, 5))) *
            fG;
          gas *= (GAS_YEAR[y] as number) * rng.lognormal(1, 0.05);
        } else if (year >= heatPumpFrom) {
          kwh += 2600 * occ;
        }
        const gi = grow ? grow.years.indexOf(year) : -1;
        if (grow && gi >= 0) kwh = grow.kwh[gi] as number;
        yield {
          dwelling: d,
          year,
          kwh: Math.round(kwh),
          gas: gas === null ? null : Math.round(gas * 10) / 10,
          planted: gi >= 0,
        };
      }
    }
  }

  // WOZ: value on 1-1-2020 from floor area, age and buurt, indexed per valuation date
  const wozRng = root.fork('woz-base');
  const base = new Float64Array(dwellings.length);
  let sum = 0;
  let n = 0;
  for (const d of dwellings) {
    if (d.residential) {
      const prem = 1 / Math.sqrt(world.buurtVuln.get(d.buurt.code) ?? 1);
      const age = d.bouwjaar < 1930 ? 1.05 : d.bouwjaar < 1975 ? 0.9 : d.bouwjaar < 2000 ? 1.0 : 1.15;
      const v =
        (d.oppervlakte / 93) ** 0.8 * prem * age * (d.corporation ? 0.85 : 1) * wozRng.lognormal(1, 0.15);
      base[d.idx] = v;
      sum += v;
      n++;
    } else {
      base[d.idx] = d.oppervlakte * 820 * wozRng.lognormal(1, 0.35);
    }
  }
  const norm = n > 0 ? WOZ_MEAN_2020 / (sum / n) : 1;
  let wozCount = 0;
  for (const d of dwellings) for (const p of WOZ_PEILDATA) if (p >= dayOf(d.bouwjaar, 1, 1)) wozCount++;

  function* wozRows(): Generator<WozRow> {
    const rng = root.fork('woz');
    for (const d of dwellings) {
      const v0 = d.residential ? (base[d.idx] as number) * norm : (base[d.idx] as number);
      for (let i = 0; i < WOZ_PEILDATA.length; i++) {
        const p = WOZ_PEILDATA[i] as Day;
        if (p < dayOf(d.bouwjaar, 1, 1)) continue;
        const value = Math.max(
          15000,
          Math.floor((v0 * (WOZ_INDEX[i] as number) * rng.lognormal(1, 0.02)) / 1000) * 1000,
        );
        yield { dwelling: d, peildatum: p, value };
      }
    }
  }

  return { growHouses, energyCount, energyRows, wozCount, wozRows };
}
