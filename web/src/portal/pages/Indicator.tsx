import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getAll, query, type Indicator, type IndicatorValue } from '../../shared/api.js';
import { AreaMap, type MapValue } from '../../shared/AreaMap.js';
import { Chart } from '../../shared/Chart.js';
import { DataTable } from '../../shared/DataTable.js';
import { formatNumber, labelOf, periodText, valueText } from '../../shared/format.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { ButtonGroup, ButtonLink, DataList, Heading, Loading, Paragraph, SelectField } from '../../shared/nlds.js';
import { Link, useQueryParam } from '../../shared/router.js';

const loadValues = (path: string, signal: AbortSignal): Promise<IndicatorValue[]> =>
  getAll<IndicatorValue>(path, 'values', signal);

/**
 * One indicator: its development in the municipality, a map and a table per wijk or buurt for a
 * period (both kept in the address), the definition, sources and downloads.
 */
export function IndicatorPage({ id }: { id: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const ind = useApi<Indicator>(`/indicators/${encodeURIComponent(id)}`);
  const values = useApi(`/indicators/${encodeURIComponent(id)}/values`, loadValues);
  const [level, setLevel] = useQueryParam('niveau', 'wijk');
  const periods = ind.data?.periods ?? [];
  const [periodParam, setPeriod] = useQueryParam('periode');
  const period = periodParam || periods[periods.length - 1] || '';
  const label = ind.data ? labelOf(ind.data.label, lang) : id;
  useTitle(label, t('portal.site'));

  const trend = useMemo(() => {
    const rows = (values.data ?? []).filter((v) => v.level === 'gemeente').sort((a, b) => a.period.localeCompare(b.period));
    return { categories: rows.map((r) => periodText(r.period)), data: rows.map((r) => (r.status === 'ok' ? r.value : null)) };
  }, [values.data]);
  const current = (values.data ?? []).filter((v) => v.level === level && v.period === period);
  const mapValues = new Map<string, MapValue>(current.map((v) => [v.area, { value: v.value, status: v.status }]));

  if (ind.error || ind.loading) return <Loading loading={ind.loading} error={ind.error} />;
  const i = ind.data as Indicator;
  const levelName = t(`level.${level}`).toLowerCase();
  const dl = query({ level, period });
  return (
    <>
      <Heading level={1}>{label}</Heading>
      <Paragraph lead>{i.description}</Paragraph>
      <div className="dp-filters">
        <SelectField
          label={t('portal.indicator.level')}
          value={level}
          onChange={(e) => setLevel(e.target.value)}
          options={[
            ['wijk', t('levels.wijk')],
            ['buurt', t('levels.buurt')],
          ]}
        />
        <SelectField
          label={t('portal.indicator.period')}
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          options={[...periods].reverse().map((p) => [p, periodText(p)])}
        />
      </div>
      <Loading loading={values.loading} error={values.error}>
        <div className="dp-columns">
          <AreaMap
            level={level === 'buurt' ? 'buurt' : 'wijk'}
            values={mapValues}
            decimals={i.decimals}
            title={t('portal.indicator.map', { label, level: levelName, period: periodText(period) })}
            hrefFor={(code) => `/gebieden/${code}`}
          />
          <DataTable
            caption={t('portal.indicator.table', { label, level: levelName, period: periodText(period) })}
            columns={[
              { key: 'area', label: t('portal.indicator.area') },
              { key: 'value', label: `${t('portal.indicator.value')} (${i.unit})`, numeric: true },
            ]}
            rows={current.map((v) => ({
              area: <Link to={`/gebieden/${v.area}`}>{v.areaName ?? v.area}</Link>,
              value: valueText(v.value, v.status, i.decimals, lang, t),
            }))}
          />
        </div>
        {trend.categories.length > 0 && (
          <Chart
            title={t('portal.indicator.trend')}
            summary={t('portal.indicator.trendSummary', { label })}
            kind="line"
            categories={trend.categories}
            series={[{ name: label, data: trend.data }]}
            decimals={i.decimals}
            unit={i.unit}
            {...(i.target ? { reference: { value: i.target.value, label: t('portal.indicator.target') } } : {})}
          />
        )}
        <Paragraph small>{t('status.explain')}</Paragraph>
      </Loading>
      <Heading level={2}>{t('portal.indicator.downloads')}</Heading>
      <ButtonGroup>
        <ButtonLink href={`/api/v1/indicators/${i.id}/values.csv${dl}`} download>
          {t('download.csv')}
        </ButtonLink>
        <ButtonLink href={`/api/v1/indicators/${i.id}/values.xlsx${dl}`} download>
          {t('download.xlsx')}
        </ButtonLink>
      </ButtonGroup>
      <Heading level={2}>{t('portal.indicator.definition')}</Heading>
      <DataList
        items={[
          [t('portal.indicator.unit'), i.unit],
          [t('portal.indicator.polarity'), t(`polarity.${i.polarity}`)],
          ...(i.target
            ? ([[t('portal.indicator.target'), `${formatNumber(i.target.value, i.decimals, lang)}${i.target.year ? ` (${i.target.year})` : ''}`]] as Array<[string, ReactNode]>)
            : []),
          ...(i.owner ? ([[t('portal.indicator.owner'), i.owner]] as Array<[string, ReactNode]>) : []),
          ...(i.sources && i.sources.length > 0
            ? ([[t('portal.indicator.sources'), i.sources.map((s) => s.title).join(', ')]] as Array<[string, ReactNode]>)
            : []),
        ]}
      />
      {i.attribution && <Paragraph small>{i.attribution}</Paragraph>}
    </>
  );
}
