import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { expect } from 'vitest';
import { demoAccounts, setupDemoProject } from '../../src/cli/commands/demo.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/export/pdf.js';
import type { Project } from '../../src/project/types.js';
import { buildApp } from '../../src/server/app.js';
import { synthesize } from '../../src/synth/index.js';
import { build, mustLoad, tempDir } from '../helpers/project.js';

/**
 * The browser tests' world: the demo municipality (small), its warehouse built, one account per
 * role, the web app built by Vite from the sources under test, the server listening on a free port,
 * and Debian's Chromium driven by playwright-core.
 */

export const CHROMIUM = chromiumPath();
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM)
  console.warn(
    `\n[browser tests skipped] Chromium is not installed at ${CHROMIUM}. Install it with ` +
      '`apt-get install -y chromium` (or set PAKHUIS_CHROMIUM) to run them; .ci/run installs it.\n',
  );

/** Where the screenshots of the main pages go (reported at the end of the run). */
export const SCREENSHOTS = resolve('test-results/screenshots');

export interface World {
  project: Project;
  app: FastifyInstance;
  origin: string;
  browser: Browser;
  accounts: Map<string, string>;
  close: () => Promise<void>;
}

export async function startWorld(persons = 1500): Promise<World> {
  const dir = tempDir('pakhuis-browser-');
  setupDemoProject(dir);
  await synthesize({ persons, seed: 42, outDir: join(dir, 'data') });
  const summary = await build(dir);
  expect(summary.steps.filter((s) => s.status !== 'success')).toEqual([]);
  const project = mustLoad(dir);
  const accounts = new Map((await demoAccounts(project)).map((a) => [a.username, a.password]));
  const webRoot = join(dir, 'web');
  await viteBuild({
    configFile: resolve('web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: webRoot, emptyOutDir: true },
  });
  const app = await buildApp(project, { logLevel: 'warn', webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    project,
    app,
    origin,
    browser,
    accounts,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/** axe-core with the WCAG 2.0/2.1 A and AA rules: the violations, as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact ?? ''}): ${n.target.join(' ')} — ${n.failureSummary ?? v.help}`),
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Sign in through the internal app's form, as a person would. */
export async function signIn(page: Page, world: World, role: string): Promise<void> {
  await page.goto(`${world.origin}/app`);
  await page.getByLabel('Gebruikersnaam').fill(role);
  await page.getByLabel('Wachtwoord').fill(world.accounts.get(role) ?? '');
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.getByText(/Aangemeld als/).waitFor();
}
