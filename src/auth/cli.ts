import type { Command, Option } from 'commander';
import { currentUser, principalFor, type Principal } from '../privacy/authorise.js';
import { PrivacyServices } from '../privacy/services.js';
import type { Project } from '../project/types.js';
import { CliError, EXIT } from '../cli/errors.js';
import { formatRows, type OutputFormat } from '../cli/format.js';
import { requireProject } from '../cli/project.js';
import { AccountError, type Account, type AccountStore } from './accounts.js';
import { openAuth } from './index.js';

/**
 * `pakhuis users …`: local accounts of the web app. The acting user must hold an admin role in
 * pakhuis.yaml (as for build); every change is authorised (manage_users) and written to the audit
 * log. Passwords are read from standard input, never from the command line (where `ps` and the
 * shell history would show them).
 */

/** The OS user acting as an administrator: the first admin role of pakhuis.yaml that they hold. */
function actingAdmin(project: Project): Principal {
  const user = currentUser();
  const role = project.roles.find((r) => r.admin && (r.members.includes('*') || r.members.includes(user)));
  if (!role)
    throw new CliError(
      `user "${user}" holds no admin role; managing accounts needs one (roles.<role>.admin and members in pakhuis.yaml)`,
      EXIT.usage,
    );
  return principalFor(project, role.name, user);
}

async function withAccounts<T>(
  project: Project,
  work: (accounts: AccountStore, by: Principal) => T | Promise<T>,
): Promise<T> {
  const by = actingAdmin(project);
  const privacy = PrivacyServices.open(project);
  const auth = openAuth(project, { audit: privacy.audit });
  try {
    return await work(auth.accounts, by);
  } catch (e) {
    if (e instanceof AccountError) throw new CliError(e.message, EXIT.usage);
    throw e;
  } finally {
    auth.close();
    privacy.close();
  }
}

const describe = (a: Account): string =>
  `${a.username} (${a.displayName}): ${a.roles.join(', ')}${a.wijken.length ? ` in ${a.wijken.join(', ')}` : ''}`;

export function runUsersAdd(
  project: Project,
  username: string,
  o: { roles: string[]; wijken: string[]; displayName?: string },
  password: string,
): Promise<string> {
  return withAccounts(project, async (accounts, by) => {
    const account = await accounts.addUser(by, { username, password, ...o });
    return `Added ${describe(account)}`;
  });
}

export function runUsersList(project: Project, format: OutputFormat): Promise<string> {
  return withAccounts(project, (accounts, by) => {
    const rows = accounts.list(by).map((a) => ({
      user: a.username,
      name: a.displayName,
      roles: a.roles.join(' '),
      wijken: a.wijken.join(' '),
      status: a.disabled ? 'disabled' : a.lockedUntil ? `locked until ${a.lockedUntil}` : 'active',
      failed: a.failedAttempts,
      last_login: a.lastLoginAt,
    }));
    return formatRows(rows, ['user', 'name', 'roles', 'wijken', 'status', 'failed', 'last_login'], format);
  });
}

export function runUsersPasswd(project: Project, username: string, password: string): Promise<string> {
  return withAccounts(project, async (accounts, by) => {
    await accounts.setPassword(by, username, password);
    return `Changed the password of ${username}; its sessions have ended`;
  });
}

export function runUsersSetDisabled(project: Project, username: string, disabled: boolean): Promise<string> {
  return withAccounts(project, (accounts, by) => {
    const a = accounts.setDisabled(by, username, disabled);
    return disabled ? `Disabled ${a.username}; its sessions have ended` : `Enabled ${a.username}`;
  });
}

export function runUsersRoles(
  project: Project,
  username: string,
  o: { roles: string[]; wijken: string[] },
): Promise<string> {
  return withAccounts(project, (accounts, by) => {
    const a = accounts.setRoles(by, username, o.roles, o.wijken);
    return `${describe(a)}; its sessions have ended`;
  });
}

