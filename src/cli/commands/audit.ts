import { PrivacyServices } from '../../privacy/services.js';
import type { Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';
import { formatRows, type OutputFormat } from '../format.js';

export function runAuditVerify(project: Project): string {
  const privacy = PrivacyServices.open(project);
  try {
    const result = privacy.audit.verify();
    if (!result.ok)
      throw new CliError(
        `audit log BROKEN at entry ${result.first.id} (${result.first.kind}): ${result.first.message}`,
        EXIT.failure,
      );
    return `audit log intact: ${result.entries} entries, chain verified`;
  } finally {
    privacy.close();
  }
}

export function runAuditList(
  project: Project,
  opts: { limit: number; action?: string; format: OutputFormat },
): string {
  const privacy = PrivacyServices.open(project);
  try {
    const rows = privacy.audit.entries({
      limit: opts.limit,
      ...(opts.action ? { action: opts.action } : {}),
    });
    return formatRows(
      rows,
      ['id', 'at', 'actor', 'role', 'purpose', 'action', 'resource', 'rows'],
      opts.format,
    );
  } finally {
    privacy.close();
  }
}
