import type { Project } from '../project/types.js';
import { authorise, type Principal } from './authorise.js';
import type { PrivacyServices } from './services.js';

export class RevealError extends Error {}

/**
 * The only way back from a pseudonym to a person: a role allowed to re-identify in that linking
 * domain, a written reason, and an audit entry — also when it is refused.
 */
export function reveal(
  project: Project,
  privacy: PrivacyServices,
  who: Principal,
  req: { domain: string; pseudonym: string; reason: string },
): string {
  const decision = authorise(project, who, 'reveal', { domain: req.domain, reason: req.reason });
  const base = {
    actor: who.user,
    role: who.role.name,
    purpose: null,
    resource: `${req.domain}:${req.pseudonym}`,
  } as const;
  if (!decision.allowed) {
    privacy.audit.append({
      ...base,
      action: 'denied',
      rows: null,
      detail: { attempted: 'reveal', reason: decision.reason, stated_reason: req.reason },
    });
    throw new RevealError(`refused: ${decision.reason}`);
  }
  const identifier = privacy.vault.lookup(req.domain, req.pseudonym);
  privacy.audit.append({
    ...base,
    action: 'reveal',
    rows: identifier === undefined ? 0 : 1,
    detail: { reason: req.reason, found: identifier !== undefined },
  });
  if (identifier === undefined)
    throw new RevealError(
      `the vault has no pseudonym ${req.pseudonym} in domain ${req.domain} (only sources with privacy.vault: true are kept)`,
    );
  return identifier;
}
