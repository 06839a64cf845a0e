import type { Clock } from '../../domain/clock.js';
import type { Policy } from '../../domain/policy.js';
import { createDiagnoser } from '../../diagnosis/diagnose.js';
import { ciFailureMemoryWhenReady } from '../../knowledge/ci-failure-memory.js';
import type { KnowledgeService } from '../../knowledge/knowledge-service.js';
import type { KeyedLock } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { ConfirmedDiagnosisRepo } from '../../store/ci-confirmed-repo.js';
import { CiHistoryRepo } from '../../store/ci-history-repo.js';
import type { Store } from '../../store/store.js';
import type { CiHandlerDeps } from './ci-handlers.js';
import type { GitHubForge } from './forge.js';

/**
 * What the composition root hands the GitHub App so it diagnoses CI
 * failures: the store (history and confirmed diagnoses), the knowledge
 * module (the `ci_failures` memory) and the synchronous redaction used for
 * text stored in them. Without it the app does not listen to CI events.
 */
export interface CiWiring {
  store: Store;
  knowledge?: KnowledgeService;
  clock: Clock;
  /** Synchronous redaction with the same extra patterns as the Redactor. */
  redactSync: (text: string) => string;
  maxLogBytes?: number;
  annotations?: boolean;
}

export function ciHandlerDeps(wiring: CiWiring, parts: { forge: GitHubForge; policy: Policy; redactor: Redactor; log: Logger; dryRun: boolean; mutex: KeyedLock }): CiHandlerDeps {
  const { store, clock } = wiring;
  return {
    diagnoser: createDiagnoser({ examples: new ConfirmedDiagnosisRepo(store.db, clock), redact: wiring.redactSync }),
    history: new CiHistoryRepo(store.db, clock),
    ...(wiring.knowledge ? { memory: ciFailureMemoryWhenReady(wiring.knowledge) } : {}),
    redact: async (text) => (await parts.redactor.redact(text)).text,
    redactSync: wiring.redactSync,
    clock,
    log: parts.log.child({ stage: 'ci' }),
    dryRun: parts.dryRun,
    mutex: parts.mutex,
    botLogin: () => parts.forge.botLogin(),
    propose: (request) => parts.forge.propose(request),
    policy: parts.policy,
    ...(wiring.maxLogBytes ? { maxLogBytes: wiring.maxLogBytes } : {}),
    ...(wiring.annotations !== undefined ? { annotations: wiring.annotations } : {}),
  };
}
