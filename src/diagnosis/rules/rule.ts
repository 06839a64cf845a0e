import type { FailureCategory } from '../categories.js';

/**
 * What a matching line means for block building:
 * - header:  starts a failure block (a test failure heading, a compiler error).
 * - detail:  error content; starts a block when strong enough, else joins one.
 * - context: continuation only (stack frames, code frames, expected/actual).
 * - summary: a run's verdict ("3 failed, 10 passed"); weak evidence on its own.
 * - noise:   boilerplate that mentions errors but explains nothing.
 * - pass:    a passing test or clean result; closes a block.
 * - boundary: structure (a new test starting, a step ending); closes a block.
 */
export type Role = 'header' | 'detail' | 'context' | 'summary' | 'noise' | 'pass' | 'boundary';

export type Ecosystem =
  | 'generic' | 'npm' | 'jest' | 'vitest' | 'mocha' | 'tsc' | 'eslint' | 'prettier' | 'node'
  | 'pytest' | 'python' | 'mypy' | 'pylint' | 'pip' | 'go' | 'cargo' | 'rust' | 'maven' | 'gradle' | 'junit' | 'sbt' | 'scala'
  | 'c' | 'make' | 'cmake' | 'ruby' | 'rspec' | 'minitest' | 'bundler' | 'php' | 'phpunit' | 'composer'
  | 'elixir' | 'erlang' | 'haskell' | 'dotnet' | 'docker' | 'github_actions' | 'travis' | 'jenkins'
  | 'oom' | 'timeout' | 'network' | 'permission' | 'shell' | 'git' | 'sanitizer' | 'swift';

export interface LineRule {
  id: string;
  ecosystem: Ecosystem;
  role: Role;
  /** Evidence strength, 0..6. Negative for noise. */
  weight: number;
  re: RegExp;
  category?: FailureCategory;
  /**
   * A section header: every following line belongs to the block until a
   * sibling header, a boundary/pass/summary line, `end` or `maxLines`.
   */
  section?: { end?: RegExp; maxLines?: number; blankLines?: number };
  /** Only meaningful while a block is open (never starts one). */
  continuation?: boolean;
  /**
   * A header that carries no error word (`1) Foo::bar`, `____ test_x ____`):
   * it is only looked for near other failure output (see `arms`), never by
   * the keyword prefilter.
   */
  armedOnly?: boolean;
  /** After this line, look at every line (not only prefiltered ones) for this many lines. */
  arms?: number;
  /** When a block starts on this rule, pull in a preceding line matching this (up to 5 lines back). */
  leadIn?: RegExp;
  /** The rule does not apply to a line that also matches this (checked only after `re` matched). */
  unless?: RegExp;
  /** Lines that must match, for tests and documentation. */
  examples: string[];
}

export function rule(id: string, ecosystem: Ecosystem, role: Role, weight: number, re: RegExp, examples: string[], extra: Partial<LineRule> = {}): LineRule {
  return { id, ecosystem, role, weight, re, examples, ...extra };
}
