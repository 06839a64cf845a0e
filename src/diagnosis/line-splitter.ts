/**
 * How line numbers are counted. `lf`: only "\n" ends a line (GitHub, Travis
 * and most tools; a lone "\r" is a progress-bar overwrite inside the line).
 * `universal`: "\r\n", "\r" and "\n" all end a line (Java's readLine, some
 * labelled data sets).
 */
export type LineBreaks = 'lf' | 'universal';

/** Longest line kept, in UTF-16 units. The rest of the line is dropped, its line number kept. */
export const MAX_LINE_LENGTH = 16 * 1024;

/**
 * Splits a byte stream into lines with bounded memory: a single line longer
 * than MAX_LINE_LENGTH is truncated instead of being buffered whole, so a
 * 1 GB log with no newline costs no more than a short one. Calls `onLine`
 * with 1-based line numbers; returns the number of lines and bytes seen.
 *
 * Bytes are decoded only up to the last line break of each chunk: a break is
 * ASCII, so that is always a character boundary and no decoder state is needed.
 */
export async function splitLines(
  chunks: AsyncIterable<Buffer>,
  breaks: LineBreaks,
  onLine: (line: string, lineNo: number) => void,
): Promise<{ lines: number; bytes: number }> {
  let rest: Buffer | null = null;
  let lineNo = 0;
  let bytes = 0;
  let pendingCr = false;
  // Parts of an over-long line are dropped, but its first MAX_LINE_LENGTH characters are kept.
  let longLine: string | null = null;

  const emitText = (text: string, final: boolean) => {
    let start = 0;
    if (breaks === 'universal' && pendingCr) {
      pendingCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    for (;;) {
      let end: number;
      let next: number;
      if (breaks === 'lf') {
        end = text.indexOf('\n', start);
        next = end + 1;
      } else {
        const lf = text.indexOf('\n', start);
        const cr = text.indexOf('\r', start);
        if (cr !== -1 && (lf === -1 || cr < lf)) {
          end = cr;
          if (cr + 1 === text.length) {
            pendingCr = true;
            next = cr + 1;
          } else {
            next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
          }
        } else {
          end = lf;
          next = lf + 1;
        }
      }
      if (end === -1) {
        if (final) {
          lineNo++;
          onLine(joinLong(longLine, text.slice(start)), lineNo);
          longLine = null;
        }
        return;
      }
      lineNo++;
      if (longLine !== null) {
        onLine(joinLong(longLine, text.slice(start, end)), lineNo);
        longLine = null;
      } else {
        onLine(end - start > MAX_LINE_LENGTH ? text.slice(start, start + MAX_LINE_LENGTH) : text.slice(start, end), lineNo);
      }
      start = next;
      if (start >= text.length) return;
    }
  };

  for await (const chunk of chunks) {
    bytes += chunk.length;
    const buffer: Buffer = rest === null ? chunk : Buffer.concat([rest, chunk]);
    rest = null;
    const lastBreak = breaks === 'lf' ? buffer.lastIndexOf(10) : Math.max(buffer.lastIndexOf(10), buffer.lastIndexOf(13));
    if (lastBreak === -1) {
      // No line break at all in this chunk: keep the start of the line, drop the rest.
      if (buffer.length > MAX_LINE_LENGTH * 4) {
        longLine = joinLong(longLine, buffer.toString('utf8', 0, MAX_LINE_LENGTH * 4));
      } else {
        rest = buffer;
      }
      continue;
    }
    emitText(buffer.toString('utf8', 0, lastBreak + 1), false);
    if (lastBreak + 1 < buffer.length) rest = buffer.subarray(lastBreak + 1);
  }
  emitText(rest === null ? '' : rest.toString('utf8'), true);
  return { lines: lineNo, bytes };
}

function joinLong(head: string | null, tail: string): string {
  const line = head === null ? tail : head + tail;
  return line.length > MAX_LINE_LENGTH ? line.slice(0, MAX_LINE_LENGTH) : line;
}
