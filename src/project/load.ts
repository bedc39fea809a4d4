import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { toStrftime } from '../engine/dialect.js';
import { closest } from '../util/text.js';
import { topologicalOrder } from './dag.js';
import { extractRefs } from './refs.js';
import { normaliseChecks } from './checks.js';
import { extractLinks } from './compile.js';
import { authConfigSchema, checkAuthConfig } from '../auth/config.js';
import {
  indicatorFileSchema,
  modelMetaFileSchema,
  nodeNameSchema,
  projectFileSchema,
  publicationFileSchema,
  sourceFileSchema,
  type ColumnSpec,
  type ConnectorSpec,
  type ProjectFile,
  type SourceFile,
} from './schema.js';
import {
  DefinitionError,
  type CatalogMeta,
  type ProjectCatalog,
  type CheckDef,
  type IndicatorDef,
  type IndicatorSide,
  type SidePeriod,
  type ColumnDef,
  type ConnectorDef,
  type ModelDef,
  type Project,
  type PublicationDef,
  type SourceDef,
} from './types.js';
import { LocatedYaml } from './yaml-locate.js';
import { describeIssue } from './zod-issues.js';

export const PROJECT_FILE = 'pakhuis.yaml';

export interface LoadResult {
  project?: Project;
  errors: DefinitionError[];
}

/**
 * Read and validate a project folder, once, at the edge. Returns every error found (not just the
 * first), each with its file, line and fix; `project` is set only when there are none.
 */
