import { closest, normaliseHeader } from '../util/text.js';
import type { SourceDef } from '../project/types.js';
import { IngestError } from './errors.js';

/**
 * Match the headers (or keys) found in a file to the declared columns: case, accents and spacing
 * do not matter. Returns, per declared column, the index of its header; and the undeclared headers.
 * A declared column that is missing fails the load (schema drift).
 */
export function matchHeaders(
  source: SourceDef,
  headers: string[],
  fileLabel: string,
): { index: Map<string, number>; dropped: string[] } {
  const normalised = headers.map(normaliseHeader);
  const seen = new Map<string, number>();
  normalised.forEach((h, i) => {
    if (h === '') return;
    if (seen.has(h)) {
      throw new IngestError(
        `${fileLabel}: the header "${headers[i]}" appears twice (columns ${(seen.get(h) as number) + 1} and ${i + 1})`,
        'give every column a unique header in the export',
      );
    }
    seen.set(h, i);
  });
  const index = new Map<string, number>();
  const missing: string[] = [];
  for (const col of source.columns) {
    const at = seen.get(normaliseHeader(col.header));
    if (at === undefined) missing.push(col.header);
    else index.set(col.name, at);
  }
  if (missing.length > 0) {
    const found = headers.filter((h) => h.trim() !== '');
    const hints = missing
      .map((m) => [m, closest(m, found)] as const)
      .filter(([, h]) => h !== undefined)
      .map(([m, h]) => `"${m}" → is it "${h}"?`);
    throw new IngestError(
      `${fileLabel}: declared column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} missing from the file (schema drift). Found: ${found.map((h) => `"${h}"`).join(', ')}`,
      hints.length > 0
        ? `set \`header:\` on the column in ${source.file} (${hints.join('; ')}), or ask the source owner (${source.owner}) to restore the column`
        : `ask the source owner (${source.owner}) to restore the column, or remove it from ${source.file}`,
    );
  }
  const used = new Set(index.values());
  const dropped = headers.filter((h, i) => !used.has(i) && h.trim() !== '');
  return { index, dropped };
}
