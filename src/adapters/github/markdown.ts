/**
 * Markdown for GitHub built from untrusted text (alert fields, evidence,
 * plan prose). Nothing in it may become a mention (no notifications), an
 * issue reference, a link, an image, HTML or a heading: it is shown, never
 * interpreted.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A zero-width space after @ and # stops mentions and issue references
  // (GitHub links them in the rendered text, so an entity alone would not).
  '@': '@&#8203;',
  '#': '#&#8203;',
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '(': '\\(',
  ')': '\\)',
  '!': '\\!',
  '|': '\\|',
  '~': '\\~',
};

/** One line of inert text: escaped, line breaks folded, at most `max` characters. */
export function inline(text: string, max = 500): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  const cut = folded.length > max ? `${folded.slice(0, max - 1)}…` : folded;
  return cut.replace(/[&<>@#\\`*_[\]()!|~]/g, (char) => ESCAPES[char]!);
}

/** A fenced block that shows `text` literally, whatever backticks it holds. */
export function codeBlock(text: string, language = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n${fence}`;
}

/** A link when `url` is http(s) without credentials; otherwise the inert title. */
export function link(title: string, url: string | undefined): string {
  if (!url) return inline(title, 200);
  try {
    const parsed = new URL(url);
    if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) return inline(title, 200);
    return `[${inline(title, 200)}](${parsed.toString().replace(/[()<>\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`;
  } catch {
    return inline(title, 200);
  }
}

/** Inline code for identifiers (ids, paths, kinds); backticks are dropped. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 300)}\``;
}
