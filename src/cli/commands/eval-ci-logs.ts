import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from '../../domain/clock.js';
import { createDiagnoser } from '../../diagnosis/diagnose.js';
import { loadDataset } from '../../diagnosis/eval/dataset.js';
import { detectLineBreaks } from '../../diagnosis/eval/line-breaks.js';
import { evaluateCiLogs, type EvalReport } from '../../diagnosis/eval/run-ci-logs.js';
import type { LineBreaks } from '../../diagnosis/line-splitter.js';
import { ConfirmedDiagnosisRepo } from '../../store/ci-confirmed-repo.js';
import { openStore } from '../../store/store.js';
import { color, printJson } from '../output.js';
import { EXIT, runAction } from '../run-action.js';

interface CiLogsOptions {
  dataset: string;
  json?: boolean;
  learn: number;
  lineBreaks: LineBreaks | 'auto';
  details?: string;
}

/** `pitcrew eval ci-logs`: score CI-log diagnosis on a dataset (contract in ../shared/bench/README.md). */
export function evalCiLogsCommand(): Command {
  return new Command('ci-logs')
    .description('Score CI-log diagnosis on a dataset.jsonl: line-level precision/recall/F1 per log (macro), fully_successful, category accuracy, MB/s.')
    .requiredOption('--dataset <file>', 'dataset.jsonl (format in ../shared/bench/README.md)')
    .option('--json', 'print one JSON object: precision, recall, f1, fully_successful, accuracy, mb_per_s')
    .option('--learn <n>', "feed the first N logs of each repository as confirmed diagnoses (the 👍 path) and score only the rest", parseCount, 0)
    .option('--line-breaks <mode>', 'line numbering of the spans: auto (default, detected from the data), lf or universal', parseMode, 'auto' as LineBreaks | 'auto')
    .option('--details <file>', 'also write the full report (per-log scores, grep baseline) as JSON to this file')
    .addHelpText('after', `
Learning goes through the same store and code the live bot uses (a temporary
SQLite store, removed afterwards). Progress goes to stderr.

Examples:
  $ pitcrew eval ci-logs --dataset ../shared/bench/ci_logs/logchunks/dataset.jsonl
  $ pitcrew eval ci-logs --dataset ../shared/bench/ci_logs/logchunks/dataset.jsonl --learn 3 --json`)
    .action(runAction(async (options: CiLogsOptions) => {
      const dataset = await loadDataset(options.dataset);
      const detected = options.lineBreaks === 'auto' ? await detectLineBreaks(dataset) : { breaks: options.lineBreaks };
      const dir = mkdtempSync(join(tmpdir(), 'pitcrew-eval-'));
      const store = await openStore({ kind: 'sqlite', file: join(dir, 'eval.db') });
      try {
        const diagnoser = createDiagnoser({ examples: new ConfirmedDiagnosisRepo(store.db, systemClock) });
        const progress = progressPrinter();
        const report = await evaluateCiLogs(dataset, diagnoser, { lineBreaks: detected.breaks, learn: options.learn, grepBaseline: !options.json || Boolean(options.details), onProgress: progress });
        if (options.details) writeFileSync(options.details, `${JSON.stringify({ dataset: options.dataset, ...report }, null, 2)}\n`);
        if (options.json) {
          printJson({ precision: report.precision, recall: report.recall, f1: report.f1, fully_successful: report.fully_successful, accuracy: report.accuracy, mb_per_s: report.mb_per_s });
        } else {
          printHuman(options.dataset, report, 'evidence' in detected ? String(detected.evidence) : undefined);
        }
        return report.results.some((r) => r.error) ? EXIT.failure : EXIT.ok;
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }));
}

function progressPrinter(): (done: number, total: number, id: string) => void {
  const tty = process.stderr.isTTY === true;
  let lastPercent = -1;
  return (done, total, id) => {
    if (tty) {
      process.stderr.write(`\r${color.dim(`[${done}/${total}] ${id}`.padEnd(60).slice(0, 60))}`);
      if (done === total) process.stderr.write(`\r${' '.repeat(60)}\r`);
      return;
    }
    const percent = Math.floor((done / total) * 10) * 10;
    if (percent !== lastPercent) {
      lastPercent = percent;
      process.stderr.write(`eval: ${done}/${total} logs (${percent}%)\n`);
    }
  };
}

function printHuman(dataset: string, report: EvalReport, breaksEvidence: string | undefined): void {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  console.log(color.bold(`CI-log diagnosis on ${dataset}`));
  console.log(`  logs scored      ${report.logs}${report.learned ? ` (+${report.learned} fed as confirmed diagnoses)` : ''}`);
  console.log(`  precision        ${report.precision.toFixed(3)}`);
  console.log(`  recall           ${report.recall.toFixed(3)}`);
  console.log(`  F1               ${report.f1.toFixed(3)}`);
  console.log(`  fully successful ${pct(report.fully_successful)}`);
  if (report.accuracy !== null) console.log(`  category correct ${pct(report.accuracy)} (${Math.round(report.accuracy * report.results.filter((r) => r.expectedCategory).length)}/${report.results.filter((r) => r.expectedCategory).length})`);
  console.log(`  throughput       ${report.mb_per_s.toFixed(1)} MB/s (${(report.bytes / 1e6).toFixed(1)} MB in ${report.seconds.toFixed(1)} s)`);
  console.log(`  line numbering   ${report.line_breaks}${breaksEvidence ? color.dim(` (${breaksEvidence})`) : ''}`);
  if (report.grep_baseline) {
    const g = report.grep_baseline;
    console.log(color.dim(`  baseline: keyword grep (error|fail|exception|fatal): precision ${g.precision.toFixed(3)}, recall ${g.recall.toFixed(3)}, F1 ${g.f1.toFixed(3)}`));
  }
  const errors = report.results.filter((r) => r.error);
  for (const r of errors.slice(0, 5)) console.log(`  ${color.red('error')} ${r.id}: ${r.error}`);
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

function parseMode(value: string): LineBreaks | 'auto' {
  if (value === 'auto' || value === 'lf' || value === 'universal') return value;
  throw new InvalidArgumentError('must be auto, lf or universal');
}
