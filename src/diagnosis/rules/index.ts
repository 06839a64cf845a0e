import { genericRules } from './generic.js';
import { goRustRules } from './go-rust.js';
import { javascriptRules } from './javascript.js';
import { jvmRules } from './jvm.js';
import { nativeRubyPhpRules } from './native-ruby-php.js';
import { platformRules } from './platform.js';
import { pythonRules } from './python.js';
import type { LineRule } from './rule.js';

export type { Ecosystem, LineRule, Role } from './rule.js';

/**
 * Every rule, in the order they are tried: ecosystem rules first (their own
 * noise before their own errors), platform rules, then the generic fallback.
 * The first rule that matches a line decides what the line is.
 */
const ORDERED: LineRule[] = [
  ...javascriptRules,
  ...pythonRules,
  ...goRustRules,
  ...jvmRules,
  ...nativeRubyPhpRules,
  ...platformRules,
  ...genericRules,
];

/** Passing results and boilerplate are recognized before any error rule, so "✓ testAccessDenied" stays a pass. */
const FIRST: Array<LineRule['role']> = ['pass', 'noise'];

export const ALL_RULES: readonly LineRule[] = [
  ...ORDERED.filter((r) => FIRST.includes(r.role)),
  ...ORDERED.filter((r) => !FIRST.includes(r.role)),
];

export const RULES_BY_ID: ReadonlyMap<string, LineRule> = new Map(ALL_RULES.map((r) => [r.id, r]));
