import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from '../shared/Layout.js';
import { Heading, Paragraph } from '../shared/nlds.js';
import { Routes } from '../shared/router.js';
import { Home } from './pages/Home.js';
import { IndicatorPage } from './pages/Indicator.js';

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
          { path: '/indicatoren/:id', render: (p) => <IndicatorPage id={p['id'] as string} /> },
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
