import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import { checkAnnotations } from '../../diagnosis/annotations.js';
import { CATEGORY_ADVICE } from '../../diagnosis/categories.js';
import { createDiagnoser, type Diagnosis } from '../../diagnosis/diagnose.js';
import { fixOffers } from '../../diagnosis/fix-offers.js';
import type { LineBreaks } from '../../diagnosis/line-splitter.js';
import { openLogSource } from '../../diagnosis/log-source.js';
import { sanitizeForDisplay } from '../../diagnosis/normalize.js';
import { RepoRef } from '../../domain/action.js';
import { ConfirmedDiagnosisRepo } from '../../store/ci-confirmed-repo.js';
import { openStore, type Store } from '../../store/store.js';
import { color, mark, printJson } from '../output.js';
import { cliConfig, EXIT, runAction } from '../run-action.js';

interface Options {
  json?: boolean;
  repo?: string;
  lineBreaks: LineBreaks;
  confirm?: Array<{ start_line: number; end_line: number }>;
}

export function diagnoseLogCommand(): Command {
  return new Command('diagnose-log')
    .description('Diagnose a CI log offline: the lines that explain the failure, its category, the likely cause and a fix.')
    .argument('<file>', 'log file (plain or gzipped, any size), or "-" for stdin')
    .option('--json', 'print the diagnosis as JSON (evidence, category, signature, annotations, fix offers)')
    .option('--repo <owner/name>', "use what was learned from this repository's confirmed diagnoses (reads the store)")
    .option('--line-breaks <mode>', 'how lines are counted: "lf" (default) or "universal" (a lone \\r also ends a line)', parseLineBreaks, 'lf' as LineBreaks)
    .option('--confirm <lines>', 'record these lines (e.g. "120-135,140") as the confirmed explanation for --repo, so later logs are read the same way', parseRanges)
    .addHelpText('after', `
Works offline; needs no configuration unless --repo is given. Reads gzip
transparently and streams, so a multi-gigabyte log uses bounded memory.

Examples:
  $ pitcrew diagnose-log job.log
  $ gh run view 123 --log-failed | pitcrew diagnose-log -
  $ pitcrew diagnose-log build.log.gz --json
  $ pitcrew diagnose-log job.log --repo acme/api --confirm 120-135`)
    .action(runAction(async (file: string, options: Options) => {
      if (options.confirm && !options.repo) {
        throw new PitcrewError('input_invalid', '--confirm needs --repo: confirmations are learned per repository.', 'Add --repo owner/name.');
      }
      let store: Store | undefined;
      try {
        let examples: ConfirmedDiagnosisRepo | undefined;
        if (options.repo) {
          const repo = RepoRef.safeParse(options.repo);
          if (!repo.success) throw new PitcrewError('input_invalid', `--repo ${options.repo} is not "owner/name".`, 'Pass the repository as owner/name, e.g. --repo acme/api.');
          store = await openStore(cliConfig().store);
          examples = new ConfirmedDiagnosisRepo(store.db, systemClock);
        }
        const diagnoser = createDiagnoser(examples ? { examples } : {});
        const progress = !options.json && process.stderr.isTTY
          ? (bytes: number) => process.stderr.write(color.dim(`… read ${Math.round(bytes / 1e6)} MB\r`))
          : undefined;
        if (options.confirm && options.repo) {
          if (file === '-') throw new PitcrewError('input_invalid', '--confirm cannot read the log from stdin: the log is read twice (to learn, then to diagnose).', 'Save the log to a file first.');
          await diagnoser.confirm(await openLogSource(file), { repo: options.repo, spans: options.confirm, lineBreaks: options.lineBreaks, source: 'cli', logRef: file });
        }
        const diagnosis = await diagnoser.diagnose(await openLogSource(file), { lineBreaks: options.lineBreaks, ...(options.repo ? { repo: options.repo } : {}), ...(progress ? { onProgress: progress } : {}) });
        if (progress) process.stderr.write(' '.repeat(30) + '\r');
        const identity = (text: string) => text;
        if (options.json) {
          printJson({ ...diagnosis, annotations: checkAnnotations(diagnosis, identity), fixOffers: fixOffers(diagnosis) });
          return EXIT.ok;
        }
        printHuman(diagnosis, Boolean(options.confirm));
        return EXIT.ok;
      } finally {
        await store?.close();
      }
    }));
}

function printHuman(diagnosis: Diagnosis, confirmed: boolean): void {
  const advice = CATEGORY_ADVICE[diagnosis.category];
  const step = diagnosis.failedStep ? ` in step ${diagnosis.failedStep.name ? `"${diagnosis.failedStep.name}"` : `at lines ${diagnosis.failedStep.start}-${diagnosis.failedStep.end}`}${diagnosis.failedStep.exitCode !== undefined ? ` (exit ${diagnosis.failedStep.exitCode})` : ''}` : '';
  console.log(`${mark.fail} ${color.bold(advice.title)} ${color.dim(`(${diagnosis.category}, ${Math.round(diagnosis.confidence * 100)}%)`)}${step}`);
  if (diagnosis.learned) console.log(color.dim('  read with patterns learned from confirmed diagnoses of this repository'));
  if (confirmed) console.log(`${mark.ok} confirmation recorded`);
  console.log('');
  const width = String(Math.max(0, ...diagnosis.lineNumbers)).length;
  let previousEnd = -1;
  for (const block of diagnosis.blocks) {
    if (previousEnd !== -1 && block.start > previousEnd + 1) console.log(color.dim(`${' '.repeat(width)} ⋮`));
    for (const line of block.lines) console.log(`${color.dim(String(line.n).padStart(width))} ${sanitizeForDisplay(line.text)}`);
    if (block.elided > 0) console.log(color.dim(`${' '.repeat(width)} … ${block.elided} more lines`));
    previousEnd = block.end;
  }
  if (diagnosis.blocks.length === 0) console.log(color.dim('  (no lines stood out; the log may not contain a failure)'));
  console.log('');
  console.log(`${color.bold('Likely cause:')}  ${advice.likelyCause}`);
  console.log(`${color.bold('Suggested fix:')} ${advice.suggestedFix}`);
  console.log(color.dim(`signature ${diagnosis.signature.id} · ${diagnosis.stats.lines} lines · ${(diagnosis.stats.bytes / 1e6).toFixed(1)} MB in ${(diagnosis.stats.ms / 1000).toFixed(2)} s`));
  for (const warning of diagnosis.warnings) console.log(`${mark.warn} ${warning}`);
}

function parseLineBreaks(value: string): LineBreaks {
  if (value === 'lf' || value === 'universal') return value;
  throw new InvalidArgumentError('must be "lf" or "universal"');
}

function parseRanges(value: string): Array<{ start_line: number; end_line: number }> {
  const ranges = value.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new InvalidArgumentError(`"${part}" is not a line or a range like 120-135`);
    const start = Number(m[1]);
    const end = Number(m[2] ?? m[1]);
    if (start < 1 || end < start) throw new InvalidArgumentError(`"${part}": lines start at 1 and a range goes forward`);
    return { start_line: start, end_line: end };
  });
  if (ranges.length === 0) throw new InvalidArgumentError('give at least one line or range');
  return ranges;
}

