import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../shared/api.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { LoadingPage, Paragraph } from '../../shared/nlds.js';
import { useQueryParam } from '../../shared/router.js';
import { useLevelPeriod } from '../../shared/views/AreaValues.js';
import { MapExplorerView } from '../../shared/views/MapExplorerView.js';
import { useSession } from '../session.js';
import {
  allowedFor,
  areaHref,
  indicatorHref,
  loadIndicators,
  loadSourcePurposes,
  loadValues,
  periodsOf,
} from '../data.js';

/** /app/kaart — indicator × level × period on a map with restricted values (?indicator=&niveau=&periode=). */
export function MapPage(): ReactNode {
  const { t } = useTranslation();
  const { purpose } = useSession();
  useTitle(t('app.map.title'), t('app.site'));
  const indicators = useApi('/internal/indicators', loadIndicators);
  const [id, setId] = useQueryParam('indicator');
  const { level, choose } = useLevelPeriod();
  const purposes = useApi('/internal/catalog', loadSourcePurposes);
  // only the indicators the purpose allows (without the catalog: all, and the server refuses)
  const list = useMemo(
    () => (indicators.data ?? []).filter((i) => !purposes.data || allowedFor(i, purpose, purposes.data)),
    [indicators.data, purposes.data, purpose],
  );
  const chosen = list.find((i) => i.id === id) ?? list[0];
  // every period of the indicator at this level: the period choice comes from the values themselves
  const values = useApi(
    chosen ? `/internal/indicators/${encodeURIComponent(chosen.id)}/values${query({ level })}` : null,
    loadValues,
  );
  const periods = useMemo(() => periodsOf(values.data), [values.data]);
  const indicator = useMemo(() => (chosen ? { ...chosen, periods } : undefined), [chosen, periods]);
  const selection = choose(periods);

  if (!indicators.data || purposes.loading || list.length === 0)
    return (
      <LoadingPage
        title={t('app.map.title')}
        loading={indicators.loading || purposes.loading}
        error={indicators.error}
      >
        <Paragraph>{t('app.map.none', { purpose })}</Paragraph>
      </LoadingPage>
    );
  return (
    <MapExplorerView
      title={t('app.map.title')}
      intro={<Paragraph lead>{t('app.map.lead', { purpose })}</Paragraph>}
      indicators={list}
      indicator={indicator}
      onIndicatorChange={(v) => {
        selection.onPeriodChange('');
        setId(v);
      }}
      {...selection}
      values={values.data}
      valuesState={values}
      hrefForArea={areaHref}
      hrefForIndicator={(i) => `${indicatorHref(i)}${query({ niveau: level, periode: selection.period })}`}
    />
  );
}
