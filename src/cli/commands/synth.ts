export async function runSynth(o: { persons: number; seed: string; out: string }): Promise<void> {
  const { synthesize } = await import('../../synth/index.js');
  const t0 = Date.now();
  const summary = await synthesize({
    persons: o.persons,
    seed: o.seed,
    outDir: o.out,
    onProgress: (step: string) => process.stderr.write(`  synth: ${step}\n`),
  });
  const files = Object.keys((summary as { files?: Record<string, unknown> }).files ?? {}).length;
  process.stdout.write(
    `Generated ${o.persons.toLocaleString('nl-NL')} inhabitants (seed ${o.seed}) in ${o.out} — ${files} files, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}
