import {
  useCallback,
  useEffect,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

/**
 * A small history router: the address is the state. Pages read their selection from the query
 * string, so a copied URL opens the same indicator, level, period and area (shareable links).
 */

const EVENT = 'datapakhuis:navigate';

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

export interface Location {
  pathname: string;
  search: URLSearchParams;
}

export function useLocation(): Location {
  const read = (): Location => ({
    pathname: window.location.pathname,
    search: new URLSearchParams(window.location.search),
  });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = (): void => setLoc(read());
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return loc;
}

/**
 * One query parameter as state: setting it replaces the address (no history entry per click of a
 * select), so the URL always holds the selection.
 */
export function useQueryParam(name: string, fallback = ''): [string, (value: string) => void] {
  const { search } = useLocation();
  const value = search.get(name) ?? fallback;
  const set = useCallback(
    (v: string) => {
      const q = new URLSearchParams(window.location.search);
      if (v) q.set(name, v);
      else q.delete(name);
      const s = q.toString();
      navigate(`${window.location.pathname}${s ? `?${s}` : ''}`, { replace: true });
    },
    [name],
  );
  return [value, set];
}

/** Match `/gebieden/:code` against a path; the params, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] as string;
    const val = s[i] as string;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return null;
  }
  return params;
}

export interface RouteDef {
  path: string;
  render: (params: Record<string, string>) => ReactNode;
}

/** The first route that matches the current path, or `notFound`. Moves focus to the new page's h1. */
export function Routes({ routes, notFound }: { routes: RouteDef[]; notFound: ReactNode }): ReactNode {
  const { pathname } = useLocation();
  useEffect(() => {
    // a new page: move focus to its heading, as a screen reader user expects after a link
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1 && document.activeElement && document.activeElement !== document.body) {
      h1.tabIndex = -1;
      h1.focus({ preventScroll: false });
    }
  }, [pathname]);
  for (const r of routes) {
    const params = match(r.path, pathname);
    if (params) return r.render(params);
  }
  return notFound;
}

/** An in-app link (NL Design System link style); modified clicks open as the browser would. */
export function Link({
  to,
  children,
  className,
  ...rest
}: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>): ReactNode {
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
    window.scrollTo(0, 0);
  };
  const current = typeof window !== 'undefined' && window.location.pathname === to.split('?')[0];
  return (
    <a
      href={to}
      onClick={onClick}
      className={className ?? 'utrecht-link utrecht-link--html-a'}
      {...(current ? { 'aria-current': 'page' as const } : {})}
      {...rest}
    >
      {children}
    </a>
  );
}
