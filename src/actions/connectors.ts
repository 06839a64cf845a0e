import type { RepoClient } from '../adapters/github/repo-client.js';
import type { Clock } from '../domain/clock.js';
import type { Policy } from '../domain/policy.js';
import type { Logger } from '../ops/logger.js';
import type { Connectors } from '../pipeline/execute/ports.js';
import type { Chat } from '../pipeline/ports/chat.js';
import { gitopsPatchConnector } from './gitops-patch.js';
import { rerunFailedJobsConnector } from './github-rerun-failed-jobs.js';
import { workflowDispatchConnector } from './github-workflow-dispatch.js';
import { httpRequestConnector } from './http-request.js';
import { kubernetesClients } from './kubernetes-client.js';
import { rolloutRestartConnector } from './kubernetes-rollout-restart.js';
import { scaleConnector } from './kubernetes-scale.js';
import { notifyConnector } from './notify.js';

/** Every connector, built from configuration; `stop` releases their rate limiters. */
export interface ConnectorOptions {
  github: { client(repo: string): Promise<RepoClient>; botLogin(): Promise<string> };
  chat: Chat;
  policy: Policy;
  clock: Clock;
  log: Logger;
  /** PITCREW_KUBECONFIG; client-node's default loading when absent. */
  kubeconfig?: string;
  /** PITCREW_HTTP_ACTION_SECRET. */
  httpSecret?: string;
  httpTimeoutMs?: number;
  /** How often and how long to wait for GitHub Actions runs. */
  runPollMs?: number;
  runTimeoutMs?: number;
}

export function buildConnectors(options: ConnectorOptions): { connectors: Connectors; stop(): Promise<void> } {
  const log = options.log.child({ component: 'connectors' });
  const now = () => options.clock.now();
  const kubernetes = kubernetesClients({ ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}) });
  const http = httpRequestConnector({ policy: options.policy, secret: options.httpSecret, timeoutMs: options.httpTimeoutMs ?? 10_000, log, now });
  // Waiting for runs uses wall time: the poll sleeps are real.
  const github = { ...options.github, log, wait: { pollMs: options.runPollMs ?? 5_000, timeoutMs: options.runTimeoutMs ?? 30 * 60_000, now: () => Date.now() } };
  return {
    connectors: {
      'gitops.patch': gitopsPatchConnector(),
      'github.workflow_dispatch': workflowDispatchConnector(github),
      'github.rerun_failed_jobs': rerunFailedJobsConnector(github),
      'http.request': http,
      'kubernetes.rollout_restart': rolloutRestartConnector({ clients: kubernetes, log, now }),
      'kubernetes.scale': scaleConnector({ clients: kubernetes, log }),
      notify: notifyConnector({ chat: options.chat, log }),
    },
    stop: async () => {
      await Promise.all([http.stop(), kubernetes.stop()]);
    },
  };
}
