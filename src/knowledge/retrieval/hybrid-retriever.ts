import {
  NO_MATCHING_RUNBOOK,
  type MemoryHit,
  type RetrievalDecision,
  type RetrievalQuery,
  type RetrievalResult,
  type Retriever,
  type RouteMatch,
  type RunbookHit,
} from '../../domain/retrieval.js';
import type { MemoryCollection } from '../memory/memory-collection.js';
import type { Runbook, RunbookChunk } from '../runbooks/runbook.js';
import type { RunbookIndex } from '../runbooks/runbook-index.js';
import { alertKey, tokenize } from '../text/tokenize.js';
import { contentEvidence } from './abstention.js';
import { DEFAULT_RRF_K, reciprocalRankFusion } from './fusion.js';
import { resolveMovedTo } from './moved-to.js';
import { signalQuery, type SignalQuery } from './signal-query.js';

/**
 * The hybrid Retriever (ADR 0005):
 *
 * 1. exact route: the alert name equals a name a runbook declares or carries
 *    (front-matter `alerts:`, file name, alert-name headings); a "moved to"
 *    stub is replaced by the page it points to;
 * 2. mention route: a runbook's text names the alert (multi-part names only);
 * 3. content routes, fused by reciprocal rank: BM25 over sections, BM25 over
 *    titles and alert names, and vector similarity in Chroma; a runbook that
 *    declares the alert's service gets one extra first-place vote;
 * 4. order: exact, then mention, then fused content score;
 * 5. abstain with "no matching runbook" when no runbook is named after the
 *    alert and the best one covers too little of what the alert says (a
 *    runbook that only mentions the alert needs half that evidence).
 */
export interface HybridRetrieverOptions {
  runbooks: RunbookIndex;
  memory?: { incidents: MemoryCollection; ciFailures: MemoryCollection };
  /** Abstention threshold on content evidence (0–1). */
  minEvidence: number;
  /** Candidates taken from each content route before fusion. */
  depth?: number;
  rrfK?: number;
  /** Bounded wait for the first index run when a query arrives before it finished. */
  readyTimeoutMs?: number;
}

interface Candidate {
  runbook: Runbook;
  matches: RouteMatch[];
  fused: number;
  tier: 0 | 1 | 2;
  chunkId?: string;
  via?: string;
}

const DEFAULT_LIMIT = 5;

export class HybridRetriever implements Retriever {
  private namesVersion = -1;
  private names = new Map<string, Set<string>>();

  constructor(private readonly options: HybridRetrieverOptions) {}

