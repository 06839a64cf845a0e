import type { RolloutRestartAction } from '../domain/action.js';
import type { z } from 'zod/v4';
import type { Logger } from '../ops/logger.js';
import type { Connector, ConnectorStatus } from '../pipeline/execute/ports.js';
import { IDEMPOTENCY_ANNOTATION, RESTARTED_AT_ANNOTATION, kubernetesError, strategicMerge, type KubernetesClients } from './kubernetes-client.js';

/**
 * `kubernetes.rollout_restart`: what `kubectl rollout restart` does (a
 * strategic merge patch of the pod template's `restartedAt` annotation), plus
 * the action's idempotency key in a second template annotation, in the same
 * patch. `status` reads the workload back: the key is there exactly when the
 * restart was applied.
 */
type Action = z.infer<typeof RolloutRestartAction>;

export function rolloutRestartConnector(deps: { clients: KubernetesClients; log: Logger; now: () => number }): Connector<'kubernetes.rollout_restart'> {
  const target = (action: Action) => `${action.resource} ${action.namespace}/${action.name}`;
  const read = async (action: Action) => {
    const { api, limiter } = deps.clients.apps(action.cluster);
    const request = { name: action.name, namespace: action.namespace };
    const object = await limiter.schedule(() => action.resource === 'deployment' ? api.readNamespacedDeployment(request) : action.resource === 'statefulset' ? api.readNamespacedStatefulSet(request) : api.readNamespacedDaemonSet(request));
    return object.spec?.template.metadata?.annotations ?? {};
  };
  return {
    kind: 'kubernetes.rollout_restart',
    run: async (action, context) => {
      if (context.dryRun) {
        deps.log.info({ key: context.key, target: target(action) }, `[dry-run] would restart ${target(action)}`);
        return { outcome: 'dry_run', detail: `would restart ${target(action)}` };
      }
      let client;
      try {
        client = deps.clients.apps(action.cluster);
      } catch (error) {
        return { outcome: 'failed', detail: (error as Error).message };
      }
      const at = new Date(deps.now()).toISOString();
      const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at, [IDEMPOTENCY_ANNOTATION]: context.key } } } } };
      const request = { name: action.name, namespace: action.namespace, body };
      try {
        await client.limiter.schedule(() => action.resource === 'deployment'
          ? client.api.patchNamespacedDeployment(request, strategicMerge)
          : action.resource === 'statefulset' ? client.api.patchNamespacedStatefulSet(request, strategicMerge) : client.api.patchNamespacedDaemonSet(request, strategicMerge));
      } catch (error) {
        const { code, message } = kubernetesError(error);
        // A refusal (4xx) changed nothing; no answer at all may have changed something.
        if (code !== null && code < 500) return { outcome: 'failed', detail: `${target(action)} was not restarted: ${message}` };
        return { outcome: 'unknown', detail: `restarting ${target(action)}: ${message}` };
      }
      return { outcome: 'succeeded', detail: `restarted ${target(action)} (restartedAt ${at})` };
    },
    status: async (action, context): Promise<ConnectorStatus> => {
      if (context.dryRun) return { state: 'not_applied', detail: 'dry run' };
      const annotations = await read(action);
      if (annotations[IDEMPOTENCY_ANNOTATION] === context.key) {
        return { state: 'applied', outcome: { outcome: 'succeeded', detail: `restarted ${target(action)} (restartedAt ${annotations[RESTARTED_AT_ANNOTATION] ?? '?'}; confirmed after a restart)` } };
      }
      return { state: 'not_applied', detail: `${target(action)} does not carry ${context.key}` };
    },
  };
}