export function loadProject(dir: string): LoadResult {
  const root = resolve(dir);
  const errors: DefinitionError[] = [];
  const projectPath = join(root, PROJECT_FILE);
  if (!existsSync(projectPath)) {
    return {
      errors: [
        new DefinitionError(
          PROJECT_FILE,
          undefined,
          `no ${PROJECT_FILE} in ${root}`,
          'run `pakhuis init <dir>` to scaffold a project, or pass --project <dir>',
        ),
      ],
    };
  }
  const projectFile = parseYamlFile(root, PROJECT_FILE, projectFileSchema, errors);
  const catalog = projectFile ? projectCatalog(projectFile.value) : undefined;

  const sources: SourceDef[] = [];
  const sourceFiles = listFiles(join(root, 'sources'), ['.yaml', '.yml']);
  for (const file of sourceFiles) {
    const rel = relative(root, file);
    const parsed = parseYamlFile(root, rel, sourceFileSchema, errors);
    if (parsed && projectFile && catalog) {
      const src = normaliseSource(
        root,
        rel,
        parsed.value,
        projectFile.value.paths.data,
        projectFile.value.paths.state,
        catalog,
        projectFile.value.areas.bag,
        parsed.yaml,
        errors,
      );
      if (src) sources.push(src);
    }
  }

  const models: ModelDef[] = [];
  for (const file of listFiles(join(root, 'models'), ['.sql'])) {
    const rel = relative(root, file);
    const name = basename(file, '.sql');
    const sql = readFileSync(file, 'utf8');
    if (!validNodeName('model', name, rel, errors)) continue;
    if (sql.trim().length === 0) {
      errors.push(
        new DefinitionError(
          rel,
          1,
          'the model is empty',
          "write one SELECT statement, using ref('name') for its inputs",
        ),
      );
      continue;
    }
    // optional metadata beside the SQL: models/<name>.yaml
    const metaRel = join('models', `${name}.yaml`);
    const meta = existsSync(join(root, metaRel))
      ? parseYamlFile(root, metaRel, modelMetaFileSchema, errors)
      : undefined;
    const m = meta?.value;
    models.push({
      kind: 'model',
      name,
      file: rel,
      sql,
      refs: [...new Set(extractRefs(sql).map((r) => r.name))],
      ...(m?.title ? { title: m.title } : {}),
      ...(m?.description ? { description: m.description } : {}),
      ...(m?.owner ? { owner: m.owner } : {}),
      ...(meta ? { metaFile: metaRel } : {}),
      signal: m?.signal ?? false,
      columnDescriptions: Object.fromEntries(
        Object.entries(m?.columns ?? {}).flatMap(([c, v]) => (v.description ? [[c, v.description]] : [])),
      ),
      checks: meta ? normaliseChecks(metaRel, meta.value.checks, meta.yaml, errors, undefined) : [],
      definitionHash: sha256(sql + JSON.stringify(m ?? null)),
    });
  }

  const publications: PublicationDef[] = [];
  for (const file of listFiles(join(root, 'publications'), ['.yaml', '.yml'])) {
    const rel = relative(root, file);
    const parsed = parseYamlFile(root, rel, publicationFileSchema, errors);
    if (!parsed) continue;
    const pub = parsed.value;
    const pubName = basename(file).replace(/\.ya?ml$/, '');
    if (!validNodeName('publication', pubName, rel, errors)) continue;
    const need =
      pub.measure === 'ratio' ? ['numerator', 'denominator'] : pub.measure === 'sum' ? ['value'] : [];
    for (const key of need) {
      if (!pub[key as 'numerator'])
        errors.push(
          new DefinitionError(
            rel,
            parsed.yaml.lineAt([]),
            `measure ${pub.measure} needs \`${key}:\``,
            `name the model column that holds the ${key}`,
          ),
        );
    }
    publications.push({
      kind: 'publication',
      name: pubName,
      file: rel,
      title: pub.title,
      ...(pub.description ? { description: pub.description } : {}),
      model: pub.model,
      measure: pub.measure,
      area: pub.area,
      ...(pub.value ? { value: pub.value } : {}),
      count: pub.count,
      ...(pub.numerator ? { numerator: pub.numerator } : {}),
      ...(pub.denominator ? { denominator: pub.denominator } : {}),
      scale: pub.scale,
      ...(pub.period ? { period: pub.period } : {}),
      ...(pub.category ? { category: pub.category } : {}),
      ...(pub.k ? { k: pub.k } : {}),
      ...(pub.min_denominator ? { minDenominator: pub.min_denominator } : {}),
      ...(pub.round_to ? { roundTo: pub.round_to } : {}),
      theme: pub.theme,
      refs: [pub.model],
    });
  }

  const indicators: IndicatorDef[] = [];
  for (const file of listFiles(join(root, 'indicators'), ['.yaml', '.yml'])) {
    const rel = relative(root, file);
    const parsed = parseYamlFile(root, rel, indicatorFileSchema, errors);
    const id = basename(file).replace(/\.ya?ml$/, '');
    if (!parsed || !validNodeName('indicator', id, rel, errors)) continue;
    const ind = normaliseIndicator(id, rel, parsed.value, parsed.yaml, errors);
    if (projectFile?.value.indicators.retired.includes(id)) {
      errors.push(
        new DefinitionError(
          rel,
          undefined,
          `indicator id "${id}" was retired and is never used again`,
          'give the indicator a new id (rename the file); figures of the old id stay what they were',
        ),
      );
    }
    if (ind) indicators.push(ind);
  }

  // names are one namespace across sources, models, publications and indicators
  const byName = new Map<string, SourceDef | ModelDef | PublicationDef | IndicatorDef>();
  for (const node of [...sources, ...models, ...publications, ...indicators]) {
    const other = byName.get(node.name);
    if (other) {
      errors.push(
        new DefinitionError(
          node.file,
          undefined,
          `the name "${node.name}" is already used by ${other.file}`,
          'give one of them another name: sources, models, publications and indicators share one namespace',
        ),
      );
    } else byName.set(node.name, node);
  }
  for (const model of models) {
    for (const ref of extractRefs(model.sql)) {
      if (!byName.has(ref.name)) {
        const hint = closest(ref.name, byName.keys());
        errors.push(
          new DefinitionError(
            model.file,
            ref.line,
            `ref('${ref.name}') names no source or model`,
            hint
              ? `did you mean ref('${hint}')?`
              : `add sources/${ref.name}.yaml or models/${ref.name}.sql, or correct the name`,
          ),
        );
      }
    }
  }

  for (const node of [...sources, ...models]) {
    for (const check of node.checks) checkRefsExist(node, check, byName, errors);
  }
  // a model may join two linking domains only through a link the project declares (and the register shows)
  const declared = projectFile?.value.privacy.links ?? [];
  for (const model of models) {
    for (const l of extractLinks(model.sql)) {
      if (!declared.some((x) => x.domains.includes(l.a) && x.domains.includes(l.b) && l.a !== l.b))
        errors.push(
          new DefinitionError(
            model.file,
            l.line,
            `link('${l.a}', '${l.b}') is not a declared link between linking domains`,
            `declare it under privacy.links in pakhuis.yaml (domains, purpose, approved_by, date) after the FG approved it; declared: ${declared.map((x) => x.domains.join('–')).join(', ') || 'none'}`,
          ),
        );
    }
  }

  for (const pub of publications) {
    if (!models.some((m) => m.name === pub.model)) {
      const hint = closest(
        pub.model,
        models.map((m) => m.name),
      );
      errors.push(
        new DefinitionError(
          pub.file,
          undefined,
          `model "${pub.model}" does not exist`,
          hint
            ? `did you mean "${hint}"?`
            : 'publish a model from models/*.sql (publications read models, never sources)',
        ),
      );
    }
  }

  for (const ind of indicators) {
    for (const ref of ind.refs) {
      const target = byName.get(ref);
      const wanted = ind.cbs?.source === ref ? 'source' : 'model';
      if (!target || target.kind !== wanted) {
        const hint = closest(
          ref,
          [...byName.values()].filter((n) => n.kind === wanted).map((n) => n.name),
        );
        errors.push(
          new DefinitionError(
            ind.file,
            undefined,
            `${wanted} "${ref}" does not exist`,
            hint ? `did you mean "${hint}"?` : `indicators read ${wanted}s: name one of this project`,
          ),
        );
      }
    }
  }
  for (const id of projectFile?.value.indicators.similarity ?? []) {
    if (!indicators.some((i) => i.name === id))
      errors.push(
        new DefinitionError(
          PROJECT_FILE,
          projectFile?.yaml.lineAt(['indicators', 'similarity']),
          `similarity names indicator "${id}", which does not exist`,
          'list ids of indicators/*.yaml',
        ),
      );
  }

  const bag = projectFile?.value.areas.bag;
  const bagSource = bag?.source;
  if (bag) {
    const src = sources.find((x) => x.name === bag.source);
    if (!src)
      errors.push(
        new DefinitionError(
          PROJECT_FILE,
          projectFile?.yaml.lineAt(['areas', 'bag']),
          `areas.bag names source "${bag.source}", which does not exist`,
          'name the source that holds the BAG addresses (verblijfsobjecten)',
        ),
      );
    else
      for (const col of [bag.id, bag.postcode, bag.huisnummer, bag.huisletter, bag.toevoeging, bag.buurt]) {
        if (col && !src.columns.some((c) => c.name === col))
          errors.push(
            new DefinitionError(
              PROJECT_FILE,
              projectFile?.yaml.lineAt(['areas', 'bag']),
              `areas.bag names column ${col}, which source ${bag.source} does not declare`,
              `declare it in ${src.file}`,
            ),
          );
      }
  }
  for (const src of sources.filter((x) => x.geocodeBag && !bag))
    errors.push(
      new DefinitionError(
        src.file,
        undefined,
        "geocode_bag needs the project's BAG address register",
        'set areas.bag in pakhuis.yaml: { source, id, postcode, huisnummer, huisletter, toevoeging, buurt }',
      ),
    );

  // sign-in settings: their own schema (src/auth/config.ts), and roles that must exist
  if (projectFile?.value.auth) {
    const parsed = authConfigSchema.safeParse(projectFile.value.auth);
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        errors.push(
          new DefinitionError(
            PROJECT_FILE,
            projectFile.yaml.lineAt(['auth', ...issue.path]) ?? projectFile.yaml.lineAt(['auth']),
            `auth.${issue.path.join('.')}: ${issue.message}`,
            'see docs/project-format.md, "auth"',
          ),
        );
    else
      for (const problem of checkAuthConfig(
        parsed.data,
        Object.keys(projectFile.value.roles).map((name) => ({ name })),
      ))
        errors.push(
          new DefinitionError(
            PROJECT_FILE,
            projectFile.yaml.lineAt(['auth']),
            problem,
            'name roles of pakhuis.yaml',
          ),
        );
  }

  let order: string[] = [];
  if (errors.length === 0) {
    const edges = new Map<string, string[]>(
      [...byName.values()].map((n) => [
        n.name,
        [
          ...dependencies(n),
          // geocoding through the BAG needs the BAG source landed first
          ...(n.kind === 'source' && n.geocodeBag && bagSource && n.name !== bagSource ? [bagSource] : []),
        ],
      ]),
    );
    const result = topologicalOrder(edges);
    if ('cycle' in result) {
      const first = byName.get(result.cycle[0] as string) as SourceDef | ModelDef;
      const next = result.cycle[1] as string;
      const line =
        (first.kind === 'model' ? extractRefs(first.sql).find((r) => r.name === next)?.line : undefined) ??
        first.checks.find((c) => c.refs.includes(next))?.line;
      errors.push(
        new DefinitionError(
          first.file,
          line,
          `dependency cycle: ${result.cycle.join(' → ')}`,
          'sources, models and their checks must form a DAG: remove one of these refs or checks, or split a model in two',
        ),
      );
    } else order = result.order;
  }

  if (errors.length > 0 || !projectFile) return { errors };
  const p = projectFile.value;
  return {
    errors,
    project: {
      root,
      municipality: p.municipality,
      engine: {
        type: p.engine.type,
        path: absolute(root, p.engine.path),
        ...(p.engine.url ? { url: p.engine.url } : {}),
        ...(p.engine.memory_limit ? { memoryLimit: p.engine.memory_limit } : {}),
      },
      paths: { data: absolute(root, p.paths.data), state: absolute(root, p.paths.state) },
      privacy: {
        controller: p.privacy.controller,
        ...(p.privacy.fg_contact ? { fgContact: p.privacy.fg_contact } : {}),
        key: { env: p.privacy.key.env, ...(p.privacy.key.file ? { file: p.privacy.key.file } : {}) },
        k: p.privacy.k,
        links: p.privacy.links.map((l) => ({
          domains: l.domains,
          purpose: l.purpose,
          approvedBy: l.approved_by,
          date: l.date,
        })),
      },
      areas: {
        ...(p.areas.buurten ? { buurten: absolute(root, p.areas.buurten) } : {}),
        ...(p.areas.wijken ? { wijken: absolute(root, p.areas.wijken) } : {}),
        custom: p.areas.custom,
        ...(p.areas.bag
          ? {
              bag: {
                source: p.areas.bag.source,
                id: p.areas.bag.id,
                postcode: p.areas.bag.postcode,
                huisnummer: p.areas.bag.huisnummer,
                suffix: [p.areas.bag.huisletter, p.areas.bag.toevoeging].filter((c): c is string => !!c),
                buurt: p.areas.bag.buurt,
              },
            }
          : {}),
        changes: p.areas.changes,
      },
      indicators,
      indicatorSettings: p.indicators,
      ...(p.auth ? { auth: p.auth } : {}),
      catalog: catalog as ProjectCatalog,
      ...(p.reference_date ? { referenceDate: p.reference_date } : {}),
      roles: Object.entries(p.roles).map(([roleName, r]) => ({
        name: roleName,
        ...(r.description ? { description: r.description } : {}),
        purposes: r.purposes,
        reveal: r.reveal,
        audit: r.audit,
        admin: r.admin,
        members: r.members,
      })),
      sources,
      models,
      publications,
      order,
    },
  };
}

