/**
 * The internal API's responses as the app reads them (src/server/internal/*.ts). The public
 * resources are in shared/api.ts.
 */
import type { Indicator, Level, ValueStatus } from '../shared/api.js';

/** GET /internal/indicators: every indicator, also the unpublished ones. */
export interface InternalIndicator extends Indicator {
  owner: string;
  sources: Array<{ name: string; title: string }>;
  published: boolean;
}

/** GET /internal/indicators/{id}/values */
export interface RestrictedValues {
  indicator: string;
  unit: string;
  zone: 'restricted';
  values: Array<{ area: string; level: Level; period: string; value: number | null; status: ValueStatus }>;
}

export type Dimension = 'completeness' | 'validity' | 'uniqueness' | 'timeliness' | 'consistency';
export const DIMENSIONS: Dimension[] = [
  'completeness',
  'validity',
  'uniqueness',
  'timeliness',
  'consistency',
];

export interface QualityScore {
  score: number | null;
  at?: string;
  completeness?: number | null;
  validity?: number | null;
  uniqueness?: number | null;
  timeliness?: number | null;
  consistency?: number | null;
}

/** GET /internal/catalog: one source. */
export interface SourceSummary {
  name: string;
  title: string;
  description: string | null;
  owner: string;
  domain: string | null;
  refresh: string;
  access: string;
  themes: string[];
  purposes: string[];
  fgApproved: boolean;
  lastLoad: { at: string; rows: number; quarantined: number } | null;
  contentSince: string | null;
  stale: boolean;
  score: QualityScore | null;
}

export interface CheckResult {
  status: string;
  evaluated: number;
  failed: number;
  observed: string | number | null;
  message: string;
}

/** GET /internal/catalog/{source} */
export interface SourceDetail extends SourceSummary {
  steward: string | null;
  licence: string;
  columns: Array<{ name: string; type: string; classification: string; description: string | null }>;
  legalBasis: { ground: string; law: string; exception: string | null };
  dataSubjects: string[];
  retention: { keep: 'permanent'; reason: string } | { years: number; column: string };
  quality: {
    score: number | null;
    dimensions: Record<Dimension, number | null> | null;
    at: string | null;
    trend: Array<number | null>;
    change: number | null;
    history: Array<{
      at: string;
      run: number;
      score: number | null;
      dimensions: Record<Dimension, number | null> | null;
    }>;
    checks: Array<{
      id: string;
      type: string;
      column: string | null;
      severity: string;
      description: string | null;
      last: CheckResult | null;
    }>;
  };
}

/** GET /internal/quality */
export interface QualityOverview {
  owners: Array<{
    owner: string;
    sources: Array<{
      name: string;
      title: string;
      score: number | null;
      dimensions: Record<Dimension, number | null> | null;
      trend: Array<number | null>;
      change: number | null;
      failingChecks: number;
      stale: boolean;
    }>;
  }>;
}

/** GET /internal/lineage */
export interface Lineage {
  nodes: Array<{
    id: string;
    kind: 'source' | 'model' | 'indicator' | 'publication';
    name: string;
    label: string;
  }>;
  edges: Array<{ from: string; to: string }>;
}

/** GET /internal/runs */
export interface Run {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: string;
  command: string;
  pid: number;
  version: string | null;
  error: string | null;
}

/** GET /internal/audit */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string | null;
  purpose: string | null;
  action: string;
  resource: string;
  rows: number | null;
  detail: string;
  hash: string;
}

export const AUDIT_ACTIONS = [
  'query',
  'export',
  'reveal',
  'login',
  'definition_change',
  'build',
  'retention',
  'register',
  'audit_read',
  'quality_read',
  'denied',
] as const;

/** GET /internal/register: one processing (AVG art. 30). */
export interface Processing {
  purpose: string;
  controller: string;
  fgContact: string | null;
  sources: Array<{
    name: string;
    title: string;
    owner: string;
    domain: string | null;
    legalBasis: string;
    fgApproval: string | null;
    retention: string;
    personalData: string[];
    specialCategories: string[];
  }>;
  legalBases: string[];
  dataSubjects: string[];
  personalDataCategories: string[];
  specialCategories: string[];
  recipients: string[];
  domainLinks: string[];
  measures: string[];
  dpia: { required: boolean; reasons: string[] };
}

/** GET /internal/users */
export interface Account {
  username: string;
  displayName: string;
  roles: string[];
  wijken: string[];
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
  failedAttempts: number;
  lastLogin: string | null;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
}
