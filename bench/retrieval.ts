/**
 * bench/retrieval: the knowledge module on shared/bench/retrieval (272 runbooks, 72 + 3 alerts).
 *
 * - indexing cold (fresh Chroma), unchanged in the same process, and unchanged
 *   from a fresh process (a service restart: parse + lexical rebuild, no embedding);
 * - query latency (p50/p95) over every query in both modes;
 * - eval figures in `full` and `content-only` mode, and the plain-BM25 baseline
 *   (minisearch defaults over whole files) from the same run, with ratios.
 *
 * Prints one JSON object. Usage: node --import tsx bench/retrieval.ts [bench dir]
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MiniSearch from 'minisearch';
import { manualClock } from '../src/domain/clock.js';
import { EmbeddedChroma } from '../src/knowledge/chroma/embedded-server.js';
import { HashedNgramEmbeddings } from '../src/knowledge/embeddings/hashed-ngram-embeddings.js';
import { evaluateBm25Baseline, evaluateRetrieval, loadEvalQueries, type EvalMode } from '../src/knowledge/eval/retrieval-eval.js';
import { openKnowledge } from '../src/knowledge/knowledge.js';
import { listMarkdown } from '../src/knowledge/runbooks/load-runbooks.js';
import { silentLogger } from '../src/ops/logger.js';

const benchDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'bench', 'retrieval'));
const runbooks = join(benchDir, 'runbooks');
const queries = [...loadEvalQueries(join(benchDir, 'queries.json')), ...loadEvalQueries(join(benchDir, 'queries-no-runbook.json'))];
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
};

const dataDir = mkdtempSync(join(tmpdir(), 'pitcrew-bench-retrieval-'));
const chroma = new EmbeddedChroma({ dataDir, port: 0, log: silentLogger() });
await chroma.start();
try {
  const embeddings = new HashedNgramEmbeddings();
  const open = () => openKnowledge({ chromaUrl: chroma.url, embedding: { embeddings, modelId: embeddings.modelId }, runbookDirs: [runbooks], minEvidence: 0.3, log: silentLogger(), clock: manualClock() });

  let started = performance.now();
  const knowledge = await open();
  const cold = await knowledge.indexRunbooks();
  const coldWithOpenMs = performance.now() - started;
  const unchanged = await knowledge.indexRunbooks();
  started = performance.now();
  const restarted = await open();
  const unchangedFresh = await restarted.indexRunbooks();
  const unchangedFreshWithOpenMs = performance.now() - started;

  // Baseline for indexing: plain minisearch over whole files, in memory (no chunking, no vectors).
  started = performance.now();
  const bm25 = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
  bm25.addAll(listMarkdown(runbooks).map((path) => ({ id: path, text: readFileSync(join(runbooks, path), 'utf8') })));
  const baselineIndexMs = performance.now() - started;

  const evals: Record<string, unknown> = {};
  const latencies: number[] = [];
  let contentOnlyHit1 = 0;
  let contentOnlyBaselineHit1 = 0;
  for (const mode of ['full', 'content-only'] as EvalMode[]) {
    const report = await evaluateRetrieval(restarted.retriever, queries, mode);
    const baseline = evaluateBm25Baseline(runbooks, queries, mode);
    latencies.push(...report.outcomes.map((outcome) => outcome.ms));
    evals[mode] = { ...report.metrics, baseline_bm25: baseline, hit_at_1_vs_baseline: round(report.metrics.hit_at_1 / baseline.hit_at_1, 2) };
    if (mode === 'content-only') {
      contentOnlyHit1 = report.metrics.hit_at_1;
      contentOnlyBaselineHit1 = baseline.hit_at_1;
    }
  }

  console.log(JSON.stringify({
    bench: 'retrieval',
    corpus: { runbooks: cold.added, skipped: cold.skipped.length, sections: cold.chunksWritten, queries: queries.length },
    embedding: embeddings.modelId,
    indexing: {
      cold_ms: cold.tookMs,
      cold_including_open_ms: round(coldWithOpenMs),
      unchanged_same_process_ms: unchanged.tookMs,
      unchanged_fresh_process_ms: unchangedFresh.tookMs,
      unchanged_fresh_process_including_open_ms: round(unchangedFreshWithOpenMs),
      unchanged_sections_written: unchanged.chunksWritten + unchangedFresh.chunksWritten,
      baseline_bm25_whole_files_in_memory_ms: round(baselineIndexMs),
      cold_vs_baseline: round(cold.tookMs / baselineIndexMs, 1),
    },
    query: { p50_ms: round(percentile(latencies, 0.5), 2), p95_ms: round(percentile(latencies, 0.95), 2), n: latencies.length },
    eval: evals,
    content_only_hit_at_1_vs_bm25_baseline: round(contentOnlyHit1 / contentOnlyBaselineHit1, 2),
    targets: { cold_index_under_10s: cold.tookMs < 10_000, unchanged_under_1s: Math.max(unchanged.tookMs, unchangedFresh.tookMs) < 1_000, query_p50_under_30ms: percentile(latencies, 0.5) < 30 },
  }, null, 2));
} finally {
  await chroma.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
