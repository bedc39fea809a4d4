import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api.js';
import { useTitle } from '../../shared/hooks.js';
import { Alert, Button, Heading, Paragraph, TextField } from '../../shared/nlds.js';
import { useSession } from '../session.js';

/** Sign in with a local account, or with the organisation's account (OpenID Connect) where configured. */
export function LoginPage(): ReactNode {
  const { t } = useTranslation();
  useTitle(t('app.login.title'), t('app.site'));
  const { signIn, signInMethods } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // a refused sign-in at the identity provider comes back as ?aanmelden=<reason>
  const refused = new URLSearchParams(window.location.search).get('aanmelden');
  const [error, setError] = useState<string | null>(
    refused ? t(`app.login.refused.${refused}`, { defaultValue: t('app.login.refused.other') }) : null,
  );
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(
        status === 401
          ? t('app.login.wrong')
          : status === 429
            ? t('app.login.locked')
            : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  const returnTo = encodeURIComponent(window.location.pathname + window.location.search);
  return (
    <>
      <Heading level={1}>{t('app.login.title')}</Heading>
      <Paragraph>{t('app.login.lead')}</Paragraph>
      {error && <Alert type="error">{error}</Alert>}
      <form onSubmit={(e) => void submit(e)} className="dp-login" noValidate>
        <TextField
          label={t('app.login.username')}
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField
          label={t('app.login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" appearance="primary-action" disabled={busy}>
          {t('app.login.submit')}
        </Button>
      </form>
      {signInMethods.includes('oidc') && (
        <Paragraph>
          <a className="utrecht-link" href={`/api/v1/session/oidc?returnTo=${returnTo}`}>
            {t('app.login.oidc')}
          </a>
        </Paragraph>
      )}
    </>
  );
}
