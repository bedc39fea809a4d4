import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, getJson, send, setRequestContext } from '../shared/api.js';

export interface RoleDetails {
  name: string;
  description: string | null;
  purposes: string[];
  admin: boolean;
  audit: boolean;
}

export interface SessionInfo {
  user: string;
  displayName: string | null;
  roles: string[];
  role: string | null;
  roleDetails: RoleDetails[];
  wijken: string[] | null;
  method: 'password' | 'oidc';
  expiresAt: string;
  csrfToken: string;
}

export interface SessionState {
  session: SessionInfo | null;
  loading: boolean;
  /** how one can sign in here: 'password', and 'oidc' where an identity provider is configured */
  signInMethods: string[];
  /** the role acted in (X-Role) and the purpose of use (X-Purpose) */
  role: RoleDetails | null;
  purpose: string;
  setRole: (name: string) => void;
  setPurpose: (purpose: string) => void;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);
const ROLE_KEY = 'datapakhuis.role';
const PURPOSE_KEY = 'datapakhuis.purpose';

/**
 * The signed-in identity (GET /api/v1/session), the role and purpose chosen for this tab (kept in
 * sessionStorage), sent with every API request as X-Role and X-Purpose, and the CSRF token.
 */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const [signInMethods, setSignInMethods] = useState<string[]>(['password']);
  const [roleName, setRoleName] = useState<string>(() => window.sessionStorage.getItem(ROLE_KEY) ?? '');
  const [purpose, setPurposeState] = useState<string>(() => window.sessionStorage.getItem(PURPOSE_KEY) ?? '');

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      setRequestContext({ role: undefined });
      setSession(await getJson<SessionInfo>('/session'));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
      // the 401 names the ways to sign in this installation offers
      const methods = (e.problem as { signInMethods?: unknown }).signInMethods;
      setSignInMethods(Array.isArray(methods) ? methods.map(String) : ['password']);
      setSession(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const role =
    session?.roleDetails.find((r) => r.name === roleName) ??
    session?.roleDetails.find((r) => r.name === session.role) ??
    session?.roleDetails[0] ??
    null;
  const effectivePurpose = role && role.purposes.includes(purpose) ? purpose : (role?.purposes[0] ?? '');
  // the headers follow the state synchronously, before children fetch
  setRequestContext({
    role: role?.name,
    purpose: effectivePurpose || undefined,
    csrf: session?.csrfToken,
  });

  const value: SessionState = {
    session,
    loading,
    signInMethods,
    role,
    purpose: effectivePurpose,
    setRole: (name) => {
      window.sessionStorage.setItem(ROLE_KEY, name);
      setRoleName(name);
    },
    setPurpose: (p) => {
      window.sessionStorage.setItem(PURPOSE_KEY, p);
      setPurposeState(p);
    },
    signIn: async (username, password) => {
      await send('POST', '/session', { username, password });
      await refresh();
    },
    signOut: async () => {
      await send('DELETE', '/session');
      window.sessionStorage.removeItem(ROLE_KEY);
      window.sessionStorage.removeItem(PURPOSE_KEY);
      setSession(null);
    },
    refresh,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
