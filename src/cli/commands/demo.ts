import { cpSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireProject } from '../project.js';
import { runBuild } from './build.js';
import { runSynth } from './synth.js';

/** The demo project shipped in the repository. */
export const EXAMPLE_PROJECT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../examples/den-helder',
);

/**
 * Set up the demo: copy the example definitions into `dir`, generate the synthetic municipality into
 * its data folder (deterministic, so an unchanged seed gives identical files and the build reuses
 * them), and build.
 */
export async function runDemo(o: { dir: string; persons: number; seed: string }): Promise<void> {
  const dir = resolve(o.dir);
  if (!existsSync(EXAMPLE_PROJECT)) throw new Error(`the example project is missing at ${EXAMPLE_PROJECT}`);
  for (const part of ['pakhuis.yaml', 'sources', 'models']) {
    cpSync(join(EXAMPLE_PROJECT, part), join(dir, part), { recursive: true, force: true });
  }
  await runSynth({ persons: o.persons, seed: o.seed, out: join(dir, 'data') });
  const project = requireProject(dir);
  await runBuild(project, { command: 'demo' });
  process.stdout.write(
    `\nThe demo warehouse is ready in ${dir}. Try:\n` +
      `  npx pakhuis query --project ${o.dir} "select * from models.inwoners_per_wijk"\n` +
      `  npx pakhuis runs --project ${o.dir}\n`,
  );
}
