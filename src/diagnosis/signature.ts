import { createHash } from 'node:crypto';
import type { FailureCategory } from './categories.js';

/**
 * A failure signature: the same failure gets the same signature across runs,
 * machines and commits. It is built from the evidence lines with everything
 * volatile removed: timestamps, durations, ids and hashes, numbers, temp
 * paths and the CI checkout prefix. File names and messages stay, so a
 * different failure gets a different signature.
 */
export interface FailureSignature {
  /** `<category>:<16 hex>`. */
  id: string;
  /** The normalized lines the hash was taken from (for people and debugging). */
  basis: string[];
}

const MAX_BASIS_LINES = 6;

const RULES: Array<[RegExp, string]> = [
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>'],
  [/\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b0x[0-9a-f]+\b/gi, '<addr>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b/gi, '<hash>'],
  // CI checkout roots and temp dirs: /home/runner/work/repo/repo/, /home/travis/build/o/r/, /builds/x/, /tmp/xyz/
  [/(?:\/home\/runner\/work\/[^/\s]+\/[^/\s]+\/|\/home\/travis\/build\/[^/\s]+\/[^/\s]+\/|\/Users\/[^/\s]+\/(?:build|work)\/[^/\s]+\/[^/\s]+\/|\/builds\/[^/\s]+\/(?:[^/\s]+\/)?|\/github\/workspace\/|[A-Za-z]:\\(?:a|actions-runner\\_work)\\[^\\\s]+\\[^\\\s]+\\)/g, ''],
  [/\/(?:tmp|var\/folders)\/[^\s:'"]+/g, '<tmp>'],
  [/\b\d+(?:\.\d+)?\s*(?:ms|s|sec|seconds?|m|min|minutes?|h)\b/g, '<dur>'],
  [/\b\d+(?:[.,]\d+)*\b/g, '<n>'],
  [/\s+/g, ' '],
];

export function normalizeForSignature(line: string): string {
  let text = line.trim();
  for (const [re, replacement] of RULES) text = text.replace(re, replacement);
  return text.trim();
}

/**
 * Lines worth hashing: the ones that carry the failure (evidence weight ≥ 2
 * when known), at most six, in log order. Stack frames and blank lines only
 * add noise between runs.
 */
export function failureSignature(category: FailureCategory, lines: Array<{ text: string; weight?: number }>): FailureSignature {
  const meaningful = lines.filter((l) => l.text.trim() !== '' && (l.weight === undefined || l.weight >= 2));
  const picked = (meaningful.length > 0 ? meaningful : lines.filter((l) => l.text.trim() !== '')).slice(0, MAX_BASIS_LINES);
  const basis = [...new Set(picked.map((l) => normalizeForSignature(l.text)).filter((t) => t !== ''))];
  const hash = createHash('sha256').update(`${category}\n${basis.join('\n')}`).digest('hex').slice(0, 16);
  return { id: `${category}:${hash}`, basis };
}
