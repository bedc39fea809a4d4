import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from '../shared/Layout.js';
import { Heading, Paragraph } from '../shared/nlds.js';
import { Routes } from '../shared/router.js';
import { useApi } from '../shared/hooks.js';
import { loadIndicators } from './data.js';
import { AreaProfilePage, AreaReportPage } from './pages/AreaProfile.js';
import { AreasPage } from './pages/Areas.js';
import { Home } from './pages/Home.js';
import { IndicatorPage } from './pages/Indicator.js';
import { MapExplorerPage } from './pages/MapExplorer.js';

/** The "Bron" attributions of the published indicators, once each. */
function IndicatorSources(): ReactNode {
  const { t } = useTranslation();
  const { data } = useApi('/indicators', loadIndicators);
  const list = [...new Set((data ?? []).map((i) => i.attribution).filter((a): a is string => !!a))];
  if (list.length === 0) return null;
  return (
    <p className="utrecht-paragraph utrecht-paragraph--small">
      {t('portal.footer.sources', { list: list.join('; ') })}
    </p>
  );
}

/** The public portal: published, disclosure-controlled figures only, for anyone. */
export function Portal(): ReactNode {
  const { t } = useTranslation();
  return (
    <Layout
      site={t('portal.site')}
      home="/"
      nav={[
        { to: '/', label: t('portal.nav.home') },
        { to: '/gebieden', label: t('portal.nav.areas') },
        { to: '/kaart', label: t('portal.nav.map') },
      ]}
      footer={
        <>
          <p className="utrecht-paragraph utrecht-paragraph--small">{t('portal.footer.about')}</p>
          <IndicatorSources />
          <p className="utrecht-paragraph utrecht-paragraph--small">{t('footer.cbs')}</p>
          <nav aria-label={t('portal.footer.api')}>
            <ul className="utrecht-link-list utrecht-link-list--html-ul">
              <li>
                <a className="utrecht-link" href="/api/v1/openapi.json">
                  {t('portal.footer.api')}
                </a>
              </li>
              <li>
                <a className="utrecht-link" href="/app/">
                  {t('portal.footer.signIn')}
                </a>
              </li>
            </ul>
          </nav>
        </>
      }
    >
      <Routes
        routes={[
          { path: '/', render: () => <Home /> },
          { path: '/indicatoren/:id', render: (p) => <IndicatorPage key={p['id']} id={p['id'] as string} /> },
          { path: '/gebieden', render: () => <AreasPage /> },
          {
            path: '/gebieden/:code',
            render: (p) => <AreaProfilePage key={p['code']} code={p['code'] as string} />,
          },
          {
            path: '/gebieden/:code/rapport',
            render: (p) => <AreaReportPage key={p['code']} code={p['code'] as string} />,
          },
          { path: '/kaart', render: () => <MapExplorerPage /> },
        ]}
        notFound={
          <>
            <Heading level={1}>{t('error.notFound')}</Heading>
            <Paragraph>
              <a className="utrecht-link" href="/">
                {t('portal.nav.home')}
              </a>
            </Paragraph>
          </>
        }
      />
    </Layout>
  );
}
