import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod/v4';
import { RepoConfig } from './schema.js';
import { fixFor, type IssueContext } from './fixes.js';

/**
 * `.github/pitcrew.yml` text → a valid RepoConfig, or every problem with the
 * line it is on and what to do about it. Never throws on bad input: a broken
 * file is reported (as a failing check run), and nothing runs while it is.
 */
export interface RepoConfigProblem {
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  /** `requiredApprovals.high`, `executionWindows[0].start`; empty for the whole file. */
  key: string;
  message: string;
  fix: string;
}

export type RepoConfigParse = { ok: true; config: RepoConfig } | { ok: false; problems: RepoConfigProblem[] };

type Path = Array<string | number>;

export function parseRepoConfig(text: string): RepoConfigParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((error) => syntaxProblem(error, lines)) };
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    const at = position(contents, lines);
    return { ok: false, problems: [{ ...at, key: '', message: 'the file must be a mapping of keys (approvers:, requiredApprovals:, …)', fix: 'Start the file with `approvers:`; see docs/pitcrew.example.yml.' }] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return { ok: false, problems: [{ line: 1, column: 1, endLine: 1, key: '', message: `cannot be read: ${(error as Error).message}`, fix: 'Write the values out instead of using YAML anchors and aliases.' }] };
  }
  const parsed = RepoConfig.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.flatMap((issue) => issueProblems(issue, doc, raw, lines));
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, problems };
}

/** One line per problem, for logs, the CLI and check-run summaries. */
export function describeProblem(problem: RepoConfigProblem, file: string): string {
  return `${file}:${problem.line}:${problem.column}: ${problem.key ? `${problem.key} ` : ''}${problem.message}. Fix: ${problem.fix}`;
}

function syntaxProblem(error: { code: string; message: string; linePos?: [{ line: number; col: number }] | [{ line: number; col: number }, { line: number; col: number }] }, lines: LineCounter): RepoConfigProblem {
  const start = error.linePos?.[0] ?? lines.linePos(0);
  const end = error.linePos?.[1] ?? start;
  const message = `YAML syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
  const fix = {
    DUPLICATE_KEY: 'Remove one of the two keys with the same name.',
    TAB_AS_INDENT: 'Indent with spaces, not tabs.',
    BAD_INDENT: 'Align this line with its siblings, and close any [ or { opened above.',
    MISSING_CHAR: 'Add the missing closing character (quote, ] or }).',
  }[error.code] ?? 'Fix the YAML syntax on this line: check indentation, quotes and brackets.';
  return { line: start.line, column: start.col, endLine: end.line, key: '', message, fix };
}

function issueProblems(issue: z.core.$ZodIssue, doc: Document, raw: unknown, lines: LineCounter): RepoConfigProblem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const at = position(findKey(doc, path, key) ?? findNode(doc, path), lines);
      const context: IssueContext = { path: [...path, key], value: undefined, keyText: formatPath([...path, key]) };
      return { ...at, key: context.keyText, ...fixFor(issue, context) };
    });
  }
  const target = findNode(doc, path);
  const missing = target.found.length < path.length;
  const at = position(target, lines);
  const context: IssueContext = { path, value: valueAt(raw, path), keyText: formatPath(path), missing };
  return [{ ...at, key: context.keyText, ...fixFor(issue, context) }];
}

interface Located {
  node: Node | null;
  found: Path;
}

/** The deepest node along `path` (the node itself when it exists, else its nearest ancestor). */
function findNode(doc: Document, path: Path): Located {
  let node = doc.contents as Node | null;
  const found: Path = [];
  for (const segment of path) {
    let next: Node | null | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      next = pair ? ((pair.value as Node | null) ?? (pair.key as Node)) : undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment] as Node | undefined;
    }
    if (!next) break;
    node = next;
    found.push(segment);
  }
  return { node, found };
}

function findKey(doc: Document, parentPath: Path, key: string | number | undefined): Located | undefined {
  if (key === undefined) return undefined;
  const parent = findNode(doc, parentPath);
  if (parent.found.length < parentPath.length || !isMap(parent.node)) return undefined;
  const pair = parent.node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
  return pair ? { node: pair.key as Node, found: [...parentPath, key] } : undefined;
}

function position(located: Located | Node | null, lines: LineCounter): Pick<RepoConfigProblem, 'line' | 'column' | 'endLine'> {
  const node = located && 'found' in located ? located.node : (located as Node | null);
  const range = node?.range;
  if (!range) return { line: 1, column: 1, endLine: 1 };
  const start = lines.linePos(range[0]);
  const end = lines.linePos(Math.max(range[0], range[1] - 1));
  return { line: start.line, column: start.col, endLine: Math.max(start.line, end.line) };
}

function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

export function formatPath(path: Path): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '');
}
