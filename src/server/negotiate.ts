interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseRange(text: string): MediaRange | null {
  const [media = '', ...params] = text.split(';').map((s) => s.trim().toLowerCase());
  const [type, subtype] = media.split('/');
  if (!type || !subtype) return null;
  const qParam = params.find((p) => p.startsWith('q='));
  const q = qParam ? Number(qParam.slice(2)) : 1;
  return { type, subtype, q: Number.isFinite(q) ? q : 0 };
}

/**
 * The media type to answer with, from the types a resource produces (its first is the default), for
 * an `Accept` header (RFC 9110 §12.5.1): the most specific matching range decides each type's
 * quality; the highest quality wins, ties go to the resource's order. Null: nothing acceptable (406).
 * Parameters other than q (e.g. OData's `odata.metadata=minimal`) do not restrict the match.
 */
export function negotiate(accept: string | undefined, produces: readonly string[]): string | null {
  if (!accept?.trim()) return produces[0] ?? null;
  const ranges = accept
    .split(',')
    .map(parseRange)
    .filter((r): r is MediaRange => r !== null);
  let best: { type: string; q: number } | null = null;
  for (const candidate of produces) {
    const [type, subtype] = candidate.toLowerCase().split('/');
    let match: { q: number; specificity: number } | null = null;
    for (const r of ranges) {
      const specificity =
        r.type === type && r.subtype === subtype ? 3 : r.type === type && r.subtype === '*' ? 2 : 0;
      const any = r.type === '*' && r.subtype === '*' ? 1 : 0;
      const s = specificity || any;
      if (s > 0 && (!match || s > match.specificity)) match = { q: r.q, specificity: s };
    }
    if (match && match.q > 0 && (!best || match.q > best.q)) best = { type: candidate, q: match.q };
  }
  return best?.type ?? null;
}
