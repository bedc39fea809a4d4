import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CbsError, CbsShapeError } from './errors.js';
import { expectShape, type JsonObject } from './odata.js';

export interface HttpOptions {
  /** root that paths are resolved against, e.g. `https://opendata.cbs.nl` */
  baseUrl: string;
  /** attempts per request, the first included; network errors, timeouts, 429 and 5xx are retried */
  maxAttempts?: number;
  /** the first wait before a retry; it doubles per attempt, with jitter */
  baseDelayMs?: number;
  /** no wait is longer, also not one asked for by `Retry-After` */
  maxDelayMs?: number;
  /** per attempt, from sending the request until the whole body has arrived */
  timeoutMs?: number;
  /** called before every retry (to log it) */
  onRetry?: (retry: RetryInfo) => void;
}

export interface RetryInfo {
  url: string;
  /** the attempt that failed (1 = the first) */
  attempt: number;
  delayMs: number;
  reason: string;
}

/** What only the caller knows: how to fix a 404 of this resource. */
export interface RequestContext {
  notFound: string;
}

const DEFAULTS = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 60_000 };

/** A failed attempt that may succeed when tried again. */
class Retryable {
  constructor(
    readonly reason: string,
    readonly final: CbsError,
    readonly retryAfterMs?: number,
  ) {}
}

const collection = z.looseObject({ value: z.array(z.record(z.string(), z.unknown())) });

/**
 * GETs JSON from CBS with Node's own `fetch`: a timeout per attempt (AbortController), retries with
 * exponential backoff and jitter on network errors, timeouts, 429 and 5xx (honouring `Retry-After`,
 * up to `maxDelayMs`), and errors that say what to do. Retries are not academic: CBS's API and feed
 * servers drop connections now and then (see the cbsodata issue "Get_data not working",
 * J535D165/cbsodata#22, answered by CBS Infoservice in February 2026).
 */
export class CbsHttp {
  private readonly options: Required<Omit<HttpOptions, 'onRetry'>> & Pick<HttpOptions, 'onRetry'>;
  private readonly base: URL;

