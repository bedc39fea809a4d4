import { writeFileSync } from 'node:fs';
import { openCurrent } from '../../build/current.js';
import { toCsv, toXlsx } from '../../export/table.js';
import {
  areaProfile,
  profileTable,
  ProfileError,
  renderProfile,
  type Lang,
} from '../../indicators/profile.js';
import { swingExport, SwingExportError } from '../../indicators/swing.js';
import { authorise, AuthorisationError, principalFor, type Principal } from '../../privacy/authorise.js';
import { PrivacyServices } from '../../privacy/services.js';
import type { IndicatorDef, Project } from '../../project/types.js';
import { CliError, EXIT } from '../errors.js';

export interface ProfileOptions {
  year?: string;
  lang: Lang;
  /** published, disclosure-controlled values (anyone); otherwise the restricted values for a role and purpose */
  public: boolean;
  role?: string;
  purpose?: string;
  csv?: string;
  xlsx?: string;
}

function principal(project: Project, role: string): Principal {
  try {
    return principalFor(project, role);
  } catch (e) {
    if (e instanceof AuthorisationError) throw new CliError(e.message, EXIT.usage);
    throw e;
  }
}

/**
 * `pakhuis profile <code>`: the wijkprofiel of one area. Restricted values need a role and a
 * purpose; each indicator is authorised on its own sources, so a role sees the indicators its
 * purpose allows and is told which it does not. Audited, as every data access.
 */
export async function runProfile(project: Project, code: string, o: ProfileOptions): Promise<string> {
  let indicators: IndicatorDef[] = project.indicators;
  const refused: string[] = [];
  let who: Principal | undefined;
  if (!o.public) {
    if (!o.role || !o.purpose)
      throw new CliError(
        'internal values need --role and --purpose (doelbinding); or show the published figures with --public',
        EXIT.usage,
      );
    who = principal(project, o.role);
    indicators = project.indicators.filter((i) => {
      const d = authorise(
        project,
        who as Principal,
        'query',
        { tables: [`indicators.${i.name}`] },
        o.purpose,
      );
      if (!d.allowed) refused.push(`${i.name}: ${d.reason}`);
      return d.allowed;
    });
  }
  const privacy = PrivacyServices.open(project);
  const { engine } = await openCurrent(project, { sandbox: true }).catch((e: Error) => {
    privacy.close();
    throw new CliError(e.message, EXIT.failure);
  });
  try {
    const profile = await areaProfile(engine, project, code, {
      zone: o.public ? 'public' : 'restricted',
      indicators,
      ...(o.year ? { year: o.year } : {}),
    }).catch((e: unknown) => {
      if (e instanceof ProfileError) throw new CliError(e.message, EXIT.usage);
      throw e;
    });
    privacy.audit.append({
      actor: who?.user ?? 'anonymous',
      role: who?.role.name ?? null,
      purpose: o.purpose ?? null,
      action: o.csv || o.xlsx ? 'export' : 'query',
      resource: `profile ${code} ${profile.year} (${profile.zone})`,
      rows: profile.rows.length,
      detail: { indicators: profile.rows.map((r) => r.indicator.name), refused: refused.length },
    });
    const table = profileTable(profile, o.lang);
    if (o.csv) writeFileSync(o.csv, toCsv(table));
    if (o.xlsx) writeFileSync(o.xlsx, await toXlsx([table]));
    return [
      renderProfile(profile, o.lang),
      ...(refused.length > 0
        ? [
            '',
            `Not shown for purpose ${o.purpose ?? ''} (${refused.length}):`,
            ...refused.map((r) => `  ${r}`),
          ]
        : []),
      ...(o.csv ? [`wrote ${o.csv}`] : []),
      ...(o.xlsx ? [`wrote ${o.xlsx}`] : []),
    ].join('\n');
  } finally {
    await engine.close();
    privacy.close();
  }
}

/** `pakhuis export swing`: the published indicators in Swing import format 1 (XLSX and CSV) with metadata. */
export async function runSwingExport(project: Project, o: { out: string }): Promise<string> {
  const privacy = PrivacyServices.open(project);
  const { engine } = await openCurrent(project, { sandbox: true }).catch((e: Error) => {
    privacy.close();
    throw new CliError(e.message, EXIT.failure);
  });
  try {
    const { data, metadata } = await swingExport(engine, project).catch((e: unknown) => {
      if (e instanceof SwingExportError) throw new CliError(e.message, EXIT.usage);
      throw e;
    });
    const base = o.out.replace(/\.(xlsx|csv)$/, '');
    writeFileSync(`${base}.xlsx`, await toXlsx([data, metadata]));
    writeFileSync(`${base}_data.csv`, toCsv(data));
    writeFileSync(`${base}_metadata.csv`, toCsv(metadata));
    privacy.audit.append({
      actor: process.env['PAKHUIS_USER'] ?? 'cli',
      role: null,
      purpose: null,
      action: 'export',
      resource: 'swing (published indicators)',
      rows: data.rows.length,
      detail: { files: [`${base}.xlsx`, `${base}_data.csv`, `${base}_metadata.csv`] },
    });
    return `wrote ${base}.xlsx, ${base}_data.csv and ${base}_metadata.csv: ${data.rows.length} rows × ${data.columns.length - 3} indicators (published values only)`;
  } finally {
    await engine.close();
    privacy.close();
  }
}
