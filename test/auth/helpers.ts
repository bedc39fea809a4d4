import { join } from 'node:path';
import { principalFor, type Principal } from '../../src/privacy/authorise.js';
import type { Project } from '../../src/project/types.js';
import { AuditLog, type AuditEntry } from '../../src/state/audit.js';
import { authConfigSchema, type AuthConfig } from '../../src/auth/config.js';
import { mustLoad, PROJECT_YAML, tempDir, writeProject } from '../helpers/project.js';

/** The project of the auth tests: the roles of the issue, with beheerder as the administrator. */
export const AUTH_YAML = `${PROJECT_YAML.replace(/roles:[\s\S]*$/, '')}roles:
  beheerder: { admin: true, audit: true, members: [admin] }
  analist: { purposes: [test], members: [] }
  domeinexpert: { purposes: [test], members: [] }
  fg: { audit: true, members: [] }
  wijkteam: { purposes: [test], reveal: [sociaal], members: [] }
  bestuur: { purposes: [test], members: [] }
`;

export function authProject(yaml = AUTH_YAML): Project {
  return mustLoad(writeProject({ 'pakhuis.yaml': yaml }));
}

export function admin(project: Project): Principal {
  return principalFor(project, 'beheerder', 'admin');
}

export function authConfig(input: Record<string, unknown> = {}): AuthConfig {
  return authConfigSchema.parse(input);
}

/** A real, sealed audit log in a temporary folder. */
export function testAudit(): AuditLog & { logins(): AuditEntry[] } {
  const log = new AuditLog(join(tempDir(), 'audit.sqlite'), Buffer.alloc(32, 9));
  return Object.assign(log, { logins: () => log.entries({ action: 'login' }).reverse() });
}

/** A clock the test moves by hand. */
export function testClock(start = '2025-03-01T09:00:00.000Z'): {
  now: () => Date;
  advance(ms: number): void;
} {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export const MINUTE = 60_000;
