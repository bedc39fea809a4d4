/** Output helpers for the CLI: tables, CSV and JSON from rows. */
export type OutputFormat = 'table' | 'csv' | 'json';

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$/, '');
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function formatRows(rows: ReadonlyArray<object>, columns: string[], format: OutputFormat): string {
  if (format === 'json')
    return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  const get = (r: object, c: string): unknown => (r as Record<string, unknown>)[c];
  if (format === 'csv') {
    const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
    return [
      columns.map(field).join(','),
      ...rows.map((r) => columns.map((c) => field(text(get(r, c)))).join(',')),
    ].join('\n');
  }
  const cells = rows.map((r) => columns.map((c) => text(get(r, c)).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.length, ...cells.map((row) => (row[i] as string).length))),
  );
  const line = (vals: string[]): string =>
    vals
      .map((v, i) =>
        v.length > (widths[i] as number)
          ? v.slice(0, (widths[i] as number) - 1) + '…'
          : v.padEnd(widths[i] as number),
      )
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}
