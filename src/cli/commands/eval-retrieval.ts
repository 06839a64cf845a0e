import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { PitcrewError } from '../../domain/errors.js';
import { evaluateBm25Baseline, evaluateRetrieval, loadEvalQueries, type EvalMode } from '../../knowledge/eval/retrieval-eval.js';
import { color, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { withKnowledge } from '../knowledge-session.js';
import { cliConfig, runAction } from '../run-action.js';

interface EvalOptions {
  runbooks: string;
  queries: string;
  /** commander files `--no-runbook <file>` under `runbook` (a `--no-` option is a negation to it): a string when given, `true` when not. */
  runbook?: string | boolean;
  mode: EvalMode;
  json?: boolean;
  baseline?: boolean;
  misses?: boolean;
}

export function evalRetrievalCommand(): Command {
  return new Command('retrieval')
    .description('Index a runbook folder from scratch in a throwaway Chroma, then score retrieval on alert queries (format: shared/bench/README.md).')
    .requiredOption('--runbooks <dir>', 'runbook folder; expected_runbook paths are relative to it')
    .requiredOption('--queries <file>', 'JSON array of alerts with expected_runbook')
    .option('--no-runbook <file>', 'JSON array of alerts that have no runbook (expected_runbook: null): they should abstain')
    .addOption(new Option('--mode <mode>', 'full: alert name included; content-only: alert name removed').choices(['full', 'content-only']).default('full'))
    .option('--json', 'print one JSON object: hit_at_1, hit_at_3, mrr, abstain_accuracy, false_abstain_rate, p50_ms, p95_ms')
    .option('--baseline', 'also score plain BM25 (minisearch defaults over whole files) in the same run; with --json adds a "baseline" key')
    .option('--misses', 'list the queries that missed (human output)')
    .addHelpText('after', `
Each query becomes an Alertmanager alert (labels; annotations summary and
description) and takes the live path: alertmanagerAlertToSignal → Retriever.
hit@k counts only answers, so an abstention on an answerable query is a miss.

Examples:
  $ pitcrew eval retrieval --runbooks ../shared/bench/retrieval/runbooks \\
      --queries ../shared/bench/retrieval/queries.json \\
      --no-runbook ../shared/bench/retrieval/queries-no-runbook.json --mode content-only --baseline
  $ pitcrew eval retrieval --runbooks runbooks --queries q.json --json`)
    .action(runAction(async (options: EvalOptions) => {
      const runbooks = resolve(options.runbooks);
      if (!existsSync(runbooks) || !statSync(runbooks).isDirectory()) {
        throw new PitcrewError('input_invalid', `--runbooks ${options.runbooks} is not a directory.`, 'Pass the folder that expected_runbook paths are relative to.');
      }
      const noRunbook = typeof options.runbook === 'string' ? options.runbook : undefined;
      const queries = [...loadEvalQueries(resolve(options.queries)), ...(noRunbook ? loadEvalQueries(resolve(noRunbook)) : [])];
      const config = cliConfig();
      const status = (message: string) => process.stderr.write(`${color.dim(message)}\n`);
      const report = await withKnowledge({ ...config, knowledge: { ...config.knowledge, runbookDirs: [runbooks] } }, { scratch: true, status }, async (knowledge) => {
        const indexing = createProgress('indexing runbooks');
        const summary = await knowledge.indexRunbooks([runbooks], (p) => p.phase === 'embed' && indexing.update(p.done, p.total, p.file));
        indexing.stop();
        status(`indexed ${summary.added} runbooks in ${summary.tookMs} ms${summary.skipped.length ? `, skipped ${summary.skipped.length}` : ''}`);
        const querying = createProgress('querying');
        const result = await evaluateRetrieval(knowledge.retriever, queries, options.mode, (done, total) => querying.update(done, total));
        querying.stop();
        return result;
      });
      const baseline = options.baseline ? evaluateBm25Baseline(runbooks, queries, options.mode) : undefined;

      if (options.json) {
        printJson(baseline ? { ...report.metrics, baseline } : report.metrics);
        return;
      }
      const m = report.metrics;
      const pct = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
      console.log(`${color.bold('retrieval eval')} mode=${report.mode}, ${report.answerable} answerable + ${report.noRunbook} no-runbook queries`);
      console.log(`  hit@1 ${pct(m.hit_at_1)}   hit@3 ${pct(m.hit_at_3)}   MRR ${pct(m.mrr)}`);
      console.log(`  abstain accuracy ${pct(m.abstain_accuracy)}   false abstain rate ${pct(m.false_abstain_rate)}`);
      console.log(`  latency p50 ${m.p50_ms.toFixed(1)} ms   p95 ${m.p95_ms.toFixed(1)} ms`);
      if (baseline) {
        console.log(`  ${color.dim('baseline (plain BM25, minisearch defaults, whole files)')}: hit@1 ${pct(baseline.hit_at_1)}   hit@3 ${pct(baseline.hit_at_3)}   MRR ${pct(baseline.mrr)}`);
      }
      if (options.misses) {
        for (const outcome of report.outcomes) {
          const ok = outcome.expected === null ? outcome.abstained : outcome.rank === 1;
          if (ok) continue;
          const got = outcome.abstained ? 'abstained' : `top ${outcome.top ?? '—'}`;
          console.log(`  ${color.red('miss')} ${outcome.id}: expected ${outcome.expected ?? 'abstain'}, rank ${outcome.rank ?? '—'}, ${got}`);
        }
      }
    }));
}
