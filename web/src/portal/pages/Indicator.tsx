import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { query, type Indicator } from '../../shared/api.js';
import { labelOf } from '../../shared/format.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { ButtonGroup, ButtonLink, Loading } from '../../shared/nlds.js';
import { useLevelPeriod } from '../../shared/views/AreaValues.js';
import { IndicatorView } from '../../shared/views/IndicatorView.js';
import { areaHref, loadValues } from '../data.js';

/** /indicatoren/:id — fetches the indicator and its values; the shared IndicatorView shows them. */
export function IndicatorPage({ id }: { id: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const ind = useApi<Indicator>(`/indicators/${encodeURIComponent(id)}`);
  const values = useApi(`/indicators/${encodeURIComponent(id)}/values`, loadValues);
  const { choose } = useLevelPeriod();
  useTitle(ind.data ? labelOf(ind.data.label, i18n.language) : id, t('portal.site'));

  if (ind.error || ind.loading || !ind.data) return <Loading loading={ind.loading} error={ind.error} />;
  const i = ind.data;
  const selection = choose(i.periods);
  const dl = query({ level: selection.level, period: selection.period });
  return (
    <IndicatorView
      indicator={i}
      values={values.data}
      valuesState={values}
      {...selection}
      hrefForArea={areaHref}
      downloads={
        <ButtonGroup>
          <ButtonLink href={`/api/v1/indicators/${encodeURIComponent(i.id)}/values.csv${dl}`} download>
            {t('download.csv')}
          </ButtonLink>
          <ButtonLink href={`/api/v1/indicators/${encodeURIComponent(i.id)}/values.xlsx${dl}`} download>
            {t('download.xlsx')}
          </ButtonLink>
        </ButtonGroup>
      }
    />
  );
}
