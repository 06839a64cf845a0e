import type { Probot } from 'probot';
import { PitcrewError } from '../../domain/errors.js';
import type { Policy } from '../../domain/policy.js';
import type { KeyedLock } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import type { GateResult, RepoConfigRead } from '../../pipeline/gate/facts.js';
import type { Forge, PinnedGate, ProposeOutcome, ProposeRequest, PullRef } from '../../pipeline/ports/forge.js';
import { readGateFacts } from './gate-facts-reader.js';
import { readPinnedGate, setGateStatus } from './gate-status.js';
import type { Octokit } from './octokit.js';
import { proposeFix } from './proposer.js';
import { readRepoConfig } from './repo-config-reader.js';
import { RepoClient } from './repo-client.js';

/**
 * The Forge port on GitHub. Authenticates as the app's installation on each
 * repository (found once, then cached), and knows its own bot login so the
 * gate can refuse its approvals and trust only its own statuses.
 */
export interface GitHubForgeDeps {
  probot: Probot;
  policy: Policy;
  redactor: Redactor;
  log: Logger;
  dryRun: boolean;
  mutex: KeyedLock;
}

export class GitHubForge implements Forge {
  private readonly installations = new Map<string, number>();
  private bot: Promise<string> | null = null;

  constructor(private readonly deps: GitHubForgeDeps) {}

  /** `<app slug>[bot]`, read once from GET /app. */
  botLogin(): Promise<string> {
    this.bot ??= this.deps.probot.auth().then(async (app) => {
      const { data } = await (app as Octokit).rest.apps.getAuthenticated();
      if (!data?.slug) throw new PitcrewError('forge_unavailable', 'GET /app returned no slug', 'Check APP_ID and the private key.');
      return `${data.slug}[bot]`;
    }).catch((error: unknown) => {
      this.bot = null;
      throw error;
    });
    return this.bot;
  }

  /** A client for `repo`, authenticated as the app's installation there (or a given Octokit from a webhook). */
  async client(repo: string, octokit?: Octokit): Promise<RepoClient> {
    if (octokit) return new RepoClient(octokit, repo);
    const key = repo.toLowerCase();
    let id = this.installations.get(key);
    if (id === undefined) {
      const [owner, name] = repo.split('/');
      const app = (await this.deps.probot.auth()) as Octokit;
      try {
        const { data } = await app.rest.apps.getRepoInstallation({ owner: owner!, repo: name! });
        id = data.id;
      } catch (error) {
        if ((error as { status?: number }).status === 404) throw new PitcrewError('forge_unavailable', `The GitHub App is not installed on ${repo}`, 'Install the app on the repository (Settings → GitHub Apps), then try again.');
        throw error;
      }
      this.installations.set(key, id);
    }
    return new RepoClient((await this.deps.probot.auth(id)) as Octokit, repo);
  }

  async propose(request: ProposeRequest): Promise<ProposeOutcome> {
    const key = `propose:${request.repo.toLowerCase()}:${request.key ?? request.plan.incidentId ?? request.plan.id}`;
    return this.deps.mutex.run(key, async () => proposeFix(await this.client(request.repo), request, this.deps));
  }

  async readGateFacts(ref: PullRef, octokit?: Octokit) {
    return readGateFacts(await this.client(ref.repo, octokit), ref.number, await this.botLogin());
  }

  async publishGate(result: GateResult, octokit?: Octokit, htmlUrl?: string): Promise<void> {
    const client = await this.client(result.repo, octokit);
    if (this.deps.dryRun) {
      this.deps.log.info({ repo: result.repo, pull: result.number, sha: result.sha, pass: result.pass }, `[dry-run] would set pitcrew/gate ${result.pass ? 'success' : 'failure'} on ${result.sha.slice(0, 7)}: ${result.summary}`);
      return;
    }
    await setGateStatus(client, result, htmlUrl ?? (await client.info()).htmlUrl);
  }

  async readPinnedGate(repo: string, sha: string): Promise<PinnedGate | null> {
    return readPinnedGate(await this.client(repo), sha, await this.botLogin());
  }

  async readRepoConfig(repo: string, ref?: string): Promise<RepoConfigRead> {
    const client = await this.client(repo);
    const sha = ref ?? (await client.branchSha((await client.info()).defaultBranch));
    if (!sha) throw new PitcrewError('forge_unavailable', `${repo} has no default branch to read ${'.github/pitcrew.yml'} from`, 'Push a first commit.');
    return readRepoConfig(client, sha);
  }
}
