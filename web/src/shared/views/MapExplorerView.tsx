import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator, IndicatorValue } from '../api.js';
import { labelOf, periodText } from '../format.js';
import { Heading, Loading, Paragraph, SelectField } from '../nlds.js';
import { Link } from '../router.js';
import { AreaValues, LevelPeriodSelects, type LevelPeriod } from './AreaValues.js';
import type { LoadState } from './IndicatorView.js';

export interface MapExplorerViewProps extends LevelPeriod {
  /** the indicators to choose from */
  indicators: Indicator[];
  /** the chosen indicator (undefined: none yet) */
  indicator: Indicator | undefined;
  onIndicatorChange: (id: string) => void;
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
  values,
  valuesState,
  hrefForArea,
  hrefForIndicator,
  title,
  intro,
  ...selection
}: MapExplorerViewProps): ReactNode {
  const { level, period } = selection;
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
        <LevelPeriodSelects {...selection} periods={indicator?.periods ?? []} />
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
          <AreaValues
            values={values}
            level={level}
            period={period}
            decimals={indicator.decimals}
            unit={indicator.unit}
            mapTitle={t('view.map.mapOf', { label, unit: indicator.unit })}
            tableCaption={t('view.map.tableOf', { label })}
            hrefForArea={hrefForArea}
          />
          {indicator.attribution && <Paragraph small>{indicator.attribution}</Paragraph>}
          <Paragraph small>{t('status.explain')}</Paragraph>
        </Loading>
      )}
    </>
  );
}
