import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CbsError, CbsMeasureError } from '../../src/cbs/errors.js';
import { kerncijfersForMunicipality } from '../../src/cbs/kwb.js';
import { CbsV3 } from '../../src/cbs/v3.js';
import { FAST, KWB_2024, KWB_SHIFTED, useFakeCbs } from './fixtures.js';

/** The real CBS 2024 figures (85984NED) of Den Helder and its wijken. */
const REAL = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/cbs/den_helder_kwb_2024_85984NED_gm_wk.json'), 'utf8'),
) as Record<string, Record<string, number>>;

const cbs = useFakeCbs();
const client = () => new CbsV3({ baseUrl: cbs().url, ...FAST });
const denHelder = (table: string, measures = ['AantalInwoners', 'Woningvoorraad', 'Bevolkingsdichtheid']) =>
  kerncijfersForMunicipality({ client: client(), table, gemeente: 'GM0400', measures });

describe('kerncijfersForMunicipality', () => {
  it('the gemeente and its wijken have the real CBS 2024 figures', async () => {
    const result = await denHelder(KWB_2024);
    expect(result).toMatchObject({
      table: '85984NED',
      title: 'Kerncijfers wijken en buurten 2024',
      period: '2024',
    });
    const [gemeente, ...rest] = result.rows;
    expect(gemeente).toEqual({
      code: 'GM0400',
      level: 'gemeente',
      name: 'Den Helder',
      period: '2024',
      measures: { AantalInwoners: 56432, Woningvoorraad: 28734, Bevolkingsdichtheid: 1251 },
      missing: {},
    });
    const wijken = rest.filter((r) => r.level === 'wijk');
    expect(wijken.map((w) => w.code)).toEqual(Object.keys(REAL).filter((c) => c.startsWith('WK')));
    for (const wijk of wijken) {
      expect(wijk.measures).toEqual({
        AantalInwoners: REAL[wijk.code]?.['AantalInwoners_5'],
        Woningvoorraad: REAL[wijk.code]?.['Woningvoorraad_35'],
        Bevolkingsdichtheid: REAL[wijk.code]?.['Bevolkingsdichtheid_34'],
      });
    }
    expect(wijken.reduce((sum, w) => sum + (w.measures['AantalInwoners'] ?? 0), 0)).toBe(56430);
    expect(wijken[0]).toMatchObject({ name: 'Wijk 01 Stad binnen de Linie-Oost', period: '2024' });
  });

  it('buurten follow, a secret cell null and flagged; other gemeenten stay out', async () => {
    const { rows } = await denHelder(KWB_2024);
    expect(rows.map((r) => r.level)).toEqual([
      'gemeente',
      ...Array(8).fill('wijk'),
      'buurt',
      'buurt',
      'buurt',
    ]);
    expect(rows.find((r) => r.code === 'BU04000100')).toEqual({
      code: 'BU04000100',
      level: 'buurt',
      name: 'Marinehaven',
      period: '2024',
      measures: { AantalInwoners: null, Woningvoorraad: 3, Bevolkingsdichtheid: null },
      missing: { AantalInwoners: 'unavailable', Bevolkingsdichtheid: 'unavailable' },
    });
    expect(rows.some((r) => r.code === 'BU03580400')).toBe(false);
  });

  it('reads by prefix with substringof: no padding, and every page once', async () => {
    const first = cbs().requests.length;
    await denHelder(KWB_2024);
    const pages = cbs()
      .requests.slice(first)
      .map((r) => new URL(r, cbs().url))
      .filter((u) => u.pathname === `/ODataFeed/odata/${KWB_2024}/TypedDataSet`);
    expect(pages[0]?.searchParams.get('$filter')).toBe(
      "(substringof('GM0400', WijkenEnBuurten) or substringof('WK0400', WijkenEnBuurten) or substringof('BU0400', WijkenEnBuurten))",
    );
    expect(pages).toHaveLength(4); // 12 rows, 3 a page
  });

  it('the same call on a table whose keys are renumbered gives the same figures', async () => {
    const [now, shifted] = await Promise.all([denHelder(KWB_2024), denHelder(KWB_SHIFTED)]);
    expect(shifted.measures.map((m) => m.key)).toEqual([
      'AantalInwoners_4',
      'Woningvoorraad_34',
      'Bevolkingsdichtheid_33',
    ]);
    expect(now.measures.map((m) => m.key)).toEqual([
      'AantalInwoners_5',
      'Woningvoorraad_35',
      'Bevolkingsdichtheid_34',
    ]);
    expect(shifted.rows).toEqual(now.rows);
  });

  it('measures by key or title are keyed by stem', async () => {
    const { rows, measures } = await denHelder(KWB_2024, ['Aantal inwoners', 'Woningvoorraad_35']);
    expect(rows[0]?.measures).toEqual({ AantalInwoners: 56432, Woningvoorraad: 28734 });
    expect(measures).toMatchObject([
      { stem: 'AantalInwoners', title: 'Aantal inwoners', unit: 'aantal' },
      { stem: 'Woningvoorraad', title: 'Woningvoorraad', unit: 'aantal' },
    ]);
  });

  it('rejects a gemeente code that is not GM + 4 digits, a text measure, and measures it cannot tell apart', async () => {
    await expect(
      kerncijfersForMunicipality({ client: client(), table: KWB_2024, gemeente: '0400', measures: [] }),
    ).rejects.toMatchObject({
      message: '"0400" is not a CBS gemeente code',
      fix: expect.stringContaining('GM0400'),
    });
    await expect(denHelder(KWB_2024, ['Gemeentenaam'])).rejects.toBeInstanceOf(CbsMeasureError);
    await expect(denHelder(KWB_2024, ['Appartement'])).rejects.toThrow(/matches 2 measures/);
    await expect(denHelder(KWB_2024, ['Appartement_54', 'Appartement_62'])).rejects.toThrow(
      'Appartement_54 and Appartement_62 have the same stem "Appartement"',
    );
    await expect(denHelder('85984NEX')).rejects.toBeInstanceOf(CbsError);
  });
});
