import { join } from 'node:path';
import type { Project } from '../project/types.js';
import { AuditLog } from '../state/audit.js';
import { domainKey, hmacPads, loadAuditKey, loadMasterKey, vaultKey } from './keys.js';
import { Vault } from './vault.js';

/** The privacy machinery a process needs: the key, the audit log, the vault. Open once, close once. */
export class PrivacyServices {
  private constructor(
    private readonly master: Buffer,
    readonly audit: AuditLog,
    readonly vault: Vault,
  ) {}

  static open(project: Project): PrivacyServices {
    const master = loadMasterKey(project);
    const auditKey = loadAuditKey(project);
    return new PrivacyServices(
      master,
      new AuditLog(join(project.paths.state, 'audit.sqlite'), auditKey),
      new Vault(join(project.paths.state, 'vault.sqlite'), vaultKey(master)),
    );
  }

  /** HMAC pads of a linking domain's key, as the engine needs them */
  padsFor(domain: string): { inner: string; outer: string } {
    return hmacPads(domainKey(this.master, domain));
  }

  /** the key of a domain, for computing a pseudonym outside the engine (tests, tools) */
  keyOf(domain: string): Buffer {
    return domainKey(this.master, domain);
  }

  close(): void {
    this.audit.close();
    this.vault.close();
  }
}
