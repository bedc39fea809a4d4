import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson, send } from '../../shared/api.js';
import { DataTable } from '../../shared/DataTable.js';
import { formatDateTime } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Alert, Button, ButtonGroup, Heading, Loading, Paragraph, TextField } from '../../shared/nlds.js';
import { useQueryParam } from '../../shared/router.js';
import type { Account } from '../types.js';
import { CheckboxGroup, fieldErrors, PageTitle } from '../ui.js';

/** The list, loaded again when `n` (after the hash) changes. */
interface UserList {
  users: Account[];
  /** the roles of this installation an account can get */
  roles: Array<{ name: string; description: string | null }>;
}

const loadUsers = (path: string, signal: AbortSignal): Promise<UserList> =>
  getJson<UserList>(path.split('#')[0] as string, signal);

const wijkenOf = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((w) => w.trim().toUpperCase())
    .filter(Boolean);

/** Local accounts and their roles, for an administrator: list, add, change roles, disable, enable, unlock. */
export function UsersPage(): ReactNode {
  const { t } = useTranslation();
  const [n, setN] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [selected, setSelected] = useQueryParam('account');
  const { data, error, loading } = useApi(`/internal/users#${n}`, loadUsers);
  const users = data?.users ?? [];
  // the roles of this installation (pakhuis.yaml), as the API lists them
  const roles = (data?.roles ?? []).map((r) => r.name);
  const reload = (message: string): void => {
    setDone(message);
    setN((x) => x + 1);
  };
  const account = users.find((u) => u.username === selected);
  return (
    <>
      <PageTitle>{t('app.users.title')}</PageTitle>
      <Paragraph lead>{t('app.users.lead')}</Paragraph>
      <div aria-live="polite">{done && <Alert type="ok">{done}</Alert>}</div>
      <Loading loading={loading && !data} error={error}>
        <UserTable users={users} onSelect={setSelected} />
        {account && (
          <EditAccount
            key={`${account.username}|${account.updatedAt}`}
            account={account}
            roles={roles}
            onDone={reload}
            onClose={() => setSelected('')}
          />
        )}
        <NewAccount roles={roles} onDone={reload} />
      </Loading>
    </>
  );
}

function statusOf(u: Account, t: (k: string) => string): string {
  if (u.disabled) return t('app.users.disabled');
  if (u.locked) return t('app.users.locked');
  return t('app.users.active');
}

function UserTable({ users, onSelect }: { users: Account[]; onSelect: (u: string) => void }): ReactNode {
  const { t, i18n } = useTranslation();
  return (
    <DataTable
      caption={t('app.users.caption', { count: users.length })}
      columns={[
        { key: 'username', label: t('app.login.username') },
        { key: 'name', label: t('app.users.displayName') },
        { key: 'roles', label: t('app.users.roles') },
        { key: 'wijken', label: t('app.users.wijken') },
        { key: 'status', label: t('app.users.status') },
        { key: 'failed', label: t('app.users.failed'), numeric: true },
        { key: 'lastLogin', label: t('app.users.lastLogin') },
        { key: 'action', label: t('app.users.action') },
      ]}
      rows={users.map((u) => ({
        username: u.username,
        name: u.displayName,
        roles: u.roles.join(', '),
        wijken: u.wijken.length ? u.wijken.join(', ') : '—',
        status: statusOf(u, t),
        failed: u.failedAttempts,
        lastLogin: u.lastLogin ? formatDateTime(u.lastLogin, i18n.language) : t('app.users.never'),
        action: (
          <Button
            onClick={() => onSelect(u.username)}
            aria-label={t('app.users.changeOf', { user: u.username })}
          >
            {t('app.users.change')}
          </Button>
        ),
      }))}
      rowKey={(_, i) => users[i]?.username ?? String(i)}
    />
  );
}

/**
 * The state of an account form while it talks to the API: busy, the API's refusal and its errors
 * by field; after a refusal, focus moves to the first field in error (in `order`, or the API's).
 */
