import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../shared/api.js';
import { DataTable } from '../../shared/DataTable.js';
import { formatDateTime } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Loading, Paragraph, SelectField } from '../../shared/nlds.js';
import { useQueryParam } from '../../shared/router.js';
import { AUDIT_ACTIONS, type AuditEntry } from '../types.js';
import { PageTitle } from '../ui.js';

const LIMITS = ['50', '100', '500', '1000'];

/** The detail of an entry (a JSON object) as "key: value" pairs. */
function detailText(detail: string): string {
  try {
    const d = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(d)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('; ');
  } catch {
    return detail;
  }
}

/** The audit log, newest first, filtered by action (fg and admin; reading it is itself logged). */
export function AuditPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useQueryParam('handeling');
  const [limit, setLimit] = useQueryParam('aantal', '100');
  const a = (AUDIT_ACTIONS as readonly string[]).includes(action) ? action : '';
  const n = LIMITS.includes(limit) ? limit : '100';
  const { data, error, loading } = useApi<{ entries: AuditEntry[] }>(
    `/internal/audit${query({ limit: n, action: a })}`,
  );
  return (
    <>
      <PageTitle>{t('app.audit.title')}</PageTitle>
      <Paragraph lead>{t('app.audit.lead')}</Paragraph>
      <form className="dp-filters" aria-label={t('app.filter')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('app.audit.action')}
          value={a}
          onChange={(e) => setAction(e.target.value)}
          options={[
            ['', t('app.all')],
            ...AUDIT_ACTIONS.map((x): [string, string] => [x, t(`app.auditAction.${x}`)]),
          ]}
        />
        <SelectField
          label={t('app.limit')}
          value={n}
          onChange={(e) => setLimit(e.target.value)}
          options={LIMITS.map((l): [string, string] => [l, l])}
        />
      </form>
      <Loading loading={loading} error={error}>
        {data && data.entries.length === 0 ? (
          <Paragraph>{t('app.audit.none')}</Paragraph>
        ) : (
          <DataTable
            caption={t('app.audit.caption', { count: data?.entries.length ?? 0 })}
            columns={[
              { key: 'id', label: t('app.audit.id'), numeric: true },
              { key: 'at', label: t('app.audit.at') },
              { key: 'actor', label: t('app.audit.actor') },
              { key: 'role', label: t('app.session.role') },
              { key: 'purpose', label: t('app.audit.purpose') },
              { key: 'action', label: t('app.audit.action') },
              { key: 'resource', label: t('app.audit.resource') },
              { key: 'rows', label: t('app.audit.rows'), numeric: true },
              { key: 'detail', label: t('app.audit.detail') },
            ]}
            rows={(data?.entries ?? []).map((e) => ({
              id: e.id,
              at: formatDateTime(e.at, i18n.language),
              actor: e.actor,
              role: e.role ?? '—',
              purpose: e.purpose ?? '—',
              action: t(`app.auditAction.${e.action}`, { defaultValue: e.action }),
              resource: e.resource,
              rows: e.rows ?? '—',
              detail: <span className="dp-detail">{detailText(e.detail)}</span>,
            }))}
          />
        )}
      </Loading>
    </>
  );
}
