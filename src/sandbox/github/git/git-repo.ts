import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { git, readObjectBytes, runGit } from './run-git.js';

export const ZERO_SHA = '0000000000000000000000000000000000000000';
export const EMPTY_TREE_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface Person {
  name: string;
  email: string;
  /** Epoch milliseconds. */
  date: number;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: Person;
  committer: Person;
  message: string;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: ObjectType;
  sha: string;
  size?: number;
}

/** One change to a tree, GitHub's `POST /git/trees` entry: `sha: null` deletes the path. */
export interface TreeEdit {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string | null;
}

export interface DiffFile {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  /** Blob of the new side (the old side for removed files). */
  sha: string;
  additions: number;
  deletions: number;
  patch?: string;
  binary: boolean;
}

const FIELD = '\x1f';
const RECORD = '\x1e';
const LOG_FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B'].join('%x1f') + '%x1e';

/**
 * A bare git repository driven with plumbing commands only: the GitHub fake
 * stores real objects and refs, so what tests read back with `git log` is
 * exactly what the app wrote through the API.
 */
export class GitRepo {
  private constructor(readonly dir: string) {}

  static async init(dir: string, defaultBranch: string): Promise<GitRepo> {
    mkdirSync(dir, { recursive: true });
    await git(dir, ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`]);
    return new GitRepo(dir);
  }

  async objectType(sha: string): Promise<ObjectType | null> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return null;
    const result = await runGit(this.dir, ['cat-file', '-t', sha]);
    return result.code === 0 ? (result.stdout.trim() as ObjectType) : null;
  }

  /** Expands an abbreviated or symbolic name to a full commit SHA, or null. */
  async resolveCommit(name: string): Promise<string | null> {
    if (name.startsWith('-')) return null;
    const result = await runGit(this.dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : null;
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await git(this.dir, ['hash-object', '-w', '--stdin'], { input: content })).trim();
  }

  readBlob(sha: string): Promise<Buffer> {
    return readObjectBytes(this.dir, sha);
  }

  async blobSize(sha: string): Promise<number> {
    return Number((await git(this.dir, ['cat-file', '-s', sha])).trim());
  }

  /** Refs under `prefix` (e.g. `refs/heads/`), sorted by name. */
  async listRefs(prefix = 'refs/'): Promise<Array<{ ref: string; sha: string }>> {
    const out = await git(this.dir, ['for-each-ref', '--format=%(refname) %(objectname)', prefix]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref, sha] = line.split(' ');
        return { ref: ref!, sha: sha! };
      });
  }

  /** The object a ref points at (exact name, e.g. `refs/heads/main`), or null. */
  async readRef(ref: string): Promise<string | null> {
    const result = await runGit(this.dir, ['show-ref', '--verify', ref]);
    return result.code === 0 ? result.stdout.split(' ')[0]!.trim() : null;
  }

  /**
   * Points `ref` at `sha`. With `expected`, the update is a compare-and-swap
   * (ZERO_SHA means "must not exist"); returns false when the ref moved.
   */
  async updateRef(ref: string, sha: string, expected?: string): Promise<boolean> {
    const args = ['update-ref', ref, sha];
    if (expected !== undefined) args.push(expected);
    const result = await runGit(this.dir, args);
    if (result.code === 0) return true;
    if (/cannot lock ref|is at .* but expected|reference already exists|unable to resolve reference/i.test(result.stderr)) return false;
    throw new Error(`git update-ref ${ref} failed: ${result.stderr.trim()}`);
  }

  async deleteRef(ref: string): Promise<void> {
    await git(this.dir, ['update-ref', '-d', ref]);
  }

  async readCommit(sha: string): Promise<GitCommit | null> {
    const [commit] = await this.log([sha, '--max-count=1', '--no-walk']);
    return commit ?? null;
  }

  /** `git log` over `args` (revisions, `--max-count`, `-- path`), parsed. */
  async log(args: string[]): Promise<GitCommit[]> {
    const result = await runGit(this.dir, ['log', '--date-order', `--format=${LOG_FORMAT}`, ...args]);
    if (result.code !== 0) return [];
    return result.stdout
      .split(RECORD)
      .map((record) => record.replace(/^\n/, ''))
      .filter((record) => record.length > 0)
      .map((record) => {
        const [sha, tree, parents, an, ae, at, cn, ce, ct, message] = record.split(FIELD);
        return {
          sha: sha!,
          tree: tree!,
          parents: parents ? parents.split(' ') : [],
          author: { name: an!, email: ae!, date: Number(at) * 1000 },
          committer: { name: cn!, email: ce!, date: Number(ct) * 1000 },
          message: message ?? '',
        };
      });
  }

  async createCommit(input: { tree: string; parents: string[]; message: string; author: Person; committer: Person }): Promise<string> {
    const args = ['commit-tree', input.tree, ...input.parents.flatMap((parent) => ['-p', parent])];
    const stamp = (date: number) => `@${Math.floor(date / 1000)} +0000`;
    const out = await git(this.dir, args, {
      input: input.message,
      env: {
        GIT_AUTHOR_NAME: input.author.name,
        GIT_AUTHOR_EMAIL: input.author.email,
        GIT_AUTHOR_DATE: stamp(input.author.date),
        GIT_COMMITTER_NAME: input.committer.name,
        GIT_COMMITTER_EMAIL: input.committer.email,
        GIT_COMMITTER_DATE: stamp(input.committer.date),
      },
    });
    return out.trim();
  }

  /** Entries of a tree; `recursive` lists blobs (and submodules) at every depth, like `ls-tree -r`. */
  async readTree(treeish: string, options: { recursive?: boolean; withTrees?: boolean } = {}): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-l', '-z'];
    if (options.recursive) args.push('-r');
    if (options.recursive && options.withTrees) args.push('-t');
    args.push(treeish);
    const out = await git(this.dir, args);
    return out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
        return { mode: mode!, type: type as ObjectType, sha: sha!, path: line.slice(tab + 1), ...(size && size !== '-' ? { size: Number(size) } : {}) };
      });
  }

  /** The entry at `path` in `commitish`, or null. */
  async entryAt(commitish: string, path: string): Promise<TreeEntry | null> {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean === '') {
      const commit = await this.readCommit(commitish);
      return commit ? { path: '', mode: '040000', type: 'tree', sha: commit.tree } : null;
    }
    const result = await runGit(this.dir, ['ls-tree', '-l', '-z', commitish, '--', clean]);
    if (result.code !== 0) return null;
    const line = result.stdout.split('\0').find(Boolean);
    if (!line) return null;
    const tab = line.indexOf('\t');
    const entryPath = line.slice(tab + 1);
    if (entryPath !== clean) return null;
    const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
    return { mode: mode!, type: type as ObjectType, sha: sha!, path: entryPath, ...(size && size !== '-' ? { size: Number(size) } : {}) };
  }

  /**
   * Builds a new tree from `base` (or empty) with `edits` applied in order, the
   * way `POST /git/trees` does: nested paths create directories, a `tree` entry
   * replaces a whole directory, `sha: null` deletes a file or directory.
   */
  async writeTree(base: string | null, edits: TreeEdit[]): Promise<string> {
    const entries = new Map<string, { mode: string; sha: string }>();
    if (base) for (const entry of await this.readTree(base, { recursive: true })) entries.set(entry.path, { mode: entry.mode, sha: entry.sha });
    const removeUnder = (prefix: string) => {
      for (const key of [...entries.keys()]) if (key === prefix || key.startsWith(`${prefix}/`)) entries.delete(key);
      // A file standing where a directory must go (`a` when adding `a/b`) is replaced too.
      const parts = prefix.split('/');
      for (let i = 1; i < parts.length; i++) entries.delete(parts.slice(0, i).join('/'));
    };
    for (const edit of edits) {
      removeUnder(edit.path);
      if (edit.sha === null) continue;
      if (edit.type === 'tree') {
        for (const entry of await this.readTree(edit.sha, { recursive: true })) entries.set(`${edit.path}/${entry.path}`, { mode: entry.mode, sha: entry.sha });
      } else {
        entries.set(edit.path, { mode: edit.mode, sha: edit.sha });
      }
    }
    if (entries.size === 0) return EMPTY_TREE_SHA;
    const indexFile = join(tmpdir(), `pitcrew-fake-index-${randomBytes(8).toString('hex')}`);
    try {
      const env = { GIT_INDEX_FILE: indexFile };
      const input = [...entries].map(([path, { mode, sha }]) => `${mode} ${sha}\t${path}\0`).join('');
      await git(this.dir, ['update-index', '-z', '--index-info'], { input, env });
      return (await git(this.dir, ['write-tree'], { env })).trim();
    } finally {
      rmSync(indexFile, { force: true });
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await runGit(this.dir, ['merge-base', '--is-ancestor', ancestor, descendant])).code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const result = await runGit(this.dir, ['merge-base', a, b]);
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** A three-way merge without a worktree: the resulting tree, or the conflicting paths. */
  async mergeTrees(ours: string, theirs: string): Promise<{ tree: string } | { conflicts: string[] }> {
    const result = await runGit(this.dir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs]);
    const lines = result.stdout.split('\n').filter(Boolean);
    if (result.code === 0) return { tree: lines[0]! };
    if (result.code === 1) return { conflicts: lines.slice(1) };
    throw new Error(`git merge-tree failed: ${result.stderr.trim()}`);
  }

  /** Commits reachable from `head` but not from `base`, oldest first (GitHub's compare and PR commits order). */
  async commitsBetween(base: string | null, head: string, max = 250): Promise<GitCommit[]> {
    const range = base ? [`${base}..${head}`] : [head];
    return (await this.log([...range, `--max-count=${max}`])).reverse();
  }

  async countCommits(range: string): Promise<number> {
    const result = await runGit(this.dir, ['rev-list', '--count', range]);
    return result.code === 0 ? Number(result.stdout.trim()) : 0;
  }

  /** Files changed from `base` to `head`, with rename detection and unified-diff hunks. */
  async diff(base: string, head: string): Promise<DiffFile[]> {
    const [raw, numstat, patch] = await Promise.all([
      git(this.dir, ['diff-tree', '-r', '-z', '-M', '--raw', '--no-commit-id', base, head]),
      git(this.dir, ['diff-tree', '-r', '-z', '-M', '--numstat', '--no-commit-id', base, head]),
      git(this.dir, ['diff-tree', '-r', '-M', '-p', '--no-color', '--no-commit-id', base, head]),
    ]);
    const patches = splitPatch(patch);
    const counts = parseNumstat(numstat);
    const files: DiffFile[] = [];
    const fields = raw.split('\0');
    for (let i = 0; i < fields.length - 1; ) {
      const meta = fields[i++]!;
      if (!meta.startsWith(':')) continue;
      const [, , oldSha, newSha, statusField] = meta.slice(1).split(' ');
      const letter = statusField![0]!;
      const first = fields[i++]!;
      const second = letter === 'R' || letter === 'C' ? fields[i++]! : undefined;
      const filename = second ?? first;
      const count = counts.get(filename) ?? { additions: 0, deletions: 0, binary: false };
      const status = DIFF_STATUS[letter] ?? 'modified';
      files.push({
        filename,
        ...(second ? { previousFilename: first } : {}),
        status,
        sha: status === 'removed' ? oldSha! : newSha!,
        additions: count.additions,
        deletions: count.deletions,
        binary: count.binary,
        ...(patches.has(filename) && !count.binary ? { patch: patches.get(filename)! } : {}),
      });
    }
    return files;
  }
}

const DIFF_STATUS: Record<string, DiffFile['status']> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' };

function parseNumstat(out: string): Map<string, { additions: number; deletions: number; binary: boolean }> {
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; ) {
    const line = fields[i++]!;
    if (!line) continue;
    const [added, deleted, path] = line.split('\t');
    // Renames: `added\tdeleted\t` then the old and new path as separate fields.
    let filename = path!;
    if (path === '') {
      i++; // old path
      filename = fields[i++]!;
    }
    const binary = added === '-';
    counts.set(filename, { additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary });
  }
  return counts;
}

/** Splits `diff-tree -p` output into the hunk text per file (what GitHub puts in `patch`). */
function splitPatch(out: string): Map<string, string> {
  const patches = new Map<string, string>();
  const sections = out.split(/^diff --git /m).slice(1);
  for (const section of sections) {
    const lines = section.split('\n');
    const plus = lines.find((line) => line.startsWith('+++ '));
    const rename = lines.find((line) => line.startsWith('rename to '));
    const minus = lines.find((line) => line.startsWith('--- '));
    let name: string | undefined;
    if (plus && plus !== '+++ /dev/null') name = plus.slice(6);
    else if (minus && minus !== '--- /dev/null') name = minus.slice(6);
    else if (rename) name = rename.slice('rename to '.length);
    if (!name) continue;
    const hunkStart = lines.findIndex((line) => line.startsWith('@@'));
    if (hunkStart === -1) continue;
    const body = lines.slice(hunkStart);
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    patches.set(name, body.join('\n'));
  }
  return patches;
}
