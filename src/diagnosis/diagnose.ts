import type { ConfirmationSource, ConfirmedExamples } from '../store/ci-confirmed-repo.js';
import { CATEGORY_ADVICE, type FailureCategory } from './categories.js';
import { classify } from './classify.js';
import { extract, type EvidenceBlock, type ExtractOptions } from './extract.js';
import { LogAnalyzer } from './analyzer.js';
import { captureExample } from './learning/example.js';
import { selectBlocks } from './select.js';
import { buildProfile, type RepoProfile } from './learning/profile.js';
import type { LineBreaks } from './line-splitter.js';
import type { LogSource } from './log-source.js';
import { failureSignature, type FailureSignature } from './signature.js';

export interface DiagnoseOptions extends Omit<ExtractOptions, 'profile'> {
  /** owner/name: selects what was learned from this repository's confirmed diagnoses. */
  repo?: string;
}

export interface FailedStepInfo {
  name?: string;
  start: number;
  end: number;
  exitCode?: number;
}

/** Everything the engine says about one failed log. */
export interface Diagnosis {
  source: string;
  category: FailureCategory;
  confidence: number;
  reasons: string[];
  likelyCause: string;
  suggestedFix: string;
  /** A re-run alone can plausibly make it pass. */
  transient: boolean;
  blocks: EvidenceBlock[];
  lineNumbers: number[];
  signature: FailureSignature;
  failedStep?: FailedStepInfo;
  /** The evidence came from patterns learned from this repository's confirmed diagnoses. */
  learned: boolean;
  stats: { lines: number; bytes: number; ms: number };
  warnings: string[];
}

export interface ConfirmInput {
  repo: string;
  /** The lines that explain the failure (1-based, inclusive). */
  spans: Array<{ start_line: number; end_line: number }>;
  category?: FailureCategory;
  lineBreaks?: LineBreaks;
  source?: ConfirmationSource;
  confirmedBy?: string;
  logRef?: string;
}

/** The diagnosis engine as the rest of pitcrew sees it. */
export interface Diagnoser {
  diagnose(source: LogSource, options?: DiagnoseOptions): Promise<Diagnosis>;
  /**
   * Records a human-confirmed diagnosis (a 👍 on the comment, `/pitcrew
   * confirm`) so later logs of the repository are read the same way.
   */
  confirm(source: LogSource, input: ConfirmInput): Promise<void>;
}

export interface DiagnoserDeps {
  /** Where confirmed examples live; without it the engine does not learn. */
  examples?: ConfirmedExamples;
  /** Secret redaction, applied to log text before it is stored. Identity when absent. */
  redact?: (text: string) => string;
  /** Most recent confirmed examples used per repository. */
  examplesPerRepo?: number;
}

export function createDiagnoser(deps: DiagnoserDeps = {}): Diagnoser {
  const profiles = new Map<string, RepoProfile>();
  const profileFor = async (repo: string | undefined): Promise<RepoProfile | undefined> => {
    if (!repo || !deps.examples) return undefined;
    const cached = profiles.get(repo);
    if (cached) return cached;
    const examples = await deps.examples.forRepo(repo, deps.examplesPerRepo ?? 20);
    const profile = buildProfile(repo, examples);
    profiles.set(repo, profile);
    return profile;
  };

  return {
    async diagnose(source, options = {}) {
      const profile = await profileFor(options.repo);
      const extraction = await extract(source, { ...options, ...(profile ? { profile } : {}) });
      const learnedCategory = extraction.selection.learned ? learnedCategoryOf(extraction) : undefined;
      const classification = learnedCategory ? { category: learnedCategory, confidence: 0.9, reasons: ['the repository confirmed this failure shape before'] } : classify(extraction);
      const advice = CATEGORY_ADVICE[classification.category];
      const step = extraction.selection.step;
      const evidenceLines = extraction.blocks.flatMap((b) => b.lines);
      const diagnosis: Diagnosis = {
        source: extraction.source,
        category: classification.category,
        confidence: classification.confidence,
        reasons: classification.reasons,
        likelyCause: advice.likelyCause,
        suggestedFix: advice.suggestedFix,
        transient: advice.transient,
        blocks: extraction.blocks,
        lineNumbers: extraction.lineNumbers,
        signature: failureSignature(classification.category, evidenceLines),
        learned: extraction.selection.learned === true,
        stats: extraction.stats,
        warnings: extraction.warnings,
      };
      if (step && step.status === 'failed') {
        diagnosis.failedStep = { start: step.start, end: step.end, ...(step.name ? { name: step.name } : {}), ...(step.exitCode !== undefined ? { exitCode: step.exitCode } : {}) };
      }
      return diagnosis;
    },

    async confirm(source, input) {
      if (!deps.examples) return;
      // The general rules read the same log in the same pass: what they pick outside the confirmed lines is noise to learn.
      const general = new LogAnalyzer();
      const example = await captureExample(source, {
        repo: input.repo,
        spans: input.spans,
        ...(input.category ? { category: input.category } : {}),
        ...(input.lineBreaks ? { lineBreaks: input.lineBreaks } : {}),
        ...(deps.redact ? { redact: deps.redact } : {}),
        onLine: (raw, n) => general.push(raw, n),
      });
      const decoys = decoyLines(selectBlocks(general.finish()).ranked.slice(0, DECOY_BLOCKS).map((c) => c.block), input.spans).map((text) => (deps.redact ? deps.redact(text) : text));
      if (decoys.length > 0) example.decoys = decoys;
      const lines = example.spans.flatMap((s) => s.lines.map((text) => ({ text })));
      const signature = failureSignature(example.category ?? 'test_assertion', lines);
      await deps.examples.add(example, {
        signature: signature.id,
        source: input.source ?? 'command',
        ...(input.confirmedBy ? { confirmedBy: input.confirmedBy } : {}),
        ...(input.logRef ? { logRef: input.logRef } : {}),
      });
      profiles.delete(input.repo);
    },
  };
}

function learnedCategoryOf(extraction: Awaited<ReturnType<typeof extract>>): FailureCategory | undefined {
  const best = extraction.selection.chosen[0]?.block as { learned?: { pattern: { category?: FailureCategory } } } | undefined;
  return best?.learned?.pattern.category;
}

const MAX_DECOYS = 20;
/** The general rules' best blocks whose lines outside the confirmed spans become decoys. */
const DECOY_BLOCKS = 3;

/** Evidence lines of the general rules' picks that lie outside every confirmed span. */
function decoyLines(blocks: Array<{ lines: Array<{ n: number; text: string; weight: number }> }>, spans: Array<{ start_line: number; end_line: number }>): string[] {
  const inside = (n: number) => spans.some((s) => n >= s.start_line && n <= s.end_line);
  const out: string[] = [];
  for (const block of blocks) {
    for (const line of block.lines) {
      if (line.weight < 1 || line.text.trim() === '' || inside(line.n)) continue;
      if (!out.includes(line.text)) out.push(line.text.slice(0, 400));
      if (out.length >= MAX_DECOYS) return out;
    }
  }
  return out;
}
