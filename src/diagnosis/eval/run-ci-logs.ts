import type { FailureCategory } from '../categories.js';
import type { Diagnoser } from '../diagnose.js';
import type { LineBreaks } from '../line-splitter.js';
import { openLogSource } from '../log-source.js';
import type { Dataset } from './dataset.js';
import { grepBaselineLines } from './grep-baseline.js';
import { goldLines, macroAverage, scoreLog, type LogScore, type MacroScore } from './score.js';

export interface EvalOptions {
  lineBreaks: LineBreaks;
  /** Also score the keyword-grep baseline on the same logs. */
  grepBaseline?: boolean;
  /** Feed the first N logs of each repository as confirmed diagnoses; score only the rest. */
  learn: number;
  onProgress?: (done: number, total: number, id: string) => void;
}

export interface LogResult extends LogScore {
  id: string;
  repo?: string;
  predicted: number;
  gold: number;
  category?: FailureCategory;
  expectedCategory?: FailureCategory;
  /** The evidence came from learned patterns. */
  learned?: boolean;
  /** The predicted line numbers (first 200), for looking into a log's result. */
  lines?: number[];
  error?: string;
}

export interface EvalReport extends MacroScore {
  /** Share of logs with a labelled category whose category was right; null when none is labelled. */
  accuracy: number | null;
  mb_per_s: number;
  bytes: number;
  seconds: number;
  learned: number;
  line_breaks: LineBreaks;
  /** The keyword grep (error|fail|exception|fatal) on the same scored logs, when asked for. */
  grep_baseline?: MacroScore;
  results: LogResult[];
}

/**
 * Runs the diagnoser over every log of a dataset and scores it as the
 * bench README says. With `learn`, the first N logs of each repository are
 * confirmed through the same path a 👍 takes in production, and not scored.
 */
export async function evaluateCiLogs(dataset: Dataset, diagnoser: Diagnoser, options: EvalOptions): Promise<EvalReport> {
  const seenPerRepo = new Map<string, number>();
  const scored: LogResult[] = [];
  const grepScores: LogScore[] = [];
  let bytes = 0;
  let seconds = 0;
  let learned = 0;
  const total = dataset.records.length;
  for (const [index, record] of dataset.records.entries()) {
    options.onProgress?.(index, total, record.id);
    const repo = record.repo ?? '';
    const seen = seenPerRepo.get(repo) ?? 0;
    seenPerRepo.set(repo, seen + 1);
    const gold = goldLines(record.spans);
    if (options.learn > 0 && record.repo && seen < options.learn) {
      const source = await openLogSource(record.absolutePath);
      await diagnoser.confirm(source, { repo: record.repo, spans: record.spans, ...(record.failure_category ? { category: record.failure_category } : {}), lineBreaks: options.lineBreaks, source: 'eval', logRef: record.id });
      learned++;
      continue;
    }
    let result: LogResult;
    try {
      const source = await openLogSource(record.absolutePath);
      const started = performance.now();
      const diagnosis = await diagnoser.diagnose(source, { lineBreaks: options.lineBreaks, ...(record.repo ? { repo: record.repo } : {}) });
      seconds += (performance.now() - started) / 1000;
      bytes += diagnosis.stats.bytes;
      const score = scoreLog(diagnosis.lineNumbers, gold);
      result = { id: record.id, ...score, predicted: diagnosis.lineNumbers.length, gold: gold.size, category: diagnosis.category, learned: diagnosis.learned, lines: diagnosis.lineNumbers.slice(0, 200) };
    } catch (error) {
      result = { id: record.id, precision: 0, recall: 0, f1: 0, fullySuccessful: gold.size === 0, predicted: 0, gold: gold.size, error: (error as Error).message };
    }
    if (options.grepBaseline) {
      try {
        grepScores.push(scoreLog(await grepBaselineLines(await openLogSource(record.absolutePath), options.lineBreaks), gold));
      } catch {
        grepScores.push({ precision: 0, recall: 0, f1: 0, fullySuccessful: gold.size === 0 });
      }
    }
    if (record.repo) result.repo = record.repo;
    if (record.failure_category) result.expectedCategory = record.failure_category;
    scored.push(result);
  }
  options.onProgress?.(total, total, '');
  const macro = macroAverage(scored);
  const labelled = scored.filter((r) => r.expectedCategory);
  const accuracy = labelled.length === 0 ? null : labelled.filter((r) => r.category === r.expectedCategory).length / labelled.length;
  return {
    ...macro,
    accuracy,
    mb_per_s: seconds > 0 ? bytes / 1e6 / seconds : 0,
    bytes,
    seconds,
    learned,
    line_breaks: options.lineBreaks,
    ...(options.grepBaseline ? { grep_baseline: macroAverage(grepScores) } : {}),
    results: scored,
  };
}
