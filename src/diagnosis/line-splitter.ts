import { StringDecoder } from 'node:string_decoder';

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
 */
export async function splitLines(
  chunks: AsyncIterable<Buffer>,
  breaks: LineBreaks,
  onLine: (line: string, lineNo: number) => void,
): Promise<{ lines: number; bytes: number }> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let overflow = false;
  let lineNo = 0;
  let bytes = 0;
  // universal mode: a chunk ending in "\r" may be half of a "\r\n".
  let pendingCr = false;

  const emit = (line: string) => {
    lineNo++;
    onLine(line, lineNo);
  };

  const feed = (text: string) => {
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
        if (!overflow) {
          carry += text.slice(start);
          if (carry.length > MAX_LINE_LENGTH) {
            carry = carry.slice(0, MAX_LINE_LENGTH);
            overflow = true;
          }
        }
        return;
      }
      if (overflow) {
        emit(carry);
      } else if (carry.length > 0) {
        const line = carry + text.slice(start, end);
        emit(line.length > MAX_LINE_LENGTH ? line.slice(0, MAX_LINE_LENGTH) : line);
      } else {
        emit(end - start > MAX_LINE_LENGTH ? text.slice(start, start + MAX_LINE_LENGTH) : text.slice(start, end));
      }
      carry = '';
      overflow = false;
      start = next;
      if (start >= text.length) return;
    }
  };

  for await (const chunk of chunks) {
    bytes += chunk.length;
    feed(decoder.write(chunk));
  }
  feed(decoder.end());
  // The text after the last newline is a line too (it is what `split("\n")` would give).
  emit(carry);
  return { lines: lineNo, bytes };
}
