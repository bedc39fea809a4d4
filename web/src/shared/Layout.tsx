import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from './router.js';

export interface NavItem {
  to: string;
  label: string;
}

/**
 * The page frame of both faces: skip link, header with the site name and navigation, language
 * choice, the main landmark (`#inhoud`, the skip link's target) and the footer with the sources.
 */
export function Layout({
  site,
  home,
  nav,
  aside,
  children,
  footer,
}: {
  site: string;
  home: string;
  nav: NavItem[];
  /** right side of the header: who is signed in, sign-out */
  aside?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const { pathname } = useLocation();
  const other = i18n.language === 'en' ? 'nl' : 'en';
  return (
    <div className="utrecht-theme utrecht-root utrecht-document dp-page">
      <a className="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
        {t('skipLink')}
      </a>
      <header className="utrecht-page-header dp-header">
        <div className="dp-header__inner">
          <Link to={home} className="dp-header__site">
            {site}
          </Link>
          <div className="dp-header__aside">
            {aside}
            <button
              type="button"
              className="utrecht-button utrecht-button--subtle dp-lang"
              lang={other}
              onClick={() => void i18n.changeLanguage(other)}
            >
              {t('otherLanguage')}
            </button>
          </div>
        </div>
        {nav.length > 0 && (
          <nav className="dp-nav" aria-label={t('nav.label')}>
            <ul>
              {nav.map((n) => {
                const current = n.to === home ? pathname === home : pathname.startsWith(n.to);
                return (
                  <li key={n.to}>
                    <Link to={n.to} className="dp-nav__link" {...(current ? { 'aria-current': 'page' } : {})}>
                      {n.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      <main id="inhoud" className="utrecht-page-content dp-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="utrecht-page-footer dp-footer">
        <div className="dp-footer__inner">{footer}</div>
      </footer>
    </div>
  );
}