/** What a node needs built before it: its refs, and the nodes its checks read. */
function dependencies(n: SourceDef | ModelDef | PublicationDef | IndicatorDef): string[] {
  const checkRefs = n.kind === 'publication' || n.kind === 'indicator' ? [] : n.checks.flatMap((c) => c.refs);
  return [...new Set([...(n.kind === 'source' ? [] : n.refs), ...checkRefs])].filter((r) => r !== n.name);
}

function checkRefsExist(
  node: SourceDef | ModelDef,
  check: CheckDef,
  byName: Map<string, SourceDef | ModelDef | PublicationDef | IndicatorDef>,
  errors: DefinitionError[],
): void {
  const file = node.kind === 'model' ? (node.metaFile as string) : node.file;
  for (const ref of check.refs) {
    const target = byName.get(ref);
    if (!target || target.kind === 'publication') {
      const hint = closest(
        ref,
        [...byName.values()].filter((n) => n.kind !== 'publication').map((n) => n.name),
      );
      errors.push(
        new DefinitionError(
          file,
          check.line,
          `check ${check.id}: "${ref}" names no source or model`,
          hint ? `did you mean "${hint}"?` : 'name a source or model of this project',
        ),
      );
      continue;
    }
    if (check.type !== 'relationships' || node.kind !== 'source' || target.kind !== 'source') continue;
    // Pseudonyms of two linking domains never match: such a check could only fail.
    const field = (check.params.field as string | undefined) ?? (check.column as string);
    const mine = node.columns.find((c) => c.name === check.column);
    const theirs = target.columns.find((c) => c.name === field);
    if (!theirs) {
      errors.push(
        new DefinitionError(
          file,
          check.line,
          `check ${check.id}: source ${ref} has no column ${field}`,
          `set field: to one of ${target.columns.map((c) => c.name).join(', ')}`,
        ),
      );
    } else if (mine && (mine.classification === 'identifier') !== (theirs.classification === 'identifier')) {
      errors.push(
        new DefinitionError(
          file,
          check.line,
          `check ${check.id}: ${check.column} and ${ref}.${field} are not both identifiers, so their values cannot match`,
          'classify both as identifier (the same kind), or neither',
        ),
      );
    } else if (mine?.classification === 'identifier' && node.domain !== target.domain) {
      errors.push(
        new DefinitionError(
          file,
          check.line,
          `check ${check.id}: ${node.name} (domain ${node.domain}) and ${ref} (domain ${target.domain}) pseudonymise with different keys, so their identifiers never match`,
          'check relationships within one linking domain',
        ),
      );
    }
  }
}

