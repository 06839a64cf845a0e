import { LogAnalyzer, type AnalysisState } from './analyzer.js';
import type { BlockLine } from './block.js';
import { splitLines, type LineBreaks } from './line-splitter.js';
import { TruncatedInputError, type LogSource } from './log-source.js';
import type { RepoProfile } from './learning/profile.js';
import { DEFAULT_WEIGHTS, selectBlocks, type Selection, type SelectionWeights } from './select.js';

export interface ExtractOptions {
  lineBreaks?: LineBreaks;
  /** What was learned from this repository's confirmed diagnoses. */
  profile?: RepoProfile;
  weights?: SelectionWeights;
  /** Called every `progressEveryBytes` with bytes read so far. */
  onProgress?: (bytes: number) => void;
  progressEveryBytes?: number;
}

export interface EvidenceBlock {
  start: number;
  end: number;
  score: number;
  lines: BlockLine[];
  /** Lines of the range that were not stored (very long blocks). */
  elided: number;
}

export interface Extraction {
  source: string;
  /** The evidence: a few blocks of contiguous lines, in log order. */
  blocks: EvidenceBlock[];
  /** Every selected line number, ascending. */
  lineNumbers: number[];
  selection: Selection;
  state: AnalysisState;
  stats: { lines: number; bytes: number; ms: number };
  warnings: string[];
}

/** Streams a log once and extracts the lines that explain its failure. */
export async function extract(source: LogSource, options: ExtractOptions = {}): Promise<Extraction> {
  const started = performance.now();
  const analyzer = new LogAnalyzer(options.profile ? { profile: options.profile } : {});
  const warnings: string[] = [];
  const every = options.progressEveryBytes ?? 64 << 20;
  let nextReport = every;
  let bytesSeen = 0;
  const chunks = options.onProgress
    ? (async function* () {
        for await (const chunk of source.chunks) {
          bytesSeen += chunk.length;
          if (bytesSeen >= nextReport) {
            options.onProgress!(bytesSeen);
            nextReport += every;
          }
          yield chunk;
        }
      })()
    : source.chunks;
  let counts = { lines: 0, bytes: 0 };
  try {
    counts = await splitLines(chunks, options.lineBreaks ?? 'lf', (line, n) => analyzer.push(line, n));
  } catch (error) {
    if (!(error instanceof TruncatedInputError)) throw error;
    warnings.push(error.message);
  }
  const state = analyzer.finish();
  const selection = selectBlocks(state, options.weights ?? DEFAULT_WEIGHTS);
  const blocks: EvidenceBlock[] = selection.chosen.map(({ block, score }) => ({
    start: block.start,
    end: block.end,
    score,
    lines: block.lines,
    elided: block.end - block.start + 1 - block.lines.length,
  }));
  // Learned evidence is exactly what a human confirmed; GitHub's annotations come with it only if they were part of it.
  for (const annotation of selection.learned ? [] : selection.annotations) {
    if (blocks.some((b) => annotation.n >= b.start && annotation.n <= b.end)) continue;
    blocks.push({ start: annotation.n, end: annotation.n, score: 0, lines: [{ n: annotation.n, text: annotation.text, weight: 1, role: 'summary' }], elided: 0 });
  }
  blocks.sort((a, b) => a.start - b.start);
  const lineNumbers: number[] = [];
  for (const b of blocks) for (let n = b.start; n <= b.end; n++) lineNumbers.push(n);
  return {
    source: source.name,
    blocks,
    lineNumbers,
    selection,
    state,
    stats: { lines: counts.lines || state.lines, bytes: counts.bytes, ms: performance.now() - started },
    warnings,
  };
}
