import { AuthorisationError, principalFor } from '../../privacy/authorise.js';
import { reveal, RevealError } from '../../privacy/reveal.js';
import { PrivacyServices } from '../../privacy/services.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';

export function runReveal(
  project: Project,
  o: { pseudonym: string; domain: string; role: string; reason: string },
): string {
  let who;
  try {
    who = principalFor(project, o.role);
  } catch (e) {
    if (e instanceof AuthorisationError) throw new CliError(e.message, EXIT.usage);
    throw e;
  }
  const privacy = PrivacyServices.open(project);
  try {
    return reveal(project, privacy, who, { domain: o.domain, pseudonym: o.pseudonym, reason: o.reason });
  } catch (e) {
    if (e instanceof RevealError) throw new CliError(e.message, EXIT.usage);
    throw e;
  } finally {
    privacy.close();
  }
}
