import * as k8s from '@kubernetes/client-node';
import { createRateLimiter, type RateLimiter } from '../ops/rate-limit/limiter.js';

/**
 * Kubernetes API clients from a kubeconfig: the file named by
 * PITCREW_KUBECONFIG, else client-node's default (KUBECONFIG, ~/.kube/config,
 * in-cluster). One client per context (an action's `cluster`); every call
 * goes through one limiter per cluster.
 */
export interface KubernetesClients {
  /** The apps/v1 client for `cluster` (the current context when absent). Throws a readable error when it cannot be built. */
  apps(cluster: string | undefined): { api: k8s.AppsV1Api; name: string; limiter: RateLimiter };
  stop(): Promise<void>;
}

export const IDEMPOTENCY_ANNOTATION = 'pitcrew.dev/idempotency-key';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
export const strategicMerge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
export const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export function kubernetesClients(options: { kubeconfig?: string; perMinute?: number }): KubernetesClients {
  let base: k8s.KubeConfig | null = null;
  const clients = new Map<string, { api: k8s.AppsV1Api; name: string; limiter: RateLimiter }>();
  const load = () => {
    if (base) return base;
    const kc = new k8s.KubeConfig();
    try {
      if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
      else kc.loadFromDefault();
    } catch (error) {
      throw new Error(`cannot read the kubeconfig ${options.kubeconfig ?? '(default)'}: ${(error as Error).message}; set PITCREW_KUBECONFIG`);
    }
    base = kc;
    return kc;
  };
  return {
    apps: (cluster) => {
      const kc = load();
      const name = cluster ?? kc.getCurrentContext();
      const cached = clients.get(name);
      if (cached) return cached;
      if (!kc.getContextObject(name)) throw new Error(`the kubeconfig has no context "${name}" (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
      const scoped = new k8s.KubeConfig();
      scoped.loadFromString(kc.exportConfig());
      scoped.setCurrentContext(name);
      const client = { api: scoped.makeApiClient(k8s.AppsV1Api), name, limiter: createRateLimiter({ name: `kubernetes-${name}`, maxConcurrent: 1, perMinute: options.perMinute ?? 60, perHour: 1_000 }) };
      clients.set(name, client);
      return client;
    },
    stop: async () => {
      await Promise.all([...clients.values()].map((client) => client.limiter.stop()));
    },
  };
}

/** client-node's ApiException as one line: the HTTP code and the Status message. */
export function kubernetesError(error: unknown): { code: number | null; message: string } {
  const apiError = error as { code?: number; body?: unknown; message?: string };
  if (typeof apiError.code === 'number') {
    let message = '';
    try {
      const body = typeof apiError.body === 'string' ? (JSON.parse(apiError.body) as { message?: string }) : (apiError.body as { message?: string } | undefined);
      message = body?.message ?? '';
    } catch {
      message = String(apiError.body ?? '');
    }
    return { code: apiError.code, message: `HTTP ${apiError.code}${message ? `: ${message}` : ''}` };
  }
  return { code: null, message: apiError.message ?? String(error) };
}
