import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { DEFAULT_ENTROPY, ENTROPY_CANDIDATE, isHighEntropyToken, type EntropyOptions } from './entropy.js';
import { BUILT_IN_RULES, type RedactionRule } from './rules.js';

/**
 * The Redactor port. Every untrusted text (alert fields, logs, comments,
 * runbook passages, tool output) passes through it before it reaches the
 * LLM, Slack, GitHub, Chroma or the logs (invariant I3).
 */
export interface Redactor {
  redact(text: string): Promise<RedactionResult>;
  /** Redacts every string inside a JSON-like value (object keys are kept). */
  redactDeep<T>(value: T): Promise<T>;
}

export interface Finding {
  rule: string;
  start: number;
  end: number;
}

export interface RedactionResult {
  text: string;
  findings: Finding[];
}

export interface RedactorOptions {
  /** Extra patterns (regex sources). With a capture group, only group 1 is redacted. */
  extraPatterns?: string[];
  entropy?: Partial<EntropyOptions> | false;
  /** Run secretlint's recommended preset (default true). */
  secretlint?: boolean;
}

export const REDACTED = (rule: string) => `[REDACTED:${rule}]`;

/** Secretlint rules whose match is a whole URL: only its password is redacted. */
const URL_RULES = new Set(['@secretlint/secretlint-rule-basicauth', '@secretlint/secretlint-rule-database-connection-string']);
const SECRETLINT_CONFIG = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] };

/** Compiles configured patterns, naming the one that is not a valid regex. */
export function compileExtraPatterns(patterns: string[]): RedactionRule[] {
  return patterns.map((source, index) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, 'g');
    } catch (error) {
      throw new Error(`redaction pattern ${index + 1} (${JSON.stringify(source)}) is not a valid regular expression: ${(error as Error).message}`);
    }
    if (pattern.test('')) throw new Error(`redaction pattern ${index + 1} (${JSON.stringify(source)}) matches the empty string`);
    pattern.lastIndex = 0;
    const groups = new RegExp(`${source}|`).exec('')!.length - 1;
    return { id: `custom-${index + 1}`, pattern, group: groups > 0 ? 1 : undefined };
  });
}

function ruleFindings(text: string, rule: RedactionRule): Finding[] {
  const findings: Finding[] = [];
  rule.pattern.lastIndex = 0;
  for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
    if (match[0].length === 0) {
      rule.pattern.lastIndex++;
      continue;
    }
    const secret = rule.group === undefined ? match[0] : match[rule.group];
    if (secret === undefined || secret.length === 0) continue;
    if (rule.accept && !rule.accept(secret)) continue;
    const start = rule.group === undefined ? match.index : match.index + match[0].lastIndexOf(secret);
    findings.push({ rule: rule.id, start, end: start + secret.length });
  }
  return findings;
}

function entropyFindings(text: string, options: EntropyOptions): Finding[] {
  const findings: Finding[] = [];
  ENTROPY_CANDIDATE.lastIndex = 0;
  for (let match = ENTROPY_CANDIDATE.exec(text); match; match = ENTROPY_CANDIDATE.exec(text)) {
    const before = text.slice(Math.max(0, match.index - 8), match.index);
    if (isHighEntropyToken(match[0], before, options)) findings.push({ rule: 'high-entropy', start: match.index, end: match.index + match[0].length });
  }
  return findings;
}

async function secretlintFindings(text: string): Promise<Finding[]> {
  const result = await lintSource({
    source: { content: text, filePath: 'untrusted.txt', ext: '.txt', contentType: 'text' },
    options: { config: SECRETLINT_CONFIG, noPhysicFilePath: true },
  });
  return result.messages.map((message) => {
    const [start, end] = message.range;
    const rule = message.ruleId.replace(/^@secretlint\/secretlint-rule-/, 'secretlint-');
    if (URL_RULES.has(message.ruleId)) {
      const password = /:\/\/[^\s:/?#@]*:([^\s@/]+)@/.exec(text.slice(start, end));
      if (password) {
        const offset = start + password.index + password[0].length - 1 - password[1]!.length;
        return { rule, start: offset, end: offset + password[1]!.length };
      }
    }
    return { rule, start, end };
  });
}

/** Merges overlapping findings; the earliest-starting rule names the merged span. */
function merge(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const finding of sorted) {
    const last = out.at(-1);
    if (last && finding.start < last.end) last.end = Math.max(last.end, finding.end);
    else out.push({ ...finding });
  }
  return out;
}

function apply(text: string, findings: Finding[]): string {
  let out = '';
  let cursor = 0;
  for (const finding of findings) {
    out += text.slice(cursor, finding.start) + REDACTED(finding.rule);
    cursor = finding.end;
  }
  return out + text.slice(cursor);
}

/**
 * The default Redactor: secretlint's recommended preset, pitcrew's own rules
 * (tokens by prefix, private keys, JWTs, passwords in URLs and connection
 * strings, key=value secrets), configured extra patterns, and generic
 * high-entropy tokens.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const rules = [...BUILT_IN_RULES, ...compileExtraPatterns(options.extraPatterns ?? [])];
  const entropy = options.entropy === false ? undefined : { ...DEFAULT_ENTROPY, ...options.entropy };
  const useSecretlint = options.secretlint ?? true;

  async function redact(text: string): Promise<RedactionResult> {
    if (text.length === 0) return { text, findings: [] };
    const findings = rules.flatMap((rule) => ruleFindings(text, rule));
    if (entropy) findings.push(...entropyFindings(text, entropy));
    if (useSecretlint) findings.push(...(await secretlintFindings(text)));
    if (findings.length === 0) return { text, findings: [] };
    const merged = merge(findings);
    return { text: apply(text, merged), findings: merged };
  }

  async function redactDeep<T>(value: T): Promise<T> {
    if (typeof value === 'string') return (await redact(value)).text as T;
    if (Array.isArray(value)) return (await Promise.all(value.map((item) => redactDeep(item)))) as T;
    if (value !== null && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([key, inner]) => [key, await redactDeep(inner)] as const));
      return Object.fromEntries(entries) as T;
    }
    return value;
  }

  return { redact, redactDeep };
}

/**
 * The synchronous part of the Redactor: pitcrew's own rules, the extra
 * patterns and the entropy check, without secretlint (which is async). For
 * callers that must redact inside synchronous code (the diagnosis engine
 * storing confirmed log lines); anything posted still goes through the full
 * Redactor as well.
 */
export function createSyncRedact(options: Omit<RedactorOptions, 'secretlint'> = {}): (text: string) => string {
  const rules = [...BUILT_IN_RULES, ...compileExtraPatterns(options.extraPatterns ?? [])];
  const entropy = options.entropy === false ? undefined : { ...DEFAULT_ENTROPY, ...options.entropy };
  return (text) => {
    if (text.length === 0) return text;
    const findings = rules.flatMap((rule) => ruleFindings(text, rule));
    if (entropy) findings.push(...entropyFindings(text, entropy));
    return findings.length === 0 ? text : apply(text, merge(findings));
  };
}
