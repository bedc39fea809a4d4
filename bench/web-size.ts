/**
 * What the public portal's first load costs: `npx tsx bench/web-size.ts`.
 *
 * Builds the web app with Vite (production, as `npm run build:web`) into bench/tmp/web, reads the
 * portal's index.html for the JavaScript a browser loads before the first page is drawn — the entry
 * script and every chunk it preloads (modulepreload) — and sums their gzipped sizes (gzip level 9,
 * as a server or CDN would send them). Chunks loaded later (ECharts, on the first chart) are listed
 * apart; the stylesheets are listed too (not part of the JS budget). Writes bench/results/web-size.json. Target (issue #6): first load ≤ 300 KB of JS gzipped.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench/tmp/web');
const TARGET_KB = 300;

const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;
const gzipped = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

/** The scripts an HTML page loads at once: its module entry and its modulepreload links. */
export function firstLoadScripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) out.add(m[1] as string);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) out.add(m[1] as string);
  return [...out];
}

async function main(): Promise<void> {
  await build({
    configFile: join(ROOT, 'web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true },
  });
  const faces = { portal: join(OUT, 'index.html'), app: join(OUT, 'app/index.html') };
  const all = readdirSync(join(OUT, 'assets')).filter((f) => f.endsWith('.js'));
  const result: Record<string, unknown> = {};
  for (const [face, htmlPath] of Object.entries(faces)) {
    const scripts = firstLoadScripts(readFileSync(htmlPath, 'utf8'));
    const files = scripts.map((s) => ({ file: s, gzipKB: kb(gzipped(join(OUT, s))) }));
    const first = files.reduce((a, f) => a + f.gzipKB, 0);
    const css = [
      ...readFileSync(htmlPath, 'utf8').matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g),
    ].map((m) => ({ file: m[1] as string, gzipKB: kb(gzipped(join(OUT, m[1] as string))) }));
    result[face] = { firstLoadJsGzipKB: Math.round(first * 10) / 10, files, css };
  }
  const firstSet = new Set(
    Object.values(faces).flatMap((h) =>
      firstLoadScripts(readFileSync(h, 'utf8')).map((s) => s.split('/').pop()),
    ),
  );
  result['onDemand'] = all
    .filter((f) => !firstSet.has(f))
    .map((f) => ({ file: `/assets/${f}`, gzipKB: kb(gzipped(join(OUT, 'assets', f))) }));
  const portalKB = (result['portal'] as { firstLoadJsGzipKB: number }).firstLoadJsGzipKB;
  const report = {
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    measuredAt: new Date().toISOString(),
    command: 'npx tsx bench/web-size.ts',
    targetKB: TARGET_KB,
    withinTarget: portalKB <= TARGET_KB,
    ...result,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/web-size.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
  if (!report.withinTarget) process.exitCode = 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
