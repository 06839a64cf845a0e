import { stemmer } from 'stemmer';

/**
 * One tokenizer for everything lexical (BM25 index, query terms, evidence
 * coverage), so the index and the query always agree on what a term is.
 *
 * - Identifiers are split the way people write alert names:
 *   `KubePodNotReady` → kube, pod, not, ready; `etcdHighFsyncDurations` →
 *   etcd, high, fsync, durations; `OVNKubernetesNorthdInactive` → ovn, …
 * - Words are lowercased and Porter-stemmed (failed/failing → fail).
 * - Stop words, pure numbers and id-like tokens (pod hashes, IPs) are dropped:
 *   they say nothing about what is wrong.
 */

const WORD = /[A-Za-z0-9]+/g;
/** CamelCase and acronym boundaries: "OVNKubernetes" → OVN, Kubernetes; "V4Subnet" → V4, Subnet; "k8s" stays whole. */
const CAMEL_BOUNDARY = /(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  ('a an and are as at be been being but by can could did do does for from had has have how i if in into is it its ' +
    'may might more most must nor of on once only or other our out over own same should so some such than that the their ' +
    'them then there these they this those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your all any both each few further here just also about above after again against before below between ' +
    'down during off s t don now e g eg ie etc via per use used using see'
  ).split(' '),
);

/** Splits one alphanumeric run into its camel-case parts (lowercased); a run with no case change is one part. */
export function camelParts(word: string): string[] {
  return word.split(CAMEL_BOUNDARY).map((part) => part.toLowerCase());
}

/** Tokens that carry no meaning for retrieval: numbers, and ids mixing letters and digits (pod suffixes, hashes). */
function isNoise(token: string): boolean {
  if (token.length < 2) return true;
  if (!/[0-9]/.test(token)) return false;
  if (/^[0-9]+$/.test(token)) return true;
  // Keep short technical names (k8s, md0, ipv6, ext4) and word+number names (sha256, http2, base64).
  return token.length > 4 && !/^[a-z]+[0-9]{1,3}$/.test(token);
}

const stemCache = new Map<string, string>();
function stem(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = stemmer(token);
    if (stemCache.size < 200_000) stemCache.set(token, stemmed);
  }
  return stemmed;
}

/** Normalizes one token (already lowercased): drop noise and stop words, then stem. */
export function normalizeTerm(token: string): string | null {
  if (isNoise(token) || STOP_WORDS.has(token)) return null;
  return stem(token);
}

/**
 * Text → search terms. An identifier made of several camel-case parts also
 * yields itself whole (`kubepodnotready`), so an exact name outranks the same
 * words scattered over a page.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const parts = camelParts(word);
    // An id (pod hash, device, version) is noise as a whole: do not split it into fragments.
    if (parts.length === 1 && isNoise(parts[0]!)) continue;
    if (parts.length > 1) terms.push(word.toLowerCase());
    for (const part of parts) {
      const term = normalizeTerm(part);
      if (term) terms.push(term);
    }
  }
  return terms;
}

/** The key two alert names are compared on: case and separators do not matter (`Kube-Pod_NotReady` = `kubepodnotready`). */
export function alertKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
