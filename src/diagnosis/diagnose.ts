import { CATEGORY_ADVICE, type FailureCategory } from './categories.js';
import { classify } from './classify.js';
import { extract, type EvidenceBlock, type ExtractOptions } from './extract.js';
import type { LineBreaks } from './line-splitter.js';
import type { LogSource } from './log-source.js';

export interface DiagnoseOptions extends ExtractOptions {
  /** owner/name: selects what was learned from this repository's confirmed diagnoses. */
  repo?: string;
}

export interface FailedStepInfo {
  name?: string;
  start: number;
  end: number;
  exitCode?: number;
}

/** Everything the bot says about one failed log. */
export interface Diagnosis {
  source: string;
  category: FailureCategory;
  confidence: number;
  reasons: string[];
  likelyCause: string;
  suggestedFix: string;
  blocks: EvidenceBlock[];
  lineNumbers: number[];
  failedStep?: FailedStepInfo;
  stats: { lines: number; bytes: number; ms: number };
  warnings: string[];
}

export interface ConfirmInput {
  repo: string;
  spans: Array<{ start_line: number; end_line: number }>;
  category?: FailureCategory;
  lineBreaks?: LineBreaks;
}

/** The diagnosis engine as the rest of pitcrew sees it. */
export interface Diagnoser {
  diagnose(source: LogSource, options?: DiagnoseOptions): Promise<Diagnosis>;
  /** Records a human-confirmed diagnosis so later logs of the repository are read the same way. */
  confirm(source: LogSource, input: ConfirmInput): Promise<void>;
}

export function createDiagnoser(): Diagnoser {
  return {
    async diagnose(source, options = {}) {
      const extraction = await extract(source, options);
      const classification = classify(extraction);
      const advice = CATEGORY_ADVICE[classification.category];
      const step = extraction.selection.step;
      const diagnosis: Diagnosis = {
        source: extraction.source,
        category: classification.category,
        confidence: classification.confidence,
        reasons: classification.reasons,
        likelyCause: advice.likelyCause,
        suggestedFix: advice.suggestedFix,
        blocks: extraction.blocks,
        lineNumbers: extraction.lineNumbers,
        stats: extraction.stats,
        warnings: extraction.warnings,
      };
      if (step && step.status === 'failed') {
        diagnosis.failedStep = { start: step.start, end: step.end, ...(step.name ? { name: step.name } : {}), ...(step.exitCode !== undefined ? { exitCode: step.exitCode } : {}) };
      }
      return diagnosis;
    },
    async confirm() {
      // Learning arrives with the confirmed-diagnosis store.
    },
  };
}
