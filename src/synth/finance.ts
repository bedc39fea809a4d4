/**
 * Budget and realisation per IV3 taakveld, 2019–2024. Total lasten grow from ≈ €230 M to ≈ €280 M
 * at the default size (scaled with the population); shares per main taakveld from CALIBRATION.md.
 * 0.10 (Mutaties reserves) and 0.11 (Resultaat) are included, as in real IV3 files, but are not
 * lasten or baten.
 */
import type { World } from './model.js';

export interface Iv3Row {
  jaar: number;
  taakveld: string;
  omschrijving: string;
  begroting: number;
  realisatie: number;
  baten: number;
}

/** [code, name, share of total lasten (%), baten as a share of own lasten]. */
const TAAKVELDEN: readonly (readonly [string, string, number, number])[] = [
  ['0.1', 'Bestuur', 2.2, 0.02],
  ['0.2', 'Burgerzaken', 1.0, 0.35],
  ['0.3', 'Beheer overige gebouwen en gronden', 1.1, 0.6],
  ['0.4', 'Overhead', 6.8, 0.05],
  ['0.5', 'Treasury', 0.6, 1.4],
  ['0.61', 'OZB woningen', 0.3, 28],
  ['0.62', 'OZB niet-woningen', 0.2, 30],
  ['0.63', 'Parkeerbelasting', 0.2, 5],
  ['0.64', 'Belastingen overig', 0.1, 6],
  ['0.7', 'Algemene uitkering en overige uitkeringen gemeentefonds', 0, 0],
  ['0.8', 'Overige baten en lasten', 0.6, 0.3],
  ['0.9', 'Vennootschapsbelasting (VpB)', 0.02, 0],
  ['1.1', 'Crisisbeheersing en brandweer', 1.9, 0.02],
  ['1.2', 'Openbare orde en veiligheid', 1.1, 0.08],
  ['2.1', 'Verkeer en vervoer', 3.6, 0.08],
  ['2.2', 'Parkeren', 0.5, 1.1],
  ['2.3', 'Recreatieve havens', 0.3, 0.5],
  ['2.4', 'Economische havens en waterwegen', 0.4, 0.6],
  ['2.5', 'Openbaar vervoer', 0.2, 0.1],
  ['3.1', 'Economische ontwikkeling', 0.6, 0.1],
  ['3.2', 'Fysieke bedrijfsinfrastructuur', 0.4, 0.7],
  ['3.3', 'Bedrijvenloket en bedrijfsregelingen', 0.2, 0.3],
  ['3.4', 'Economische promotie', 0.3, 0.8],
  ['4.1', 'Openbaar basisonderwijs', 0.4, 0.05],
  ['4.2', 'Onderwijshuisvesting', 2.0, 0.05],
  ['4.3', 'Onderwijsbeleid en leerlingzaken', 1.6, 0.35],
  ['5.1', 'Sportbeleid en activering', 0.6, 0.15],
  ['5.2', 'Sportaccommodaties', 1.5, 0.3],
  ['5.3', 'Cultuurpresentatie, cultuurproductie en cultuurparticipatie', 1.2, 0.1],
  ['5.4', 'Musea', 0.4, 0.2],
  ['5.5', 'Cultureel erfgoed', 0.2, 0.05],
  ['5.6', 'Media', 0.6, 0.02],
  ['5.7', 'Openbaar groen en (openlucht) recreatie', 1.9, 0.05],
  ['6.1', 'Samenkracht en burgerparticipatie', 3.4, 0.05],
  ['6.2', 'Toegang en eerstelijnsvoorzieningen', 3.9, 0.02],
  ['6.3', 'Inkomensregelingen', 11.0, 0.7],
  ['6.4', 'WSW en beschut werk', 4.4, 0.05],
  ['6.5', 'Arbeidsparticipatie', 2.1, 0.1],
  ['6.6', 'Maatwerkvoorzieningen (Wmo)', 1.8, 0.05],
  ['6.71', 'Maatwerkdienstverlening 18+', 6.6, 0.08],
  ['6.72', 'Maatwerkdienstverlening 18-', 10.2, 0.01],
  ['6.81', 'Geëscaleerde zorg 18+', 5.3, 0.9],
  ['6.82', 'Geëscaleerde zorg 18-', 2.6, 0.02],
  ['7.1', 'Volksgezondheid', 1.9, 0.03],
  ['7.2', 'Riolering', 2.6, 1.15],
  ['7.3', 'Afval', 3.6, 1.1],
  ['7.4', 'Milieubeheer', 1.1, 0.1],
  ['7.5', 'Begraafplaatsen en crematoria', 0.3, 0.9],
  ['8.1', 'Ruimtelijke ordening', 1.2, 0.1],
  ['8.2', 'Grondexploitatie (niet-bedrijventerreinen)', 2.4, 1.05],
  ['8.3', 'Wonen en bouwen', 2.5, 0.45],
];

const TOTAL_LASTEN: Record<number, number> = {
  2019: 229e6,
  2020: 241e6,
  2021: 248e6,
  2022: 259e6,
  2023: 271e6,
  2024: 283e6,
};
/** Algemene uitkering (0.7 baten), ≈ 50 % of lasten. */
const GEMEENTEFONDS_SHARE = 0.49;
/** Rekeningresultaat (positive = surplus): 2022 +4.5 M, 2023 +12.6 M, 2024 ≈ +10 M. */
const RESULT: Record<number, number> = {
  2019: 1.8e6,
  2020: -2.1e6,
  2021: 3.2e6,
  2022: 4.5e6,
  2023: 12.6e6,
  2024: 10.1e6,
};

export function buildFinance(world: World): Iv3Row[] {
  const rng = world.rng.fork('finance');
  const s = world.scale;
  const rows: Iv3Row[] = [];
  const shareSum = TAAKVELDEN.reduce((a, t) => a + t[2], 0);
  for (let jaar = 2019; jaar <= 2024; jaar++) {
    const total = (TOTAL_LASTEN[jaar] ?? 250e6) * s;
    for (const [code, name, share, batenShare] of TAAKVELDEN) {
      const begroting = Math.round((total * share) / shareSum / 100) * 100;
      const drift =
        code.startsWith('6.7') || code.startsWith('6.8')
          ? rng.between(-0.02, 0.09)
          : rng.between(-0.09, 0.03);
      const realisatie = Math.round(begroting * (1 + drift) * 100) / 100;
      let baten = Math.round(realisatie * batenShare * rng.lognormal(1, 0.05) * 100) / 100;
      if (code === '0.7')
        baten = Math.round(total * GEMEENTEFONDS_SHARE * rng.lognormal(1, 0.01) * 100) / 100;
      rows.push({ jaar, taakveld: code, omschrijving: name, begroting, realisatie, baten });
    }
    const reserves = Math.round(total * rng.between(0.02, 0.04) * 100) / 100;
    rows.push({
      jaar,
      taakveld: '0.10',
      omschrijving: 'Mutaties reserves',
      begroting: Math.round(reserves / 100) * 100,
      realisatie: reserves,
      baten: Math.round(reserves * rng.between(0.8, 1.3) * 100) / 100,
    });
    const result = Math.round((RESULT[jaar] ?? 0) * s * 100) / 100;
    rows.push({
      jaar,
      taakveld: '0.11',
      omschrijving: 'Resultaat van de rekening van baten en lasten',
      begroting: 0,
      realisatie: result > 0 ? result : 0,
      baten: result < 0 ? -result : 0,
    });
  }
  return rows;
}
