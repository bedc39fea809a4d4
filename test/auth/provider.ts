// A real OpenID Connect provider (oidc-provider) on a random port, and a browser to sign in with.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider, type Account as ProviderAccount } from 'oidc-provider';

export const CLIENT = {
  id: 'datapakhuis',
  secret: 'a-test-secret-of-the-test-client',
  env: 'TEST_OIDC_SECRET',
};
export const REDIRECT_URI = 'http://localhost:8080/auth/callback';

/** The provider's users and the claims it releases about them. */
export const PROVIDER_USERS: Record<string, Record<string, unknown>> = {
  alice: { name: 'Alice Analist', roles: ['pakhuis-analisten', 'cafetaria'] },
  wim: { name: 'Wim Wijkteam', roles: ['pakhuis-wijkteam'], wijken: ['WK040001', 'wk040003'] },
  rita: { name: 'Rita Raad', roles: ['pakhuis-bestuur-en-fg'] },
  eve: { name: 'Eve Extern', roles: ['marketing'] },
  nora: { name: 'Nora Zonder Wijk', roles: ['pakhuis-wijkteam'] },
};

export interface TestProvider {
  issuer: string;
  close(): Promise<void>;
}

/**
 * oidc-provider with its development interactions (a login form that accepts any password, and a
 * consent form), one confidential client with PKCE required, and a custom scope that releases the
 * roles and wijken claims (through userinfo, as the provider keeps ID tokens minimal by default).
 */
export async function startProvider(o: { redirectUris?: string[] } = {}): Promise<TestProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: o.redirectUris ?? [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      datapakhuis: ['roles', 'wijken'],
    },
    scopes: ['openid', 'profile', 'datapakhuis'],
    findAccount: (_ctx, id): ProviderAccount | undefined => {
      const claims = PROVIDER_USERS[id];
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, preferred_username: id, ...claims }) };
    },
    cookies: { keys: ['a-cookie-signing-key-for-the-test-provider'] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    features: { devInteractions: { enabled: true } },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
  });
  const callback = provider.callback();
  handler = callback;
  return {
    issuer,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const unescape = (s: string): string =>
  s
    .replace(/&#x2F;/gi, '/')
    .replace(/&#x3D;/gi, '=')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Sign in at the provider as a browser would: follow its redirects with a cookie jar, fill in the
 * login form, submit the consent form, and stop at the redirect back to the app (`redirectUri`).
 * Returns that URL.
 */
export async function browserSignIn(
  authorizationUrl: URL,
  login: string,
  redirectUri = REDIRECT_URI,
): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = set.split(';');
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location') as string, url);
      if (next.href.startsWith(redirectUri)) return next.href;
      url = next;
      body = undefined;
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
    if (res.status !== 200 || !form)
      throw new Error(`unexpected page at ${url.href} (${res.status}): ${html.slice(0, 400)}`);
    body = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      body.set(m[1] as string, unescape(m[2] as string));
    if (body.get('prompt') === 'login') {
      body.set('login', login);
      body.set('password', 'any password: the development login accepts it');
    }
    url = new URL(unescape(form[1] as string), url);
  }
  throw new Error('the sign-in did not come back to the app within 20 steps');
}
