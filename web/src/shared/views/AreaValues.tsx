import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorValue } from '../api.js';
import { AreaMap, type MapValue } from '../AreaMap.js';
import { DataTable } from '../DataTable.js';
import { latestPeriod, periodText, valueText } from '../format.js';
import { SelectField } from '../nlds.js';
import { Link, useQueryParam } from '../router.js';

/** The level and period a view of values per area shows, and how the reader changes them. */
export interface LevelPeriod {
  /** 'wijk' or 'buurt' */
  level: string;
  onLevelChange: (level: string) => void;
  /** the chosen period (the face resolves the default, e.g. with latestPeriod) */
  period: string;
  onPeriodChange: (period: string) => void;
}

/**
 * The level (?niveau=, wijk or buurt) and the period (?periode=) in the address. `choose` gives the
 * selection for the periods there are: the period in the address when it is one of them, else the
 * latest.
 */
export function useLevelPeriod(): {
  level: 'wijk' | 'buurt';
  choose: (periods: readonly string[] | undefined) => LevelPeriod;
} {
  const [levelParam, setLevel] = useQueryParam('niveau', 'wijk');
  const [periodParam, setPeriod] = useQueryParam('periode');
  const level = levelParam === 'buurt' ? 'buurt' : 'wijk';
  const choose = (periods: readonly string[] | undefined): LevelPeriod => ({
    level,
    onLevelChange: setLevel,
    period: periods?.includes(periodParam) ? periodParam : latestPeriod(periods),
    onPeriodChange: setPeriod,
  });
  return { level, choose };
}

/** The level and period selects of a view (the periods newest first). */
export function LevelPeriodSelects({
  level,
  onLevelChange,
  period,
  onPeriodChange,
  periods,
}: LevelPeriod & { periods: readonly string[] }): ReactNode {
  const { t } = useTranslation();
  return (
    <>
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
        options={[...periods].reverse().map((p) => [p, periodText(p)])}
      />
    </>
  );
}

/** The values of one level and period per area: a map and, beside it, the same figures as a table. */
export function AreaValues({
  values,
  level,
  period,
  decimals,
  unit,
  mapTitle,
  tableCaption,
  hrefForArea,
}: {
  values: IndicatorValue[] | undefined;
  level: string;
  period: string;
  decimals: number;
  unit: string;
  mapTitle: string;
  tableCaption: string;
  hrefForArea: (code: string) => string;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const current = (values ?? []).filter((v) => v.level === level && v.period === period);
  const mapValues = new Map<string, MapValue>(
    current.map((v) => [v.area, { value: v.value, status: v.status }]),
  );
  return (
    <div className="dp-columns">
      <AreaMap
        level={level === 'buurt' ? 'buurt' : 'wijk'}
        values={mapValues}
        decimals={decimals}
        title={mapTitle}
        hrefFor={hrefForArea}
      />
      <DataTable
        caption={tableCaption}
        columns={[
          { key: 'area', label: t('view.area') },
          { key: 'value', label: `${t('view.value')} (${unit})`, numeric: true },
        ]}
        rows={current.map((v) => ({
          area: <Link to={hrefForArea(v.area)}>{v.areaName ?? v.area}</Link>,
          value: valueText(v.value, v.status, decimals, i18n.language, t),
        }))}
      />
    </div>
  );
}