  constructor(options: HttpOptions) {
    this.options = { ...DEFAULTS, ...options };
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  /**
   * An absolute URL for a path below the base URL. Query values are percent-encoded (spaces as
   * `%20`, not `+`, which OData servers need not read as a space); the `$` of option names stays.
   */
  url(path: string, query: Record<string, string | undefined> = {}): string {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    const params = Object.entries(query)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    return params.length > 0 ? `${url.href}?${params.join('&')}` : url.href;
  }

  /** GET and parse JSON, retrying what is worth retrying. */
  async getJson(url: string, context: RequestContext): Promise<unknown> {
    const { maxAttempts } = this.options;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, context, attempt);
      if (!(outcome instanceof Retryable)) return outcome;
      if (attempt >= maxAttempts) throw outcome.final;
      const delayMs = outcome.retryAfterMs ?? this.backoff(attempt);
      this.options.onRetry?.({ url, attempt, delayMs, reason: outcome.reason });
      await sleep(delayMs);
    }
  }

  /**
   * Every row of an OData collection, following the next link (`odata.nextLink` in v3,
   * `@odata.nextLink` in v4) until there is none. A link is followed as written (it carries the
   * query, e.g. `$format=json&$skip=10000`), resolved against the page it came from.
   */
  async collect(url: string, nextLinkKey: string, context: RequestContext): Promise<JsonObject[]> {
    const rows: JsonObject[] = [];
    const seen = new Set<string>();
    for (let page: string | undefined = url; page !== undefined;) {
      seen.add(page);
      const body: z.infer<typeof collection> = expectShape(
        collection,
        await this.getJson(page, context),
        page,
        'a collection',
      );
      rows.push(...body.value);
      const next: unknown = body[nextLinkKey];
      if (next === undefined || next === null) break;
      if (typeof next !== 'string') {
        throw new CbsShapeError(
          `${page}: ${nextLinkKey} is ${JSON.stringify(next)}, not a URL`,
          'CBS changed the paging of the API: report it',
          page,
        );
      }
      page = new URL(next, page).href;
      if (seen.has(page)) {
        throw new CbsShapeError(
          `${url}: ${nextLinkKey} leads back to ${page}, which was already read`,
          'CBS is paging in a loop: try again later',
          page,
        );
      }
    }
    return rows;
  }

  private async attempt(url: string, context: RequestContext, attempt: number): Promise<unknown> {
    const { timeoutMs } = this.options;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
      text = await response.text();
    } catch (error) {
      const reason = controller.signal.aborted
        ? `no complete response within ${timeoutMs} ms`
        : `no response (${describeCause(error)})`;
      return new Retryable(
        reason,
        new CbsError(
          `GET ${url} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${reason}`,
          controller.signal.aborted
            ? 'CBS is slow or the result is large: try again later, raise timeoutMs, or read less at once (a narrower filter)'
            : 'check the network connection, proxy and base URL; if they are fine, CBS is unreachable: try again later',
          url,
        ),
      );
    } finally {
      clearTimeout(timer);
    }

    if (response.ok) return parseJson(text, url);
    const error = httpError(url, response, text, context, attempt);
    if (response.status === 429 || response.status >= 500) {
      return new Retryable(`HTTP ${response.status}`, error, this.retryAfter(response));
    }
    throw error;
  }

  /** Exponential backoff with "equal jitter": between half and all of base × 2^(attempt−1). */
  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.options;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /** `Retry-After` in seconds or as an HTTP date, capped at `maxDelayMs`; undefined when absent. */
  private retryAfter(response: Response): number | undefined {
    const header = response.headers.get('retry-after')?.trim();
    if (!header) return undefined;
    const ms = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
    if (Number.isNaN(ms)) return undefined;
    return Math.min(this.options.maxDelayMs, Math.max(0, ms));
  }
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CbsShapeError(
      `${url} did not return JSON (${(error as Error).message}); it starts with ${JSON.stringify(text.slice(0, 60))}`,
      'CBS may be serving a maintenance or error page: try again later; otherwise check the base URL',
      url,
    );
  }
}

function httpError(
  url: string,
  response: Response,
  body: string,
  context: RequestContext,
  attempts: number,
): CbsError {
  const { status } = response;
  const said = odataErrorMessage(body);
  const message =
    `GET ${url} failed: HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}` +
    (attempts > 1 ? ` (after ${attempts} attempts)` : '') +
    (said ? `; CBS says: ${said}` : '');
  return new CbsError(message, fixFor(status, context), url, status);
}

function fixFor(status: number, context: RequestContext): string {
  if (status === 404) return context.notFound;
  if (status === 400) {
    return 'check the filter and select: columns are keys from DataProperties/MeasureCodes (their _<n> suffix differs per table), and codes must be sent padded as CBS serves them';
  }
  if (status === 401 || status === 403) {
    return 'CBS open data needs no credentials: check the base URL and any proxy in between';
  }
  if (status === 429)
    return 'CBS is rate limiting: try again later, or read less at once (a narrower filter)';
  if (status >= 500) return 'CBS StatLine is unavailable or overloaded: try again later';
  return 'check the base URL and the request';
}

/** The message of an OData error body: v3 `{"odata.error":{"message":{"value"}}}`, v4 `{"error":{"message"}}`. */
function odataErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.trim() ? body.trim().replace(/\s+/g, ' ').slice(0, 200) : undefined;
  }
  const error = (parsed as JsonObject | null)?.['odata.error'] ?? (parsed as JsonObject | null)?.['error'];
  const message = (error as JsonObject | undefined)?.['message'];
  const text = typeof message === 'string' ? message : (message as JsonObject | undefined)?.['value'];
  return typeof text === 'string' ? text.slice(0, 200) : undefined;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