/** An indicator definition, checked for what its type and period kind need. */
function normaliseIndicator(
  id: string,
  rel: string,
  f: z.infer<typeof indicatorFileSchema>,
  yaml: LocatedYaml,
  errors: DefinitionError[],
): IndicatorDef | undefined {
  const err = (path: string[], message: string, fix: string): undefined => {
    errors.push(new DefinitionError(rel, yaml.lineAt(path) ?? yaml.lineAt([]), message, fix));
    return undefined;
  };
  type SideSpec = NonNullable<typeof f.numerator>;
  const model = f.model ?? f.denominator?.model ?? f.numerator?.model;
  if (!model) return err([], 'no model to read', 'set `model:` (or numerator.model and denominator.model)');
  if ((f.type === 'sum' || f.type === 'mean') && !f.value)
    return err(
      ['type'],
      `type ${f.type} needs \`value:\` (the column to ${f.type === 'sum' ? 'add up' : 'average'})`,
      'set value: <column>',
    );
  if ((f.type === 'share' || f.type === 'ratio') && !f.numerator)
    return err(
      ['type'],
      `type ${f.type} needs \`numerator:\``,
      'set numerator: { filter: … } (and for a ratio, denominator:)',
    );
  if (f.type === 'ratio' && !f.denominator)
    return err(['type'], 'type ratio needs `denominator:`', 'set denominator: { model: …, filter: … }');
  if (f.type !== 'ratio' && f.scale !== undefined)
    return err(
      ['scale'],
      `scale is for ratios; ${f.type === 'share' ? 'a share is per 100' : `a ${f.type} has no scale`}`,
      'remove scale:',
    );
  const periodOf = (sp: SidePeriod, path: string[]): SidePeriod | undefined => {
    if (sp.kind === 'flow' && !sp.date)
      return err(
        path,
        'a flow counts events within each period: it needs `date:`',
        'set date: <event date column>',
      );
    if (sp.kind === 'stock' && !sp.from && !sp.date)
      return err(
        path,
        'a stock is the state at the end of each period: it needs `from:` (and `to:`), or `date:` of a snapshot',
        'set from / to, or date',
      );
    return {
      kind: sp.kind,
      ...(sp.date ? { date: sp.date } : {}),
      ...(sp.from ? { from: sp.from } : {}),
      ...(sp.to ? { to: sp.to } : {}),
    };
  };
  const main = periodOf(f.period, ['period']);
  if (!main) return undefined;
  const base: IndicatorSide = { model, period: main, ...(f.filter ? { filter: f.filter } : {}) };
  const side = (s: SideSpec, fallback: IndicatorSide, path: string[]): IndicatorSide | undefined => {
    const period = s.period ? periodOf(s.period, [...path, 'period']) : fallback.period;
    if (!period) return undefined;
    const filter = [fallback.filter, s.filter].filter((c): c is string => Boolean(c));
    return {
      model: s.model ?? fallback.model,
      period,
      ...(filter.length > 0 ? { filter: filter.map((c) => `(${c})`).join(' AND ') } : {}),
      ...(s.sum ? { sum: s.sum } : {}),
    };
  };
  // share: the denominator is the indicator's rows, the numerator those that also match its filter;
  // ratio: two independent sides; count, sum, mean: the indicator's rows
  const plain: IndicatorSide = { model, period: main };
  const numerator =
    f.type === 'share'
      ? side(f.numerator as SideSpec, base, ['numerator'])
      : f.type === 'ratio'
        ? side(f.numerator as SideSpec, plain, ['numerator'])
        : { ...base, ...(f.type === 'sum' ? { sum: f.value as string } : {}) };
  const denominator =
    f.type === 'share'
      ? side(f.denominator ?? {}, base, ['denominator'])
      : f.type === 'ratio'
        ? side(f.denominator as SideSpec, plain, ['denominator'])
        : undefined;
  if (!numerator || ((f.type === 'share' || f.type === 'ratio') && !denominator)) return undefined;
  const p = f.period;
  return {
    kind: 'indicator',
    name: id,
    file: rel,
    label: f.label,
    ...(f.label_en ? { labelEn: f.label_en } : {}),
    description: f.description,
    theme: f.theme,
    domain: f.domain,
    owner: f.owner,
    type: f.type,
    numerator,
    ...(denominator ? { denominator } : {}),
    ...(f.value ? { value: f.value } : {}),
    scale: f.type === 'share' ? 100 : (f.scale ?? 1),
    area: f.area,
    period: { ...main, grain: p.grain, first: p.first },
    unit: f.unit,
    decimals: f.decimals,
    ...(f.target ? { target: f.target } : {}),
    polarity: f.polarity,
    provisional: f.provisional,
    ...(f.cbs ? { cbs: f.cbs } : {}),
    ...(f.k ? { k: f.k } : {}),
    ...(f.min_denominator ? { minDenominator: f.min_denominator } : {}),
    refs: [
      ...new Set([
        numerator.model,
        ...(denominator ? [denominator.model] : []),
        ...(f.cbs ? [f.cbs.source] : []),
      ]),
    ],
  };
}

