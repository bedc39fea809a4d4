/**
 * The one way the web app talks to the server: same-origin fetch of /api/v1, errors as RFC 9457
 * problem details. The internal app adds the role, the purpose (doelbinding) and the CSRF token.
 */

import type { Geometry } from 'geojson';

export const API = '/api/v1';

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  code?: string;
  invalidParams?: Array<{ name: string; reason: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

/** Headers every internal request carries: set once the user signs in and chooses a purpose. */
const context: { role?: string; purpose?: string; csrf?: string } = {};

export function setRequestContext(c: { role?: string; purpose?: string; csrf?: string }): void {
  Object.assign(context, c);
}

function headers(extra?: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json, application/problem+json', ...extra };
  if (context.role) h['X-Role'] = context.role;
  if (context.purpose) h['X-Purpose'] = context.purpose;
  return h;
}

async function problemOf(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body = (await res.json().catch(() => null)) as Problem | null;
    if (body && typeof body.status === 'number') return new ApiError(body);
  }
  return new ApiError({ status: res.status, title: res.statusText || `HTTP ${res.status}` });
}

/** GET a JSON resource below /api/v1 (`path` starts with a slash). */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(`${API}${path}`, { headers: headers(), credentials: 'same-origin', signal });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** POST, PATCH or DELETE with a JSON body and the CSRF token of the session. */
export async function send<T>(
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T | null> {
  const extra: Record<string, string> = {};
  if (body !== undefined) extra['Content-Type'] = 'application/json';
  if (context.csrf) extra['X-CSRF-Token'] = context.csrf;
  const res = await fetch(`${API}${path}`, {
    method,
    headers: headers(extra),
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? ((await res.json()) as T) : null;
}

/** A query string from the set values only: `{ a: '1', b: undefined }` → `?a=1`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// ---- the public API's resources (see /api/v1/openapi.json) ----

export type Level = 'gemeente' | 'wijk' | 'buurt';
export type ValueStatus = 'ok' | 'suppressed' | 'missing' | 'not_applicable';
export type Polarity = 'higher_is_better' | 'lower_is_better' | 'neutral';

export interface Label {
  nl: string;
  en: string | null;
}

export interface Indicator {
  id: string;
  label: Label;
  description: string;
  theme: string;
  domain: string;
  type: string;
  unit: string;
  decimals: number;
  polarity: Polarity;
  target: { value: number; year: number | null } | null;
  provisional?: boolean;
  periods?: string[];
  owner?: string;
  sources?: Array<{ name: string; title: string }>;
  attribution?: string | null;
  published?: boolean;
}

export interface IndicatorValue {
  area: string;
  areaName?: string;
  level: Level;
  period: string;
  value: number | null;
  status: ValueStatus;
}

export interface Area {
  code: string;
  name: string;
  level: Level;
  parent: string | null;
}

export interface ProfileRow {
  id: string;
  label: Label;
  domain: string;
  theme: string;
  unit: string;
  decimals?: number;
  period: string;
  value: number | null;
  status: ValueStatus;
  municipality: number | null;
  difference: number | null;
  previous?: { period: string; value: number | null } | null;
  change?: number | null;
  trend: string | null;
  target?: { value: number; met: boolean | null } | null;
  rank: number | null;
  of: number | null;
  cbs?: { value: number | null; period: string } | null;
}

export interface AreaProfile {
  area: Area;
  year: string;
  indicators: ProfileRow[];
  similarAreas: Array<{ code: string; name: string; level?: Level; distance: number }>;
  notShown?: Array<{ id: string; reason: string }>;
}

export interface Boundaries {
  type: 'FeatureCollection';
  attribution?: string;
  features: Array<{
    type: 'Feature';
    properties: { code: string; name: string; level: Level; parent: string | null };
    geometry: Geometry;
  }>;
}

/** Every page of a paginated list (1,000 per page, the most the API allows). */
export async function getAll<T>(path: string, key: string, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const body = await getJson<Record<string, unknown> & { _links?: { next?: unknown } }>(
      `${path}${sep}page=${page}&pageSize=1000`,
      signal,
    );
    out.push(...((body[key] as T[] | undefined) ?? []));
    if (!body._links?.next) return out;
  }
}
