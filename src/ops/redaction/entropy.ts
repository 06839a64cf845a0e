/**
 * Generic high-entropy token detection: catches secrets no named rule knows
 * (vendor API keys, random passwords) while leaving what fills ordinary logs
 * readable: hex strings (git SHAs, digests, trace ids), UUIDs, version
 * numbers, timestamps, paths, identifiers, pod-name hashes, npm integrity
 * hashes.
 *
 * A candidate is a run of base64url characters of 20+; it is split on - and _
 * and its longest piece must look random: 16+ chars, letters and digits,
 * mixed case (or 24+ chars), not pure hex, and Shannon entropy above the
 * threshold.
 */
export const ENTROPY_CANDIDATE = /(?<![A-Za-z0-9+_./-])[A-Za-z0-9+_-]{20,}={0,2}(?![A-Za-z0-9+=_-])/g;

const HEX = /^[0-9a-fA-F]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export interface EntropyOptions {
  /** Bits per character the longest piece must reach. Default 3.5. */
  threshold: number;
  minLength: number;
}

export const DEFAULT_ENTROPY: EntropyOptions = { threshold: 3.5, minLength: 16 };

function looksRandom(piece: string, options: EntropyOptions): boolean {
  if (piece.length < options.minLength || HEX.test(piece)) return false;
  const hasDigit = /\d/.test(piece);
  const hasLower = /[a-z]/.test(piece);
  const hasUpper = /[A-Z]/.test(piece);
  if (!hasDigit || !(hasLower || hasUpper)) return false;
  if (!(hasLower && hasUpper) && piece.length < 24) return false;
  // Identifiers in CamelCase with a version digit (ReadableStreamDefaultReader2) read as words: require few long letter runs.
  const longestLetterRun = Math.max(...(piece.match(/[A-Za-z]+/g) ?? ['']).map((run) => run.length));
  if (longestLetterRun >= 12 && longestLetterRun > piece.length * 0.6) return false;
  return shannonEntropy(piece) >= options.threshold;
}

/** True when the candidate token should be redacted as a generic secret. */
export function isHighEntropyToken(token: string, precededBy: string, options: EntropyOptions = DEFAULT_ENTROPY): boolean {
  if (UUID.test(token) || HEX.test(token.replace(/[-_]/g, ''))) return false;
  // npm/SRI integrity hashes (sha512-…) and docker digests are not secrets.
  if (/sha(1|256|384|512)[-:]$/i.test(precededBy) || /^sha(1|256|384|512)-/i.test(token)) return false;
  const pieces = token.split(/[-_]+/);
  const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
  return looksRandom(longest.replace(/=+$/, ''), options);
}