/** The project's catalog settings, with the municipality's defaults. */
function projectCatalog(p: ProjectFile): ProjectCatalog {
  const slug = p.municipality.name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
  return {
    baseUri: (p.catalog?.base_uri ?? `https://data.${slug}.nl`).replace(/\/$/, ''),
    publisherUri:
      p.catalog?.publisher_uri ??
      `https://identifier.overheid.nl/tooi/id/gemeente/${p.municipality.code.toLowerCase()}`,
    contact: p.catalog?.contact ?? { name: `Gemeente ${p.municipality.name}` },
  };
}

/** A source's DCAT-AP-DONL metadata, with defaults from the project. */
function catalogMeta(
  name: string,
  s: SourceFile,
  project: ProjectCatalog,
  rel: string,
  yaml: LocatedYaml,
  errors: DefinitionError[],
): CatalogMeta {
  const c = s.catalog;
  const access = c?.access ?? 'non_public';
  if (
    access === 'public' &&
    s.columns &&
    Object.values(s.columns).some((col) => col.classification !== 'none')
  ) {
    errors.push(
      new DefinitionError(
        rel,
        yaml.lineAt(['catalog', 'access']),
        'a source with personal data (a column not classified none) cannot be public',
        'set catalog.access: restricted or non_public; publish figures from it through a publication instead',
      ),
    );
  }
  return {
    identifier: c?.identifier ?? `${project.baseUri}/dataset/${name}`,
    theme: c?.theme ?? [],
    access,
    licence: c?.licence ?? (access === 'public' ? 'cc-0' : 'licentie-onbekend'),
    status: c?.status ?? 'beschikbaar',
    language: c?.language ?? ['nl'],
    ...(c?.creator ? { creator: c.creator } : {}),
    contact: c?.contact ?? project.contact,
    keywords: c?.keywords ?? [],
  };
}

