import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  runUsersAdd,
  runUsersList,
  runUsersPasswd,
  runUsersRoles,
  runUsersSetDisabled,
} from '../../src/auth/cli.js';
import { openAuth } from '../../src/auth/index.js';
import { CliError } from '../../src/cli/errors.js';
import { PrivacyServices } from '../../src/privacy/services.js';
import type { Project } from '../../src/project/types.js';
import { writeProject } from '../helpers/project.js';
import { AUTH_YAML, authProject } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

/** The audit entries of the project, oldest first. */
function auditOf(
  project: Project,
  action: string,
): Array<{ actor: string; resource: string; detail: unknown }> {
  const privacy = PrivacyServices.open(project);
  try {
    return privacy.audit
      .entries({ action })
      .reverse()
      .map((e) => ({ actor: e.actor, resource: e.resource, detail: JSON.parse(e.detail) as unknown }));
  } finally {
    privacy.close();
  }
}

describe('pakhuis users (functions)', () => {
  let project: Project;
  const previousUser = process.env['PAKHUIS_USER'];
  beforeEach(() => {
    project = authProject();
    process.env['PAKHUIS_USER'] = 'admin';
  });
  afterEach(() => {
    if (previousUser === undefined) delete process.env['PAKHUIS_USER'];
    else process.env['PAKHUIS_USER'] = previousUser;
  });

  it('add, list, passwd, disable, enable and roles — each audited, with the acting admin', async () => {
    expect(
      await runUsersAdd(
        project,
        'Jan',
        { roles: ['analist'], wijken: [], displayName: 'Jan Jansen' },
        PASSWORD,
      ),
    ).toBe('Added jan (Jan Jansen): analist');
    expect(
      await runUsersAdd(project, 'wim', { roles: ['wijkteam'], wijken: ['WK040001', 'WK040002'] }, PASSWORD),
    ).toBe('Added wim (wim): wijkteam in WK040001, WK040002');
    expect(JSON.parse(await runUsersList(project, 'json'))).toEqual([
      expect.objectContaining({
        user: 'jan',
        name: 'Jan Jansen',
        roles: 'analist',
        status: 'active',
        failed: 0,
      }),
      expect.objectContaining({ user: 'wim', roles: 'wijkteam', wijken: 'WK040001 WK040002' }),
    ]);
    expect(await runUsersPasswd(project, 'jan', 'another good passphrase')).toMatch(
      /Changed the password of jan/,
    );
    expect(await runUsersSetDisabled(project, 'jan', true)).toBe('Disabled jan; its sessions have ended');
    expect(await runUsersList(project, 'table')).toMatch(/jan\s+Jan Jansen\s+analist\s+disabled/);
    expect(await runUsersSetDisabled(project, 'jan', false)).toBe('Enabled jan');
    expect(await runUsersRoles(project, 'jan', { roles: ['analist', 'bestuur'], wijken: [] })).toBe(
      'jan (Jan Jansen): analist, bestuur; its sessions have ended',
    );

    expect(auditOf(project, 'definition_change')).toEqual([
      { actor: 'admin', resource: 'account jan', detail: { change: 'add', roles: ['analist'], wijken: [] } },
      {
        actor: 'admin',
        resource: 'account wim',
        detail: { change: 'add', roles: ['wijkteam'], wijken: ['WK040001', 'WK040002'] },
      },
      { actor: 'admin', resource: 'account jan', detail: { change: 'password' } },
      { actor: 'admin', resource: 'account jan', detail: { change: 'disable' } },
      { actor: 'admin', resource: 'account jan', detail: { change: 'enable' } },
      {
        actor: 'admin',
        resource: 'account jan',
        detail: { change: 'roles', roles: ['analist', 'bestuur'], wijken: [] },
      },
    ]);
    const all = JSON.stringify(auditOf(project, 'definition_change'));
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('another good passphrase');
  });

  it('the account signs in afterwards, and the sign-in lands in the same audit log', async () => {
    await runUsersAdd(project, 'jan', { roles: ['analist'], wijken: [] }, PASSWORD);
    const privacy = PrivacyServices.open(project);
    const auth = openAuth(project, { audit: privacy.audit });
    try {
      expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.1')).toMatchObject({ ok: true });
      expect(await auth.accounts.verifyLogin('jan', 'wrong password here', '192.0.2.1')).toMatchObject({
        ok: false,
      });
    } finally {
      auth.close();
      privacy.close();
    }
    expect(
      auditOf(project, 'login').map((e) => [e.actor, (e.detail as { outcome: string }).outcome]),
    ).toEqual([
      ['jan', 'success'],
      ['jan', 'refused'],
    ]);
    expect(privacyVerify(project)).toBe(true);
  });

  it('refuses with a usage error: unknown role, weak password, missing account, no admin role', async () => {
    const usage = async (p: Promise<unknown>, message: string): Promise<void> => {
      const e = await p.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(CliError);
      expect(e).toMatchObject({ exitCode: 2, message: expect.stringContaining(message) });
    };
    await usage(
      runUsersAdd(project, 'jan', { roles: ['baas'], wijken: [] }, PASSWORD),
      'unknown role "baas"',
    );
    await usage(
      runUsersAdd(project, 'jan', { roles: ['analist'], wijken: [] }, 'kort'),
      'at least 12 characters',
    );
    await usage(runUsersPasswd(project, 'niemand', PASSWORD), 'no account "niemand"');
    process.env['PAKHUIS_USER'] = 'jan';
    await usage(runUsersList(project, 'table'), 'user "jan" holds no admin role');
  });
});

function privacyVerify(project: Project): boolean {
  const privacy = PrivacyServices.open(project);
  try {
    return privacy.audit.verify().ok;
  } finally {
    privacy.close();
  }
}

describe('pakhuis users (command line)', () => {
  const BIN = join(import.meta.dirname, '../../bin/pakhuis.js');
  const pakhuis = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [BIN, 'users', ...args], {
      encoding: 'utf8',
      input: input ?? '',
      env: { ...process.env, PAKHUIS_USER: 'admin', FORCE_COLOR: '0' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('reads the password from standard input, never from the arguments', () => {
    const dir = writeProject({ 'pakhuis.yaml': AUTH_YAML });
    const add = pakhuis(
      [
        'add',
        'jan',
        '--role',
        'analist',
        '--role',
        'bestuur',
        '--display',
        'Jan Jansen',
        '--password-stdin',
        '-p',
        dir,
      ],
      `${PASSWORD}\n`,
    );
    expect(add).toMatchObject({ code: 0, stdout: 'Added jan (Jan Jansen): analist, bestuur\n' });
    expect(pakhuis(['add', 'piet', '--role', 'analist', '--password', PASSWORD, '-p', dir]).code).toBe(2);
    expect(pakhuis(['add', 'piet', '--role', 'analist', '-p', dir], '').stderr).toMatch(
      'no password on standard input',
    );
    expect(pakhuis(['add', 'piet', '-p', dir], PASSWORD).stderr).toMatch(
      "required option '-r, --role <role>'",
    );
    const list = pakhuis(['list', '--format', 'json', '-p', dir]);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ user: 'jan', roles: 'analist bestuur' }),
    ]);
    expect(pakhuis(['disable', 'jan', '-p', dir]).stdout).toBe('Disabled jan; its sessions have ended\n');
  });
});
