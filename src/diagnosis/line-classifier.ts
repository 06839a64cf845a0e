import { indentOf } from './normalize.js';
import { ECHOED_COMMAND, QUIET_LEVEL, WARNING_LEVEL } from './rules/generic.js';
import { ALL_RULES, type LineRule, type Role } from './rules/index.js';

export interface LineClass {
  role: Role | 'plain' | 'blank';
  weight: number;
  rule?: LineRule;
  /** Leading whitespace width; -1 for a blank line. */
  indent: number;
}

/**
 * The keyword prefilter. A line that matches neither of these cannot start
 * a failure block, so most lines of a log cost two regex tests. The words are
 * a plain alternation of literals that all start with a letter: V8 runs that
 * shape several times faster than one that also has punctuation or symbols,
 * which therefore live in a second, small, case-sensitive expression. Rules
 * marked `armedOnly` are exempt; every other rule's examples are checked
 * against these in the tests.
 */
const PREFILTER_WORDS = [
  'err', 'fail', 'fatal', 'except', 'panic', 'abort', 'denied', 'cannot', "can't", 'could not', "couldn't", 'unable', 'not found',
  'no such', 'undefined', 'unexpected', 'invalid', 'missing', 'refused', 'timeout', 'time out', 'timed out', 'timetrap', 'deadline', 'kill',
  'traceback', 'assert', 'expected', 'mismatch', 'violat', 'segmentation', 'core dumped', 'crash', 'exited with', 'exit status', 'exit code',
  'no space', 'memory', 'enospc', 'unreachable', 'hung up', 'hang up', 'forbidden', 'unauthori', 'certificate', 'dubious', 'unsafe repo',
  'credential', 'access key', 'rate limit', 'too many', 'toomany', 'would reformat', 'oh no', 'code style', 'prettier', 'snapshot',
  'went wrong', 'diff==', 'redeclared', 'not used', 'unused', 'unbound', 'syntax', 'not enough',
  'unrecognized', 'required', 'not allowed', 'not supported', 'not valid', 'not accessible', 'event trigger', 'no output', 'has been stopped',
  'maximum time', 'maximum execution', 'canceled', 'cancelled', 'shutdown signal', 'heap', 'econn', 'etimedout', 'enotfound',
  'eai_again', 'ehostunreach', 'enetunreach', 'epipe', 'not known', 'servname', 'connection reset', 'handshake', 'max retries',
  'getaddrinfo', 'bad gateway', 'unavailable', 'gateway time', 'authenticat', 'security token', 'expiredtoken', 'specify a token',
  'secret', 'eacces', 'eperm', 'not permitted', 'insufficient', 'permission', 'standard style', 'never defined', 'no matching',
  'impossible', 'go.mod', 'go.sum', 'conflict', 'incompatible', 'unresolved', 'unsupported', 'illegal', 'not exist', "n't exist",
  'not defined', 'no tests found', 'violation', 'returned', 'problem', 'unknown revision', 'failures:', 'not ok', 'py:', 'rb:', 'throw)',
];
export const PREFILTER = new RegExp(PREFILTER_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
/** Symbols and punctuation that announce failures (✗ ● ❌ "** (ArgumentError)"). */
export const PREFILTER_SYMBOLS = /[✗✘×✖❌●⎯❯]|\*\* \(/;

/** Rules that need one of the prefilter words: tried only on lines that have one. */
const COLD_RULES = ALL_RULES.filter((r) => !r.continuation && !r.armedOnly);
/** Everything, for warm lines that have a prefilter word. */
const WARM_RULES = ALL_RULES;
/**
 * Rules that can match a line without any prefilter word: continuations,
 * keyword-less headers, passes and boundaries. Warm lines without a keyword
 * only try these.
 */
const STRUCTURAL_RULES = ALL_RULES.filter((r) => r.continuation || r.armedOnly || r.role === 'pass' || r.role === 'boundary' || r.role === 'context' || r.role === 'noise');
const GENERIC = 'generic';
const ENVIRONMENT_ECOSYSTEMS = new Set(['network', 'permission', 'oom', 'timeout', 'shell']);

export function passesPrefilter(text: string): boolean {
  return PREFILTER.test(text) || PREFILTER_SYMBOLS.test(text);
}

const BLANK: LineClass = { role: 'blank', weight: 0, indent: -1 };

/**
 * Classifies one normalized line. `warm` is true while a failure block is
 * open or failure output was seen nearby: then continuation rules and
 * keyword-less headers are tried too.
 */
export function classifyLine(text: string, warm: boolean): LineClass {
  const indent = indentOf(text);
  if (indent === -1) return BLANK;
  const keyword = PREFILTER.test(text) || PREFILTER_SYMBOLS.test(text);
  if (!warm && !keyword) return { role: 'plain', weight: 0, indent };
  const rules = keyword ? (warm ? WARM_RULES : COLD_RULES) : STRUCTURAL_RULES;
  for (const rule of rules) {
    if (!rule.re.test(text)) continue;
    if (rule.unless && rule.unless.test(text)) continue;
    let weight = rule.weight;
    let role: LineClass['role'] = rule.role;
    if (weight > 0 && role !== 'pass' && role !== 'context') {
      if (ECHOED_COMMAND.test(text)) {
        // An echoed command's error words are its arguments ("$ pnpm install --frozen-lockfile").
        role = 'plain';
        weight = 0;
      } else if (rule.ecosystem === GENERIC || ENVIRONMENT_ECOSYSTEMS.has(rule.ecosystem)) {
        // A generic or environment phrase in an INFO/DEBUG line or a warning is weak evidence.
        if (QUIET_LEVEL.test(text) || (rule.ecosystem === GENERIC && WARNING_LEVEL.test(text))) weight = Math.min(weight, 1);
      }
    }
    return { role, weight, rule, indent };
  }
  return { role: 'plain', weight: 0, indent };
}
