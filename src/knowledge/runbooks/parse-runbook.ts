import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { camelParts } from '../text/tokenize.js';
import { parseFrontMatter } from './front-matter.js';
import { splitSections, type MarkdownSection } from './markdown-sections.js';
import type { Runbook, RunbookChunk } from './runbook.js';

/** Bump when parsing or chunking changes: every file's hash changes and it is re-indexed. */
export const PARSER_VERSION = 'runbook-parser-2';

/** Sections longer than this are split at paragraph boundaries, so one passage stays focused. */
const MAX_CHUNK_CHARS = 1_800;

export type ParseResult =
  | { ok: true; runbook: Runbook; warnings: string[] }
  | { ok: false; line: number; message: string };

export function contentHash(bytes: string | Buffer): string {
  return createHash('sha256').update(PARSER_VERSION).update('\0').update(bytes).digest('hex');
}

export function runbookId(root: string, path: string): string {
  return createHash('sha256').update(root).update('\0').update(path).digest('hex').slice(0, 16);
}

/** Parses one runbook file. `path` is relative to `root`, with forward slashes. */
export function parseRunbook(text: string, root: string, path: string, hash = contentHash(text)): ParseResult {
  const front = parseFrontMatter(text);
  if (!front.ok) return front;
  const meta = front.frontMatter;
  const id = runbookId(root, path);
  const sections = splitSections(front.body, front.bodyLine);
  const firstHeading = sections.find((section) => section.level > 0);
  const stem = basename(path).replace(/\.(md|markdown)$/i, '');
  const title = meta?.title ?? firstHeading?.headingPath.at(-1) ?? stem;

  const runbook: Runbook = {
    id,
    root,
    path,
    title,
    declaredAlerts: meta?.alerts ?? [],
    derivedAlerts: deriveAlertNames(stem, sections),
    services: meta?.services ?? [],
    tags: meta?.tags ?? [],
    remediation: meta?.remediation ?? [],
    ...(meta?.risk ? { risk: meta.risk } : {}),
    ...(meta?.rollback ? { rollback: meta.rollback } : {}),
    ...(meta?.verify_minutes ? { verifyMinutes: meta.verify_minutes } : {}),
    contentHash: hash,
    movedTo: movedTarget(sections),
    chunks: chunkSections(id, title, sections),
  };
  return { ok: true, runbook, warnings: front.warnings };
}

/** Files whose name says nothing about an alert. */
const GENERIC_STEMS = new Set(['readme', 'index', '_index', 'summary', 'changelog', 'contributing', 'license']);
const HEADING_NOISE = /\[[^\]]*\]|\([^)]*\)|\b(alert|alerts|runbook|deprecated)\b|:/gi;

/**
 * Alert names a plain markdown runbook carries without front matter:
 * - its file name (`KubePodCrashLooping.md`; also without an `Alert` suffix),
 * - its headings that are one identifier of two or more camel-case parts
 *   (`# MCCDrainError`, `## KubePodCrashLooping / KubePodNotReady`), and the
 *   first heading when it is a single token.
 */
export function deriveAlertNames(stem: string, sections: MarkdownSection[]): string[] {
  const names = new Set<string>();
  if (!GENERIC_STEMS.has(stem.toLowerCase())) {
    names.add(stem);
    const withoutSuffix = stem.replace(/[-_]?alert$/i, '');
    if (withoutSuffix.length >= 3 && withoutSuffix !== stem) names.add(withoutSuffix);
  }
  const firstHeading = sections.find((section) => section.level > 0);
  for (const section of sections) {
    if (section.level === 0) continue;
    const heading = section.headingPath.at(-1)!;
    for (const piece of heading.split(/\s*(?:\/|,|\band\b|\bor\b|&)\s*/)) {
      const candidate = piece.replace(HEADING_NOISE, ' ').trim();
      if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(candidate)) continue;
      if (camelParts(candidate).length >= 2 || /[_-]/.test(candidate) || section === firstHeading) names.add(candidate);
    }
  }
  return [...names];
}

const MOVED = /\b(moved|relocated|migrated|superseded|replaced by|see instead)\b/i;
const MD_LINK = /\]\(([^)\s]+\.(?:md|markdown))(?:#[^)]*)?\)/i;

/** A short page that only says "moved to [..](x.md)" is an alias of x.md. */
function movedTarget(sections: MarkdownSection[]): string | undefined {
  const body = sections.map((section) => section.body).join('\n').trim();
  if (body.length > 600 || !MOVED.test(body)) return undefined;
  return MD_LINK.exec(body)?.[1];
}

function chunkSections(runbookId: string, title: string, sections: MarkdownSection[]): RunbookChunk[] {
  const chunks: RunbookChunk[] = [];
  for (const section of sections) {
    if (section.body === '') continue;
    const headingPath = section.headingPath.length > 0 ? section.headingPath : [title];
    for (const text of splitLong(section.body)) {
      chunks.push({ id: `${runbookId}#${chunks.length}`, runbookId, headingPath, text, line: section.line });
    }
  }
  // A runbook that is only a title still gets one chunk, so it can be found by name.
  if (chunks.length === 0) chunks.push({ id: `${runbookId}#0`, runbookId, headingPath: [title], text: title, line: 1 });
  return chunks;
}

/** Splits a long section at blank lines outside code fences, into pieces of at most MAX_CHUNK_CHARS (a longer single paragraph stays whole). */
function splitLong(body: string): string[] {
  if (body.length <= MAX_CHUNK_CHARS) return [body];
  const paragraphs: string[] = [];
  let current: string[] = [];
  let inFence = false;
  for (const line of body.split('\n')) {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (!inFence && line.trim() === '' && current.length > 0) {
      paragraphs.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length > 0) paragraphs.push(current.join('\n'));

  const pieces: string[] = [];
  let piece = '';
  for (const paragraph of paragraphs) {
    if (piece !== '' && piece.length + paragraph.length + 2 > MAX_CHUNK_CHARS) {
      pieces.push(piece);
      piece = '';
    }
    piece = piece === '' ? paragraph : `${piece}\n\n${paragraph}`;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
