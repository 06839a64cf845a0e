import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { z } from 'zod/v4';
import { AlertmanagerAlert, alertmanagerAlertToSignal } from '../../adapters/alerts/alertmanager.js';
import { PitcrewError } from '../../domain/errors.js';
import type { Retriever } from '../../domain/retrieval.js';
import { listMarkdown } from '../runbooks/load-runbooks.js';
import { signalQuery } from '../retrieval/signal-query.js';

/**
 * The retrieval eval (contract: shared/bench/README.md). Each query becomes
 * the Alertmanager alert it describes, then takes exactly the live path:
 * `AlertmanagerAlert` → `alertmanagerAlertToSignal` → Retriever. Nothing
 * here ranks or decides; it only scores what the Retriever answered.
 */
export const EvalQuery = z.object({
  id: z.string(),
  alertname: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  summary: z.string().optional(),
  description: z.string().optional(),
  expected_runbook: z.string().nullable(),
});
export type EvalQuery = z.infer<typeof EvalQuery>;

export type EvalMode = 'full' | 'content-only';

export interface RetrievalMetrics {
  hit_at_1: number;
  hit_at_3: number;
  mrr: number;
  /** Share of no-runbook queries that abstained; null when there were none. */
  abstain_accuracy: number | null;
  /** Share of answerable queries that abstained. */
  false_abstain_rate: number;
  p50_ms: number;
  p95_ms: number;
}

export interface BaselineMetrics {
  hit_at_1: number;
  hit_at_3: number;
  mrr: number;
}

export interface QueryOutcome {
  id: string;
  expected: string | null;
  abstained: boolean;
  /** 1-based rank of the expected runbook among the answers (null: not found, or abstained). */
  rank: number | null;
  top: string | null;
  ms: number;
}

export interface EvalReport {
  mode: EvalMode;
  queries: number;
  answerable: number;
  noRunbook: number;
  metrics: RetrievalMetrics;
  outcomes: QueryOutcome[];
}

export function loadEvalQueries(file: string): EvalQuery[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PitcrewError('input_invalid', `Cannot read queries from ${file}: ${(error as Error).message}`, 'Pass a JSON array of alerts in the format of shared/bench/README.md.');
  }
  const parsed = z.array(EvalQuery).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PitcrewError('input_invalid', `${file}: query ${issue.path.join('.')}: ${issue.message}`, 'Each query needs id, labels, summary, description and expected_runbook (a path or null).');
  }
  return parsed.data;
}

/** The Alertmanager alert a query describes; `content-only` removes the alert name. */
export function queryToAlert(query: EvalQuery, mode: EvalMode): AlertmanagerAlert {
  const labels: Record<string, string> = { ...query.labels };
  if (mode === 'full' && query.alertname && !labels.alertname) labels.alertname = query.alertname;
  if (mode === 'content-only') delete labels.alertname;
  const annotations: Record<string, string> = {};
  if (query.summary) annotations.summary = query.summary;
  if (query.description) annotations.description = query.description;
  return AlertmanagerAlert.parse({ status: 'firing', labels, annotations });
}

export async function evaluateRetrieval(retriever: Retriever, queries: EvalQuery[], mode: EvalMode, onQuery?: (done: number, total: number) => void): Promise<EvalReport> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const signal = alertmanagerAlertToSignal(queryToAlert(query, mode));
    const started = performance.now();
    // The live call; only the list is longer than the default, so MRR sees ranks up to 10.
    const result = await retriever.retrieve({ signal, limit: 10 });
    const ms = performance.now() - started;
    const abstained = result.decision.kind === 'abstain';
    const expected = normalizePath(query.expected_runbook);
    const index = result.runbooks.findIndex((hit) => hit.path === expected);
    outcomes.push({ id: query.id, expected: query.expected_runbook, abstained, rank: !abstained && index >= 0 ? index + 1 : null, top: result.runbooks[0]?.path ?? null, ms });
    onQuery?.(outcomes.length, queries.length);
  }
  return { mode, queries: queries.length, answerable: outcomes.filter((o) => o.expected !== null).length, noRunbook: outcomes.filter((o) => o.expected === null).length, metrics: score(outcomes), outcomes };
}

export function score(outcomes: QueryOutcome[]): RetrievalMetrics {
  const answerable = outcomes.filter((outcome) => outcome.expected !== null);
  const noRunbook = outcomes.filter((outcome) => outcome.expected === null);
  const share = (count: number, of: number) => (of === 0 ? 0 : round(count / of));
  const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  return {
    hit_at_1: share(answerable.filter((o) => o.rank === 1).length, answerable.length),
    hit_at_3: share(answerable.filter((o) => o.rank !== null && o.rank <= 3).length, answerable.length),
    mrr: answerable.length === 0 ? 0 : round(answerable.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / answerable.length),
    abstain_accuracy: noRunbook.length === 0 ? null : share(noRunbook.filter((o) => o.abstained).length, noRunbook.length),
    false_abstain_rate: share(answerable.filter((o) => o.abstained).length, answerable.length),
    p50_ms: round(percentile(times, 0.5)),
    p95_ms: round(percentile(times, 0.95)),
  };
}

/**
 * The baseline: plain BM25, minisearch with its defaults, one document per
 * whole file, queried with the same alert text the Retriever searches with.
 * It always answers (BM25 alone has no way to abstain).
 */
export function evaluateBm25Baseline(runbookDir: string, queries: EvalQuery[], mode: EvalMode): BaselineMetrics {
  const index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
  index.addAll(listMarkdown(runbookDir).map((path) => ({ id: path, text: readFileSync(`${runbookDir}/${path}`, 'utf8') })));
  const ranks = queries.filter((query) => query.expected_runbook !== null).map((query) => {
    const text = signalQuery(alertmanagerAlertToSignal(queryToAlert(query, mode))).text;
    const index1 = index.search(text).slice(0, 10).findIndex((hit) => hit.id === normalizePath(query.expected_runbook));
    return index1 >= 0 ? index1 + 1 : null;
  });
  const share = (count: number) => (ranks.length === 0 ? 0 : round(count / ranks.length));
  return {
    hit_at_1: share(ranks.filter((rank) => rank === 1).length),
    hit_at_3: share(ranks.filter((rank) => rank !== null && rank <= 3).length),
    mrr: share(ranks.reduce<number>((sum, rank) => sum + (rank ? 1 / rank : 0), 0)),
  };
}

/** `./a/b.md` and `a\\b.md` name the same runbook as `a/b.md`. */
function normalizePath(path: string | null): string | null {
  return path === null ? null : path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index]!;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
