import { Document } from '@langchain/core/documents';
import type { Metadata } from 'chromadb';
import { PitcrewError } from '../../domain/errors.js';
import type { Logger } from '../../ops/logger.js';
import { RunbookLexicalIndex } from '../lexical/runbook-lexical-index.js';
import type { VectorCollection } from '../vector/vector-collection.js';
import { loadRunbooks, type RunbookProblem } from './load-runbooks.js';
import type { Runbook, RunbookChunk } from './runbook.js';

/**
 * Everything known about the runbooks: the parsed files (catalog), the
 * lexical index, and their chunks in the Chroma `runbooks` collection.
 *
 * Indexing is incremental by content hash (stored on every chunk in Chroma,
 * so the collection itself is the record of what was indexed):
 * - unchanged file: nothing is embedded or written;
 * - changed file: its chunks are re-embedded and replaced, surplus ones deleted;
 * - deleted file: its own chunks are deleted;
 * - the collection mirrors the directories indexed, so a directory dropped
 *   from the list drops its runbooks. A listed directory that is missing
 *   keeps what it had (it may be unmounted for a moment) and is reported.
 */
export interface IndexProgress {
  phase: 'scan' | 'embed' | 'done';
  done: number;
  total: number;
  /** The file being written, when there is one. */
  file?: string;
}

export interface IndexSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Files skipped with a problem (malformed front matter), each naming the file and line. */
  skipped: RunbookProblem[];
  warnings: RunbookProblem[];
  missingDirs: string[];
  chunksWritten: number;
  /** True when the embedding model changed and every runbook was re-embedded. */
  rebuilt: boolean;
  tookMs: number;
}

interface IndexedFile {
  hash: string;
  root: string;
  chunkIds: string[];
  chunkCount: number;
}

const WRITE_BATCH = 128;

export class RunbookIndex {
  readonly catalog = new Map<string, Runbook>();
  readonly lexical = new RunbookLexicalIndex();
  private indexedOnce = false;
  private catalogVersion = 0;
  private running: Promise<IndexSummary> | undefined;

  constructor(
    readonly vectors: VectorCollection,
    private readonly log: Logger,
  ) {}

  /** Changes whenever the catalog changes, so derived lookups know to rebuild. */
  get version(): number {
    return this.catalogVersion;
  }

  /** True once a first index run has loaded the files (even if writing vectors then failed). */
  get ready(): boolean {
    return this.indexedOnce;
  }

  /** Indexes the directories; concurrent calls wait for the run in progress and then run again. */
  async index(dirs: string[], onProgress?: (progress: IndexProgress) => void): Promise<IndexSummary> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.run(dirs, onProgress);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async run(dirs: string[], onProgress?: (progress: IndexProgress) => void): Promise<IndexSummary> {
    const started = performance.now();
    onProgress?.({ phase: 'scan', done: 0, total: dirs.length });
    const loaded = loadRunbooks(dirs);
    if (loaded.scannedDirs.length === 0 && dirs.length > 0) {
      this.indexedOnce = true;
      throw new PitcrewError('input_invalid', `No runbook directory found: ${loaded.missingDirs.join(', ')} ${loaded.missingDirs.length === 1 ? 'does' : 'do'} not exist.`,
        'Create the directory, pass existing ones to `pitcrew index`, or set PITCREW_RUNBOOK_DIRS.');
    }
    for (const problem of loaded.skipped) this.log.warn({ file: problem.file, line: problem.line, problem: problem.message }, 'runbook skipped');
    for (const problem of loaded.warnings) this.log.warn({ file: problem.file, problem: problem.message }, 'runbook warning');

    const indexed = await this.indexedFiles();
    const current = new Map(loaded.runbooks.map((runbook) => [runbook.id, runbook]));
    const changed: Runbook[] = [];
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    for (const runbook of loaded.runbooks) {
      const previous = indexed.get(runbook.id);
      if (!previous) {
        added++;
        changed.push(runbook);
      } else if (previous.hash !== runbook.contentHash || previous.chunkIds.length !== previous.chunkCount) {
        updated++;
        changed.push(runbook);
      } else {
        unchanged++;
      }
    }
    const missing = new Set(loaded.missingDirs);
    const removedIds = [...indexed].filter(([id, file]) => !current.has(id) && !missing.has(file.root)).map(([id]) => id);
    // Runbooks of a missing directory stay searchable until it is back.
    for (const [id] of [...indexed].filter(([id, file]) => !current.has(id) && missing.has(file.root))) {
      const known = this.catalog.get(id);
      if (known) current.set(id, known);
    }

    // The lexical side first: if writing vectors fails (embeddings server down),
    // lexical and title search still see the current files; the next run retries the vectors.
    this.replaceCatalog(current);
    this.indexedOnce = true;
    onProgress?.({ phase: 'embed', done: 0, total: changed.length });
    const chunksWritten = await this.write(changed, indexed, (done, file) => onProgress?.({ phase: 'embed', done, total: changed.length, file }));
    const stale = removedIds.flatMap((id) => indexed.get(id)!.chunkIds);
    for (let i = 0; i < stale.length; i += WRITE_BATCH) await this.vectors.store.delete({ ids: stale.slice(i, i + WRITE_BATCH) });

    onProgress?.({ phase: 'done', done: changed.length, total: changed.length });
    const summary: IndexSummary = {
      added,
      updated,
      removed: removedIds.length,
      unchanged,
      skipped: loaded.skipped,
      warnings: loaded.warnings,
      missingDirs: loaded.missingDirs,
      chunksWritten,
      rebuilt: this.vectors.opened === 'rebuilt',
      tookMs: Math.round(performance.now() - started),
    };
    this.log.info({ added, updated, removed: summary.removed, unchanged, skipped: loaded.skipped.length, tookMs: summary.tookMs }, 'runbooks indexed');
    return summary;
  }

