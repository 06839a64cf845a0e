import MiniSearch from 'minisearch';
import type { Runbook, RunbookChunk } from '../runbooks/runbook.js';
import { tokenize } from '../text/tokenize.js';

/**
 * The in-memory lexical side of runbook retrieval (minisearch, BM25):
 *
 * - a section index: one document per chunk, fields `names` (title, alert
 *   names and path of its runbook), `headings` (its heading path) and `text`;
 * - a title index: one document per runbook, its title and alert names only.
 *   Alert names are compressed descriptions ("NodeFilesystemSpaceFillingUp"),
 *   so a summary that paraphrases one finds it even in a long page;
 * - per-runbook term sets and document frequencies, for the abstention rule.
 *
 * It is rebuilt from the parsed runbooks at startup (a few hundred ms for
 * hundreds of files) and updated in place as files change.
 */
export interface LexicalChunkHit {
  runbookId: string;
  chunkId: string;
  score: number;
  /** Query terms that matched in the best chunk. */
  terms: string[];
}

export interface LexicalRunbookHit {
  runbookId: string;
  score: number;
  terms: string[];
}

const SECTION_BOOST = { names: 2, headings: 1.5, text: 1 };
const textOptions = { tokenize, processTerm: (term: string) => term };

interface ChunkDocument {
  id: string;
  runbookId: string;
  names: string;
  headings: string;
  text: string;
}

export class RunbookLexicalIndex {
  private readonly sections = new MiniSearch<ChunkDocument>({
    fields: ['names', 'headings', 'text'],
    storeFields: ['runbookId'],
    ...textOptions,
    searchOptions: textOptions,
  });
  private readonly titles = new MiniSearch<{ id: string; names: string }>({ fields: ['names'], ...textOptions, searchOptions: textOptions });
  private readonly chunkIds = new Map<string, string[]>();
  private readonly termSets = new Map<string, Set<string>>();
  private readonly documentFrequency = new Map<string, number>();

  get size(): number {
    return this.termSets.size;
  }

  /** Adds a runbook, replacing any previous version with the same id. */
  upsert(runbook: Runbook): void {
    this.remove(runbook.id);
    const names = runbookNames(runbook);
    const documents = runbook.chunks.map((chunk) => chunkDocument(runbook, chunk, names));
    this.sections.addAll(documents);
    this.titles.add({ id: runbook.id, names: [runbook.title, ...runbook.declaredAlerts, ...runbook.derivedAlerts].join(' ') });
    this.chunkIds.set(runbook.id, documents.map((document) => document.id));
    const terms = new Set(tokenize([names, ...runbook.chunks.map((chunk) => `${chunk.headingPath.join(' ')} ${chunk.text}`)].join('\n')));
    this.termSets.set(runbook.id, terms);
    for (const term of terms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
  }

  remove(runbookId: string): void {
    const ids = this.chunkIds.get(runbookId);
    if (!ids) return;
    for (const id of ids) this.sections.discard(id);
    this.titles.discard(runbookId);
    this.chunkIds.delete(runbookId);
    for (const term of this.termSets.get(runbookId) ?? []) {
      const count = (this.documentFrequency.get(term) ?? 1) - 1;
      if (count > 0) this.documentFrequency.set(term, count);
      else this.documentFrequency.delete(term);
    }
    this.termSets.delete(runbookId);
  }

  /** BM25 over sections; one hit per runbook (its best section), best first. */
  searchSections(text: string, allowed?: (runbookId: string) => boolean): LexicalChunkHit[] {
    if (this.size === 0 || tokenize(text).length === 0) return [];
    const best = new Map<string, LexicalChunkHit>();
    for (const hit of this.sections.search(text, { boost: SECTION_BOOST })) {
      const runbookId = hit.runbookId as string;
      if (allowed && !allowed(runbookId)) continue;
      const seen = best.get(runbookId);
      if (!seen || hit.score > seen.score) best.set(runbookId, { runbookId, chunkId: hit.id as string, score: hit.score, terms: hit.terms });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  /** BM25 over runbook titles and alert names, best first. */
  searchTitles(text: string, allowed?: (runbookId: string) => boolean): LexicalRunbookHit[] {
    if (this.size === 0 || tokenize(text).length === 0) return [];
    return this.titles
      .search(text)
      .filter((hit) => !allowed || allowed(hit.id as string))
      .map((hit) => ({ runbookId: hit.id as string, score: hit.score, terms: hit.terms }));
  }

  /** True when the runbook's text contains the term (already normalized by `tokenize`). */
  contains(runbookId: string, term: string): boolean {
    return this.termSets.get(runbookId)?.has(term) ?? false;
  }

  /**
   * Inverse document frequency over runbooks (BM25's smoothed form). A term
   * no runbook contains gets the highest weight: an alert about something
   * the runbooks never mention is exactly what abstention is for.
   */
  idf(term: string): number {
    const n = this.size;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

/** Title, alert names and the path without extension: the words that name a runbook. */
export function runbookNames(runbook: Runbook): string {
  return [runbook.title, ...runbook.declaredAlerts, ...runbook.derivedAlerts, ...runbook.services, ...runbook.tags, runbook.path.replace(/\.(md|markdown)$/i, '')].join(' ');
}

function chunkDocument(runbook: Runbook, chunk: RunbookChunk, names: string): ChunkDocument {
  return { id: chunk.id, runbookId: runbook.id, names, headings: chunk.headingPath.join(' '), text: chunk.text };
}
