import type { FastifyInstance } from 'fastify';
import {
  AccountError,
  ANONYMOUS_ROLE,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  normaliseUsername,
  passwordIssue,
  type Account,
  type PasswordIssue,
} from '../../auth/index.js';
import type { Project } from '../../project/types.js';
import { ApiProblem } from '../problem.js';
import type { JsonSchema } from '../schemas.js';
import { BASE_PATH } from '../version.js';
import type { AuthContext } from './auth.js';
import { internalRoute, internalWriteRoute } from './route.js';

/**
 * Local accounts for an administrator (a role with admin: true): list, one, add, change. Through the
 * AccountStore as `pakhuis users` does, which authorises each change (manage_users) and writes it
 * to the audit log as a definition change. Password hashes never leave the store.
 */

const TAGS = ['beheer'];
const ADMIN = {
  kind: 'role',
  allowed: (r: { admin: boolean }) => r.admin,
  needs: 'needs admin: true',
} as const;

const USERNAME_SCHEMA = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$',
  description: 'De gebruikersnaam: 2–64 letters, cijfers en . _ @ - (hoofdletters worden kleine letters).',
};
const ROLES_SCHEMA = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
  description: 'De rollen uit pakhuis.yaml.',
};
const WIJKEN_SCHEMA = {
  type: 'array',
  items: { type: 'string', pattern: '^[Ww][Kk][0-9]{6}$' },
  description: 'De wijken van een rol met een wijkscope (zoals wijkteam).',
};
const PASSWORD_SCHEMA = {
  type: 'string',
  minLength: 1,
  maxLength: 1024,
  description: `Het nieuwe wachtwoord: ${MIN_PASSWORD_LENGTH} tot ${MAX_PASSWORD_LENGTH} tekens, niet de gebruikersnaam en niet veelgebruikt.`,
};

const NEW_ACCOUNT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password', 'roles'],
  properties: {
    username: USERNAME_SCHEMA,
    password: PASSWORD_SCHEMA,
    roles: ROLES_SCHEMA,
    wijken: WIJKEN_SCHEMA,
    displayName: { type: 'string', minLength: 1, maxLength: 200, description: 'De naam om te tonen.' },
  },
};

const CHANGE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    roles: ROLES_SCHEMA,
    wijken: WIJKEN_SCHEMA,
    disabled: {
      type: 'boolean',
      description: 'true: uitschakelen (de sessies eindigen); false: inschakelen, ook een blokkade vervalt.',
    },
    password: PASSWORD_SCHEMA,
    unlock: { type: 'boolean', enum: [true], description: 'Een blokkade na mislukte pogingen opheffen.' },
  },
};

const ACCOUNT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    displayName: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    wijken: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' },
    locked: { type: 'boolean', description: 'Geblokkeerd na mislukte pogingen.' },
    lockedUntil: { type: ['string', 'null'] },
    failedAttempts: { type: 'integer' },
    lastLogin: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    passwordChangedAt: { type: 'string' },
  },
};

const PASSWORD_NL: Record<PasswordIssue, string> = {
  too_short: `moet minstens ${MIN_PASSWORD_LENGTH} tekens lang zijn`,
  too_long: `mag hoogstens ${MAX_PASSWORD_LENGTH} tekens lang zijn`,
  contains_username: 'mag de gebruikersnaam niet bevatten',
  too_common: 'is te veelgebruikt; kies een ander',
};

const accountJson = (a: Account): object => ({
  username: a.username,
  displayName: a.displayName,
  roles: a.roles,
  wijken: a.wijken,
  disabled: a.disabled,
  locked: a.lockedUntil !== null,
  lockedUntil: a.lockedUntil,
  failedAttempts: a.failedAttempts,
  lastLogin: a.lastLoginAt,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
  passwordChangedAt: a.passwordChangedAt,
});

/** What the store would refuse, said first in Dutch: a weak password, a role that does not exist. */
function precheck(project: Project, username: string, o: { password?: string; roles?: string[] }): void {
  if (o.password !== undefined) {
    const issue = passwordIssue(o.password, username);
    if (issue)
      throw new ApiProblem(400, 'weak_password', `Het wachtwoord ${PASSWORD_NL[issue]}.`, [
        { name: 'password', code: issue, reason: PASSWORD_NL[issue] },
      ]);
  }
  const known = project.roles.map((r) => r.name);
  const unknown = (o.roles ?? []).filter((r) => r === ANONYMOUS_ROLE || !known.includes(r));
  if (unknown.length > 0)
    throw new ApiProblem(
      400,
      'unknown_role',
      `Onbekende rol: ${unknown.join(', ')}; de rollen van deze installatie zijn ${known.join(', ')}.`,
      unknown.map((r) => ({
        name: 'roles',
        code: 'unknown_role',
        reason:
          r === ANONYMOUS_ROLE
            ? `${r} is de rol van anonieme bezoekers`
            : `${r} is geen rol van deze installatie`,
      })),
    );
}

