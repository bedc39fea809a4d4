import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../shared/api.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { LoadingPage, Paragraph } from '../../shared/nlds.js';
import { useQueryParam } from '../../shared/router.js';
import { useLevelPeriod } from '../../shared/views/AreaValues.js';
import { MapExplorerView } from '../../shared/views/MapExplorerView.js';
import { areaHref, indicatorHref, loadIndicators, loadValues } from '../data.js';

/** /kaart — indicator × level × period on a map, all three in the address (?indicator=&niveau=&periode=). */
export function MapExplorerPage(): ReactNode {
  const { t } = useTranslation();
  useTitle(t('portal.map.title'), t('portal.site'));
  const indicators = useApi('/indicators', loadIndicators);
  const [id, setId] = useQueryParam('indicator');
  const { level, choose } = useLevelPeriod();
  const list = indicators.data ?? [];
  const indicator = list.find((i) => i.id === id) ?? list[0];
  const selection = choose(indicator?.periods);
  const { period } = selection;
  const values = useApi(
    indicator && period
      ? `/indicators/${encodeURIComponent(indicator.id)}/values${query({ level, period })}`
      : null,
    loadValues,
  );

  if (!indicators.data)
    return (
      <LoadingPage title={t('portal.map.title')} loading={indicators.loading} error={indicators.error} />
    );
  return (
    <MapExplorerView
      title={t('portal.map.title')}
      intro={<Paragraph lead>{t('portal.map.lead')}</Paragraph>}
      indicators={list}
      indicator={indicator}
      onIndicatorChange={setId}
      {...selection}
      values={values.data}
      valuesState={values}
      hrefForArea={areaHref}
      hrefForIndicator={(i) => `${indicatorHref(i)}${query({ niveau: level, periode: period })}`}
    />
  );
}
