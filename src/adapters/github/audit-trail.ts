import { PitcrewError } from '../../domain/errors.js';
import type { AuditTrail, ExecutionRecord } from '../../domain/execution.js';
import { KeyedMutex } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { auditCommitMessage, auditRecordPath, executionKey, readExecutionKey, renderAuditRecord } from '../../pipeline/record/audit-record.js';
import type { RepoClient } from './repo-client.js';

/**
 * The audit trail on GitHub: one commit per execution on the audit branch
 * (default `pitcrew-audit`), written with the git data API (blob → tree →
 * commit → ref), so `git log pitcrew-audit` is the record (ADR 0012).
 *
 * - The branch is created as an orphan (a root commit) when missing; the
 *   default branch is never read or written, so its protection does not matter.
 * - Idempotent per (planId, mergeSha): the record's path is derived from them;
 *   when the branch tip already holds it, the commit that added it is returned.
 * - The ref moves only by fast-forward; when another writer moved it first
 *   (422), the append starts over from the new tip, a bounded number of times.
 */
export interface GitHubAuditTrailDeps {
  client(repo: string): Promise<RepoClient>;
  log: Logger;
  dryRun: boolean;
  /** Redacts the record once more before it is committed for good (defence in depth, I3). */
  redactor?: Pick<Redactor, 'redactDeep'>;
  mutex?: KeyedMutex;
  /** Attempts when the ref keeps moving under us. */
  maxAttempts?: number;
}

const isStatus = (error: unknown, ...codes: number[]) => codes.includes((error as { status?: number }).status ?? 0);
const messageOf = (error: unknown) => String((error as { response?: { data?: { message?: string } } }).response?.data?.message ?? (error as Error).message ?? error);

export class GitHubAuditTrail implements AuditTrail {
  private readonly mutex: KeyedMutex;

  constructor(private readonly deps: GitHubAuditTrailDeps) {
    this.mutex = deps.mutex ?? new KeyedMutex();
  }

  async append(input: ExecutionRecord, auditBranch: string): Promise<{ sha: string; url: string | null }> {
    const record = this.deps.redactor ? await this.deps.redactor.redactDeep(input) : input;
    const path = auditRecordPath(record);
    const key = executionKey(record);
    if (this.deps.dryRun) {
      this.deps.log.info({ repo: record.repo, branch: auditBranch, plan: record.planId, mergeSha: record.mergeSha, path }, `[dry-run] would append audit commit for ${key} to ${auditBranch} in ${record.repo}`);
      return { sha: 'dry-run', url: null };
    }
    // One writer per branch in this process; other processes are handled by the fast-forward check.
    return this.mutex.run(`audit:${record.repo.toLowerCase()}:${auditBranch}`, async () => {
      const client = await this.deps.client(record.repo);
      const { defaultBranch } = await client.info();
      if (auditBranch === defaultBranch) {
        throw new PitcrewError('config_invalid', `auditBranch in .github/pitcrew.yml of ${record.repo} is the default branch (${defaultBranch}); pitcrew never writes to it`, 'Set auditBranch to a branch of its own, e.g. pitcrew-audit.');
      }
      const attempts = this.deps.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.appendOnce(client, record, auditBranch, path, key);
        } catch (error) {
          if (!(error instanceof RefMoved) || attempt >= attempts) throw error instanceof RefMoved ? refKeepsMoving(record.repo, auditBranch, attempts) : error;
          this.deps.log.warn({ repo: record.repo, branch: auditBranch, attempt }, 'audit branch moved during append; retrying from its new tip');
        }
      }
    });
  }

  private async appendOnce(client: RepoClient, record: ExecutionRecord, branch: string, path: string, key: string): Promise<{ sha: string; url: string | null }> {
    const params = { owner: client.owner, repo: client.name };
    const octokit = client.octokit;
    const tip = await client.branchSha(branch);
    let baseTree: string | undefined;
    if (tip) {
      const head = await client.commit(tip);
      baseTree = head.tree;
      const existing = await this.existingCommit(client, branch, tip, head.message, head.tree, path, key);
      if (existing) {
        this.deps.log.info({ repo: record.repo, branch, plan: record.planId, mergeSha: record.mergeSha, sha: existing.sha }, 'audit commit already recorded');
        return existing;
      }
    }
    const { data: blob } = await octokit.rest.git.createBlob({ ...params, content: renderAuditRecord(record), encoding: 'utf-8' });
    const { data: tree } = await octokit.rest.git.createTree({ ...params, ...(baseTree ? { base_tree: baseTree } : {}), tree: [{ path, mode: '100644', type: 'blob', sha: blob.sha }] });
    const { data: commit } = await octokit.rest.git.createCommit({ ...params, message: auditCommitMessage(record, path), tree: tree.sha, parents: tip ? [tip] : [] });
    try {
      if (tip) await octokit.rest.git.updateRef({ ...params, ref: `heads/${branch}`, sha: commit.sha, force: false });
      else await octokit.rest.git.createRef({ ...params, ref: `refs/heads/${branch}`, sha: commit.sha });
    } catch (error) {
      if (!isStatus(error, 422)) throw error;
      const message = messageOf(error);
      if (/protected branch/i.test(message)) {
        throw new PitcrewError('forge_unavailable', `The audit branch ${branch} of ${record.repo} is protected; pitcrew cannot append the record of ${key}`, `Lift the protection of ${branch} for the pitcrew app, or set auditBranch in .github/pitcrew.yml to an unprotected branch.`, { cause: error });
      }
      // "Update is not a fast forward" / "Reference already exists": someone else moved it first.
      throw new RefMoved(message);
    }
    const url = commit.html_url ?? null;
    this.deps.log.info({ repo: record.repo, branch, plan: record.planId, mergeSha: record.mergeSha, sha: commit.sha, path }, tip ? 'audit commit appended' : 'audit branch created with its first record');
    return { sha: commit.sha, url };
  }

  /** The commit that recorded `key` when the tip's tree holds its file (the tip itself, or found by path). */
  private async existingCommit(client: RepoClient, branch: string, tip: string, tipMessage: string, tipTree: string, path: string, key: string): Promise<{ sha: string; url: string | null } | null> {
    if (readExecutionKey(tipMessage) === key) return { sha: tip, url: await commitUrl(client, tip) };
    const entry = await client.entryAt(tipTree, path);
    if (!entry) return null;
    const { data } = await client.octokit.rest.repos.listCommits({ owner: client.owner, repo: client.name, sha: branch, path, per_page: 10 });
    const adding = data.find((commit) => readExecutionKey(commit.commit.message) === key) ?? data.at(-1);
    return adding ? { sha: adding.sha, url: adding.html_url ?? null } : { sha: tip, url: await commitUrl(client, tip) };
  }
}

class RefMoved extends Error {}

function refKeepsMoving(repo: string, branch: string, attempts: number): PitcrewError {
  return new PitcrewError('forge_unavailable', `The audit branch ${branch} of ${repo} moved on every one of ${attempts} attempts to append`, 'Something else writes to the audit branch continuously; only pitcrew should. The append is safe to retry.');
}

async function commitUrl(client: RepoClient, sha: string): Promise<string | null> {
  const { htmlUrl } = await client.info();
  return `${htmlUrl}/commit/${sha}`;
}
