import type { z } from 'zod/v4';
import { RepoConfig } from './schema.js';

/**
 * Turns a zod issue on `.github/pitcrew.yml` into words an engineer can act
 * on: what is wrong with which key, and the edit that fixes it.
 */
export interface IssueContext {
  path: Array<string | number>;
  value: unknown;
  keyText: string;
  missing?: boolean;
}

/** Examples for keys people forget, shown when they are missing. */
const EXAMPLES: Record<string, string> = {
  approvers: 'approvers:\n  low: [alice, "@acme/sre"]\n  high: ["@acme/sre-leads"]',
  start: 'start: "09:00"',
  end: 'end: "17:00"',
};

const TYPE_EXAMPLES: Record<string, string> = {
  number: 'a whole number, e.g. 2',
  int: 'a whole number, e.g. 2',
  boolean: 'true or false',
  array: 'a list, e.g. [alice, "@acme/sre"]',
  object: 'a mapping of keys (key: value on indented lines)',
  string: 'text (quote it if it starts with a special character)',
};

export function fixFor(issue: z.core.$ZodIssue, context: IssueContext): { message: string; fix: string } {
  const shown = show(context.value);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const name = String(context.path.at(-1));
      const known = knownKeys(context.path.slice(0, -1));
      const guess = closest(name, known);
      return {
        message: 'is not a known key',
        fix: guess ? `Did you mean "${guess}"? Rename it, or remove it.` : `Remove it. Keys allowed here: ${known.join(', ') || 'none'}.`,
      };
    }
    case 'invalid_type': {
      if (context.missing || context.value === undefined) {
        const name = String(context.path.at(-1) ?? 'the key');
        const example = EXAMPLES[name];
        return { message: 'is required', fix: example ? `Add it, e.g.\n${example}` : `Add ${name}: with ${TYPE_EXAMPLES[issue.expected] ?? issue.expected}.` };
      }
      return { message: `is ${shown}, but must be ${TYPE_EXAMPLES[issue.expected] ?? issue.expected}`, fix: `Write ${TYPE_EXAMPLES[issue.expected] ?? issue.expected}.` };
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      const guess = typeof context.value === 'string' ? closest(context.value, options) : undefined;
      return { message: `is ${shown}, which is not an allowed value`, fix: `${guess ? `Did you mean "${guess}"? ` : ''}Use one of: ${options.join(', ')}.` };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what = issue.origin === 'array' ? (issue.code === 'too_small' ? `at least ${bound} item(s)` : `at most ${bound} items`) : issue.code === 'too_small' ? `at least ${bound}` : `at most ${bound}`;
      return { message: `is ${shown}: ${issue.message}`, fix: `Make it ${what}.` };
    }
    default: {
      const fix = /^must be /.test(issue.message) ? `Make it ${issue.message.slice('must be '.length)}.` : `${capitalize(issue.message.replace(/^must /, ''))}.`;
      const described = /^must /.test(issue.message) && context.value !== undefined && typeof context.value !== 'object';
      return { message: described ? `is ${shown}, but it ${issue.message}` : issue.message, fix };
    }
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty (null)';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}…` : value}"`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

/** The keys the schema allows at `path` (object keys, through optional/default/array wrappers). */
export function knownKeys(path: Array<string | number>): string[] {
  let def: SchemaDef | undefined = (RepoConfig as unknown as { _zod: { def: SchemaDef } })._zod.def;
  const unwrap = () => {
    while (def && (def.innerType || def.in) && def.type !== 'object' && def.type !== 'array') def = (def.innerType ?? def.in)!._zod.def;
  };
  unwrap();
  for (const segment of path) {
    if (!def) return [];
    if (def.type === 'array' && typeof segment === 'number') def = def.element?._zod.def;
    else if (def.type === 'object' && typeof segment === 'string') def = def.shape?.[segment]?._zod.def;
    else return [];
    unwrap();
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The candidate within edit distance 3 (or a case-insensitive match), if any. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.min(3, Math.max(1, Math.floor(candidate.length / 2))) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
