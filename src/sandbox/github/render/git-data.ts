import type { GitHubCore } from '../core.js';
import type { DiffFile, GitCommit, ObjectType, TreeEntry } from '../git/git-repo.js';
import type { RepoRecord } from '../model.js';
import { iso, nodeId, type Schema } from './common.js';
import { renderUser } from './users.js';

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

export function renderGitCommit(core: GitHubCore, repo: RepoRecord, commit: GitCommit): Schema<'git-commit'> {
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${core.webUrl}/${repo.fullName}/commit/${commit.sha}`,
    author: { name: commit.author.name, email: commit.author.email, date: iso(commit.author.date) },
    committer: { name: commit.committer.name, email: commit.committer.email, date: iso(commit.committer.date) },
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message.replace(/\n$/, ''),
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}`, html_url: `${core.webUrl}/${repo.fullName}/commit/${sha}` })),
    verification: UNSIGNED,
  };
}

/** The user a commit is attributed to: the account whose noreply or profile email matches, as GitHub does. */
function userForEmail(core: GitHubCore, email: string) {
  const match = /^(?:\d+\+)?([^@]+)@users\.noreply\./.exec(email);
  const user = [...core.users.values()].find((candidate) => candidate.email === email || (match && candidate.login.toLowerCase() === match[1]!.toLowerCase()));
  return user ? renderUser(core, user) : null;
}

/** `GET /repos/{o}/{r}/commits/{ref}` and the entries of `GET /commits` and compare. */
export function renderCommit(core: GitHubCore, repo: RepoRecord, commit: GitCommit, files?: DiffFile[]): Schema<'commit'> {
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  const git = renderGitCommit(core, repo, commit);
  return {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: git.node_id,
    html_url: git.html_url,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: git.url,
      author: git.author,
      committer: git.committer,
      message: git.message,
      comment_count: 0,
      tree: git.tree,
      verification: UNSIGNED,
    },
    author: userForEmail(core, commit.author.email),
    committer: userForEmail(core, commit.committer.email),
    parents: git.parents,
    ...(files
      ? {
          stats: {
            additions: files.reduce((sum, file) => sum + file.additions, 0),
            deletions: files.reduce((sum, file) => sum + file.deletions, 0),
            total: files.reduce((sum, file) => sum + file.additions + file.deletions, 0),
          },
          files: files.map((file) => renderDiffEntry(core, repo, commit.sha, file)),
        }
      : {}),
  };
}

export function renderDiffEntry(core: GitHubCore, repo: RepoRecord, ref: string, file: DiffFile): Schema<'diff-entry'> {
  const encoded = file.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${core.webUrl}/${repo.fullName}/blob/${ref}/${encoded}`,
    raw_url: `${core.webUrl}/${repo.fullName}/raw/${ref}/${encoded}`,
    contents_url: `${core.apiUrl}/repos/${repo.fullName}/contents/${encoded}?ref=${ref}`,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
    ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}),
  };
}

export function renderRef(core: GitHubCore, repo: RepoRecord, ref: string, sha: string, type: ObjectType): Schema<'git-ref'> {
  const kind = type === 'tag' ? 'tags' : type === 'tree' ? 'trees' : type === 'blob' ? 'blobs' : 'commits';
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${core.apiUrl}/repos/${repo.fullName}/git/${ref}`,
    object: { type, sha, url: `${core.apiUrl}/repos/${repo.fullName}/git/${kind}/${sha}` },
  };
}

export function renderTree(core: GitHubCore, repo: RepoRecord, sha: string, entries: TreeEntry[]): Schema<'git-tree'> {
  const api = `${core.apiUrl}/repos/${repo.fullName}/git`;
  return {
    sha,
    url: `${api}/trees/${sha}`,
    truncated: false,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === 'blob' ? { size: entry.size ?? 0, url: `${api}/blobs/${entry.sha}` } : entry.type === 'tree' ? { url: `${api}/trees/${entry.sha}` } : {}),
    })),
  };
}

/** Base64 wrapped at 60 columns, as the contents and blobs APIs send it. */
export function wrappedBase64(content: Buffer): string {
  return (content.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n') + (content.length > 0 ? '\n' : '');
}

export function renderBlob(core: GitHubCore, repo: RepoRecord, sha: string, content: Buffer): Schema<'blob'> {
  return {
    sha,
    node_id: nodeId('Blob', sha),
    size: content.length,
    url: `${core.apiUrl}/repos/${repo.fullName}/git/blobs/${sha}`,
    content: wrappedBase64(content),
    encoding: 'base64',
  };
}
