import { userInfo } from 'node:os';
import type { Project, RoleDef, SourceDef } from '../project/types.js';
import { SCHEMA } from '../project/types.js';
import { extractLinks } from '../project/compile.js';

/** Who is acting: a user in one of the roles granted to them. */
export interface Principal {
  user: string;
  role: RoleDef;
  /** a wijk-scoped role (wijkteam): the wijken whose figures this user may see */
  wijken?: readonly string[];
}

/**
 * Is an area within the principal's wijk scope: the gemeente (context for every wijk), one of its
 * wijken, or a buurt of one of them. Unscoped principals see every area.
 */
export function inScope(who: Principal, area: string): boolean {
  if (!who.wijken) return true;
  if (area.startsWith('GM')) return true;
  if (who.wijken.includes(area)) return true;
  return area.startsWith('BU') && who.wijken.includes(`WK${area.slice(2, 8)}`);
}

export type Action =
  'query' | 'export' | 'reveal' | 'build' | 'retention' | 'read_audit' | 'read_register' | 'manage_users';

/** What an action touches. */
export interface Resource {
  /** tables as `schema.name` */
  tables?: string[];
  /** the linking domain, for reveal */
  domain?: string;
  /** the written reason, for reveal */
  reason?: string;
  /** the areas whose figures are read, for wijk-scoped roles */
  areas?: string[];
}

export interface Decision {
  allowed: boolean;
  /** why, in a sentence that can be shown to the user and written to the audit log */
  reason: string;
  /** the sources whose data the action reads (for the audit log) */
  sources: string[];
}

export class AuthorisationError extends Error {}

/** The acting user: $PAKHUIS_USER (set by the server for a signed-in account) or the OS user. */
export function currentUser(): string {
  return process.env['PAKHUIS_USER'] ?? userInfo().username;
}

export function principalFor(project: Project, roleName: string, user = currentUser()): Principal {
  const role = project.roles.find((r) => r.name === roleName);
  if (!role) {
    throw new AuthorisationError(
      `unknown role "${roleName}"; roles in pakhuis.yaml: ${project.roles.map((r) => r.name).join(', ') || '(none)'}`,
    );
  }
  if (!role.members.includes('*') && !role.members.includes(user)) {
    throw new AuthorisationError(
      `user "${user}" does not hold the role "${roleName}" (roles.${roleName}.members in pakhuis.yaml)`,
    );
  }
  return { user, role };
}

/** The sources a table's data comes from: itself, or everything upstream of a model. */
export function upstreamSources(project: Project, table: string): SourceDef[] {
  const [schema, name] = table.includes('.') ? (table.split('.', 2) as [string, string]) : ['', table];
  if (schema === SCHEMA.sources || (!schema && project.sources.some((s) => s.name === name))) {
    return project.sources.filter((s) => s.name === name);
  }
  const seen = new Set<string>();
  const out = new Map<string, SourceDef>();
  const walk = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const src = project.sources.find((s) => s.name === n);
    if (src) out.set(n, src);
    const refs = [
      ...(project.models.find((m) => m.name === n)?.refs ?? []),
      ...(project.indicators.find((i) => i.name === n)?.refs ?? []),
    ];
    for (const ref of refs) walk(ref);
  };
  walk(name);
  return [...out.values()];
}

/** The link('a', 'b') calls in the models a node is built from (itself included). */
export function upstreamLinks(project: Project, name: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  const walk = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const model = project.models.find((m) => m.name === n);
    if (model) for (const l of extractLinks(model.sql)) out.push([l.a, l.b]);
    const refs = [...(model?.refs ?? []), ...(project.indicators.find((i) => i.name === n)?.refs ?? [])];
    for (const r of refs) walk(r);
  };
  walk(name);
  return out;
}

const deny = (reason: string, sources: string[] = []): Decision => ({ allowed: false, reason, sources });

/**
 * The one authorisation function. Every path that reads or changes data asks it: the CLI now, the
 * HTTP API later. Purpose binding: a role may use data only for its purposes, and a source only for
 * the purposes it was declared (and approved by the FG) for.
 */
