import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { formatDateTime } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Loading, Paragraph, SelectField } from '../../shared/nlds.js';
import { Link, useQueryParam } from '../../shared/router.js';
import type { SourceSummary } from '../types.js';
import { filterOptions, matchesSearch, PageTitle, scoreText, SearchFilters, YesNo } from '../ui.js';
import { sourceHref } from '../data.js';

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
  const shown = sources.filter(
    (s) =>
      (!domain || s.domain === domain) &&
      (!access || s.access === access) &&
      matchesSearch(q, [s.name, s.title, s.owner, s.description ?? '', ...s.themes]),
  );
  return (
    <>
      <PageTitle>{t('app.catalog.title')}</PageTitle>
      <Paragraph lead>{t('app.catalog.lead')}</Paragraph>
      <Loading loading={loading} error={error}>
        <SearchFilters search={q} onSearch={setQ} shown={shown.length} total={sources.length}>
          <SelectField
            label={t('app.catalog.domain')}
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            options={filterOptions(t('app.all'), domains)}
          />
          <SelectField
            label={t('app.catalog.access')}
            value={access}
            onChange={(e) => setAccess(e.target.value)}
            options={filterOptions(t('app.all'), accesses, (a) => t(`app.access.${a}`))}
          />
        </SearchFilters>
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
            title: <Link to={sourceHref(s.name)}>{s.title}</Link>,
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
