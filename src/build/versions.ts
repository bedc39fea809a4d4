import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface VersionPointer {
  version: string;
  file: string;
  run_id: number;
  published_at: string;
}

const POINTER = 'current.json';
const PREVIOUS = 'previous.json';

/**
 * Warehouse versions for the embedded engine: every build writes a new DuckDB file, and publishing
 * is one atomic rename of `current.json`. Readers open the file it names, read-only; a build that
 * fails or is killed never touches it, so the previous version stays current and queryable.
 */
export class VersionStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  current(): VersionPointer | undefined {
    return this.read(POINTER);
  }

  previous(): VersionPointer | undefined {
    return this.read(PREVIOUS);
  }

  private read(name: string): VersionPointer | undefined {
    const p = join(this.dir, name);
    if (!existsSync(p)) return undefined;
    return JSON.parse(readFileSync(p, 'utf8')) as VersionPointer;
  }

  /** the version name and database file name a run writes */
  versionFor(runId: number): { version: string; file: string } {
    const version = `v${String(runId).padStart(6, '0')}`;
    return { version, file: `${version}.duckdb` };
  }

  /** absolute path of a version's database file */
  pathOf(file: string): string {
    return join(this.dir, file);
  }

  /** Make `pointer` current: write a temporary file, flush it to disk, rename it over current.json. */
  publish(pointer: VersionPointer): void {
    const before = this.current();
    if (before) this.writeAtomically(PREVIOUS, before);
    this.writeAtomically(POINTER, pointer);
  }

  private writeAtomically(name: string, pointer: VersionPointer): void {
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(pointer, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, name));
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  /** Remove version files that are neither current nor previous, except those `keep` names. */
  prune(keep: Set<string> = new Set()): string[] {
    const live = new Set(
      [this.current()?.file, this.previous()?.file].filter((f): f is string => f !== undefined),
    );
    const removed: string[] = [];
    for (const f of readdirSync(this.dir)) {
      if (!/^v\d+\.duckdb(\.wal)?$/.test(f)) continue;
      const base = f.replace(/\.wal$/, '');
      if (live.has(base) || keep.has(base)) continue;
      rmSync(join(this.dir, f), { force: true });
      removed.push(f);
    }
    return removed;
  }
}
