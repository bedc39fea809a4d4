import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { formatDateTime } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Loading, Paragraph, SelectField, TextField } from '../../shared/nlds.js';
import { Link, useQueryParam } from '../../shared/router.js';
import type { SourceSummary } from '../types.js';
import { PageTitle, scoreText, YesNo } from '../ui.js';

/** The source register: every source with owner, access, refresh, last load and quality; a filter in the address. */
export function CatalogPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useQueryParam('zoek');
  const [domain, setDomain] = useQueryParam('domein');
  const [access, setAccess] = useQueryParam('toegang');
  const { data, error, loading } = useApi<{ sources: SourceSummary[] }>('/internal/catalog');
  const sources = data?.sources ?? [];
  const domains = [...new Set(sources.map((s) => s.domain ?? ''))].filter(Boolean).sort();
  const accesses = [...new Set(sources.map((s) => s.access))].sort();
  const needle = q.trim().toLowerCase();
  const shown = sources.filter(
    (s) =>
      (!domain || s.domain === domain) &&
      (!access || s.access === access) &&
      (!needle ||
        [s.name, s.title, s.owner, s.description ?? '', ...s.themes].some((x) =>
          x.toLowerCase().includes(needle),
        )),
  );
  return (
    <>
      <PageTitle>{t('app.catalog.title')}</PageTitle>
      <Paragraph lead>{t('app.catalog.lead')}</Paragraph>
      <Loading loading={loading} error={error}>
        <form
          className="dp-filters"
          role="search"
          aria-label={t('app.filter')}
          onSubmit={(e) => e.preventDefault()}
        >
          <TextField
            label={t('app.catalog.search')}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <SelectField
            label={t('app.catalog.domain')}
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            options={[['', t('app.all')], ...domains.map((d): [string, string] => [d, d])]}
          />
          <SelectField
            label={t('app.catalog.access')}
            value={access}
            onChange={(e) => setAccess(e.target.value)}
            options={[
              ['', t('app.all')],
              ...accesses.map((a): [string, string] => [a, t(`app.access.${a}`)]),
            ]}
          />
        </form>
        <p className="utrecht-paragraph" role="status">
          {t('app.catalog.count', { count: shown.length, total: sources.length })}
        </p>
        <DataTable
          caption={t('app.catalog.caption')}
          columns={[
            { key: 'title', label: t('app.catalog.source') },
            { key: 'owner', label: t('app.catalog.owner') },
            { key: 'domain', label: t('app.catalog.domain') },
            { key: 'access', label: t('app.catalog.access') },
            { key: 'refresh', label: t('app.catalog.refresh') },
            { key: 'lastLoad', label: t('app.catalog.lastLoad') },
            { key: 'stale', label: t('app.catalog.stale') },
            { key: 'score', label: t('app.catalog.score'), numeric: true },
          ]}
          rows={shown.map((s) => ({
            title: <Link to={`/app/catalogus/${encodeURIComponent(s.name)}`}>{s.title}</Link>,
            owner: s.owner,
            domain: s.domain ?? '—',
            access: t(`app.access.${s.access}`),
            refresh: t(`app.refresh.${s.refresh}`),
            lastLoad: s.lastLoad
              ? formatDateTime(s.lastLoad.at, i18n.language)
              : t('app.catalog.neverLoaded'),
            stale: s.stale ? <strong>{t('app.catalog.isStale')}</strong> : <YesNo value={false} />,
            score: scoreText(s.score?.score, i18n.language),
          }))}
          rowKey={(_, n) => shown[n]?.name ?? String(n)}
        />
      </Loading>
    </>
  );
}
