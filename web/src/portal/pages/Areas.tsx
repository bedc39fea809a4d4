import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useTitle } from '../../shared/hooks.js';
import { LoadingPage, Paragraph } from '../../shared/nlds.js';
import { AreaIndexView } from '../../shared/views/AreaIndexView.js';
import { areaHref, loadAreas } from '../data.js';

/** /gebieden — the wijken with their buurten, and a wijk map. */
export function AreasPage(): ReactNode {
  const { t } = useTranslation();
  useTitle(t('portal.areas.title'), t('portal.site'));
  const areas = useApi('/areas', loadAreas);
  if (!areas.data)
    return <LoadingPage title={t('portal.areas.title')} loading={areas.loading} error={areas.error} />;
  return (
    <AreaIndexView
      areas={areas.data}
      hrefForArea={areaHref}
      title={t('portal.areas.title')}
      intro={<Paragraph lead>{t('portal.areas.lead')}</Paragraph>}
    />
  );
}
