import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { formatDateTime } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Loading, Paragraph, SelectField } from '../../shared/nlds.js';
import { useQueryParam } from '../../shared/router.js';
import type { Run } from '../types.js';
import { PageTitle } from '../ui.js';

const LIMITS = ['20', '50', '200', '1000'];

/** How long a run took, in seconds or minutes. */
function duration(start: string, end: string | null, lang: string): string {
  if (!end) return '—';
  const s = (new Date(end).getTime() - new Date(start).getTime()) / 1000;
  const f = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });
  return s < 120 ? `${f.format(s)} s` : `${f.format(s / 60)} min`;
}

/** The build's run history, newest first (a role with admin or audit). */
export function RunsPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const [limit, setLimit] = useQueryParam('aantal', '50');
  const n = LIMITS.includes(limit) ? limit : '50';
  const { data, error, loading } = useApi<{ runs: Run[] }>(`/internal/runs?limit=${n}`);
  const lang = i18n.language;
  return (
    <>
      <PageTitle>{t('app.runs.title')}</PageTitle>
      <Paragraph lead>{t('app.runs.lead')}</Paragraph>
      <div className="dp-filters">
        <SelectField
          label={t('app.limit')}
          value={n}
          onChange={(e) => setLimit(e.target.value)}
          options={LIMITS.map((l): [string, string] => [l, l])}
        />
      </div>
      <Loading loading={loading} error={error}>
        {data && data.runs.length === 0 ? (
          <Paragraph>{t('app.runs.none')}</Paragraph>
        ) : (
          <DataTable
            caption={t('app.runs.caption', { count: data?.runs.length ?? 0 })}
            columns={[
              { key: 'id', label: t('app.runs.id'), numeric: true },
              { key: 'started', label: t('app.runs.started') },
              { key: 'duration', label: t('app.runs.duration'), numeric: true },
              { key: 'status', label: t('app.runs.status') },
              { key: 'command', label: t('app.runs.command') },
              { key: 'version', label: t('app.runs.version') },
              { key: 'error', label: t('app.runs.error') },
            ]}
            rows={(data?.runs ?? []).map((r) => ({
              id: r.id,
              started: formatDateTime(r.started_at, lang),
              duration: duration(r.started_at, r.finished_at, lang),
              status: (
                <span className={`dp-run dp-run--${r.status}`}>
                  {t(`app.runStatus.${r.status}`, { defaultValue: r.status })}
                </span>
              ),
              command: <code>{r.command}</code>,
              version: r.version ?? '—',
              error: r.error ?? '—',
            }))}
          />
        )}
      </Loading>
    </>
  );
}
