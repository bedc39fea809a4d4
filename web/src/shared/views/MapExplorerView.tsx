import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator, IndicatorValue } from '../api.js';
import { AreaMap, type MapValue } from '../AreaMap.js';
import { DataTable } from '../DataTable.js';
import { labelOf, periodText, valueText } from '../format.js';
import { Heading, Loading, Paragraph, SelectField } from '../nlds.js';
import { Link } from '../router.js';
import type { LoadState } from './IndicatorView.js';

export interface MapExplorerViewProps {
  /** the indicators to choose from */
  indicators: Indicator[];
  /** the chosen indicator (undefined: none yet) */
  indicator: Indicator | undefined;
  onIndicatorChange: (id: string) => void;
  /** 'wijk' or 'buurt' */
  level: string;
  onLevelChange: (level: string) => void;
  period: string;
  onPeriodChange: (period: string) => void;
  /** the values of the chosen indicator; only those of `level` and `period` are shown */
  values: IndicatorValue[] | undefined;
  valuesState?: LoadState;
  hrefForArea: (code: string) => string;
  hrefForIndicator?: (id: string) => string;
  /** the h1 */
  title: string;
  intro?: ReactNode;
}

/**
 * A map explorer: indicator × level × period, a classed choropleth with a legend, the same figures
 * as a table, and a link to the indicator. The face fetches and keeps the selection.
 */
export function MapExplorerView({
  indicators,
  indicator,
  onIndicatorChange,
  level,
  onLevelChange,
  period,
  onPeriodChange,
  values,
  valuesState,
  hrefForArea,
  hrefForIndicator,
  title,
  intro,
}: MapExplorerViewProps): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const options = useMemo(
    () =>
      [...indicators]
        .sort(
          (a, b) =>
            a.theme.localeCompare(b.theme, 'nl') ||
            labelOf(a.label, lang).localeCompare(labelOf(b.label, lang), 'nl'),
        )
        .map((i): [string, string] => [i.id, `${i.theme}: ${labelOf(i.label, lang)}`]),
    [indicators, lang],
  );
  const current = (values ?? []).filter((v) => v.level === level && v.period === period);
  const mapValues = new Map<string, MapValue>(
    current.map((v) => [v.area, { value: v.value, status: v.status }]),
  );
  const label = indicator ? labelOf(indicator.label, lang) : '';
  const caption = t('view.indicator.table', {
    label,
    level: t(`level.${level}`).toLowerCase(),
    period: periodText(period),
  });

  return (
    <>
      <Heading level={1}>{title}</Heading>
      {intro}
      <div className="dp-filters">
        <SelectField
          label={t('view.indicatorName')}
          value={indicator?.id ?? ''}
          onChange={(e) => onIndicatorChange(e.target.value)}
          options={options}
        />
        <SelectField
          label={t('view.level')}
          value={level}
          onChange={(e) => onLevelChange(e.target.value)}
          options={[
            ['wijk', t('levels.wijk')],
            ['buurt', t('levels.buurt')],
          ]}
        />
        <SelectField
          label={t('view.period')}
          value={period}
          onChange={(e) => onPeriodChange(e.target.value)}
          options={[...(indicator?.periods ?? [])].reverse().map((p) => [p, periodText(p)])}
        />
      </div>
      {indicator && (
        <Loading loading={valuesState?.loading ?? values === undefined} error={valuesState?.error}>
          <Heading level={2}>{caption}</Heading>
          {indicator.description && <Paragraph>{indicator.description}</Paragraph>}
          {hrefForIndicator && (
            <Paragraph>
              <Link to={hrefForIndicator(indicator.id)}>{t('view.map.toIndicator', { label })}</Link>
            </Paragraph>
          )}
          <div className="dp-columns">
            <AreaMap
              level={level === 'buurt' ? 'buurt' : 'wijk'}
              values={mapValues}
              decimals={indicator.decimals}
              title={t('view.map.mapOf', { label, unit: indicator.unit })}
              hrefFor={hrefForArea}
            />
            <DataTable
              caption={t('view.map.tableOf', { label })}
              columns={[
                { key: 'area', label: t('view.area') },
                { key: 'value', label: `${t('view.value')} (${indicator.unit})`, numeric: true },
              ]}
              rows={current.map((v) => ({
                area: <Link to={hrefForArea(v.area)}>{v.areaName ?? v.area}</Link>,
                value: valueText(v.value, v.status, indicator.decimals, lang, t),
              }))}
            />
          </div>
          {indicator.attribution && <Paragraph small>{indicator.attribution}</Paragraph>}
          <Paragraph small>{t('status.explain')}</Paragraph>
        </Loading>
      )}
    </>
  );
}