/** A model or publication is named by its file: the name must be a valid node name. */
function validNodeName(
  kind: 'model' | 'publication' | 'indicator',
  name: string,
  rel: string,
  errors: DefinitionError[],
): boolean {
  if (nodeNameSchema.safeParse(name).success) return true;
  errors.push(
    new DefinitionError(
      rel,
      undefined,
      `${kind} name "${name}" is not valid`,
      `rename the file to lower case letters, digits and underscores, starting with a letter (e.g. ${kind}s/personen_schoon.${kind === 'model' ? 'sql' : 'yaml'})`,
    ),
  );
  return false;
}

function absolute(root: string, p: string): string {
  return isAbsolute(p) ? p : join(root, p);
}

function listFiles(dir: string, exts: string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => join(dir, f));
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function parseYamlFile<S extends z.ZodType>(
  root: string,
  rel: string,
  schema: S,
  errors: DefinitionError[],
): { value: z.infer<S>; yaml: LocatedYaml } | undefined {
  const yaml = LocatedYaml.parse(readFileSync(join(root, rel), 'utf8'));
  if (yaml.errors.length > 0) {
    for (const e of yaml.errors)
      errors.push(
        new DefinitionError(
          rel,
          e.line,
          `YAML syntax: ${e.message}`,
          'fix the YAML syntax (indentation, quotes, a colon after each key)',
        ),
      );
    return undefined;
  }
  const data = yaml.toJS() ?? {};
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) errors.push(describeIssue(rel, issue, yaml, schema, data));
    return undefined;
  }
  return { value: result.data, yaml };
}

function normaliseSource(
  root: string,
  rel: string,
  s: SourceFile,
  dataDir: string,
  stateDir: string,
  catalog: ProjectCatalog,
  bag: ProjectFile['areas']['bag'],
  yaml: LocatedYaml,
  errors: DefinitionError[],
): SourceDef | undefined {
  const fileName = basename(rel).replace(/\.ya?ml$/, '');
  const name = s.name ?? fileName;
  if (!nodeNameSchema.safeParse(name).success) {
    errors.push(
      new DefinitionError(
        rel,
        yaml.lineAt(['name']),
        `source name "${name}" is not valid`,
        'use lower case letters, digits and underscores, starting with a letter; set `name:` or rename the file',
      ),
    );
    return undefined;
  }
  const connector = normaliseConnector(
    s.connector,
    absolute(root, dataDir),
    join(absolute(root, stateDir), 'downloads', `${name}.json`),
  );
  const columns: ColumnDef[] = Object.entries(s.columns).map(([colName, c]: [string, ColumnSpec]) => ({
    name: colName,
    type: c.type,
    header: c.header ?? colName,
    ...(c.description ? { description: c.description } : {}),
    required: c.required,
    invalid: c.invalid,
    ...(c.values ? { values: c.values } : {}),
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
    ...(c.pattern ? { pattern: c.pattern } : {}),
    ...(c.date_format ? { dateFormat: toStrftime(c.date_format) } : {}),
    classification: c.classification,
    ...(c.classification === 'identifier' ? { identifierKind: c.identifier ?? 'text' } : {}),
    ...(c.category ? { category: c.category } : {}),
    ...(c.generalise ? { generalise: c.generalise } : {}),
  }));
  const register = bag && bag.source === name ? bag : undefined;
  checkPrivacy(
    rel,
    s,
    columns,
    yaml,
    errors,
    register
      ? [register.postcode, register.huisnummer, register.huisletter, register.toevoeging].filter(
          (c): c is string => !!c,
        )
      : [],
  );
  for (const c of columns) {
    if (c.pattern) {
      try {
        new RegExp(c.pattern);
      } catch (e) {
        errors.push(
          new DefinitionError(
            rel,
            yaml.lineAt(['columns', c.name, 'pattern']),
            `column ${c.name}: the pattern is not a valid regular expression (${(e as Error).message})`,
            'write a valid regular expression, e.g. ^[0-9]{4} ?[A-Z]{2}$',
          ),
        );
      }
    }
  }
  const p = s.privacy;
  const privacy: SourceDef['privacy'] = {
    legalBasis: {
      ground: p.legal_basis.ground,
      law: p.legal_basis.law,
      ...(p.legal_basis.exception ? { exception: p.legal_basis.exception } : {}),
    },
    purposes: p.purposes,
    dataSubjects: p.data_subjects,
    ...(p.fg_approval
      ? {
          fgApproval: {
            by: p.fg_approval.by,
            date: p.fg_approval.date,
            ...(p.fg_approval.reference ? { reference: p.fg_approval.reference } : {}),
          },
        }
      : {}),
    retention:
      'years' in p.retention
        ? { years: p.retention.years, column: p.retention.column }
        : { keep: 'permanent', reason: p.retention.reason },
    vault: p.vault,
  };
  // the buurt code a geocoded source gets lands too, so it can be checked
  const targets = [s.geocode?.to, s.geocode_bag?.to].filter((t): t is string => !!t);
  const landed: ColumnDef[] =
    targets.length > 0
      ? [
          ...columns,
          ...targets.map((t): ColumnDef => ({
            name: t,
            type: 'text',
            header: t,
            required: false,
            invalid: 'quarantine',
            classification: 'none',
          })),
        ]
      : columns;
  const checks = normaliseChecks(rel, s.checks, yaml, errors, landed);
  const definitionHash = sha256(
    JSON.stringify({
      connector: { ...connector, path: connector.declaredPath },
      columns,
      domain: s.domain ?? null,
      checks,
    }),
  );
  return {
    kind: 'source',
    name,
    file: rel,
    title: s.title,
    ...(s.description ? { description: s.description } : {}),
    owner: s.owner,
    ...(s.steward ? { steward: s.steward } : {}),
    ...(s.domain ? { domain: s.domain } : {}),
    refresh: s.refresh,
    catalog: catalogMeta(name, s, catalog, rel, yaml, errors),
    checks,
    connector,
    columns,
    privacy,
    ...(s.geocode ? { geocode: s.geocode } : {}),
    ...(s.geocode_bag
      ? {
          geocodeBag:
            'bag_id' in s.geocode_bag
              ? { kind: 'bag_id', column: s.geocode_bag.bag_id, to: s.geocode_bag.to }
              : {
                  kind: 'address',
                  postcode: s.geocode_bag.postcode,
                  huisnummer: s.geocode_bag.huisnummer,
                  suffix: [s.geocode_bag.huisletter, s.geocode_bag.toevoeging].filter(
                    (c): c is string => !!c,
                  ),
                  to: s.geocode_bag.to,
                },
        }
      : {}),
    definitionHash,
  };
}

