import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, HAS_CHROMIUM, screenshot, SCREENSHOTS, startWorld, type World } from './harness.js';

/**
 * The public portal in headless Chromium, without signing in: every page renders real published
 * figures, passes axe (WCAG 2.1 A/AA) with zero violations, keeps its selection in the URL, and
 * asks the server for public resources only.
 */
describe.skipIf(!HAS_CHROMIUM)('the public portal in Chromium', () => {
  let world: World;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    world = await startWorld();
    const context = await world.browser.newContext({ locale: 'nl-NL', acceptDownloads: true });
    page = await context.newPage();
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  }, 300_000);

  afterAll(async () => {
    await world?.close();
    if (HAS_CHROMIUM) console.info(`screenshots of the portal: ${SCREENSHOTS}`);
  });

  async function open(path: string): Promise<void> {
    await page.goto(`${world.origin}${path}`, { waitUntil: 'networkidle' });
    await page.locator('main h1').first().waitFor();
  }

  it('the home page lists the published indicators by theme, without signing in', async () => {
    await open('/');
    expect(await page.locator('main h1').count()).toBe(1);
    const links = page.locator('main a[href^="/indicatoren/"]');
    expect(await links.count()).toBeGreaterThan(10);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-home');
  });

  it('an indicator page shows a map, a table per area and the trend, and keeps the selection in the URL', async () => {
    await open('/');
    await page.locator('main a[href="/indicatoren/bev_inwoners"]').click();
    await page.waitForURL(/\/indicatoren\/bev_inwoners/);
    await page.locator('.dp-map__svg path').first().waitFor();
    // eight wijken of Den Helder on the map, and as rows of the table
    expect(await page.locator('.dp-map__svg path').count()).toBe(8);
    const firstRows = await page.locator('main table tbody tr').count();
    expect(firstRows).toBeGreaterThanOrEqual(8);
    await page.getByLabel('Niveau').selectOption('buurt');
    await page.waitForURL(/niveau=buurt/);
    const url = page.url();
    // a shared link opens the same selection
    await open(new URL(url).pathname + new URL(url).search);
    expect(await page.getByLabel('Niveau').inputValue()).toBe('buurt');
    // the buurten (more than the eight wijken; a few are slivers too small to see)
    await expect.poll(() => page.locator('.dp-map__svg path').count()).toBeGreaterThan(8);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-indicator');
  });

  it('downloads the values as CSV for Dutch Excel', async () => {
    await open('/indicatoren/bev_inwoners?niveau=wijk');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[href*="values.csv"]').first().click(),
    ]);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('indicator;gebiedscode;gebied;niveau;periode;waarde;eenheid;status');
    expect(lines.length).toBeGreaterThan(8);
    expect(lines.slice(1).every((l) => l.startsWith('bev_inwoners;'))).toBe(true);
    expect(lines.slice(1).every((l) => l.split(';')[3] === 'wijk')).toBe(true);
  });

  it('the skip link is the first stop of the keyboard and moves to the content', async () => {
    await open('/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate('document.activeElement?.textContent');
    expect(focused).toBe('Direct naar de inhoud');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('inhoud');
  });

  it('switches to English and back', async () => {
    await open('/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await page.locator('main h1').textContent()).toMatch(/Figures about the municipality/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('nl');
  });

  it('the areas, an area profile with its spine chart, and the map explorer keep their selection', async () => {
    await open('/gebieden');
    expect(await page.locator('main a[href^="/gebieden/WK0400"]').count()).toBeGreaterThanOrEqual(8);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-areas');

    await open('/gebieden/WK040001');
    expect(await page.locator('main h1').textContent()).toContain('Stad binnen de Linie');
    // social and physical indicators together, each with the municipality beside it
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toMatch(/sociaal/i);
    expect(text).toMatch(/fysiek/i);
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(10);
    // similar wijken by the context indicators of pakhuis.yaml, as links
    const similar = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Vergelijkbare gebieden' }) });
    expect(await similar.locator('a[href^="/gebieden/WK0400"]').count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-area-profile');

    await open('/kaart?indicator=bev_65_plus&niveau=buurt');
    expect(await page.getByLabel('Niveau').inputValue()).toBe('buurt');
    await expect.poll(() => page.locator('.dp-map__svg path').count()).toBeGreaterThan(8);
    expect(await page.locator('.dp-legend li').count()).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-map');
  });

  it('the printable report says when it is ready, and the PDF is rendered by Chromium', async () => {
    await open('/gebieden/WK040001/rapport');
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-report');

    const res = await fetch(`${world.origin}/api/v1/areas/WK040001/report.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('gebiedsrapport-WK040001.pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    // the second request is the same document, from the cache of this published version
    const again = await fetch(`${world.origin}/api/v1/areas/WK040001/report.pdf`, {
      headers: { 'If-None-Match': res.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('an unknown page says so, with a way back, and passes axe', async () => {
    await open('/bestaat-niet');
    expect(await page.locator('main h1').textContent()).toBe('Deze pagina bestaat niet.');
    expect(await page.locator('main a[href="/"]').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('asks the server for public resources only', () => {
    const api = requested.filter((p) => p.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(3);
    expect(api.filter((p) => p.startsWith('/api/v1/internal') || p.startsWith('/api/v1/session'))).toEqual(
      [],
    );
  });
});
