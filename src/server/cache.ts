import { createHash } from 'node:crypto';

/** A response computed once per warehouse version: the bytes, their media type and ETag. */
export interface Representation {
  type: string;
  body: Buffer;
  /** strong validator, quoted: unique per version and representation */
  etag: string;
  /** extra headers (pagination counts, Content-Disposition) */
  headers: Record<string, string>;
}

/** A short, stable hash for ETags and cache keys. */
export function shortHash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url').slice(0, 12);
}

export function representation(
  versionTag: string,
  key: string,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Representation {
  return {
    type,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    etag: `"${versionTag}-${shortHash(key, type)}"`,
    headers,
  };
}

/** Does an If-None-Match header name this ETag? (weak comparison, RFC 9110 §13.1.2) */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

/**
 * The representations of one version, computed at most once each: concurrent requests for the same
 * key share one computation. Bounded by entries and bytes; the oldest entries go first. A failed
 * computation is not kept.
 */
export class RepresentationCache {
  private readonly entries = new Map<string, Promise<Representation>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxBytes = 256 * 2 ** 20,
  ) {}

  get(key: string, compute: () => Promise<Representation> | Representation): Promise<Representation> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const pending = Promise.resolve().then(compute);
    this.entries.set(key, pending);
    pending.then(
      (r) => {
        if (this.entries.get(key) !== pending) return;
        this.sizes.set(key, r.body.length);
        this.bytes += r.body.length;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      },
    );
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      this.entries.delete(key);
      this.bytes -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    }
  }
}
