import type { z } from 'zod';
import { closest } from '../util/text.js';
import { DefinitionError } from './types.js';
import type { LocatedYaml } from './yaml-locate.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** Turn one zod issue into an error that names the file, the line and the fix. */
export function describeIssue(
  file: string,
  issue: Issue,
  yaml: LocatedYaml,
  schema: AnySchema,
  data: unknown,
): DefinitionError {
  const path = issue.path;
  const where = path.length > 0 ? path.join('.') : 'the top level';
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] as string;
      const allowed = keysAt(schema, path, data);
      const hint = closest(key, allowed);
      return new DefinitionError(
        file,
        yaml.lineOfKey(path, key),
        `unknown key "${key}"${
          issue.keys.length > 1
            ? ` (and ${issue.keys
                .slice(1)
                .map((k) => `"${k}"`)
                .join(', ')})`
            : ''
        } in ${where}`,
        hint ? `did you mean "${hint}"?` : `remove it; allowed here: ${allowed.join(', ')}`,
      );
    }
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string; options?: unknown[] }).discriminator;
      const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
      if (disc) {
        const got = valueAt(data, path);
        return new DefinitionError(
          file,
          yaml.lineAt(path),
          got === undefined ? `${where} is missing` : `${where} is "${String(got)}", which is not supported`,
          `set ${disc} to one of: ${options.join(', ')}`,
        );
      }
      return new DefinitionError(
        file,
        yaml.lineAt(path),
        `${where}: ${issue.message}`,
        'see docs/project-format.md for the accepted forms',
      );
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      if (value === undefined) {
        return new DefinitionError(
          file,
          yaml.lineAt(path),
          `${where} is missing`,
          `add ${String(path.at(-1))}: one of ${options.join(', ')}`,
        );
      }
      const hint = closest(String(value), options);
      return new DefinitionError(
        file,
        yaml.lineAt(path),
        `${where} is "${String(value)}", which is not allowed`,
        hint ? `did you mean "${hint}"? allowed: ${options.join(', ')}` : `use one of: ${options.join(', ')}`,
      );
    }
    case 'invalid_type': {
      if (value === undefined) {
        return new DefinitionError(
          file,
          yaml.lineAt(path),
          `${where} is missing`,
          `add ${String(path.at(-1))}: (${issue.expected})`,
        );
      }
      return new DefinitionError(
        file,
        yaml.lineAt(path),
        `${where} should be ${issue.expected}, not ${describe(value)}`,
        `write ${where} as ${issue.expected}`,
      );
    }
    case 'invalid_format':
    case 'too_small':
    case 'too_big':
    case 'custom':
    default:
      return new DefinitionError(file, yaml.lineAt(path), `${where}: ${issue.message}`, fixFor(issue));
  }
}

function fixFor(issue: Issue): string {
  if (issue.code === 'invalid_format' || issue.code === 'custom') return issue.message;
  if (issue.code === 'too_small') return 'give a value, it cannot be empty';
  return 'see docs/project-format.md';
}

function describe(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
}

function defOf(s: AnySchema): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(s: AnySchema): AnySchema {
  let d = defOf(s);
  while (
    (d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'pipe') &&
    d.innerType
  ) {
    s = d.innerType;
    d = defOf(s);
  }
  return s;
}

/** The keys the schema allows for the object at `path` (for "did you mean"). */
function keysAt(schema: AnySchema, path: ReadonlyArray<PropertyKey>, data: unknown): string[] {
  let s: AnySchema | undefined = schema;
  for (let i = 0; i <= path.length && s; i++) {
    s = unwrap(s);
    let d = defOf(s);
    if (d.type === 'union' && d.options) {
      const here = valueAt(data, path.slice(0, i)) as Record<string, unknown> | undefined;
      const disc = d.discriminator;
      const pick: AnySchema | undefined = d.options.find((o) => {
        const shape = defOf(unwrap(o)).shape;
        const lit = shape && disc ? defOf(shape[disc] as AnySchema) : undefined;
        return lit && disc && here && (lit as unknown as { values?: unknown[] }).values?.includes(here[disc]);
      });
      if (!pick) return [];
      s = unwrap(pick);
      d = defOf(s);
    }
    if (i === path.length) return d.shape ? Object.keys(d.shape) : [];
    const key = path[i] as string;
    if (d.type === 'object' && d.shape) s = d.shape[key];
    else if (d.type === 'record') s = d.valueType;
    else return [];
  }
  return [];
}
