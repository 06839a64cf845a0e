import { Embeddings } from '@langchain/core/embeddings';
import { tokenize } from '../text/tokenize.js';

/**
 * The default, offline embedding: feature hashing ("the hashing trick") of
 *
 * - stemmed words (the same terms as the BM25 index: camel-case split, stop words dropped),
 * - adjacent word pairs (so "disk full" differs from "full disk" and from "disk" alone),
 * - character 3- to 5-grams of each word (so "certificate", "cert" and "certs"
 *   share features, and misspellings and identifier fragments still overlap),
 *
 * into a fixed number of dimensions, each feature with a hash-chosen sign
 * (which cancels collisions on average), weighted by sublinear term
 * frequency (1 + ln tf), then L2-normalized so Chroma's cosine distance is
 * meaningful.
 *
 * It needs no model file, no network and no corpus statistics: the same text
 * always gets the same vector, on any machine, so a collection built once is
 * valid forever for this model id. It is a lexical-semantic hybrid rather
 * than a learned model: it captures word overlap, morphology and word order,
 * not synonyms. Configure an OpenAI-compatible model for that (ADR 0005).
 */
export interface HashedNgramOptions {
  /** Vector size. 512 keeps collisions rare for runbook-sized vocabularies. */
  dimensions?: number;
}

const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.6;
/** Character n-grams are many per word; together they weigh about as much as the word. */
const CHAR_WEIGHT = 0.25;
const CHAR_NGRAM_SIZES = [3, 4, 5];

export class HashedNgramEmbeddings extends Embeddings {
  readonly dimensions: number;

  constructor(options: HashedNgramOptions = {}) {
    super({});
    this.dimensions = options.dimensions ?? 512;
  }

  /** Recorded on each collection; a different id means the collection is rebuilt. */
  get modelId(): string {
    return `pitcrew-hashed-ngrams-v1/${this.dimensions}`;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  /** Synchronous core, for callers that embed many texts in a tight loop. */
  embed(text: string): number[] {
    const counts = new Map<string, { count: number; weight: number }>();
    const add = (feature: string, weight: number) => {
      const seen = counts.get(feature);
      if (seen) seen.count++;
      else counts.set(feature, { count: 1, weight });
    };
    const terms = tokenize(text);
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      add(`w:${term}`, WORD_WEIGHT);
      if (i > 0) add(`p:${terms[i - 1]} ${term}`, PAIR_WEIGHT);
      const padded = `<${term}>`;
      for (const n of CHAR_NGRAM_SIZES) {
        for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`, CHAR_WEIGHT);
      }
    }
    const vector = new Float64Array(this.dimensions);
    for (const [feature, { count, weight }] of counts) {
      const hash = fnv1a(feature);
      const sign = hash & 0x80000000 ? -1 : 1;
      vector[(hash & 0x7fffffff) % this.dimensions]! += sign * weight * (1 + Math.log(count));
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    return Array.from(vector, (value) => (norm > 0 ? value / norm : 0));
  }
}

/** 32-bit FNV-1a: fast, well spread, and stable across platforms and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
