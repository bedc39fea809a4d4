import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { formatNumber, labelOf } from '../../shared/format.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { DataList, Heading, Loading, LoadingPage, Paragraph, SelectField } from '../../shared/nlds.js';
import { Link, useQueryParam } from '../../shared/router.js';
import { useLevelPeriod } from '../../shared/views/AreaValues.js';
import { IndicatorView } from '../../shared/views/IndicatorView.js';
import { areaHref, indicatorHref, loadIndicators, loadValues, periodsOf, sourceHref } from '../data.js';
import { LineageSection } from './Source.js';
import { filterOptions, matchesSearch, PageTitle, SearchFilters, YesNo } from '../ui.js';

/** Every indicator of the warehouse (also the unpublished ones), with owner, sources and target. */
export function IndicatorsPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { data, error, loading } = useApi('/internal/indicators', loadIndicators);
  const [q, setQ] = useQueryParam('zoek');
  const [theme, setTheme] = useQueryParam('thema');
  const list = data ?? [];
  const themes = [...new Set(list.map((i) => i.theme))].sort((a, b) => a.localeCompare(b, 'nl'));
  const shown = list
    .filter(
      (i) =>
        (!theme || i.theme === theme) &&
        matchesSearch(q, [i.id, labelOf(i.label, lang), i.owner, i.description]),
    )
    .sort(
      (a, b) =>
        a.theme.localeCompare(b.theme, 'nl') || labelOf(a.label, lang).localeCompare(labelOf(b.label, lang)),
    );
  return (
    <>
      <PageTitle>{t('app.indicators.title')}</PageTitle>
      <Paragraph lead>{t('app.indicators.lead')}</Paragraph>
      <Loading loading={loading} error={error}>
        <SearchFilters search={q} onSearch={setQ} shown={shown.length} total={list.length}>
          <SelectField
            label={t('app.indicators.theme')}
            value={theme}
            onChange={(e) => setTheme(e.target.value)}
            options={filterOptions(t('app.all'), themes)}
          />
        </SearchFilters>
        <DataTable
          caption={t('app.indicators.caption')}
          columns={[
            { key: 'label', label: t('app.indicators.indicator') },
            { key: 'theme', label: t('app.indicators.theme') },
            { key: 'owner', label: t('app.catalog.owner') },
            { key: 'sources', label: t('app.indicators.sources') },
            { key: 'target', label: t('app.home.target'), numeric: true },
            { key: 'published', label: t('app.indicators.published') },
          ]}
          rows={shown.map((i) => ({
            label: <Link to={indicatorHref(i.id)}>{labelOf(i.label, lang)}</Link>,
            theme: i.theme,
            owner: i.owner,
            sources: i.sources.map((s) => s.title).join(', ') || '—',
            target: i.target ? `${formatNumber(i.target.value, i.decimals, lang)} ${i.unit}` : '—',
            published: <YesNo value={i.published} />,
          }))}
          rowKey={(_, n) => shown[n]?.id ?? String(n)}
        />
      </Loading>
    </>
  );
}

/** One indicator with its restricted values (for the purpose chosen), definition, sources, owner and lineage. */
export function IndicatorPage({ id }: { id: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const indicators = useApi('/internal/indicators', loadIndicators);
  const values = useApi(`/internal/indicators/${encodeURIComponent(id)}/values`, loadValues);
  const { choose } = useLevelPeriod();
  const found = indicators.data?.find((i) => i.id === id);
  const periods = useMemo(() => periodsOf(values.data), [values.data]);
  const indicator = useMemo(() => (found ? { ...found, periods } : undefined), [found, periods]);
  // the view renders the h1; the document title follows it
  useTitle(found ? labelOf(found.label, i18n.language) : t('app.indicators.title'), t('app.site'));

  if (!indicator)
    return (
      <LoadingPage
        title={indicators.data ? t('app.indicators.notFound', { id }) : t('app.indicators.title')}
        loading={indicators.loading}
        error={indicators.error}
      >
        <Paragraph>
          <Link to="/app/indicatoren">{t('app.indicators.back')}</Link>
        </Paragraph>
      </LoadingPage>
    );
  return (
    <IndicatorView
      indicator={indicator}
      values={values.data}
      valuesState={values}
      {...choose(periods)}
      hrefForArea={areaHref}
    >
      <Heading level={2}>{t('app.indicators.provenance')}</Heading>
      <DataList
        items={[
          [t('app.indicators.id'), <code key="id">{indicator.id}</code>],
          [t('app.catalog.owner'), indicator.owner],
          [
            t('app.indicators.sources'),
            indicator.sources.length === 0 ? (
              '—'
            ) : (
              <ul key="s" className="utrecht-unordered-list">
                {indicator.sources.map((s) => (
                  <li key={s.name}>
                    <Link to={sourceHref(s.name)}>{s.title}</Link>
                  </li>
                ))}
              </ul>
            ),
          ],
          [t('app.indicators.published'), <YesNo key="p" value={indicator.published} />],
          [t('app.indicators.restricted'), t('app.indicators.restrictedText')],
        ]}
      />
      <LineageSection node={`indicator:${indicator.id}`} />
    </IndicatorView>
  );
}
