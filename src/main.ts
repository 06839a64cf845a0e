import { startGitHubFromConfig } from './adapters/github/from-config.js';
import type { GitHubService } from './adapters/github/mount.js';
import type { Config } from './config/config.js';
import { describeFeatures } from './config/features.js';
import { isPitcrewError } from './domain/errors.js';
import { systemClock, type Clock } from './domain/clock.js';
import { mountHealthRoutes, type ReadinessCheck } from './http/health-routes.js';
import { HttpServer } from './http/server.js';
import { startChroma, type ChromaService } from './knowledge/chroma/chroma-service.js';
import { createEmbeddingModel } from './knowledge/embeddings/create-embeddings.js';
import { openKnowledge, type Knowledge } from './knowledge/knowledge.js';
import type { Logger } from './ops/logger.js';
import { createMetrics } from './ops/metrics.js';
import { openStore, type Store } from './store/store.js';

/**
 * Composition root: builds the adapters from config and starts them. No logic
 * lives here; each part is built by its own module and passed what it needs.
 */
export interface RunningService {
  port: number;
  store: Store;
  chroma: ChromaService;
  /** Runbooks, incident and CI-failure memory, and the Retriever over them (pipeline stage 2). */
  knowledge: Knowledge;
  /** Resolves when the startup runbook index run has finished (or failed; it is logged). */
  runbooksIndexed: Promise<void>;
  /** The GitHub App and its Forge; null when GitHub is not configured. */
  github: GitHubService | null;
  /** Stop accepting, finish in-flight work, close the store, stop Chroma. */
  stop(): Promise<void>;
}

export interface ServiceDeps {
  clock?: Clock;
}

export async function startService(config: Config, log: Logger, deps: ServiceDeps = {}): Promise<RunningService> {
  const clock = deps.clock ?? systemClock;
  const metrics = createMetrics();
  const http = new HttpServer(log, metrics);
  const checks: ReadinessCheck[] = [];
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: Error) => log.error({ err: error.message }, 'error while stopping'));
  };

  // 1. Health first, so probes see "starting" rather than a refused connection.
  mountHealthRoutes(http, metrics, () => checks);
  const port = await http.listen(config.port, config.host);
  stops.push(() => http.close());
  log.info({ port, host: config.host }, 'http server listening');

  try {
    // 2. The store and Chroma come up side by side.
    const [store, chroma] = await bothOrStop(openStore(config.store), startChroma(config.chroma, log), stops);
    log.info({ store: store.description }, 'store ready');

    // 3. Knowledge: collections open now; runbooks index in the background, so
    // readiness does not wait on embedding. Retrieval waits (bounded) for the first run.
    const knowledge = await openKnowledge({
      chromaUrl: chroma.url,
      embedding: createEmbeddingModel(config.knowledge.embeddings),
      runbookDirs: config.knowledge.runbookDirs,
      minEvidence: config.knowledge.minEvidence,
      log,
      clock,
    });
    log.info({ embeddingModel: knowledge.embeddingModel, dirs: config.knowledge.runbookDirs }, 'knowledge ready; indexing runbooks');
    const runbooksIndexed = knowledge.indexRunbooks().then(
      () => undefined,
      (error: Error) => (isPitcrewError(error, 'input_invalid')
        ? log.warn({ err: error.message }, 'no runbooks indexed')
        : log.error({ err: error.message }, 'runbook indexing failed; retrieval uses what is indexed')),
    );
    stops.push(() => runbooksIndexed);

    // 4. GitHub: webhooks and the Forge when configured, else the app setup page.
    const github = await startGitHubFromConfig(config, http, log, port);
    if (github) stops.push(() => github.stop());

    // Ready from here on: everything above is up (runbook indexing goes on in the background).
    checks.push(
      { name: 'store', ready: () => store.ping().then(() => true, () => false) },
      { name: 'chroma', ready: () => chroma.ready() },
    );

    for (const feature of describeFeatures(config)) {
      log.info({ feature: feature.name, on: feature.on, detail: feature.detail }, `feature ${feature.name} ${feature.on ? 'on' : 'off'}`);
    }
    if (!config.alerts.token) log.warn('PITCREW_ALERT_TOKEN is not set: alert endpoints accept requests from loopback only');

    return { port, store, chroma, knowledge, runbooksIndexed, github, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Awaits both; registers a stop for each that started, so a failure of one never orphans the other. */
async function bothOrStop(
  storePromise: Promise<Store>,
  chromaPromise: Promise<ChromaService>,
  stops: Array<() => Promise<void>>,
): Promise<[Store, ChromaService]> {
  const [store, chroma] = await Promise.allSettled([storePromise, chromaPromise]);
  if (store.status === 'fulfilled') stops.push(() => store.value.close());
  if (chroma.status === 'fulfilled') stops.push(() => chroma.value.stop());
  if (store.status === 'rejected') throw store.reason;
  if (chroma.status === 'rejected') throw chroma.reason;
  return [store.value, chroma.value];
}
