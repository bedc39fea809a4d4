import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout, type NavItem } from '../shared/Layout.js';
import { Button, Heading, Paragraph, SelectField } from '../shared/nlds.js';
import { Routes, type RouteDef } from '../shared/router.js';
import { AreaPage, AreasPage } from './pages/Areas.js';
import { AuditPage } from './pages/Audit.js';
import { CatalogPage } from './pages/Catalog.js';
import { HomePage } from './pages/Home.js';
import { IndicatorPage, IndicatorsPage } from './pages/Indicators.js';
import { LoginPage } from './pages/Login.js';
import { MapPage } from './pages/Map.js';
import { QualityPage } from './pages/Quality.js';
import { RegisterPage } from './pages/Register.js';
import { RunsPage } from './pages/Runs.js';
import { SourcePage } from './pages/Source.js';
import { UsersPage } from './pages/Users.js';
import { SessionProvider, useSession, type RoleDetails } from './session.js';

/** The internal app: behind sign-in, every page reads through authorise() with a role and a purpose. */
export function App(): ReactNode {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

/** The pages and who sees them in the menu (the server decides access; the menu only hides dead ends). */
interface Page extends RouteDef {
  nav?: { label: string; show: (role: RoleDetails) => boolean };
}

function pages(t: (k: string) => string): Page[] {
  const any = (): boolean => true;
  // reading data needs a purpose the role may use; the server weighs each indicator and source
  const reads = (r: RoleDetails): boolean => r.purposes.length > 0;
  const adminOrAudit = (r: RoleDetails): boolean => r.admin || r.audit;
  const admin = (r: RoleDetails): boolean => r.admin;
  return [
    { path: '/app', render: () => <HomePage />, nav: { label: t('app.nav.home'), show: any } },
    {
      path: '/app/indicatoren',
      render: () => <IndicatorsPage />,
      nav: { label: t('app.nav.indicators'), show: any },
    },
    { path: '/app/indicatoren/:id', render: (p) => <IndicatorPage id={p['id'] as string} /> },
    { path: '/app/gebieden', render: () => <AreasPage />, nav: { label: t('app.nav.areas'), show: reads } },
    { path: '/app/gebieden/:code', render: (p) => <AreaPage code={p['code'] as string} /> },
    { path: '/app/kaart', render: () => <MapPage />, nav: { label: t('app.nav.map'), show: reads } },
    {
      path: '/app/catalogus',
      render: () => <CatalogPage />,
      nav: { label: t('app.nav.catalog'), show: any },
    },
    { path: '/app/catalogus/:bron', render: (p) => <SourcePage name={p['bron'] as string} /> },
    {
      path: '/app/kwaliteit',
      render: () => <QualityPage />,
      nav: { label: t('app.nav.quality'), show: any },
    },
    { path: '/app/runs', render: () => <RunsPage />, nav: { label: t('app.nav.runs'), show: adminOrAudit } },
    {
      path: '/app/audit',
      render: () => <AuditPage />,
      nav: { label: t('app.nav.audit'), show: adminOrAudit },
    },
    {
      path: '/app/register',
      render: () => <RegisterPage />,
      nav: { label: t('app.nav.register'), show: adminOrAudit },
    },
    { path: '/app/gebruikers', render: () => <UsersPage />, nav: { label: t('app.nav.users'), show: admin } },
  ];
}

function Shell(): ReactNode {
  const { t } = useTranslation();
  const s = useSession();
  if (s.loading && !s.session)
    return (
      <p className="utrecht-paragraph" role="status">
        {t('loading')}
      </p>
    );
  const all = pages(t);
  const nav: NavItem[] = s.role
    ? all
        .filter((p) => p.nav?.show(s.role as RoleDetails))
        .map((p) => ({ to: p.path, label: p.nav?.label ?? '' }))
    : [];
  return (
    <Layout
      site={t('app.site')}
      home="/app"
      nav={nav}
      aside={s.session ? <SessionBar /> : undefined}
      footer={<p className="utrecht-paragraph utrecht-paragraph--small">{t('app.footer')}</p>}
    >
      {s.session ? (
        // a page is made again when the role or purpose changes: every request carries them
        <Fragment key={`${s.role?.name ?? ''}|${s.purpose}`}>
          <Routes
            routes={all}
            notFound={
              <>
                <Heading level={1}>{t('error.notFound')}</Heading>
                <Paragraph>{t('app.notFound')}</Paragraph>
              </>
            }
          />
        </Fragment>
      ) : (
        <LoginPage />
      )}
    </Layout>
  );
}

/** Who is signed in, the role and purpose this tab acts in, sign-out. */
function SessionBar(): ReactNode {
  const { t } = useTranslation();
  const s = useSession();
  const session = s.session;
  if (!session) return null;
  return (
    <div className="dp-sessionbar">
      <span>{t('app.session.signedInAs', { user: session.displayName ?? session.user })}</span>
      {session.roleDetails.length > 1 && (
        <SelectField
          label={t('app.session.role')}
          value={s.role?.name ?? ''}
          onChange={(e) => s.setRole(e.target.value)}
          options={session.roleDetails.map((r) => [
            r.name,
            r.description ? `${r.name} — ${r.description}` : r.name,
          ])}
        />
      )}
      {s.role && s.role.purposes.length > 0 && (
        <SelectField
          label={t('app.session.purpose')}
          value={s.purpose}
          onChange={(e) => s.setPurpose(e.target.value)}
          options={s.role.purposes.map((p) => [p, p])}
        />
      )}
      <Button onClick={() => void s.signOut()}>{t('app.session.signOut')}</Button>
    </div>
  );
}