/** Everything on standard input up to the first line break (a pipe, a file, `--password-stdin`). */
async function readLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  return text.split(/\r?\n/, 1)[0] ?? '';
}

/** Read a password on a terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new CliError('cancelled', EXIT.usage));
        value = ch === '\u007f' || ch === '\b' ? [...value].slice(0, -1).join('') : value + ch;
      }
    };
    stderr.write(question);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: standard input when piped (or asked), else typed twice on the terminal. */
export async function readPassword(o: { fromStdin: boolean }): Promise<string> {
  if (o.fromStdin || !process.stdin.isTTY) {
    const password = await readLine(process.stdin);
    if (!password) throw new CliError('no password on standard input', EXIT.usage);
    return password;
  }
  const first = await promptHidden('New password: ');
  if ((await promptHidden('Repeat it: ')) !== first) throw new CliError('the passwords differ', EXIT.usage);
  return first;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** `pakhuis users`, registered as a whole (like lineage) so it inherits the program's settings. */
export function registerUsers(program: Command, projectOption: () => Option): void {
  const users = program
    .command('users')
    .description('local accounts of the web app: sign-in with a password (audited)');
  const passwordOption = [
    '--password-stdin',
    'read the password from standard input, also on a terminal',
  ] as const;
  users
    .command('add <name>')
    .description('create an account; the password comes from standard input, never the command line')
    .addOption(projectOption())
    .requiredOption('-r, --role <role>', 'a role of pakhuis.yaml (repeat for more)', collect)
    .option('-w, --wijk <code>', 'a wijk (WK……) a wijk-scoped role such as wijkteam sees (repeat)', collect)
    .option('--display <name>', 'the name shown in the app')
    .option(...passwordOption)
    .action(
      async (
        name: string,
        o: { project: string; role: string[]; wijk?: string[]; display?: string; passwordStdin?: boolean },
      ) => {
        const project = requireProject(o.project);
        const password = await readPassword({ fromStdin: o.passwordStdin ?? false });
        const opts = {
          roles: o.role,
          wijken: o.wijk ?? [],
          ...(o.display ? { displayName: o.display } : {}),
        };
        console.log(await runUsersAdd(project, name, opts, password));
      },
    );
  users
    .command('list')
    .description('every account: roles, wijken, status, failed sign-ins, last sign-in')
    .addOption(projectOption())
    .addOption(
      program
        .createOption('-f, --format <format>', 'output format')
        .choices(['table', 'csv', 'json'])
        .default('table'),
    )
    .action(async (o: { project: string; format: OutputFormat }) =>
      console.log(await runUsersList(requireProject(o.project), o.format)),
    );
  users
    .command('passwd <name>')
    .description('set a new password (ends the sessions of the account and lifts a lockout)')
    .addOption(projectOption())
    .option(...passwordOption)
    .action(async (name: string, o: { project: string; passwordStdin?: boolean }) => {
      const project = requireProject(o.project);
      const password = await readPassword({ fromStdin: o.passwordStdin ?? false });
      console.log(await runUsersPasswd(project, name, password));
    });
  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    users
      .command(`${verb} <name>`)
      .description(
        disabled ? 'disable an account and end its sessions' : 'enable an account and lift a lockout',
      )
      .addOption(projectOption())
      .action(async (name: string, o: { project: string }) =>
        console.log(await runUsersSetDisabled(requireProject(o.project), name, disabled)),
      );
  users
    .command('roles <name>')
    .description("replace an account's roles (and wijken); its sessions end")
    .addOption(projectOption())
    .requiredOption('-r, --role <role>', 'a role of pakhuis.yaml (repeat for more)', collect)
    .option('-w, --wijk <code>', 'a wijk for a wijk-scoped role (repeat)', collect)
    .action(async (name: string, o: { project: string; role: string[]; wijk?: string[] }) =>
      console.log(
        await runUsersRoles(requireProject(o.project), name, { roles: o.role, wijken: o.wijk ?? [] }),
      ),
    );
}
