import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  HAS_CHROMIUM,
  screenshot,
  SCREENSHOTS,
  signIn,
  startWorld,
  type World,
} from './harness.js';

/**
 * The internal app in headless Chromium: sign in through the form, then every page of the roles
 * that use it renders real data and passes axe (WCAG 2.1 A/AA) with zero violations; what a role
 * may not read is refused by the server and shown as such.
 */
describe.skipIf(!HAS_CHROMIUM)('the internal app in Chromium', () => {
  let world: World;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    world = await startWorld();
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await world?.close();
    if (HAS_CHROMIUM) console.info(`screenshots of the internal app: ${SCREENSHOTS}`);
  });

  async function newPage(): Promise<Page> {
    const context = await world.browser.newContext({ locale: 'nl-NL' });
    contexts.push(context);
    return context.newPage();
  }

  /** Open an app page, wait for its data, and check it with axe. */
  async function visit(page: Page, path: string, shot: string): Promise<void> {
    await page.goto(`${world.origin}${path}`, { waitUntil: 'networkidle' });
    await page.locator('main h1').first().waitFor();
    expect(await page.locator('main h1').count(), path).toBe(1);
    expect(
      await page.locator('main [role="status"]').filter({ hasText: 'Bezig met laden' }).count(),
      path,
    ).toBe(0);
    expect(await axeViolations(page), path).toEqual([]);
    await screenshot(page, shot);
  }

  it('refuses a wrong password with a message, and the sign-in page passes axe', async () => {
    const page = await newPage();
    await page.goto(`${world.origin}/app`, { waitUntil: 'networkidle' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'app-sign-in');
    // the demo has no identity provider configured: no link that would lead nowhere
    expect(await page.getByText('Inloggen met uw organisatie-account').count()).toBe(0);
    await page.getByLabel('Gebruikersnaam').fill('analist');
    await page.getByLabel('Wachtwoord').fill('niet het wachtwoord');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'klopt niet' }).waitFor();
    // a sign-in the identity provider's answer refused comes back here with its reason
    await page.goto(`${world.origin}/app?aanmelden=no_role`, { waitUntil: 'networkidle' });
    await page.getByRole('alert').filter({ hasText: 'geen rol' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('an analyst signs in and sees the kadernota tiles with their targets', async () => {
    const page = await newPage();
    await signIn(page, world, 'analist');
    await visit(page, '/app', 'app-home');
    const tiles = page.locator('.dp-tile');
    // the demo's indicators with a target
    const withTarget = world.project.indicators.filter((i) => i.target).length;
    expect(withTarget).toBeGreaterThan(3);
    expect(await tiles.count()).toBe(withTarget);
    expect(await tiles.first().locator('.dp-tile__value').textContent()).toMatch(/\d/);
  });

  it('an analyst opens an indicator, an area profile and the map with restricted figures', async () => {
    const page = await newPage();
    await signIn(page, world, 'analist');
    await page.goto(`${world.origin}/app`, { waitUntil: 'networkidle' });
    await page.locator('.dp-tile a').first().click();
    await page.waitForURL(/\/app\/indicatoren\//);
    await page.locator('.dp-map__svg path').first().waitFor();
    await visit(page, new URL(page.url()).pathname, 'app-indicator');
    await visit(page, '/app/gebieden/WK040001', 'app-area-profile');
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(5);
    await visit(page, '/app/kaart', 'app-map');
    await page.locator('.dp-map__svg path').first().waitFor();
  });

  it('the catalog, a source, quality and the indicator list', async () => {
    const page = await newPage();
    await signIn(page, world, 'analist');
    await visit(page, '/app/catalogus', 'app-catalog');
    expect(await page.locator('main table tbody tr').count()).toBe(world.project.sources.length);
    await visit(page, '/app/catalogus/personen', 'app-source');
    // the columns of the source with their classification
    expect(await page.locator('main').textContent()).toMatch(/identifier|identificerend/i);
    // the lineage diagram: the source and what is built from it, connected
    const graph = page.locator('svg.dp-lineage-graph');
    expect(await graph.locator('rect').count()).toBeGreaterThan(3);
    expect(await graph.locator('path').count()).toBeGreaterThan(2);
    await visit(page, '/app/kwaliteit', 'app-quality');
    await visit(page, '/app/indicatoren', 'app-indicators');
    await visit(page, '/app/gebieden', 'app-areas');
  });

  it('the FG reads the audit log (with the analyst’s reads in it), the register and the runs', async () => {
    const page = await newPage();
    await signIn(page, world, 'fg');
    await visit(page, '/app/audit', 'app-audit');
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('main table').textContent()).toContain('analist');
    await visit(page, '/app/register', 'app-register');
    await visit(page, '/app/runs', 'app-runs');
    // the FG has no purpose to read figures for: the menu offers no map
    expect(await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByText('Kaart').count()).toBe(0);
  });

  it('an administrator adds an account with the form, and the new account can sign in', async () => {
    const page = await newPage();
    await signIn(page, world, 'beheerder');
    await visit(page, '/app/gebruikers', 'app-users');
    const form = page
      .locator('form')
      .filter({ has: page.getByRole('button', { name: 'Account toevoegen' }) });
    await form.getByLabel('Gebruikersnaam').fill('nieuwe.analist');
    await form.getByLabel('Wachtwoord').fill('kort');
    await form.getByRole('checkbox', { name: 'analist' }).check();
    await form.getByRole('button', { name: 'Account toevoegen' }).click();
    // the API's reason, at the field
    await page.getByRole('alert').first().waitFor();
    expect(await form.getByLabel('Wachtwoord').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Wachtwoord').fill('een lang en goed wachtwoord 2026');
    await form.getByRole('button', { name: 'Account toevoegen' }).click();
    await page.getByText('Account nieuwe.analist is toegevoegd.').waitFor();
    await expect.poll(() => page.locator('main table').first().textContent()).toContain('nieuwe.analist');

    const other = await newPage();
    world.accounts.set('nieuwe.analist', 'een lang en goed wachtwoord 2026');
    await signIn(other, world, 'nieuwe.analist');
    await other.getByRole('button', { name: 'Afmelden' }).click();
    await other.getByLabel('Gebruikersnaam').waitFor();
  });

  it('a wijkteam member is refused the profile of another wijk', async () => {
    const page = await newPage();
    await signIn(page, world, 'wijkteam');
    await page.goto(`${world.origin}/app/gebieden/WK040001`, { waitUntil: 'networkidle' });
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/geen toegang|Niet toegestaan/);
    expect(await axeViolations(page)).toEqual([]);
  });
});
