/**
 * Local stand-ins for GitHub, Slack and the Kubernetes API, used by the test
 * suites and by `npm run demo`. Each listens on 127.0.0.1 and keeps state; see
 * src/sandbox/README.md for the programmatic API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../domain/clock.js';
import { FakeGitHub, type FakeGitHubOptions } from './github/fake-github.js';
import { FakeKubernetes, type FakeKubernetesOptions } from './kubernetes/fake-kubernetes.js';
import { FakeSlack, type FakeSlackOptions } from './slack/fake-slack.js';

export { FakeGitHub, type FakeApp, type FakeGitHubOptions } from './github/fake-github.js';
export { GitHubSessionError, UserSession } from './github/session.js';
export { appOptionsFromManifest } from './github/manifest.js';
export type { Delivery, DeliveryAttempt } from './github/webhooks/sender.js';
export { signSha256 } from './github/webhooks/sign.js';
export type { WriteRecord, SecondaryLimits } from './github/write-log.js';
export type { WorkflowScript } from './github/ops/actions.js';
export type { JobScript } from './github/model.js';
export { FakeSlack, type FakeSlackOptions } from './slack/fake-slack.js';
export { SlackRequestSender, slackSignature, type SigningOptions } from './slack/signed-requests.js';
export { validateBlocks } from './slack/block-kit.js';
export type { SlackRateLimits } from './slack/rate-limits.js';
export { FakeKubernetes, RESTARTED_AT, type FakeKubernetesOptions } from './kubernetes/fake-kubernetes.js';

export interface Sandbox {
  github: FakeGitHub;
  slack: FakeSlack;
  kubernetes: FakeKubernetes;
  /** Scratch directory for repositories and the kubeconfig (removed by stop()). */
  dir: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

/** Starts all three fakes; `stop()` shuts them down and removes their files. */
export async function startSandbox(options: { clock?: Clock; github?: FakeGitHubOptions; slack?: FakeSlackOptions; kubernetes?: FakeKubernetesOptions } = {}): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'pitcrew-sandbox-'));
  const clock = options.clock ? { clock: options.clock } : {};
  const [github, slack, kubernetes] = await Promise.all([
    FakeGitHub.start({ dir: join(dir, 'repos'), ...clock, ...options.github }),
    FakeSlack.start({ ...clock, ...options.slack }),
    FakeKubernetes.start({ ...clock, ...options.kubernetes }),
  ]);
  const kubeconfigPath = kubernetes.writeKubeconfig(join(dir, 'kubeconfig'));
  return {
    github,
    slack,
    kubernetes,
    dir,
    kubeconfigPath,
    async stop() {
      await Promise.allSettled([github.stop(), slack.stop(), kubernetes.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
