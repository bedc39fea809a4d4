import type { Project, SourceDef } from '../project/types.js';

/** One processing (verwerking) in the AVG art. 30 register: everything done for one purpose. */
export interface Processing {
  purpose: string;
  controller: string;
  fgContact: string | null;
  sources: Array<{
    name: string;
    title: string;
    owner: string;
    domain: string | null;
    legalBasis: string;
    fgApproval: string | null;
    retention: string;
    personalData: string[];
    specialCategories: string[];
  }>;
  legalBases: string[];
  dataSubjects: string[];
  personalDataCategories: string[];
  specialCategories: string[];
  recipients: string[];
  domainLinks: string[];
  measures: string[];
  dpia: { required: boolean; reasons: string[] };
}

const SPECIAL: Record<string, string> = {
  health: 'gezondheid (art. 9 AVG)',
  criminal: 'strafrechtelijke gegevens (art. 10 AVG)',
  religion: 'religie (art. 9 AVG)',
  ethnicity: 'ras of etnische afkomst (art. 9 AVG)',
  political: 'politieke opvattingen (art. 9 AVG)',
  trade_union: 'vakbondslidmaatschap (art. 9 AVG)',
  genetic: 'genetische gegevens (art. 9 AVG)',
  biometric: 'biometrische gegevens (art. 9 AVG)',
  sex_life: 'seksueel gedrag of gerichtheid (art. 9 AVG)',
};

const GROUND: Record<string, string> = {
  a: 'toestemming (art. 6 lid 1 sub a)',
  b: 'overeenkomst (art. 6 lid 1 sub b)',
  c: 'wettelijke verplichting (art. 6 lid 1 sub c)',
  d: 'vitaal belang (art. 6 lid 1 sub d)',
  e: 'algemeen belang / openbaar gezag (art. 6 lid 1 sub e)',
  f: 'gerechtvaardigd belang (art. 6 lid 1 sub f)',
};

function personalData(s: SourceDef): string[] {
  const out: string[] = [];
  const ids = s.columns.filter((c) => c.classification === 'identifier');
  if (ids.length > 0)
    out.push(
      `identificerend, gepseudonimiseerd: ${ids.map((c) => `${c.name} (${c.identifierKind})`).join(', ')}`,
    );
  const qi = s.columns.filter((c) => c.classification === 'quasi_identifier');
  if (qi.length > 0)
    out.push(
      `indirect identificerend: ${qi.map((c) => (c.generalise ? `${c.name} → ${c.generalise}` : c.name)).join(', ')}`,
    );
  const sens = s.columns.filter((c) => c.classification === 'sensitive');
  if (sens.length > 0) out.push(`gevoelig: ${sens.map((c) => `${c.name} (${c.category})`).join(', ')}`);
  const prot = s.columns.filter((c) => c.classification === 'protected');
  if (prot.length > 0) out.push(`beschermd (nooit signaalinvoer): ${prot.map((c) => c.name).join(', ')}`);
  return out;
}

function retention(s: SourceDef): string {
  const r = s.privacy.retention;
  return 'years' in r ? `${r.years} jaar na ${r.column}` : `permanent: ${r.reason}`;
}

const uniq = (xs: string[]): string[] => [...new Set(xs)].sort((a, b) => a.localeCompare(b, 'nl'));

/** The processing register, generated from the definitions: one processing per purpose. */
export function buildRegister(project: Project): Processing[] {
  const purposes = uniq(project.sources.flatMap((s) => s.privacy.purposes));
  return purposes.map((purpose) => {
    const sources = project.sources.filter((s) => s.privacy.purposes.includes(purpose));
    const special = uniq(
      sources.flatMap((s) =>
        s.columns
          .filter((c) => c.classification === 'sensitive' && c.category && SPECIAL[c.category])
          .map((c) => SPECIAL[c.category as string] as string),
      ),
    );
    const links = project.privacy.links.filter((l) => l.purpose === purpose);
    const identifierDomains = uniq(
      sources
        .filter((s) => s.columns.some((c) => c.classification === 'identifier'))
        .map((s) => s.domain ?? ''),
    );
    const monitored = sources.filter(
      (s) =>
        s.columns.some((c) => c.classification === 'identifier') &&
        (s.refresh === 'daily' || s.refresh === 'weekly'),
    );
    const reasons: string[] = [];
    if (special.length > 0)
      reasons.push(`bijzondere of strafrechtelijke persoonsgegevens: ${special.join(', ')}`);
    if (links.length > 0 || identifierDomains.length >= 2)
      reasons.push(
        `koppeling van gegevens op grote schaal: ${links.length > 0 ? links.map((l) => l.domains.join(' ↔ ')).join(', ') : identifierDomains.join(', ')}`,
      );
    if (monitored.length > 0)
      reasons.push(
        `stelselmatige monitoring: ${monitored.map((s) => `${s.name} (${s.refresh})`).join(', ')}`,
      );
    const hasIdentifiers = sources.some((s) => s.columns.some((c) => c.classification === 'identifier'));
    const measures = [
      ...(hasIdentifiers
        ? [
            'pseudonimisering in de database (HMAC-SHA-256, sleutel per koppeldomein, buiten het pakhuis bewaard)',
          ]
        : []),
      ...(sources.some((s) => s.columns.some((c) => c.generalise))
        ? ['generalisatie van indirect identificerende gegevens']
        : []),
      'alleen gedeclareerde kolommen worden geladen (dataminimalisatie)',
      'doelbinding: toegang per rol en doel via één autorisatiefunctie',
      'onweerlegbaar auditlog (hash-keten) van elke toegang',
      `publicatie alleen na onthullingscontrole (minimaal ${project.privacy.k} per cel, secundaire onderdrukking)`,
      ...(sources.some((s) => s.privacy.vault)
        ? ['herleiding alleen via de versleutelde kluis, met reden en rol, gelogd']
        : []),
      'bewaartermijnen worden bij elke build afgedwongen',
    ];
    return {
      purpose,
      controller: project.privacy.controller,
      fgContact: project.privacy.fgContact ?? null,
      sources: sources.map((s) => ({
        name: s.name,
        title: s.title,
        owner: s.owner,
        domain: s.domain ?? null,
        legalBasis: `${GROUND[s.privacy.legalBasis.ground]}; ${s.privacy.legalBasis.law}${s.privacy.legalBasis.exception ? `; uitzondering: ${s.privacy.legalBasis.exception}` : ''}`,
        fgApproval: s.privacy.fgApproval
          ? `${s.privacy.fgApproval.by}, ${s.privacy.fgApproval.date}${s.privacy.fgApproval.reference ? ` (${s.privacy.fgApproval.reference})` : ''}`
          : null,
        retention: retention(s),
        personalData: personalData(s),
        specialCategories: uniq(
          s.columns
            .filter((c) => c.category && SPECIAL[c.category])
            .map((c) => SPECIAL[c.category as string] as string),
        ),
      })),
      legalBases: uniq(
        sources.map((s) => `${GROUND[s.privacy.legalBasis.ground]}; ${s.privacy.legalBasis.law}`),
      ),
      dataSubjects: uniq(sources.flatMap((s) => s.privacy.dataSubjects)),
      personalDataCategories: uniq(
        sources.flatMap((s) => personalData(s).map((p) => p.split(':')[0] as string)),
      ),
      specialCategories: special,
      recipients: project.roles.filter((r) => r.purposes.includes(purpose)).map((r) => r.name),
      domainLinks: links.map((l) => `${l.domains.join(' ↔ ')} (goedgekeurd door ${l.approvedBy}, ${l.date})`),
      measures,
      dpia: { required: reasons.length > 0, reasons },
    };
  });
}

