import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator, IndicatorValue } from '../api.js';
import { Chart } from '../Chart.js';
import { formatNumber, labelOf, periodText } from '../format.js';
import { DataList, Heading, Loading, Paragraph } from '../nlds.js';
import { AreaValues, LevelPeriodSelects, type LevelPeriod } from './AreaValues.js';

/** Loading state of data a face fetches for a view (the view shows a message, never an empty page). */
export interface LoadState {
  loading: boolean;
  error?: Error | undefined;
}

export interface IndicatorViewProps extends LevelPeriod {
  indicator: Indicator;
  /** every value of the indicator the reader may see (all levels and periods); undefined while loading */
  values: IndicatorValue[] | undefined;
  valuesState?: LoadState;
  /** the page of an area (portal: /gebieden/:code) */
  hrefForArea: (code: string) => string;
  /** download links (CSV, XLSX) under a "Downloaden" heading */
  downloads?: ReactNode;
  /** anything the face adds at the end (e.g. lineage in the internal app) */
  children?: ReactNode;
}

/**
 * One indicator: its development in the municipality, a map and a table per wijk or buurt for a
 * period, the definition, sources and downloads. The face fetches; this only shows.
 */
export function IndicatorView({
  indicator: i,
  values,
  valuesState,
  hrefForArea,
  downloads,
  children,
  ...selection
}: IndicatorViewProps): ReactNode {
  const { level, period } = selection;
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const label = labelOf(i.label, lang);
  const periods = i.periods ?? [];

  const trend = useMemo(() => {
    const rows = (values ?? [])
      .filter((v) => v.level === 'gemeente')
      .sort((a, b) => a.period.localeCompare(b.period));
    return {
      categories: rows.map((r) => periodText(r.period)),
      data: rows.map((r) => (r.status === 'ok' ? r.value : null)),
    };
  }, [values]);
  const series = useMemo(() => [{ name: label, data: trend.data }], [label, trend.data]);
  const reference = useMemo(
    () => (i.target ? { value: i.target.value, label: t('view.indicator.target') } : undefined),
    [i.target, t],
  );
  const levelName = t(`level.${level}`).toLowerCase();
  const caption = t('view.indicator.table', { label, level: levelName, period: periodText(period) });

  return (
    <>
      <Heading level={1}>{label}</Heading>
      <Paragraph lead>{i.description}</Paragraph>
      {i.provisional && <Paragraph small>{t('view.indicator.provisional')}</Paragraph>}
      <div className="dp-filters">
        <LevelPeriodSelects {...selection} periods={periods} />
      </div>
      <Loading loading={valuesState?.loading ?? values === undefined} error={valuesState?.error}>
        <AreaValues
          values={values}
          level={level}
          period={period}
          decimals={i.decimals}
          unit={i.unit}
          mapTitle={caption}
          tableCaption={caption}
          hrefForArea={hrefForArea}
        />
        {i.attribution && <Paragraph small>{i.attribution}</Paragraph>}
        {trend.categories.length > 0 && (
          <Chart
            title={t('view.indicator.trend')}
            summary={t('view.indicator.trendSummary', { label })}
            kind="line"
            categories={trend.categories}
            series={series}
            decimals={i.decimals}
            unit={i.unit}
            {...(reference ? { reference } : {})}
          />
        )}
        <Paragraph small>{t('status.explain')}</Paragraph>
      </Loading>
      {downloads && (
        <>
          <Heading level={2}>{t('view.downloads')}</Heading>
          {downloads}
        </>
      )}
      <Heading level={2}>{t('view.indicator.definition')}</Heading>
      <DataList
        items={[
          [t('view.indicator.unit'), i.unit],
          [t('view.indicator.polarity'), t(`polarity.${i.polarity}`)],
          ...(i.target
            ? ([
                [
                  t('view.indicator.target'),
                  `${formatNumber(i.target.value, i.decimals, lang)}${i.target.year ? ` (${i.target.year})` : ''}`,
                ],
              ] as Array<[string, ReactNode]>)
            : []),
          ...(i.owner ? ([[t('view.indicator.owner'), i.owner]] as Array<[string, ReactNode]>) : []),
          ...(i.sources && i.sources.length > 0
            ? ([[t('view.indicator.sources'), i.sources.map((s) => s.title).join(', ')]] as Array<
                [string, ReactNode]
              >)
            : []),
          ...(i.attribution ? ([[t('source'), i.attribution]] as Array<[string, ReactNode]>) : []),
        ]}
      />
      {children}
    </>
  );
}
