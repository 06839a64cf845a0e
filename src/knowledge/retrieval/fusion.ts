/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each
 * list votes 1 / (k + rank) for its items. It needs no score calibration
 * between BM25 (unbounded) and cosine similarity (−1…1), which is why it is
 * the fusion here; k dampens the advantage of the very top ranks.
 */
export interface RankedList {
  /** Item ids, best first. */
  ids: string[];
  weight?: number;
}

export const DEFAULT_RRF_K = 60;

export function reciprocalRankFusion(lists: RankedList[], k = DEFAULT_RRF_K, depth = 50): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.ids.slice(0, depth).forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1)));
  }
  return scores;
}

/** Ids by fused score, best first; ties keep the order of first appearance. */
export function rankByScore(scores: Map<string, number>): string[] {
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