export function registerToMarkdown(project: Project, register: Processing[]): string {
  const lines = [
    `# Verwerkingsregister (art. 30 AVG) — ${project.municipality.name} (${project.municipality.code})`,
    '',
    `Verwerkingsverantwoordelijke: ${project.privacy.controller}`,
    '',
  ];
  if (project.privacy.fgContact)
    lines.push(`Functionaris gegevensbescherming: ${project.privacy.fgContact}`, '');
  lines.push(
    'Gegenereerd uit de definities in de projectmap; wijzigingen lopen via de review van die map.',
    '',
  );
  for (const p of register) {
    lines.push(`## Verwerking: ${p.purpose}`, '');
    lines.push(`- **DPIA vereist:** ${p.dpia.required ? `ja — ${p.dpia.reasons.join('; ')}` : 'nee'}`);
    lines.push(`- **Grondslagen:** ${p.legalBases.join(' | ')}`);
    lines.push(`- **Betrokkenen:** ${p.dataSubjects.join(', ')}`);
    lines.push(`- **Categorieën persoonsgegevens:** ${p.personalDataCategories.join(', ') || 'geen'}`);
    lines.push(`- **Bijzondere categorieën:** ${p.specialCategories.join(', ') || 'geen'}`);
    lines.push(`- **Ontvangers (rollen):** ${p.recipients.join(', ') || 'geen'}`);
    lines.push(`- **Koppelingen tussen domeinen:** ${p.domainLinks.join('; ') || 'geen'}`);
    lines.push(`- **Maatregelen:** ${p.measures.join('; ')}`, '');
    lines.push(
      '| bron | eigenaar | domein | grondslag | FG-akkoord | bewaartermijn | persoonsgegevens |',
      '|---|---|---|---|---|---|---|',
    );
    for (const s of p.sources) {
      lines.push(
        `| ${s.name} | ${s.owner} | ${s.domain ?? '—'} | ${s.legalBasis} | ${s.fgApproval ?? '**ontbreekt**'} | ${s.retention} | ${s.personalData.join('; ') || 'geen'} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function registerToCsv(register: Processing[]): string {
  const field = (s: string): string => (/[";\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const header = [
    'verwerking',
    'verwerkingsverantwoordelijke',
    'bronnen',
    'grondslagen',
    'betrokkenen',
    'categorieen_persoonsgegevens',
    'bijzondere_categorieen',
    'ontvangers',
    'koppelingen',
    'bewaartermijnen',
    'maatregelen',
    'dpia_vereist',
    'dpia_redenen',
  ];
  const rows = register.map((p) =>
    [
      p.purpose,
      p.controller,
      p.sources.map((s) => s.name).join(', '),
      p.legalBases.join(' | '),
      p.dataSubjects.join(', '),
      p.personalDataCategories.join(', '),
      p.specialCategories.join(', '),
      p.recipients.join(', '),
      p.domainLinks.join(' | '),
      p.sources.map((s) => `${s.name}: ${s.retention}`).join(' | '),
      p.measures.join(' | '),
      p.dpia.required ? 'ja' : 'nee',
      p.dpia.reasons.join(' | '),
    ]
      .map(field)
      .join(';'),
  );
  return '\uFEFF' + [header.join(';'), ...rows].join('\r\n') + '\r\n';
}
