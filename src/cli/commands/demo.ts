import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { openAuth, passwordProblem } from '../../auth/index.js';
import { principalFor } from '../../privacy/authorise.js';
import { keyFilePath, writeKeyFile } from '../../privacy/keys.js';
import { PrivacyServices } from '../../privacy/services.js';
import type { Project } from '../../project/types.js';
import { serve } from '../../server/serve.js';
import { requireProject } from '../project.js';
import { runBuild } from './build.js';
import { runSynth } from './synth.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The demo project shipped in the repository. */
export const EXAMPLE_PROJECT = join(REPO, 'examples/den-helder');

/**
 * Copy the example definitions into `dir`, and the CBS area files the demo declares as sources into
 * its data folder (Bron: CBS, CC BY 4.0; see data/areas/SOURCES.md).
 */
export function setupDemoProject(dir: string): void {
  if (!existsSync(EXAMPLE_PROJECT)) throw new Error(`the example project is missing at ${EXAMPLE_PROJECT}`);
  for (const part of ['pakhuis.yaml', 'sources', 'models', 'indicators', 'publications']) {
    cpSync(join(EXAMPLE_PROJECT, part), join(dir, part), { recursive: true, force: true });
  }
  mkdirSync(join(dir, 'data/cbs'), { recursive: true });
  cpSync(
    join(REPO, 'data/areas/den_helder_kwb_2024_85984NED_gm_wk.csv'),
    join(dir, 'data/cbs/kerncijfers_wijken_2024.csv'),
  );
  cpSync(join(REPO, 'data/areas/den_helder_buurten_2014_labels.csv'), join(dir, 'data/cbs/buurten_2014.csv'));
  cpSync(
    join(REPO, 'data/areas/den_helder_buurten_2014_wgs84_coarse.geojson'),
    join(dir, 'data/cbs/buurten_2014.geojson'),
  );
  cpSync(
    join(REPO, 'data/areas/den_helder_wijken_2024_wgs84.geojson'),
    join(dir, 'data/cbs/wijken_2024.geojson'),
  );
  cpSync(join(REPO, 'data/areas/SOURCES.md'), join(dir, 'data/cbs/SOURCES.md'));
}

/**
 * Set up the demo: the example definitions, the synthetic municipality in its data folder
 * (deterministic, so an unchanged seed gives identical files and the build reuses them), a build.
 */
export async function runDemo(o: {
  dir: string;
  persons: number;
  seed: string;
  serve?: boolean;
  port?: number;
}): Promise<void> {
  const dir = resolve(o.dir);
  setupDemoProject(dir);
  await runSynth({ persons: o.persons, seed: o.seed, out: join(dir, 'data') });
  const project = requireProject(dir);
  if (!process.env[project.privacy.key.env] && project.privacy.key.file) {
    const file = keyFilePath(project.privacy.key.file);
    const existed = existsSync(file);
    writeKeyFile(project.privacy.key.file);
    process.stdout.write(
      `${existed ? 'Using' : 'Created'} the demo's pseudonymisation key: ${file} (outside the project; set $${project.privacy.key.env} to use another)\n`,
    );
  }
  await runBuild(project, { command: 'demo' });
  const accounts = await demoAccounts(project);
  process.stdout.write(
    `\nThe demo warehouse is ready in ${dir}. Try:\n` +
      `  npx pakhuis query --project ${o.dir} --role analist --purpose beleidsinformatie "select * from models.inwoners_per_wijk"\n` +
      `  npx pakhuis profile WK040004 --public --project ${o.dir}\n` +
      `  npx pakhuis runs --project ${o.dir}\n`,
  );
  if (o.serve === false) return;
  const port = o.port ?? 3000;
  const server = await serve(project, { port, host: '127.0.0.1', logLevel: 'warn' });
  process.stdout.write(
    `\nServing the demo on http://localhost:${port}/\n` +
      `  public portal (no sign-in):   http://localhost:${port}/\n` +
      `  internal app (sign in):      http://localhost:${port}/app\n` +
      `  API: /api/v1 (OpenAPI /api/v1/openapi.json), OData feed: /api/v1/odata\n` +
      `Demo accounts, one per role (user name = role; new passwords each run):\n` +
      accounts.map((a) => `  ${a.username.padEnd(14)} ${a.password}`).join('\n') +
      '\nStop with Ctrl+C.\n',
  );
  await server.closed;
}

/**
 * One local account per role of the demo (user name = role), each with a fresh random password:
 * the demo's sign-in, printed once. A real installation creates accounts with `pakhuis users add`.
 */
export async function demoAccounts(project: Project): Promise<Array<{ username: string; password: string }>> {
  const privacy = PrivacyServices.open(project);
  const auth = openAuth(project, { audit: privacy.audit });
  try {
    const admin = principalFor(project, 'beheerder');
    const existing = new Set(auth.accounts.list(admin).map((a) => a.username));
    const out: Array<{ username: string; password: string }> = [];
    for (const role of project.roles) {
      // random, and drawn again in the rare case the password rules refuse it (it contains the user name)
      let password = randomBytes(12).toString('base64url');
      while (passwordProblem(password, role.name)) password = randomBytes(12).toString('base64url');
      if (existing.has(role.name)) {
        await auth.accounts.setPassword(admin, role.name, password);
        auth.accounts.setDisabled(admin, role.name, false);
      } else
        await auth.accounts.addUser(admin, {
          username: role.name,
          password,
          roles: [role.name],
          ...(role.name === 'wijkteam' ? { wijken: ['WK040004'] } : {}),
          displayName: `Demo ${role.name}`,
        });
      out.push({ username: role.name, password });
    }
    return out;
  } finally {
    auth.close();
    privacy.close();
  }
}
