/**
 * Line templates: a line with its volatile parts (numbers, hashes, quoted
 * values, paths) abstracted, as tokens. Learning compares templates, not
 * text, so "--- FAIL: TestX (0.03s)" learned once also finds
 * "--- FAIL: TestY (2.61s)" next time.
 */
export type Template = readonly string[];

const TOKEN = /[A-Za-z]+|\d+(?:\.\d+)*|[^\sA-Za-z\d]+/g;
const HEXISH = /^[a-f\d]{7,}$/i;

export function lineTemplate(text: string): Template {
  const tokens: string[] = [];
  const trimmed = text.trim().slice(0, 400);
  for (const match of trimmed.matchAll(TOKEN)) {
    const token = match[0];
    const c = token.charCodeAt(0);
    if (c >= 48 && c <= 57) tokens.push('0');
    else if (HEXISH.test(token) && /\d/.test(token)) tokens.push('#');
    else tokens.push(token);
    if (tokens.length >= 40) break;
  }
  return tokens;
}

/**
 * Dice similarity of two token multisets. Words count more than numbers and
 * punctuation (which every line has plenty of), and the first tokens (the
 * line's structure) count double.
 */
export function similarity(a: Template, b: Template): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const counts = new Map<string, number>();
  let total = 0;
  a.forEach((token, i) => {
    const w = tokenWeight(token, i);
    counts.set(token, (counts.get(token) ?? 0) + w);
    total += w;
  });
  let common = 0;
  b.forEach((token, i) => {
    const w = tokenWeight(token, i);
    total += w;
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      const used = Math.min(left, w);
      common += used;
      counts.set(token, left - used);
    }
  });
  return (2 * common) / total;
}

function tokenWeight(token: string, index: number): number {
  const c = token.charCodeAt(0);
  const word = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return (word ? 1 : 0.25) * (index < 3 ? 2 : 1);
}

/**
 * The token a line must contain to be worth comparing with this template:
 * its first word of 2+ letters (usually what kind of line it is: FAIL,
 * error, Traceback, Could...). Undefined for templates without words.
 */
export function anchorToken(template: Template): string | undefined {
  return template.find((t) => t.length >= 2 && /^[A-Za-z]+$/.test(t));
}