/** The privacy declarations must be complete and consistent before anything loads. */
function checkPrivacy(
  rel: string,
  s: SourceFile,
  columns: ColumnDef[],
  yaml: LocatedYaml,
  errors: DefinitionError[],
  /** columns this source offers as the project's BAG address register (they may land only as buurt) */
  bagRegisterColumns: string[],
): void {
  const at = (col: string, key: string): number | undefined => yaml.lineAt(['columns', col, key]);
  const identifiers = columns.filter((c) => c.classification === 'identifier');
  if (identifiers.length > 0 && !s.domain) {
    errors.push(
      new DefinitionError(
        rel,
        yaml.lineAt(['columns', identifiers[0]?.name as string]),
        `identifier column${identifiers.length > 1 ? 's' : ''} ${identifiers.map((c) => c.name).join(', ')} but no linking domain`,
        'add `domain: <name>` (e.g. sociaal, veiligheid): pseudonyms differ per domain, so data of two domains cannot be joined unless a link is declared',
      ),
    );
  }
  if (s.privacy.vault && !s.domain) {
    errors.push(
      new DefinitionError(
        rel,
        yaml.lineAt(['privacy', 'vault']),
        'vault: true needs a linking domain',
        'add `domain: <name>`, or remove vault',
      ),
    );
  }
  for (const [name, c] of Object.entries(s.columns)) {
    if (c.identifier && c.classification !== 'identifier') {
      errors.push(
        new DefinitionError(
          rel,
          at(name, 'identifier'),
          `column ${name}: \`identifier:\` is only for columns classified as identifier`,
          'set classification: identifier, or remove identifier:',
        ),
      );
    }
    if (c.classification === 'identifier' && c.type !== 'text') {
      errors.push(
        new DefinitionError(
          rel,
          at(name, 'type'),
          `column ${name}: an identifier is pseudonymised to text, so its type must be text`,
          'set type: text',
        ),
      );
    }
    if (c.classification === 'sensitive' && !c.category) {
      errors.push(
        new DefinitionError(
          rel,
          at(name, 'classification'),
          `column ${name} is sensitive but has no AVG category`,
          'add category: health (art. 9, e.g. Wmo, youth care), criminal (art. 10, police data), financial, …',
        ),
      );
    }
    if (c.category && c.classification !== 'sensitive') {
      errors.push(
        new DefinitionError(
          rel,
          at(name, 'category'),
          `column ${name}: category is only for sensitive columns`,
          'set classification: sensitive, or remove category:',
        ),
      );
    }
    if (c.generalise) {
      const fits =
        c.generalise === 'pc4'
          ? c.type === 'text'
          : c.generalise === 'buurt'
            ? c.type === 'number' || c.type === 'decimal' || c.type === 'text' || c.type === 'integer'
            : c.type === 'date' || c.type === 'timestamp';
      if (c.classification !== 'quasi_identifier') {
        errors.push(
          new DefinitionError(
            rel,
            at(name, 'generalise'),
            `column ${name}: generalise is only for quasi-identifiers`,
            'set classification: quasi_identifier, or remove generalise:',
          ),
        );
      } else if (!fits) {
        errors.push(
          new DefinitionError(
            rel,
            at(name, 'generalise'),
            `column ${name}: generalise: ${c.generalise} does not fit type ${c.type}`,
            c.generalise === 'pc4' ? 'pc4 applies to a text postcode' : `${c.generalise} applies to a date`,
          ),
        );
      }
    }
  }
  const g = s.geocode;
  const b = s.geocode_bag;
  const bagColumns = b
    ? 'bag_id' in b
      ? [b.bag_id]
      : [b.postcode, b.huisnummer, b.huisletter, b.toevoeging].filter((c): c is string => !!c)
    : [];
  for (const col of bagColumns) {
    if (!s.columns[col])
      errors.push(
        new DefinitionError(
          rel,
          yaml.lineAt(['geocode_bag']),
          `geocode_bag names column ${col}, which is not declared`,
          'declare it under columns (with generalise: buurt if only its buurt may land)',
        ),
      );
  }
  for (const [name, c] of Object.entries(s.columns)) {
    const usedForGeocoding =
      (g && (g.x === name || g.y === name)) || bagColumns.includes(name) || bagRegisterColumns.includes(name);
    if (c.generalise === 'buurt' && !usedForGeocoding) {
      errors.push(
        new DefinitionError(
          rel,
          at(name, 'generalise'),
          `column ${name}: generalise: buurt needs the source's geocode (x or y) or geocode_bag to name it`,
          'add `geocode: { x: <lon or x_rd>, y: <lat or y_rd>, crs: wgs84|rd, to: buurtcode }`',
        ),
      );
    }
  }
  if (g) {
    for (const col of [g.x, g.y]) {
      const c = s.columns[col];
      if (!c)
        errors.push(
          new DefinitionError(
            rel,
            yaml.lineAt(['geocode']),
            `geocode names column ${col}, which is not declared`,
            'declare it under columns',
          ),
        );
      else if (
        c.generalise !== 'buurt' ||
        c.classification !== 'quasi_identifier' ||
        (c.type !== 'number' && c.type !== 'decimal')
      ) {
        errors.push(
          new DefinitionError(
            rel,
            at(col, 'type'),
            `column ${col} is geocoded, so it must be a number classified quasi_identifier with generalise: buurt`,
            `write ${col}: { type: number, classification: quasi_identifier, generalise: buurt }`,
          ),
        );
      }
    }
    if (s.columns[g.to])
      errors.push(
        new DefinitionError(
          rel,
          yaml.lineAt(['geocode', 'to']),
          `geocode.to "${g.to}" is also a declared column`,
          'choose another name for the buurt code column',
        ),
      );
  }
  const r = s.privacy.retention;
  if ('years' in r) {
    const col = s.columns[r.column];
    if (!col || (col.type !== 'date' && col.type !== 'timestamp')) {
      errors.push(
        new DefinitionError(
          rel,
          yaml.lineAt(['privacy', 'retention', 'column']),
          `retention.column "${r.column}" is not a declared date column`,
          `name the date column that decides how old a row is (${
            Object.entries(s.columns)
              .filter(([, c]) => c.type === 'date')
              .map(([n]) => n)
              .join(', ') || 'declare one'
          })`,
        ),
      );
    } else if (col.generalise) {
      errors.push(
        new DefinitionError(
          rel,
          yaml.lineAt(['privacy', 'retention', 'column']),
          `retention.column "${r.column}" is generalised, so its age cannot be known exactly`,
          'use another date column for retention',
        ),
      );
    }
  }
}

