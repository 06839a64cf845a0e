import { setTimeout as sleep } from 'node:timers/promises';
import { isPitcrewError } from '../domain/errors.js';
import type { Logger } from '../ops/logger.js';
import { openKnowledge, type Knowledge, type KnowledgeOptions } from './knowledge.js';

/**
 * The knowledge module inside the running service. It opens in the
 * background and keeps retrying while Chroma is unreachable, because an
 * outage of the vector store must not stop alerts from being acked and
 * stored: intake never waits on it, readiness reports Chroma's state, and
 * the stages that need retrieval wait for `ready()`.
 */
export interface KnowledgeService {
  /** Resolves once the collections are open (after any number of retries). */
  ready(): Promise<Knowledge>;
  /** Where opening stands: still on its first attempt, open, or failing (with the last error) and retrying. */
  status(): KnowledgeStatus;
  /** Resolves when the first runbook index run after opening has finished (or failed; it is logged). */
  runbooksIndexed: Promise<void>;
  stop(): Promise<void>;
}

export type KnowledgeStatus = { state: 'opening' } | { state: 'ready' } | { state: 'unavailable'; error: string };

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export function startKnowledge(options: KnowledgeOptions, log: Logger): KnowledgeService {
  const stopping = new AbortController();
  let status: KnowledgeStatus = { state: 'opening' };
  const opened = (async () => {
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const knowledge = await openKnowledge(options);
        status = { state: 'ready' };
        return knowledge;
      } catch (error) {
        status = { state: 'unavailable', error: (error as Error).message };
        if (stopping.signal.aborted) throw error;
        log.warn({ err: (error as Error).message, retryInMs: delay, chroma: options.chromaUrl }, 'knowledge cannot open its Chroma collections yet; retrying');
        await sleep(delay, undefined, { signal: stopping.signal });
      }
    }
  })();
  opened.catch(() => {}); // a stop during retries rejects it; nobody else must see an unhandled rejection

  const runbooksIndexed = opened.then(
    (knowledge) => {
      log.info({ embeddingModel: knowledge.embeddingModel, dirs: options.runbookDirs }, 'knowledge ready; indexing runbooks');
      return knowledge.indexRunbooks().then(
        () => undefined,
        (error: Error) => (isPitcrewError(error, 'input_invalid')
          ? log.warn({ err: error.message }, 'no runbooks indexed')
          : log.error({ err: error.message }, 'runbook indexing failed; retrieval uses what is indexed')),
      );
    },
    () => undefined,
  );

  return {
    ready: () => opened,
    status: () => status,
    runbooksIndexed,
    stop: async () => {
      stopping.abort();
      await runbooksIndexed;
    },
  };
}