  /** What the collection holds, per runbook, read from chunk metadata. */
  private async indexedFiles(): Promise<Map<string, IndexedFile>> {
    const files = new Map<string, IndexedFile>();
    const page = 2_000;
    for (let offset = 0; ; offset += page) {
      const result = await this.vectors.collection.get({ limit: page, offset, include: ['metadatas'] as never });
      result.ids.forEach((id, i) => {
        const metadata = result.metadatas[i] ?? {};
        const runbookId = String(metadata.runbook_id ?? '');
        const hash = String(metadata.content_hash ?? '');
        const file = files.get(runbookId) ?? { hash, root: String(metadata.root ?? ''), chunkIds: [], chunkCount: Number(metadata.chunk_count ?? 0) };
        // Chunks of two versions (a write cut short) make the file count as changed.
        if (file.hash !== hash) file.chunkCount = -1;
        file.chunkIds.push(id);
        files.set(runbookId, file);
      });
      if (result.ids.length < page) return files;
    }
  }

  private async write(changed: Runbook[], indexed: Map<string, IndexedFile>, progress: (done: number, file: string) => void): Promise<number> {
    let written = 0;
    let batch: Array<{ runbook: Runbook; chunk: RunbookChunk; count: number }> = [];
    let filesDone = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await this.vectors.store.addDocuments(batch.map(({ runbook, chunk, count }) => chunkDocument(runbook, chunk, count)), { ids: batch.map(({ chunk }) => chunk.id) });
      written += batch.length;
      batch = [];
    };
    for (const runbook of changed) {
      for (const chunk of runbook.chunks) batch.push({ runbook, chunk, count: runbook.chunks.length });
      if (batch.length >= WRITE_BATCH) await flush();
      const keep = new Set(runbook.chunks.map((chunk) => chunk.id));
      const surplus = (indexed.get(runbook.id)?.chunkIds ?? []).filter((id) => !keep.has(id));
      if (surplus.length > 0) {
        await flush();
        await this.vectors.store.delete({ ids: surplus });
      }
      progress(++filesDone, `${runbook.root}/${runbook.path}`);
    }
    await flush();
    return written;
  }

  private replaceCatalog(next: Map<string, Runbook>): void {
    let changes = 0;
    for (const id of [...this.catalog.keys()]) {
      if (!next.has(id)) {
        this.catalog.delete(id);
        this.lexical.remove(id);
        changes++;
      }
    }
    for (const [id, runbook] of next) {
      if (this.catalog.get(id)?.contentHash === runbook.contentHash) continue;
      this.catalog.set(id, runbook);
      this.lexical.upsert(runbook);
      changes++;
    }
    if (changes > 0) this.catalogVersion++;
  }
}

/** The text embedded for a chunk: its heading path, then its text. */
export function chunkEmbeddingText(chunk: RunbookChunk): string {
  return `${chunk.headingPath.join(' > ')}\n\n${chunk.text}`;
}

function chunkDocument(runbook: Runbook, chunk: RunbookChunk, count: number): Document {
  const metadata: Metadata = {
    runbook_id: runbook.id,
    root: runbook.root,
    path: runbook.path,
    title: runbook.title,
    content_hash: runbook.contentHash,
    chunk_count: count,
    heading_path: JSON.stringify(chunk.headingPath),
    line: chunk.line,
  };
  return new Document({ pageContent: chunkEmbeddingText(chunk), metadata });
}