function normaliseConnector(c: ConnectorSpec, dataDir: string, download: string): ConnectorDef {
  const maxBadRows =
    typeof c.max_bad_rows === 'number'
      ? ({ kind: 'count', value: c.max_bad_rows } as const)
      : ({ kind: 'share', value: Number(c.max_bad_rows.slice(0, -1)) / 100 } as const);
  if (c.type === 'cbs') {
    // downloaded to the state folder at every build, then landed like any JSON file
    return {
      type: 'json',
      format: 'array',
      path: download,
      declaredPath: `cbs:${c.table}`,
      maxBadRows,
      number: { decimal: '.', thousands: null },
      dateFormat: toStrftime('jjjj-mm-dd'),
      timestampFormat: toStrftime('jjjj-mm-dd uu:mm:ss'),
      nullValues: [''],
      download: { kind: 'cbs', table: c.table, measures: c.measures, baseUrl: c.base_url },
    };
  }
  const base = { path: absolute(dataDir, c.path), declaredPath: c.path, maxBadRows };
  if (c.type === 'parquet') return { type: 'parquet', ...base };
  const text = {
    number: { decimal: c.decimal, thousands: c.thousands === 'none' ? null : c.thousands },
    dateFormat: toStrftime(c.date_format),
    timestampFormat: toStrftime(c.timestamp_format),
    nullValues: c.null_values,
  };
  switch (c.type) {
    case 'csv':
      return { type: 'csv', ...base, ...text, delimiter: c.delimiter, encoding: c.encoding, quote: c.quote };
    case 'xlsx':
      return {
        type: 'xlsx',
        ...base,
        ...text,
        ...(c.sheet ? { sheet: c.sheet } : {}),
        headerRow: c.header_row,
      };
    case 'json':
      return { type: 'json', ...base, ...text, format: c.format };
  }
}