  async retrieve(request: RetrievalQuery): Promise<RetrievalResult> {
    const started = performance.now();
    const { runbooks } = this.options;
    await this.waitForFirstIndex();
    const query = signalQuery(request.signal);
    const allowed = filterFor(request, runbooks.catalog);
    const k = this.options.rrfK ?? DEFAULT_RRF_K;
    const depth = this.options.depth ?? 50;

    const candidates = new Map<string, Candidate>();
    const candidate = (runbook: Runbook) => {
      let found = candidates.get(runbook.id);
      if (!found) candidates.set(runbook.id, (found = { runbook, matches: [], fused: 0, tier: 2 }));
      return found;
    };

    // 1–2. Names first.
    if (query.alertname) {
      for (const id of this.exactMatches(query.alertname)) {
        const stub = runbooks.catalog.get(id)!;
        const target = stub.movedTo ? resolveMovedTo(stub, runbooks.catalog) : undefined;
        const runbook = target ?? stub;
        if (allowed && !allowed(runbook.id)) continue;
        const found = candidate(runbook);
        found.tier = 0;
        if (target) found.via = stub.path;
        const reason = `alert name "${query.alertname}" = ${describeName(stub, query.alertname)}${target ? ` (moved from ${stub.path})` : ''}`;
        if (!found.matches.some((match) => match.route === 'exact')) found.matches.push({ route: 'exact', score: 1, rank: 1, reason });
      }
      const whole = mentionTerm(query.alertname);
      if (whole) {
        for (const runbook of runbooks.catalog.values()) {
          if ((allowed && !allowed(runbook.id)) || !runbooks.lexical.contains(runbook.id, whole)) continue;
          const found = candidate(runbook);
          if (found.tier === 0) continue;
          found.tier = 1;
          found.matches.push({ route: 'mention', score: 1, rank: 1, reason: `its text names "${query.alertname}"` });
        }
      }
    }

    // 3. Content routes, fused.
    const sections = runbooks.lexical.searchSections(query.text, allowed).slice(0, depth);
    const titles = runbooks.lexical.searchTitles(query.text, allowed).slice(0, depth);
    const warnings: string[] = [];
    const vectors = (await this.vectorSearch(query, depth * 2).catch((error: Error) => {
      warnings.push(`vector route failed, lexical routes answered alone: ${error.message}`);
      return [];
    })).filter((hit) => runbooks.catalog.has(hit.runbookId) && (!allowed || allowed(hit.runbookId))).slice(0, depth);
    sections.forEach((hit, index) => {
      const found = candidate(runbooks.catalog.get(hit.runbookId)!);
      found.chunkId ??= hit.chunkId;
      found.matches.push({ route: 'lexical', score: round(hit.score), rank: index + 1, reason: `terms: ${hit.terms.slice(0, 8).join(', ')}` });
    });
    titles.forEach((hit, index) => {
      candidate(runbooks.catalog.get(hit.runbookId)!).matches.push({ route: 'title', score: round(hit.score), rank: index + 1, reason: `title/alert-name terms: ${hit.terms.join(', ')}` });
    });
    vectors.forEach((hit, index) => {
      const found = candidate(runbooks.catalog.get(hit.runbookId)!);
      found.chunkId ??= hit.chunkId;
      found.matches.push({ route: 'vector', score: round(hit.similarity), rank: index + 1, reason: `cosine ${hit.similarity.toFixed(3)} with "${headingOf(found.runbook, hit.chunkId)}"` });
    });
    const fused = reciprocalRankFusion([
      { ids: sections.map((hit) => hit.runbookId) },
      { ids: titles.map((hit) => hit.runbookId) },
      { ids: vectors.map((hit) => hit.runbookId) },
    ], k, depth);
    for (const [id, score] of fused) candidate(runbooks.catalog.get(id)!).fused = score;
    if (query.service) {
      const service = query.service.toLowerCase();
      for (const runbook of runbooks.catalog.values()) {
        if (!runbook.services.some((name) => name.toLowerCase() === service) || (allowed && !allowed(runbook.id))) continue;
        const found = candidate(runbook);
        found.fused += 1 / (k + 1);
        found.matches.push({ route: 'service', score: 1, rank: 1, reason: `declares service "${query.service}"` });
      }
    }

    // 4. Order.
    const ordered = [...candidates.values()].sort((a, b) => a.tier - b.tier || b.fused - a.fused);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const hits = ordered.slice(0, limit).map((found) => toHit(found));

    // 5. Decide.
    const top = ordered[0];
    const evidence = contentEvidence(query.summary, query.description, top?.runbook.id, runbooks.lexical, this.options.minEvidence);
    const decision = decide(top, evidence.score, this.options.minEvidence, runbooks.catalog.size);

    const memory = request.includeMemory === false || !this.options.memory ? undefined : this.options.memory;
    const searchMemory = (collection: MemoryCollection) => collection.search(query.text, 3).catch((error: Error) => {
      warnings.push(`${collection.name} search failed: ${error.message}`);
      return [] as MemoryHit[];
    });
    const [incidents, ciFailures] = memory ? await Promise.all([searchMemory(memory.incidents), searchMemory(memory.ciFailures)]) : [[] as MemoryHit[], [] as MemoryHit[]];
    if (!runbooks.ready) warnings.push('the runbook index is still loading');
    return { decision, runbooks: hits, evidence, incidents, ciFailures, tookMs: round(performance.now() - started), warnings };
  }

