import type { LineBreaks } from '../line-splitter.js';
import { openLogSource } from '../log-source.js';
import type { Dataset } from './dataset.js';

/** Line counts of a log under both conventions. */
export async function countLines(path: string): Promise<{ lf: number; universal: number }> {
  const source = await openLogSource(path);
  let lf = 1;
  let universal = 1;
  let previousCr = false;
  for await (const chunk of source.chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 10) {
        lf++;
        if (!previousCr) universal++;
        previousCr = false;
      } else if (byte === 13) {
        universal++;
        previousCr = true;
      } else {
        previousCr = false;
      }
    }
  }
  return { lf, universal };
}

/**
 * Which line-numbering convention a labelled dataset uses. Spans that end
 * past the last "\n" line but within the count that also breaks on a lone
 * "\r" can only mean "\r" ends lines there (Java's readLine, as in CiDiff).
 * Logs without lone "\r" count the same either way, so one such span decides
 * for the whole set; otherwise "\n" (what GitHub and Travis show).
 */
export async function detectLineBreaks(dataset: Dataset): Promise<{ breaks: LineBreaks; evidence?: string }> {
  for (const record of dataset.records) {
    const last = Math.max(0, ...record.spans.map((s) => s.end_line));
    let counts: { lf: number; universal: number };
    try {
      counts = await countLines(record.absolutePath);
    } catch {
      continue;
    }
    if (last > counts.lf && last <= counts.universal) {
      return { breaks: 'universal', evidence: `${record.id}: span ends at line ${last}, the log has ${counts.lf} "\\n" lines and ${counts.universal} with "\\r"` };
    }
  }
  return { breaks: 'lf' };
}
