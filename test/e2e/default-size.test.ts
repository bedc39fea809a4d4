import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupDemoProject } from '../../src/cli/commands/demo.js';
import { synthesize } from '../../src/synth/index.js';
import { build, query, tempDir } from '../helpers/project.js';

/** The real CBS 2024 figures (85984NED, Kerncijfers wijken en buurten; Bron: CBS, CC BY 4.0). */
const CBS = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../data/areas/den_helder_kwb_2024_85984NED_gm_wk.json'), 'utf8'),
) as Record<string, { AantalInwoners_5: number }>;

/**
 * The demo at its default size (56,432 inhabitants, as CBS counts for Den Helder in 2024): the wijk
 * population indicator must give exactly the CBS 2024 figure of every wijk. About a minute.
 */
describe('the default-size demo against CBS 2024', () => {
  const dir = tempDir('pakhuis-default-');

  beforeAll(async () => {
    setupDemoProject(dir);
    await synthesize({ persons: 56_432, seed: 1, outDir: join(dir, 'data') });
    const summary = await build(dir);
    expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
  }, 600_000);

  it('the wijk population indicator equals the CBS 2024 figure of every wijk', async () => {
    const rows = await query<{ area_code: string; value: number }>(
      dir,
      "select area_code, value from indicators.indicator_values where indicator = 'bev_inwoners' and period = '2024' and area_level = 'wijk' order by 1",
    );
    const wijken = Object.keys(CBS).filter((c) => c.startsWith('WK'));
    expect(wijken).toHaveLength(8);
    expect(rows).toEqual(wijken.map((code) => ({ area_code: code, value: CBS[code]?.AantalInwoners_5 })));
    // CBS rounds wijk figures to 5; they sum to 56,430, two fewer than the exact gemeente figure
    expect(rows.reduce((n, r) => n + r.value, 0)).toBe(56_430);
    expect(CBS['GM0400']?.AantalInwoners_5).toBe(56_432);
  });

  it('the published wijk figures are those values too (nothing suppressed at this size)', async () => {
    const rows = await query<{ area_code: string; value: number; status: string }>(
      dir,
      "select area_code, value, status from public.bev_inwoners where period = '2024' and area_level = 'wijk' order by 1",
    );
    expect(rows.map((r) => [r.area_code, r.status, r.value])).toEqual(
      Object.keys(CBS)
        .filter((c) => c.startsWith('WK'))
        .map((c) => [c, 'published', CBS[c]?.AantalInwoners_5]),
    );
  });
});
