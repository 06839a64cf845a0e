import { Document } from '@langchain/core/documents';
import MiniSearch from 'minisearch';
import { z } from 'zod/v4';
import { PitcrewError } from '../../domain/errors.js';
import type { MemoryHit, RouteMatch } from '../../domain/retrieval.js';
import { rankByScore, reciprocalRankFusion } from '../retrieval/fusion.js';
import { tokenize } from '../text/tokenize.js';
import type { VectorCollection } from '../vector/vector-collection.js';

/**
 * Incident memory and CI-failure memory: what later stages learn, searchable
 * the same hybrid way as runbooks (BM25 in memory + vectors in Chroma, fused).
 *
 * - `incidents`: resolved incident summaries (written by the record stage);
 * - `ci_failures`: diagnosed CI failures (written by the diagnosis stage).
 *
 * Chroma holds the records (text and metadata); the lexical index is rebuilt
 * from it at open. Text is untrusted (I3): pass a `redact` function so secrets
 * never reach Chroma.
 */
export type MemoryName = 'incidents' | 'ci_failures';

const MetadataValue = z.union([z.string(), z.number(), z.boolean()]);

export const MemoryRecord = z.object({
  /** The writer's id (incident id, `owner/repo#runId`…): writing the same id again replaces the record. */
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(500),
  /** The summary to search: what happened, the cause, what fixed it. */
  text: z.string().min(1).max(20_000),
  /** Flat facts to filter and show: service, alertname, repo, resolvedAt (epoch ms)… */
  metadata: z.record(z.string(), MetadataValue).default({}),
});
export type MemoryRecord = z.input<typeof MemoryRecord>;

const textOptions = { tokenize, processTerm: (term: string) => term };
const RESERVED = ['title', 'pitcrew_written_at'];

export class MemoryCollection {
  private readonly lexical = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'], ...textOptions, searchOptions: textOptions });
  private readonly records = new Map<string, { title: string; text: string; metadata: Record<string, string | number | boolean> }>();

  private constructor(
    readonly name: MemoryName,
    private readonly vectors: VectorCollection,
    private readonly redact: (text: string) => string,
    private readonly now: () => number,
  ) {}

  static async open(name: MemoryName, vectors: VectorCollection, options: { redact?: (text: string) => string; now: () => number }): Promise<MemoryCollection> {
    const memory = new MemoryCollection(name, vectors, options.redact ?? ((text) => text), options.now);
    await memory.load();
    return memory;
  }

  get size(): number {
    return this.records.size;
  }

  /** Adds or replaces a record. Throws `input_invalid` naming the field when the record is malformed. */
  async write(input: MemoryRecord): Promise<void> {
    const parsed = MemoryRecord.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PitcrewError('input_invalid', `${this.name} record field "${issue.path.join('.') || 'record'}": ${issue.message}`, 'Pass { id, title, text, metadata? } with non-empty strings.');
    }
    const record = parsed.data;
    const title = this.redact(record.title);
    const text = this.redact(record.text);
    const metadata = Object.fromEntries(Object.entries(record.metadata).filter(([key]) => !RESERVED.includes(key)));
    await this.vectors.store.addDocuments(
      [new Document({ pageContent: `${title}\n\n${text}`, metadata: { ...metadata, title, pitcrew_written_at: this.now() } })],
      { ids: [record.id] },
    );
    this.index(record.id, title, text, metadata);
  }

  async remove(id: string): Promise<boolean> {
    if (!this.records.has(id)) return false;
    await this.vectors.store.delete({ ids: [id] });
    this.lexical.discard(id);
    this.records.delete(id);
    return true;
  }

  get(id: string): { id: string; title: string; text: string; metadata: Record<string, string | number | boolean> } | undefined {
    const record = this.records.get(id);
    return record ? { id, ...record } : undefined;
  }

  /** Hybrid search: BM25 and vector lists fused by reciprocal rank. Vector-only hits need cosine ≥ 0.35. */
  async search(text: string, limit = 3): Promise<MemoryHit[]> {
    if (this.records.size === 0 || tokenize(text).length === 0) return [];
    const lexical = this.lexical.search(text).slice(0, 20);
    const vector = await this.vectors.store.similaritySearchVectorWithScore(await this.vectors.store.embeddings.embedQuery(text), Math.min(20, this.records.size));
    const similarity = new Map(vector.map(([document, distance]) => [String(document.id), 1 - distance]));
    const lexicalIds = new Set(lexical.map((hit) => String(hit.id)));
    const vectorIds = vector.map(([document]) => String(document.id)).filter((id) => lexicalIds.has(id) || (similarity.get(id) ?? 0) >= 0.35);
    const fused = reciprocalRankFusion([{ ids: lexical.map((hit) => String(hit.id)) }, { ids: vectorIds }]);
    return rankByScore(fused).slice(0, limit).flatMap((id) => {
      const record = this.records.get(id);
      if (!record) return [];
      const matches: RouteMatch[] = [];
      const lexicalRank = lexical.findIndex((hit) => String(hit.id) === id);
      if (lexicalRank >= 0) matches.push({ route: 'lexical', score: Math.round(lexical[lexicalRank]!.score * 1000) / 1000, rank: lexicalRank + 1, reason: `terms: ${lexical[lexicalRank]!.terms.slice(0, 8).join(', ')}` });
      const vectorRank = vectorIds.indexOf(id);
      if (vectorRank >= 0) matches.push({ route: 'vector', score: Math.round((similarity.get(id) ?? 0) * 1000) / 1000, rank: vectorRank + 1, reason: `cosine ${(similarity.get(id) ?? 0).toFixed(3)}` });
      return [{ collection: this.name, id, title: record.title, text: record.text, metadata: record.metadata, score: Math.round(fused.get(id)! * 10_000) / 10_000, matches }];
    });
  }

  private index(id: string, title: string, text: string, metadata: Record<string, string | number | boolean>): void {
    if (this.records.has(id)) this.lexical.discard(id);
    this.records.set(id, { title, text, metadata });
    this.lexical.add({ id, title, text });
  }

  private async load(): Promise<void> {
    const page = 1_000;
    for (let offset = 0; ; offset += page) {
      const result = await this.vectors.collection.get({ limit: page, offset, include: ['documents', 'metadatas'] as never });
      result.ids.forEach((id, i) => {
        const metadata = { ...(result.metadatas[i] ?? {}) } as Record<string, string | number | boolean>;
        const title = String(metadata.title ?? '');
        const document = result.documents[i] ?? '';
        const text = document.startsWith(`${title}\n\n`) ? document.slice(title.length + 2) : document;
        for (const key of RESERVED) delete metadata[key];
        this.index(id, title, text, metadata);
      });
      if (result.ids.length < page) return;
    }
  }
}