/** An AccountError as problem details. */
function accountProblem(e: unknown, username: string): unknown {
  if (!(e instanceof AccountError)) return e;
  switch (e.code) {
    case 'exists':
      return new ApiProblem(409, 'account_exists', `Er is al een account "${username}".`);
    case 'not_found':
      return new ApiProblem(404, 'account_not_found', `Er is geen account "${username}".`);
    case 'forbidden':
      return new ApiProblem(403, 'forbidden', `Niet toegestaan: ${e.message}.`);
    default:
      // the wijken of a wijk-scoped role; the store's reason is English, as in `pakhuis users`
      return new ApiProblem(400, 'invalid_account', `Het account klopt niet: ${e.message}.`);
  }
}

const usernameParam = { username: { ...USERNAME_SCHEMA, description: 'De gebruikersnaam.' } };

export function userRoutes(app: FastifyInstance, actx: AuthContext): void {
  const accounts = (): ReturnType<AuthContext['auth']>['accounts'] => actx.auth().accounts;

  internalRoute<object, object>(app, actx, {
    path: '/internal/users',
    access: ADMIN,
    doc: {
      operationId: 'listUsers',
      summary: 'De lokale accounts',
      description:
        'Gebruikersnaam, naam, rollen, wijken, uitgeschakeld, geblokkeerd en de laatste aanmelding; en de rollen van deze installatie (pakhuis.yaml) die een account kan krijgen.',
      tags: TAGS,
      ok: {
        description: 'De accounts en de rollen.',
        schema: {
          type: 'object',
          properties: {
            users: { type: 'array', items: ACCOUNT_SCHEMA },
            roles: {
              type: 'array',
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, description: { type: ['string', 'null'] } },
              },
            },
          },
        },
      },
    },
    handle: ({ who, project }) => ({
      body: {
        users: accounts().list(who).map(accountJson),
        roles: project.roles.map((r) => ({ name: r.name, description: r.description ?? null })),
      },
    }),
  });

  internalRoute<object, { username: string }>(app, actx, {
    path: '/internal/users/{username}',
    access: ADMIN,
    params: usernameParam,
    doc: {
      operationId: 'getUser',
      summary: 'Eén lokaal account',
      description: 'Zoals in de lijst van /internal/users.',
      tags: TAGS,
      ok: { description: 'Het account.', schema: ACCOUNT_SCHEMA },
      errors: [404],
    },
    handle: ({ who, params: p }) => {
      try {
        return { body: accountJson(accounts().get(who, p.username)) };
      } catch (e) {
        throw accountProblem(e, normaliseUsername(p.username));
      }
    },
  });

  internalWriteRoute<
    object,
    object,
    { username: string; password: string; roles: string[]; wijken?: string[]; displayName?: string }
  >(app, actx, {
    method: 'POST',
    path: '/internal/users',
    access: ADMIN,
    body: NEW_ACCOUNT,
    doc: {
      operationId: 'createUser',
      summary: 'Een lokaal account toevoegen',
      description:
        'Met een wachtwoord dat aan de regels voldoet (400 weak_password zegt waarom niet), rollen uit pakhuis.yaml (400 unknown_role) en voor een rol met een wijkscope de wijken. Vastgelegd in het auditlog.',
      tags: TAGS,
      ok: { status: 201, description: 'Het nieuwe account.', schema: ACCOUNT_SCHEMA },
      errors: [409],
    },
    handle: async ({ project, who, body }) => {
      const username = normaliseUsername(body.username);
      precheck(project, username, body);
      try {
        const account = await accounts().addUser(who, body);
        return {
          status: 201,
          headers: { Location: `${BASE_PATH}/internal/users/${encodeURIComponent(account.username)}` },
          body: accountJson(account),
        };
      } catch (e) {
        throw accountProblem(e, username);
      }
    },
  });

  internalWriteRoute<
    object,
    { username: string },
    { roles?: string[]; wijken?: string[]; disabled?: boolean; password?: string; unlock?: true }
  >(app, actx, {
    method: 'PATCH',
    path: '/internal/users/{username}',
    access: ADMIN,
    params: usernameParam,
    body: CHANGE,
    doc: {
      operationId: 'updateUser',
      summary: 'Een lokaal account wijzigen',
      description:
        'Rollen (en wijken), uitschakelen of inschakelen, een nieuw wachtwoord, of een blokkade opheffen. Nieuwe rollen, uitschakelen en een nieuw wachtwoord beëindigen de sessies van het account. Vastgelegd in het auditlog.',
      tags: TAGS,
      ok: { description: 'Het account na de wijziging.', schema: ACCOUNT_SCHEMA },
      errors: [404],
    },
    exists: ({ who, params: p }) => {
      try {
        accounts().get(who, p.username);
      } catch (e) {
        throw accountProblem(e, normaliseUsername(p.username));
      }
    },
    handle: async ({ project, who, params: p, body }) => {
      const username = normaliseUsername(p.username);
      precheck(project, username, body);
      const store = accounts();
      try {
        if (body.roles) store.setRoles(who, username, body.roles, body.wijken ?? []);
        else if (body.wijken) store.setRoles(who, username, store.get(who, username).roles, body.wijken);
        if (body.password !== undefined) await store.setPassword(who, username, body.password);
        if (body.disabled !== undefined) store.setDisabled(who, username, body.disabled);
        if (body.unlock) store.unlock(who, username);
        return { body: accountJson(store.get(who, username)) };
      } catch (e) {
        throw accountProblem(e, username);
      }
    },
  });
}