function useAccountRequest(
  id: string,
  roles: string[],
  order?: string[],
): {
  busy: boolean;
  errors: Record<string, string>;
  problem: string | null;
  run: (request: () => Promise<void>) => Promise<void>;
} {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (request: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setErrors({});
    setProblem(null);
    try {
      await request();
    } catch (e) {
      const fields = fieldErrors(e, t);
      setErrors(fields);
      setProblem(e instanceof ApiError ? e.message : (e as Error).message);
      const first = order ? order.find((f) => fields[f]) : Object.keys(fields)[0];
      if (first)
        document
          .getElementById(first === 'roles' ? `${id}-roles-${roles[0] ?? ''}` : `${id}-${first}`)
          ?.focus();
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, problem, run };
}

/** The roles and wijken of an account, as both account forms ask them. */
function RolesAndWijken({
  id,
  roles,
  chosen,
  onChosen,
  wijken,
  onWijken,
  errors,
}: {
  id: string;
  roles: string[];
  chosen: string[];
  onChosen: (roles: string[]) => void;
  wijken: string;
  onWijken: (e: { target: { value: string } }) => void;
  errors: Record<string, string>;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <CheckboxGroup
        id={`${id}-roles`}
        legend={t('app.users.roles')}
        options={roles.map((r): [string, string] => [r, r])}
        value={chosen}
        onChange={onChosen}
        error={errors['roles']}
      />
      <TextField
        id={`${id}-wijken`}
        label={t('app.users.wijken')}
        description={t('app.users.wijkenHelp')}
        value={wijken}
        onChange={onWijken}
        error={errors['wijken']}
      />
    </>
  );
}

/** Change one account: its roles and wijken, disable or enable, lift a lockout. */
function EditAccount({
  account: a,
  roles,
  onDone,
  onClose,
}: {
  account: Account;
  roles: string[];
  onDone: (message: string) => void;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [chosen, setChosen] = useState<string[]>(a.roles);
  const [wijken, setWijken] = useState(a.wijken.join(', '));
  const { busy, errors, problem, run } = useAccountRequest(id, roles);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const patch = (body: Record<string, unknown>, message: string): Promise<void> =>
    run(async () => {
      await send('PATCH', `/internal/users/${encodeURIComponent(a.username)}`, body);
      onDone(message);
    });
  const saveRoles = (e: FormEvent): void => {
    e.preventDefault();
    void patch({ roles: chosen, wijken: wijkenOf(wijken) }, t('app.users.rolesSaved', { user: a.username }));
  };

  return (
    <section aria-labelledby={`${id}-h`} className="dp-panel">
      <Heading level={2} id={`${id}-h`}>
        <span ref={heading} tabIndex={-1}>
          {t('app.users.editTitle', { user: a.username })}
        </span>
      </Heading>
      {problem && <Alert type="error">{problem}</Alert>}
      <form onSubmit={saveRoles} noValidate>
        <RolesAndWijken
          id={id}
          roles={roles}
          chosen={chosen}
          onChosen={setChosen}
          wijken={wijken}
          onWijken={(e) => setWijken(e.target.value)}
          errors={errors}
        />
        <ButtonGroup>
          <Button type="submit" appearance="primary-action" disabled={busy}>
            {t('app.users.saveRoles')}
          </Button>
        </ButtonGroup>
      </form>
      <Heading level={3}>{t('app.users.access')}</Heading>
      <Paragraph>
        {t('app.users.statusNow', { status: statusOf(a, t) })}
        {a.locked && a.lockedUntil ? ` ${t('app.users.lockedUntil', { at: a.lockedUntil })}` : ''}
      </Paragraph>
      <ButtonGroup>
        {a.disabled ? (
          <Button
            disabled={busy}
            onClick={() => void patch({ disabled: false }, t('app.users.enabled', { user: a.username }))}
          >
            {t('app.users.enable')}
          </Button>
        ) : (
          <Button
            disabled={busy}
            onClick={() => void patch({ disabled: true }, t('app.users.disabledDone', { user: a.username }))}
          >
            {t('app.users.disable')}
          </Button>
        )}
        {a.locked && (
          <Button
            disabled={busy}
            onClick={() => void patch({ unlock: true }, t('app.users.unlocked', { user: a.username }))}
          >
            {t('app.users.unlock')}
          </Button>
        )}
        <Button appearance="subtle" onClick={onClose}>
          {t('app.users.close')}
        </Button>
      </ButtonGroup>
    </section>
  );
}

/** Add an account; the API's invalidParams are shown at their fields. */
function NewAccount({ roles, onDone }: { roles: string[]; onDone: (message: string) => void }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const empty = { username: '', displayName: '', password: '', wijken: '' };
  const [form, setForm] = useState(empty);
  const [chosen, setChosen] = useState<string[]>([]);
  const { busy, errors, problem, run } = useAccountRequest(id, roles, [
    'username',
    'displayName',
    'password',
    'roles',
    'wijken',
  ]);
  /** The id, value, change handler and error of one text field of the form. */
  const field = (
    k: keyof typeof empty,
  ): {
    id: string;
    value: string;
    onChange: (e: { target: { value: string } }) => void;
    error: string | undefined;
  } => ({
    id: `${id}-${k}`,
    value: form[k],
    onChange: (e) => setForm({ ...form, [k]: e.target.value }),
    error: errors[k],
  });

  const submit = (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const wijken = wijkenOf(form.wijken);
    return run(async () => {
      const created = await send<Account>('POST', '/internal/users', {
        username: form.username.trim(),
        password: form.password,
        roles: chosen,
        ...(wijken.length ? { wijken } : {}),
        ...(form.displayName.trim() ? { displayName: form.displayName.trim() } : {}),
      });
      setForm(empty);
      setChosen([]);
      onDone(t('app.users.created', { user: created?.username ?? form.username }));
    });
  };

  return (
    <section aria-labelledby={`${id}-h`} className="dp-panel">
      <Heading level={2} id={`${id}-h`}>
        {t('app.users.newTitle')}
      </Heading>
      {problem && <Alert type="error">{t('app.users.notCreated', { reason: problem })}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          {...field('username')}
          label={t('app.login.username')}
          description={t('app.users.usernameHelp')}
          autoComplete="off"
          required
        />
        <TextField {...field('displayName')} label={t('app.users.displayName')} autoComplete="off" />
        <TextField
          {...field('password')}
          label={t('app.login.password')}
          description={t('app.users.passwordHelp')}
          type="password"
          autoComplete="new-password"
          required
        />
        <RolesAndWijken
          id={id}
          roles={roles}
          chosen={chosen}
          onChosen={setChosen}
          wijken={form.wijken}
          onWijken={field('wijken').onChange}
          errors={errors}
        />
        <Button type="submit" appearance="primary-action" disabled={busy}>
          {t('app.users.create')}
        </Button>
      </form>
    </section>
  );
}
