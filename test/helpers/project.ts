import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildProject, type BuildSummary } from '../../src/build/build.js';
import { openCurrent } from '../../src/build/current.js';
import { loadProject } from '../../src/project/load.js';
import type { Project } from '../../src/project/types.js';

export const PROJECT_YAML = `version: 1
municipality: { code: GM0400, name: Den Helder }
privacy:
  controller: College van B&W van de gemeente Den Helder
roles:
  analist: { purposes: [test], members: ['*'] }
  beheerder: { admin: true, audit: true, purposes: [test], members: ['*'] }
`;

/** A privacy block for test sources: approved, for the purpose "test". */
export const TEST_PRIVACY = `privacy:
  legal_basis: { ground: e, law: Testwet art. 1 }
  purposes: [test]
  data_subjects: [inwoners]
  fg_approval: { by: FG, date: 2024-01-01 }
  retention: { keep: permanent, reason: test data }
`;

/** Test column specs may leave out the classification: it is then "none". */
export function classified(columns: string): string {
  return columns.replace(/\{ type:/g, '{ classification: none, type:');
}

export interface ProjectFiles {
  /** file path relative to the project → content */
  [path: string]: string | Buffer;
}

export function tempDir(prefix = 'pakhuis-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a project folder; `pakhuis.yaml` defaults to a minimal one. */
export function writeProject(files: ProjectFiles, dir = tempDir()): string {
  const all: ProjectFiles = { 'pakhuis.yaml': PROJECT_YAML, ...files };
  for (const [rel, content] of Object.entries(all)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

export function mustLoad(dir: string): Project {
  const { project, errors } = loadProject(dir);
  if (!project) throw new Error(errors.map(String).join('\n'));
  return project;
}

export async function build(dir: string, opts: { full?: boolean } = {}): Promise<BuildSummary> {
  return buildProject(mustLoad(dir), opts);
}

/** Query the published version of a project. */
export async function query<T extends Record<string, unknown> = Record<string, unknown>>(
  dir: string,
  sql: string,
): Promise<T[]> {
  const { engine } = await openCurrent(mustLoad(dir));
  try {
    return await engine.query<T>(sql);
  } finally {
    await engine.close();
  }
}

/** A one-source project around a single input file. */
export function sourceProject(opts: {
  file: string;
  content: string | Buffer;
  connector: string;
  columns: string;
  extra?: ProjectFiles;
}): string {
  return writeProject({
    [`data/${opts.file}`]: opts.content,
    'sources/bron.yaml': `title: Testbron\nowner: Team Test\n${TEST_PRIVACY}connector:\n${opts.connector.replace(/^/gm, '  ')}\ncolumns:\n${classified(opts.columns).replace(/^/gm, '  ')}\n`,
    ...opts.extra,
  });
}
