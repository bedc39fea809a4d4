import { extractRefs } from './refs.js';
import type { CheckSpec } from './schema.js';
import { DefinitionError, type CheckDef, type ColumnDef } from './types.js';
import type { LocatedYaml } from './yaml-locate.js';

/** A date bound of a date_range check: an ISO date, `today`, or a signed offset like `-120 years`. */
export const DATE_BOUND = /^(\d{4}-\d{2}-\d{2}|today|[-+]\d+ (days?|months?|years?))$/;

/**
 * Normalise the declared checks of one source or model. `columns` are the source's declared columns
 * (undefined for a model: its columns are known only when it builds, so the engine reports a wrong
 * name then). Every problem becomes an error with the check's line.
 */
export function normaliseChecks(
  rel: string,
  specs: CheckSpec[],
  yaml: LocatedYaml,
  errors: DefinitionError[],
  columns: ColumnDef[] | undefined,
): CheckDef[] {
  const out: CheckDef[] = [];
  const ids = new Set<string>();
  specs.forEach((spec, i) => {
    const line = yaml.lineAt(['checks', i]);
    const err = (message: string, fix: string): void => {
      errors.push(new DefinitionError(rel, line, `check ${i + 1} (${spec.type}): ${message}`, fix));
    };
    const { type, name, description, where, mostly, severity, ...rest } = spec;
    const column = 'column' in spec ? spec.column : undefined;
    const keyColumns = spec.type === 'unique' ? spec.columns : undefined;
    const id = name ?? [type, ...(column ? [column] : []), ...(keyColumns ?? [])].join('_');
    if (ids.has(id)) {
      err(`a second check with id "${id}"`, 'give one of them `name: <unique id>`');
      return;
    }
    ids.add(id);
    if (columns) {
      for (const c of [...(column ? [column] : []), ...(keyColumns ?? [])]) {
        if (!columns.some((d) => d.name === c))
          err(
            `column ${c} is not declared`,
            `declare it under columns, or check one of: ${columns.map((d) => d.name).join(', ')}`,
          );
      }
    }
    if (spec.type === 'regex') {
      try {
        new RegExp(spec.pattern);
      } catch (e) {
        err(`the pattern is not a valid regular expression (${(e as Error).message})`, 'correct the pattern');
      }
    }
    if (spec.type === 'date_range') {
      for (const b of [spec.min, spec.max]) {
        if (b !== undefined && !DATE_BOUND.test(b))
          err(
            `"${b}" is not a date bound`,
            "write an ISO date (2024-12-31), 'today', or an offset like '-120 years'",
          );
      }
    }
    if (
      (spec.type === 'range' ||
        spec.type === 'length' ||
        spec.type === 'row_count' ||
        spec.type === 'aggregate') &&
      spec.min === undefined &&
      spec.max === undefined
    ) {
      err('neither min nor max is set', 'set min, max or both');
    }
    if (spec.type === 'row_count_change' && !spec.max_decrease && !spec.max_increase) {
      err('neither max_decrease nor max_increase is set', "set e.g. max_decrease: '10%'");
    }
    if (spec.type === 'schema' && spec.required.length + spec.forbidden.length === 0) {
      err(
        'neither required nor forbidden columns are listed',
        'list the columns the delivery must or must not have',
      );
    }
    const refs =
      spec.type === 'relationships'
        ? [spec.to]
        : spec.type === 'sql'
          ? [...new Set(extractRefs(spec.sql).map((r) => r.name))]
          : [];
    const params: Record<string, unknown> = { ...rest };
    delete params.column;
    delete params.columns;
    out.push({
      id,
      type,
      ...(column ? { column } : {}),
      ...(keyColumns ? { columns: keyColumns } : {}),
      params,
      ...(where ? { where } : {}),
      mostly: mostly ?? 1,
      severity,
      ...(description ? { description } : {}),
      refs,
      ...(line ? { line } : {}),
    });
  });
  return out;
}