  private async waitForFirstIndex(): Promise<void> {
    const { runbooks } = this.options;
    // Waiting on I/O, not business time: the monotonic clock is right here.
    const deadline = performance.now() + (this.options.readyTimeoutMs ?? 30_000);
    while (!runbooks.ready && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Runbook ids whose declared or derived names equal the alert name (case and separators ignored). */
  private exactMatches(alertname: string): string[] {
    const { runbooks } = this.options;
    if (this.namesVersion !== runbooks.version) {
      this.names = new Map();
      for (const runbook of runbooks.catalog.values()) {
        for (const name of [...runbook.declaredAlerts, ...runbook.derivedAlerts]) {
          const key = alertKey(name);
          if (!key) continue;
          let ids = this.names.get(key);
          if (!ids) this.names.set(key, (ids = new Set()));
          ids.add(runbook.id);
        }
      }
      this.namesVersion = runbooks.version;
    }
    return [...(this.names.get(alertKey(alertname)) ?? [])];
  }

  private async vectorSearch(query: SignalQuery, k: number): Promise<Array<{ runbookId: string; chunkId: string; similarity: number }>> {
    const { vectors } = this.options.runbooks;
    if (this.options.runbooks.catalog.size === 0 || query.text.trim() === '') return [];
    const vector = await vectors.store.embeddings.embedQuery(query.text);
    const results = await vectors.store.similaritySearchVectorWithScore(vector, k);
    const best = new Map<string, { runbookId: string; chunkId: string; similarity: number }>();
    for (const [document, distance] of results) {
      const runbookId = String(document.metadata.runbook_id ?? '');
      const similarity = 1 - distance;
      const seen = best.get(runbookId);
      if (!seen || similarity > seen.similarity) best.set(runbookId, { runbookId, chunkId: String(document.id ?? ''), similarity });
    }
    return [...best.values()].sort((a, b) => b.similarity - a.similarity);
  }
}

function decide(top: Candidate | undefined, evidence: number, threshold: number, corpusSize: number): RetrievalDecision {
  if (!top) return { kind: 'abstain', reason: corpusSize === 0 ? `${NO_MATCHING_RUNBOOK}: no runbooks are indexed` : `${NO_MATCHING_RUNBOOK}: nothing matched` };
  if (top.tier === 0) return { kind: 'match', route: 'exact', reason: top.matches.find((match) => match.route === 'exact')!.reason };
  // A page that only names the alert (a "see also") needs half the content evidence too.
  if (top.tier === 1 && evidence >= threshold / 2) return { kind: 'match', route: 'mention', reason: top.matches.find((match) => match.route === 'mention')!.reason };
  if (top.tier === 1) {
    return { kind: 'abstain', reason: `${NO_MATCHING_RUNBOOK}: only ${top.runbook.path} names the alert, and it covers ${evidence.toFixed(2)} of the alert text (needs ${threshold / 2} for a mention)` };
  }
  if (evidence < threshold) {
    return { kind: 'abstain', reason: `${NO_MATCHING_RUNBOOK}: no runbook is named after the alert, and the best one (${top.runbook.path}) covers ${evidence.toFixed(2)} of the alert text (threshold ${threshold})` };
  }
  const best = bestContentRoute(top);
  return { kind: 'match', route: best?.route ?? 'lexical', reason: `content evidence ${evidence.toFixed(2)} ≥ ${threshold}; ${best ? `${best.route} rank ${best.rank}` : 'fused'}` };
}

function bestContentRoute(found: Candidate): RouteMatch | undefined {
  return found.matches.filter((match) => ['lexical', 'title', 'vector'].includes(match.route)).sort((a, b) => a.rank - b.rank)[0];
}

function toHit(found: Candidate): RunbookHit {
  const { runbook } = found;
  const chunk = chunkById(runbook, found.chunkId);
  const route = found.tier === 0 ? 'exact' : found.tier === 1 ? 'mention' : (bestContentRoute(found)?.route ?? 'service');
  return {
    runbookId: runbook.id,
    path: runbook.path,
    root: runbook.root,
    title: runbook.title,
    passage: { headingPath: chunk.headingPath, text: chunk.text, line: chunk.line },
    alerts: { declared: runbook.declaredAlerts, derived: runbook.derivedAlerts },
    services: runbook.services,
    tags: runbook.tags,
    remediation: runbook.remediation,
    ...(runbook.risk ? { risk: runbook.risk } : {}),
    ...(runbook.rollback ? { rollback: runbook.rollback } : {}),
    ...(runbook.verifyMinutes ? { verifyMinutes: runbook.verifyMinutes } : {}),
    score: round(found.fused),
    matches: found.matches,
    route,
    ...(found.via ? { via: found.via } : {}),
  };
}

function chunkById(runbook: Runbook, chunkId: string | undefined): RunbookChunk {
  return runbook.chunks.find((chunk) => chunk.id === chunkId) ?? runbook.chunks[0]!;
}

function headingOf(runbook: Runbook, chunkId: string): string {
  return chunkById(runbook, chunkId).headingPath.join(' > ');
}

function describeName(runbook: Runbook, alertname: string): string {
  const key = alertKey(alertname);
  if (runbook.declaredAlerts.some((name) => alertKey(name) === key)) return `declared in ${runbook.path}`;
  const stem = runbook.path.split('/').pop()!.replace(/\.(md|markdown)$/i, '');
  if (alertKey(stem) === key || alertKey(stem.replace(/[-_]?alert$/i, '')) === key) return `file name ${runbook.path}`;
  return `heading in ${runbook.path}`;
}

/** The whole-identifier term of a multi-part alert name (`KubePodNotReady` → `kubepodnotready`), or nothing for one-word names. */
function mentionTerm(alertname: string): string | undefined {
  const terms = tokenize(alertname);
  return terms.length > 1 && terms[0] === alertname.toLowerCase() ? terms[0] : undefined;
}

function filterFor(request: RetrievalQuery, catalog: Map<string, Runbook>): ((runbookId: string) => boolean) | undefined {
  const services = request.services?.map((name) => name.toLowerCase());
  const tags = request.tags?.map((name) => name.toLowerCase());
  if (!services?.length && !tags?.length) return undefined;
  return (runbookId) => {
    const runbook = catalog.get(runbookId);
    if (!runbook) return false;
    if (services?.length && !runbook.services.some((name) => services.includes(name.toLowerCase()))) return false;
    if (tags?.length && !runbook.tags.some((name) => tags.includes(name.toLowerCase()))) return false;
    return true;
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
