import type { LogSource } from './log-source.js';

/** What happened to a log on its way into the engine: kept whole, cut at the cap, or refused as binary. */
export interface CapReport {
  bytesRead: number;
  truncated: boolean;
  binary: boolean;
}

export interface CapOptions {
  /** Bytes read at most; the rest of the stream is not downloaded. */
  maxBytes: number;
  /** Bytes sniffed for NUL bytes before deciding a log is binary. */
  sniffBytes?: number;
}

/** The engine streams in bounded memory, so the cap bounds only time (about 2–3 s of CPU): high, because failures sit at the end of a log. */
export const DEFAULT_MAX_LOG_BYTES = 256 * 1024 * 1024;

/**
 * Wraps a log stream so it stops at `maxBytes` (the consumer then stops
 * pulling, so the download stops too) and ends at once when the first bytes
 * hold NUL characters: a text log never does, and an archive or core dump
 * would only waste the engine's time. The report says which happened, for
 * the warning shown next to the diagnosis.
 */
export function capLogSource(source: LogSource, options: CapOptions): { source: LogSource; report: CapReport } {
  const report: CapReport = { bytesRead: 0, truncated: false, binary: false };
  const sniff = options.sniffBytes ?? 64 * 1024;
  async function* capped(): AsyncIterable<Buffer> {
    const iterator = source.chunks[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        let chunk = next.value;
        if (report.bytesRead < sniff && chunk.subarray(0, sniff - report.bytesRead).includes(0)) {
          report.binary = true;
          return;
        }
        if (report.bytesRead + chunk.length > options.maxBytes) {
          chunk = chunk.subarray(0, options.maxBytes - report.bytesRead);
          report.truncated = true;
        }
        report.bytesRead += chunk.length;
        if (chunk.length > 0) yield chunk;
        if (report.truncated) return;
      }
    } finally {
      // Stops the underlying download when we end early.
      await iterator.return?.();
    }
  }
  return { source: { ...source, chunks: capped() }, report };
}

/** The warning for a capped or refused log, or undefined when it was read whole. */
export function capWarning(report: CapReport, maxBytes: number): string | undefined {
  if (report.binary) return 'the log holds binary data (NUL bytes); it was not read';
  if (report.truncated) return `the log is larger than ${Math.round(maxBytes / (1024 * 1024))} MB; only its first ${Math.round(maxBytes / (1024 * 1024))} MB were read`;
  return undefined;
}
