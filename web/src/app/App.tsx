import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout, type NavItem } from '../shared/Layout.js';
import { Button, Heading, Paragraph, SelectField } from '../shared/nlds.js';
import { Routes, type RouteDef } from '../shared/router.js';
import { LoginPage } from './pages/Login.js';
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
  return [
    { path: '/app', render: () => <Heading level={1}>{t('app.home.title')}</Heading>, nav: { label: t('app.nav.home'), show: any } },
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
    ? all.filter((p) => p.nav?.show(s.role as RoleDetails)).map((p) => ({ to: p.path, label: p.nav?.label ?? '' }))
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
        <Routes
          routes={all}
          notFound={
            <>
              <Heading level={1}>{t('error.notFound')}</Heading>
              <Paragraph>{t('app.notFound')}</Paragraph>
            </>
          }
        />
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
          options={session.roleDetails.map((r) => [r.name, r.description ? `${r.name} — ${r.description}` : r.name])}
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
