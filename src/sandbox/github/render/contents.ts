import type { GitHubCore } from '../core.js';
import type { TreeEntry } from '../git/git-repo.js';
import type { RepoRecord } from '../model.js';
import type { Schema } from './common.js';
import { wrappedBase64 } from './git-data.js';

type ContentKind = 'file' | 'dir' | 'symlink' | 'submodule';

function kindOf(entry: TreeEntry): ContentKind {
  if (entry.type === 'tree') return 'dir';
  if (entry.type === 'commit') return 'submodule';
  return entry.mode === '120000' ? 'symlink' : 'file';
}

function links(core: GitHubCore, repo: RepoRecord, entry: TreeEntry, ref: string) {
  const encoded = entry.path.split('/').map(encodeURIComponent).join('/');
  const kind = kindOf(entry);
  const self = `${core.apiUrl}/repos/${repo.fullName}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = `${core.apiUrl}/repos/${repo.fullName}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${core.webUrl}/${repo.fullName}/${kind === 'dir' ? 'tree' : 'blob'}/${ref}/${encoded}`;
  return {
    url: self,
    git_url: git,
    html_url: html,
    download_url: kind === 'file' ? `${core.webUrl}/${repo.fullName}/raw/${ref}/${encoded}` : null,
    _links: { self, git, html },
  };
}

/** One entry of a directory listing (no content). */
export function renderContentEntry(core: GitHubCore, repo: RepoRecord, entry: TreeEntry, ref: string): Schema<'content-directory'>[number] {
  return {
    type: kindOf(entry),
    size: entry.size ?? 0,
    name: entry.path.split('/').pop()!,
    path: entry.path,
    sha: entry.sha,
    ...links(core, repo, entry, ref),
  };
}

export function renderContentFile(core: GitHubCore, repo: RepoRecord, entry: TreeEntry, ref: string, content: Buffer): Schema<'content-file'> {
  return {
    type: 'file',
    encoding: 'base64',
    size: content.length,
    name: entry.path.split('/').pop()!,
    path: entry.path,
    content: wrappedBase64(content),
    sha: entry.sha,
    ...links(core, repo, entry, ref),
  };
}
