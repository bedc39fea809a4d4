import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { formatSigned } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Heading, Loading, Paragraph } from '../../shared/nlds.js';
import { Link } from '../../shared/router.js';
import { DIMENSIONS, type QualityOverview } from '../types.js';
import { PageTitle, scoreText, ScoreChart } from '../ui.js';
import { sourceHref } from '../data.js';

/** The quality of the sources per owner: score, dimensions, change, failing checks, staleness. */
export function QualityPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const { data, error, loading } = useApi<QualityOverview>('/internal/quality');
  const owners = data?.owners ?? [];
  const perOwner = useMemo(() => {
    const rows = owners.map((o) => {
      const scores = o.sources.map((s) => s.score).filter((s): s is number => s !== null);
      return {
        owner: o.owner,
        mean: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      };
    });
    return {
      categories: rows.map((r) => r.owner),
      series: [{ name: t('app.quality.mean'), data: rows.map((r) => r.mean) }],
    };
  }, [owners, t]);
  return (
    <>
      <PageTitle>{t('app.quality.title')}</PageTitle>
      <Paragraph lead>{t('app.quality.lead')}</Paragraph>
      <Loading loading={loading} error={error}>
        {owners.length > 0 && (
          <ScoreChart
            title={t('app.quality.chartTitle')}
            summary={t('app.quality.chartSummary', { count: owners.length })}
            kind="hbar"
            data={perOwner}
            height={Math.max(200, 36 * owners.length + 60)}
          />
        )}
        {owners.map((o, n) => (
          <section key={o.owner} aria-labelledby={`owner-${n}`}>
            <Heading level={2} id={`owner-${n}`}>
              {o.owner}
            </Heading>
            <DataTable
              caption={t('app.quality.caption', { owner: o.owner })}
              columns={[
                { key: 'title', label: t('app.catalog.source') },
                { key: 'score', label: t('app.quality.score'), numeric: true },
                ...DIMENSIONS.map((d) => ({ key: d, label: t(`app.dimension.${d}`), numeric: true })),
                { key: 'change', label: t('app.quality.change'), numeric: true },
                { key: 'failing', label: t('app.quality.failing'), numeric: true },
                { key: 'stale', label: t('app.catalog.stale') },
              ]}
              rows={o.sources.map((s) => ({
                title: <Link to={sourceHref(s.name)}>{s.title}</Link>,
                score: scoreText(s.score, i18n.language),
                ...Object.fromEntries(
                  DIMENSIONS.map((d) => [d, scoreText(s.dimensions?.[d], i18n.language)]),
                ),
                change: s.change === null ? '—' : formatSigned(s.change, 2, i18n.language),
                failing: s.failingChecks,
                stale: s.stale ? <strong>{t('app.catalog.isStale')}</strong> : t('app.no'),
              }))}
            />
          </section>
        ))}
      </Loading>
    </>
  );
}
