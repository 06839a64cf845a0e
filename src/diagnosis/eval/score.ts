/** Line-level scores of one log against the union of its labelled spans. */
export interface LogScore {
  precision: number;
  recall: number;
  f1: number;
  fullySuccessful: boolean;
}

export function goldLines(spans: Array<{ start_line: number; end_line: number }>): Set<number> {
  const gold = new Set<number>();
  for (const span of spans) for (let n = span.start_line; n <= span.end_line; n++) gold.add(n);
  return gold;
}

/**
 * As in the LogChunks papers: precision and recall per log (to be averaged
 * over logs). An empty prediction has precision 0; an empty gold set scores
 * recall 1.
 */
export function scoreLog(predicted: Iterable<number>, gold: Set<number>): LogScore {
  const pred = new Set(predicted);
  let hit = 0;
  for (const n of pred) if (gold.has(n)) hit++;
  const precision = pred.size === 0 ? 0 : hit / pred.size;
  const recall = gold.size === 0 ? 1 : hit / gold.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, fullySuccessful: hit === gold.size };
}

export interface MacroScore {
  precision: number;
  recall: number;
  f1: number;
  fully_successful: number;
  logs: number;
}

export function macroAverage(scores: LogScore[]): MacroScore {
  const n = scores.length || 1;
  const sum = (f: (s: LogScore) => number) => scores.reduce((acc, s) => acc + f(s), 0) / n;
  return {
    precision: sum((s) => s.precision),
    recall: sum((s) => s.recall),
    f1: sum((s) => s.f1),
    fully_successful: sum((s) => (s.fullySuccessful ? 1 : 0)),
    logs: scores.length,
  };
}
