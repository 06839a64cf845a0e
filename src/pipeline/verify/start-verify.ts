import type { GitHubService } from '../../adapters/github/mount.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../domain/clock.js';
import type { AuditTrail } from '../../domain/execution.js';
import type { KnowledgeService } from '../../knowledge/knowledge-service.js';
import type { Logger } from '../../ops/logger.js';
import type { Metrics } from '../../ops/metrics.js';
import { createVerifyMetrics } from '../../ops/verify-metrics.js';
import { VerificationRepo } from '../../store/verification-repo.js';
import type { Store } from '../../store/store.js';
import type { Chat } from '../ports/chat.js';
import { Verifier } from './verifier.js';

/**
 * Builds stages 7–8 from the running parts: the Verifier (started later on
 * intake's job queue) and, when GitHub is on, the audit trail on the audit
 * branch. The GitHub adapters load only when GitHub is configured.
 */
export interface VerifyWiring {
  config: Pick<Config, 'dryRun'>;
  store: Store;
  knowledge: KnowledgeService;
  chat: Chat;
  github: GitHubService | null;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
}

export async function startVerify(wiring: VerifyWiring): Promise<{ verifier: Verifier; auditTrail: AuditTrail | null }> {
  const { github, log } = wiring;
  let auditTrail: AuditTrail | null = null;
  let readMergedChange: ConstructorParameters<typeof Verifier>[0]['readMergedChange'] = null;
  if (github) {
    const [{ GitHubAuditTrail }, { readMergedChange: read }] = await Promise.all([import('../../adapters/github/audit-trail.js'), import('../../adapters/github/merged-change-reader.js')]);
    auditTrail = new GitHubAuditTrail({ client: (repo) => github.forge.client(repo), log: log.child({ component: 'audit' }), dryRun: wiring.config.dryRun });
    readMergedChange = async (repo, mergeSha, planId) => read(await github.forge.client(repo), mergeSha, planId);
  }
  const verifier = new Verifier({
    store: wiring.store,
    clock: wiring.clock,
    log: log.child({ component: 'verify' }),
    chat: wiring.chat,
    readMergedChange,
    propose: github ? (request) => github.forge.propose(request) : null,
    remember: async (record) => (await wiring.knowledge.ready()).incidents.write(record),
    ...(wiring.metrics ? { observe: createVerifyMetrics(wiring.metrics, () => new VerificationRepo(wiring.store.db).countWatching()) } : {}),
  });
  return { verifier, auditTrail };
}
