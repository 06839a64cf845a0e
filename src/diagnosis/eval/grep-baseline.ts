import { splitLines, type LineBreaks } from '../line-splitter.js';
import type { LogSource } from '../log-source.js';

/** The plain keyword grep the issue compares against: every line with one of these words. */
export const GREP_KEYWORDS = /error|fail|exception|fatal/i;

export async function grepBaselineLines(source: LogSource, lineBreaks: LineBreaks): Promise<number[]> {
  const hits: number[] = [];
  await splitLines(source.chunks, lineBreaks, (line, n) => {
    if (GREP_KEYWORDS.test(line)) hits.push(n);
  });
  return hits;
}