export function authorise(
  project: Project,
  who: Principal,
  action: Action,
  resource: Resource = {},
  purpose?: string,
): Decision {
  const role = who.role;
  switch (action) {
    case 'build':
    case 'retention':
    case 'manage_users':
      return role.admin
        ? { allowed: true, reason: `role ${role.name} administers the installation`, sources: [] }
        : deny(`role ${role.name} may not ${action.replace('_', ' ')}; it needs admin: true`);
    case 'read_audit':
    case 'read_register':
      return role.audit || role.admin
        ? {
            allowed: true,
            reason: `role ${role.name} may read the ${action === 'read_audit' ? 'audit log' : 'register'}`,
            sources: [],
          }
        : deny(
            `role ${role.name} may not read the ${action === 'read_audit' ? 'audit log' : 'register'}; it needs audit: true`,
          );
    case 'reveal': {
      if (!resource.domain) return deny('reveal needs a linking domain');
      if (!role.reveal.includes(resource.domain))
        return deny(`role ${role.name} may not re-identify pseudonyms of domain ${resource.domain}`);
      if (!resource.reason || resource.reason.trim().length < 10)
        return deny('re-identification needs a written reason (at least 10 characters)');
      return {
        allowed: true,
        reason: `role ${role.name} may re-identify in domain ${resource.domain}`,
        sources: [],
      };
    }
    case 'query':
    case 'export': {
      if (!purpose) return deny('state the purpose (doelbinding) of this use of data');
      if (!role.purposes.includes(purpose))
        return deny(
          `role ${role.name} is not granted the purpose "${purpose}" (it has: ${role.purposes.join(', ') || 'none'})`,
        );
      const tables = resource.tables ?? [];
      const sources = new Map<string, SourceDef>();
      const linked: Array<[string, string]> = [];
      for (const t of tables) {
        const [schema, name] = t.split('.', 2) as [string, string];
        if (schema === SCHEMA.system) {
          if (name !== 'version_info' && !role.admin)
            return deny(`${t} is system data; only an admin role may read it`);
          continue;
        }
        // published tables passed disclosure control: they are public
        if (schema === SCHEMA.public) continue;
        if (schema === 'links') {
          const links = project.privacy.links.filter((l) => `${l.domains[0]}__${l.domains[1]}` === name);
          if (links.length === 0) return deny(`${t} is not a declared link`);
          if (!links.some((l) => l.purpose === purpose))
            return deny(
              `the link ${links[0]?.domains.join(' ↔ ')} is approved only for: ${links.map((l) => l.purpose).join(', ')}`,
            );
          continue;
        }
        if (schema === SCHEMA.indicators) {
          // one indicator, or the tables holding every indicator's values
          const all = name === 'indicator_values' || name === 'definitions';
          const inds = project.indicators.filter((i) => all || i.name === name);
          if (inds.length === 0 && !all) return deny(`${t} is not an indicator of this project`);
          for (const i of inds) for (const s of upstreamSources(project, i.name)) sources.set(s.name, s);
          for (const i of inds) linked.push(...upstreamLinks(project, i.name));
          continue;
        }
        if (schema !== SCHEMA.sources && schema !== SCHEMA.models)
          return deny(`${t} is not a warehouse table`);
        const found = upstreamSources(project, t);
        if (found.length === 0 && !project.models.some((m) => m.name === name))
          return deny(`${t} is not a source or model of this project`);
        for (const s of found) sources.set(s.name, s);
        linked.push(...upstreamLinks(project, name));
      }
      // data joined across linking domains may be used only for the purposes the link was approved for
      for (const [a, b] of linked) {
        const approved = project.privacy.links.filter((l) => l.domains.includes(a) && l.domains.includes(b));
        if (!approved.some((l) => l.purpose === purpose))
          return deny(
            `the data joins domains ${a} and ${b}, whose link is approved only for: ${approved.map((l) => l.purpose).join(', ') || 'nothing'}`,
            [...sources.keys()],
          );
      }
      for (const s of sources.values()) {
        if (!s.privacy.fgApproval)
          return deny(`source ${s.name} has no FG approval yet, so it cannot be queried`, [
            ...sources.keys(),
          ]);
        if (!s.privacy.purposes.includes(purpose))
          return deny(
            `source ${s.name} may not be used for "${purpose}" (its purposes: ${s.privacy.purposes.join(', ')})`,
            [...sources.keys()],
          );
      }
      const outside = (resource.areas ?? []).filter((a) => !inScope(who, a));
      if (outside.length > 0)
        return deny(
          `role ${role.name} of ${who.user} is scoped to ${who.wijken?.join(', ') ?? ''}; not to ${outside.join(', ')}`,
          [...sources.keys()],
        );
      return { allowed: true, reason: `role ${role.name}, purpose ${purpose}`, sources: [...sources.keys()] };
    }
  }
}
