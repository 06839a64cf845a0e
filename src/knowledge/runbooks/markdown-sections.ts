/**
 * Splits markdown into heading sections, keeping each section's heading path
 * (["Runbook title", "Diagnosis", "Check the node"]). Headings inside fenced
 * code blocks are not headings (a shell comment `# restart it` is code).
 */
export interface MarkdownSection {
  /** Headings from the top level down to this section's own heading; empty for text before the first heading. */
  headingPath: string[];
  /** 0 for text before the first heading, else 1–6. */
  level: number;
  /** The section's body without its heading line. */
  body: string;
  /** 1-based line of the heading (or of the first line, for the preamble). */
  line: number;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

export function splitSections(markdown: string, firstLine = 1): MarkdownSection[] {
  const lines = markdown.split(/\r?\n/);
  const sections: MarkdownSection[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: MarkdownSection = { headingPath: [], level: 0, body: '', line: firstLine };
  let bodyLines: string[] = [];
  let fence: string | undefined;

  const open = (level: number, text: string, line: number) => {
    current.body = bodyLines.join('\n').trim();
    sections.push(current);
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, text });
    current = { headingPath: stack.map((h) => h.text), level, body: '', line };
    bodyLines = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = undefined;
      bodyLines.push(line);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      bodyLines.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      open(atx[1]!.length, cleanHeading(atx[2] ?? ''), firstLine + i);
      continue;
    }
    // Setext: a paragraph line underlined with === (h1) or --- (h2).
    const next = lines[i + 1];
    if (next !== undefined && SETEXT.test(next) && isParagraphLine(line) && (bodyLines.length === 0 || bodyLines[bodyLines.length - 1]!.trim() === '')) {
      open(next.trim().startsWith('=') ? 1 : 2, cleanHeading(line), firstLine + i);
      i++;
      continue;
    }
    bodyLines.push(line);
  }
  current.body = bodyLines.join('\n').trim();
  sections.push(current);
  return sections.filter((section) => section.level > 0 || section.body !== '');
}

function isParagraphLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed !== '' && !/^([-*+>|]|\d+[.)]\s|<)/.test(trimmed);
}

/** Heading text without markdown emphasis, code ticks or link syntax. */
export function cleanHeading(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
