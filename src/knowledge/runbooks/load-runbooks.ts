import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { contentHash, parseRunbook } from './parse-runbook.js';
import type { Runbook } from './runbook.js';

/**
 * Reads every markdown file under the runbook directories and parses it.
 * A file that cannot be parsed (malformed front matter) is skipped with a
 * problem naming the file and line; everything else is loaded.
 */
export interface RunbookProblem {
  /** The file as the user would name it: directory + relative path. */
  file: string;
  line: number;
  message: string;
}

export interface LoadedRunbooks {
  runbooks: Runbook[];
  /** Files skipped because they could not be parsed. */
  skipped: RunbookProblem[];
  /** Files loaded with a warning (for example an unknown front-matter key that looks like a typo). */
  warnings: RunbookProblem[];
  /** Directories that exist and were read. */
  scannedDirs: string[];
  /** Directories that do not exist. */
  missingDirs: string[];
}

const MARKDOWN = /\.(md|markdown)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);
/** Files about the repository rather than about an alert: indexing them only adds false "mention" matches. */
const NOT_RUNBOOKS = /^(readme|contributing|changelog|license|code_of_conduct|security)\.(md|markdown)$/i;

export function loadRunbooks(dirs: string[]): LoadedRunbooks {
  const result: LoadedRunbooks = { runbooks: [], skipped: [], warnings: [], scannedDirs: [], missingDirs: [] };
  for (const root of dirs) {
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      result.missingDirs.push(root);
      continue;
    }
    result.scannedDirs.push(root);
    for (const path of listMarkdown(root)) {
      const absolute = join(root, path);
      const bytes = readFileSync(absolute);
      const text = bytes.toString('utf8');
      const parsed = parseRunbook(text, root, path, contentHash(bytes));
      const file = join(root, path);
      if (!parsed.ok) {
        result.skipped.push({ file, line: parsed.line, message: parsed.message });
        continue;
      }
      result.runbooks.push(parsed.runbook);
      for (const message of parsed.warnings) result.warnings.push({ file, line: 1, message });
    }
  }
  return result;
}

/** Markdown files under `root`, relative, with forward slashes, sorted (stable progress and ids). */
export function listMarkdown(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (MARKDOWN.test(entry.name) && !NOT_RUNBOOKS.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile()))) {
        found.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return found.sort();
}
