import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PitcrewError } from '../../domain/errors.js';
import type { CheckAnnotation } from '../../diagnosis/annotations.js';
import { fromStream, fromText, type LogSource } from '../../diagnosis/log-source.js';
import { COMMENT_MARKER } from '../../diagnosis/render.js';
import type { CiHost, CiJob, OwnComment } from '../../pipeline/ci/ports.js';
import type { Octokit } from './octokit.js';

/** The check run pitcrew's file:line annotations hang on. */
export const CI_DIAGNOSIS_CHECK = 'pitcrew/ci-diagnosis';

const WRITERS = new Set(['admin', 'maintain', 'write']);

/**
 * The CI stage's view of one repository on GitHub, through the webhook's
 * installation client. Job logs: `GET /actions/jobs/{id}/logs` answers 302 to
 * a short-lived blob-storage URL; the redirect is followed by hand so the
 * installation token is never sent to the storage host, and the body is
 * streamed (the stage caps how much is read). Check runs of other CI
 * systems have no log API: their output (title, summary, text) is the log.
 */
export class GitHubCiHost implements CiHost {
  private readonly owner: string;
  private readonly name: string;

  constructor(
    private readonly octokit: Octokit,
    readonly repo: string,
    private readonly botLogin: () => Promise<string>,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    [this.owner, this.name] = repo.split('/') as [string, string];
  }

  async openLog(job: CiJob): Promise<LogSource> {
    if (job.id.startsWith('check:')) return this.checkRunOutput(Number(job.id.slice('check:'.length)), job.name);
    const jobId = Number(job.id);
    if (!Number.isSafeInteger(jobId)) throw new PitcrewError('input_invalid', `CI job id "${job.id}" is not a number`, 'Only GitHub Actions jobs have downloadable logs.');
    const { token } = (await this.octokit.auth({ type: 'installation' })) as { token: string };
    const baseUrl = String(this.octokit.request.endpoint.DEFAULTS.baseUrl).replace(/\/$/, '');
    const first = await this.fetchImpl(`${baseUrl}/repos/${this.owner}/${this.name}/actions/jobs/${jobId}/logs`, {
      redirect: 'manual',
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'pitcrew' },
    });
    let response = first;
    if (first.status >= 300 && first.status < 400) {
      const location = first.headers.get('location');
      await first.body?.cancel();
      if (!location) throw new PitcrewError('forge_unavailable', `GitHub redirected the log of job ${jobId} without a location`, 'Retry the run later.');
      response = await this.fetchImpl(new URL(location, baseUrl).toString(), { headers: { 'user-agent': 'pitcrew' } });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new PitcrewError('forge_unavailable', `The log of job ${jobId} in ${this.repo} could not be downloaded (HTTP ${response.status})`,
        response.status === 404 ? 'The log may have expired (GitHub keeps logs 90 days by default).' : 'Check the app has the actions: read permission.');
    }
    return fromStream(`${this.repo} job ${jobId}`, Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>));
  }

  private async checkRunOutput(id: number, name: string): Promise<LogSource> {
    const { data } = await this.octokit.rest.checks.get({ owner: this.owner, repo: this.name, check_run_id: id });
    const text = [data.output?.title, data.output?.summary, data.output?.text].filter((part): part is string => Boolean(part)).join('\n');
    return fromText(`${this.repo} check ${name}`, text);
  }

  async findComment(pull: number): Promise<OwnComment | null> {
    const bot = await this.botLogin();
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.owner, repo: this.name, issue_number: pull, per_page: 100 });
    // Someone quoting the marker must not make pitcrew edit (or read state from) their comment.
    const ours = comments.find((c) => c.user?.login === bot && (c.body ?? '').startsWith(COMMENT_MARKER));
    return ours ? { id: ours.id, body: ours.body ?? '' } : null;
  }

  async createComment(pull: number, body: string): Promise<number> {
    const { data } = await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.name, issue_number: pull, body });
    return data.id;
  }

  async updateComment(id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.name, comment_id: id, body });
  }

  async thumbsUp(commentId: number): Promise<string[]> {
    const reactions = await this.octokit.paginate(this.octokit.rest.reactions.listForIssueComment, { owner: this.owner, repo: this.name, comment_id: commentId, content: '+1', per_page: 100 });
    return reactions.map((r) => r.user?.login).filter((login): login is string => Boolean(login));
  }

  async canWrite(login: string): Promise<boolean> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: this.owner, repo: this.name, username: login });
      return WRITERS.has(data.permission) || WRITERS.has((data as { role_name?: string }).role_name ?? '');
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  }

  async annotate(sha: string, summary: string, annotations: CheckAnnotation[]): Promise<void> {
    await this.octokit.rest.checks.create({
      owner: this.owner,
      repo: this.name,
      name: CI_DIAGNOSIS_CHECK,
      head_sha: sha,
      status: 'completed',
      conclusion: 'neutral',
      output: { title: `CI diagnosis: ${annotations.length} location${annotations.length === 1 ? '' : 's'}`, summary: summary.slice(0, 60_000), annotations },
    });
  }
}
