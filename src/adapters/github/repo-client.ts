import type { Octokit } from './octokit.js';

/**
 * The GitHub REST calls pitcrew makes on one repository, typed and thin:
 * no decisions here, only requests and the fields pitcrew reads.
 */
export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export type TreeWrite = { path: string; mode: '100644' | '100755'; type: 'blob'; content: string } | { path: string; mode: '100644'; type: 'blob'; sha: null };

const isStatus = (error: unknown, ...codes: number[]) => codes.includes((error as { status?: number }).status ?? 0);

export class RepoClient {
  readonly owner: string;
  readonly name: string;

  constructor(
    readonly octokit: Octokit,
    readonly fullName: string,
  ) {
    const [owner, name] = fullName.split('/');
    this.owner = owner!;
    this.name = name!;
  }

  private get params() {
    return { owner: this.owner, repo: this.name };
  }

  async info(): Promise<{ defaultBranch: string; htmlUrl: string }> {
    const { data } = await this.octokit.rest.repos.get(this.params);
    return { defaultBranch: data.default_branch, htmlUrl: data.html_url };
  }

  /** A file's text at `ref`, or null when it does not exist (or is a directory). */
  async readText(path: string, ref?: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({ ...this.params, path, ...(ref ? { ref } : {}), mediaType: { format: 'raw' } });
      return typeof data === 'string' ? data : null;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  async branchSha(branch: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.params, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  /** Branch names starting with `prefix` (`heads/pitcrew/inc_1-`). */
  async matchingBranches(prefix: string): Promise<Array<{ branch: string; sha: string }>> {
    const { data } = await this.octokit.rest.git.listMatchingRefs({ ...this.params, ref: prefix });
    return data.map((ref) => ({ branch: ref.ref.replace(/^refs\/heads\//, ''), sha: ref.object.sha }));
  }

  async commit(sha: string): Promise<{ sha: string; tree: string; message: string; parents: string[] }> {
    const { data } = await this.octokit.rest.git.getCommit({ ...this.params, commit_sha: sha });
    return { sha: data.sha, tree: data.tree.sha, message: data.message, parents: data.parents.map((p) => p.sha) };
  }

  /** The entry at `path` in a tree, walking one directory at a time (no recursive listing of big repos). */
  async entryAt(treeSha: string, path: string): Promise<TreeEntry | null> {
    let tree = treeSha;
    const parts = path.split('/');
    for (const [index, part] of parts.entries()) {
      const { data } = await this.octokit.rest.git.getTree({ ...this.params, tree_sha: tree });
      const entry = data.tree.find((item) => item.path === part);
      if (!entry?.sha) return null;
      if (index === parts.length - 1) return { path, mode: entry.mode!, type: entry.type as TreeEntry['type'], sha: entry.sha };
      if (entry.type !== 'tree') return null;
      tree = entry.sha;
    }
    return null;
  }

  /** Paths under `dir` in a tree (one level), or [] when it does not exist. */
  async list(treeSha: string, dir: string): Promise<TreeEntry[]> {
    const entry = await this.entryAt(treeSha, dir);
    if (!entry || entry.type !== 'tree') return [];
    const { data } = await this.octokit.rest.git.getTree({ ...this.params, tree_sha: entry.sha });
    return data.tree.filter((item) => item.sha).map((item) => ({ path: `${dir}/${item.path}`, mode: item.mode!, type: item.type as TreeEntry['type'], sha: item.sha! }));
  }

  async blobText(sha: string): Promise<string> {
    const { data } = await this.octokit.rest.git.getBlob({ ...this.params, file_sha: sha });
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  }

  async createTree(baseTree: string, entries: TreeWrite[]): Promise<string> {
    const { data } = await this.octokit.rest.git.createTree({ ...this.params, base_tree: baseTree, tree: entries });
    return data.sha;
  }

  async createCommit(input: { message: string; tree: string; parents: string[] }): Promise<string> {
    const { data } = await this.octokit.rest.git.createCommit({ ...this.params, ...input });
    return data.sha;
  }

  async createBranch(branch: string, sha: string): Promise<void> {
    await this.octokit.rest.git.createRef({ ...this.params, ref: `refs/heads/${branch}`, sha });
  }

  async moveBranch(branch: string, sha: string, force: boolean): Promise<void> {
    await this.octokit.rest.git.updateRef({ ...this.params, ref: `heads/${branch}`, sha, force });
  }

  async pullsForBranch(branch: string, state: 'open' | 'all' = 'open') {
    const { data } = await this.octokit.rest.pulls.list({ ...this.params, head: `${this.owner}:${branch}`, state, per_page: 100 });
    return data;
  }

  async pull(number: number) {
    const { data } = await this.octokit.rest.pulls.get({ ...this.params, pull_number: number });
    return data;
  }

  async createPull(input: { title: string; head: string; base: string; body: string }) {
    const { data } = await this.octokit.rest.pulls.create({ ...this.params, ...input, maintainer_can_modify: false });
    return data;
  }

  async updatePull(number: number, input: { title?: string; body?: string; state?: 'open' | 'closed' }) {
    const { data } = await this.octokit.rest.pulls.update({ ...this.params, pull_number: number, ...input });
    return data;
  }

  async addLabels(number: number, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.params, issue_number: number, labels });
  }

  async removeLabel(number: number, name: string): Promise<void> {
    try {
      await this.octokit.rest.issues.removeLabel({ ...this.params, issue_number: number, name });
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
    }
  }

  reviews(number: number) {
    return this.octokit.paginate(this.octokit.rest.pulls.listReviews, { ...this.params, pull_number: number, per_page: 100 });
  }

  pullCommits(number: number) {
    return this.octokit.paginate(this.octokit.rest.pulls.listCommits, { ...this.params, pull_number: number, per_page: 100 });
  }

  pullFiles(number: number) {
    return this.octokit.paginate(this.octokit.rest.pulls.listFiles, { ...this.params, pull_number: number, per_page: 100 });
  }

  openPulls(base: string) {
    return this.octokit.paginate(this.octokit.rest.pulls.list, { ...this.params, state: 'open', base, per_page: 100 });
  }

  async setStatus(input: { sha: string; state: 'success' | 'failure' | 'pending' | 'error'; context: string; description: string; targetUrl?: string }): Promise<void> {
    await this.octokit.rest.repos.createCommitStatus({ ...this.params, sha: input.sha, state: input.state, context: input.context, description: input.description, ...(input.targetUrl ? { target_url: input.targetUrl } : {}) });
  }

  statuses(ref: string) {
    return this.octokit.paginate(this.octokit.rest.repos.listCommitStatusesForRef, { ...this.params, ref, per_page: 100 });
  }

  async checkRuns(ref: string, name: string) {
    const { data } = await this.octokit.rest.checks.listForRef({ ...this.params, ref, check_name: name, per_page: 100 });
    return data.check_runs;
  }

  async createCheckRun(input: Omit<Parameters<Octokit['rest']['checks']['create']>[0] & object, 'owner' | 'repo'>): Promise<number> {
    const { data } = await this.octokit.rest.checks.create({ ...this.params, ...input } as Parameters<Octokit['rest']['checks']['create']>[0]);
    return data.id;
  }

  /** Logins of a team's members; throws when the team cannot be read (no members:read, other org, unknown team). */
  async teamMembers(org: string, slug: string): Promise<string[]> {
    const members = await this.octokit.paginate(this.octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 });
    return members.map((member) => member.login);
  }
}
