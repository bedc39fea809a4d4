import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../shared/api.js';
import { labelOf } from '../../shared/format.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { Heading, Loading, Paragraph } from '../../shared/nlds.js';
import { Link } from '../../shared/router.js';
import { loadIndicators } from '../data.js';

/** The portal's front page: every published indicator, grouped by theme. */
export function Home(): ReactNode {
  const { t, i18n } = useTranslation();
  useTitle(t('portal.nav.home'), t('portal.site'));
  const { data, error, loading } = useApi('/indicators', loadIndicators);
  const themes = new Map<string, Indicator[]>();
  for (const i of data ?? []) themes.set(i.theme, [...(themes.get(i.theme) ?? []), i]);
  return (
    <>
      <Heading level={1}>{t('portal.home.title')}</Heading>
      <Paragraph lead>{t('portal.home.lead')}</Paragraph>
      <Heading level={2}>{t('portal.home.byTheme')}</Heading>
      <Loading loading={loading} error={error}>
        <div className="dp-columns">
          {[...themes].map(([theme, inds]) => (
            <section key={theme} aria-labelledby={`theme-${theme}`}>
              <Heading level={3} id={`theme-${theme}`}>
                {theme}
              </Heading>
              <ul className="utrecht-link-list utrecht-link-list--html-ul">
                {inds.map((i) => (
                  <li key={i.id}>
                    <Link to={`/indicatoren/${i.id}`}>{labelOf(i.label, i18n.language)}</Link>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </Loading>
    </>
  );
}
