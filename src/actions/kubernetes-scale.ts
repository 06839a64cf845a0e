import type { ScaleAction } from '../domain/action.js';
import type { z } from 'zod/v4';
import type { Logger } from '../ops/logger.js';
import type { Connector, ConnectorStatus } from '../pipeline/execute/ports.js';
import { IDEMPOTENCY_ANNOTATION, kubernetesError, mergePatch, type KubernetesClients } from './kubernetes-client.js';

/**
 * `kubernetes.scale`: one merge patch of the workload that sets
 * `spec.replicas` and records the action's idempotency key in a metadata
 * annotation, atomically, so `status` can tell whether this action (not just
 * any scale to the same count) was applied.
 */
type Action = z.infer<typeof ScaleAction>;

export function scaleConnector(deps: { clients: KubernetesClients; log: Logger }): Connector<'kubernetes.scale'> {
  const target = (action: Action) => `${action.resource} ${action.namespace}/${action.name}`;
  return {
    kind: 'kubernetes.scale',
    run: async (action, context) => {
      if (context.dryRun) {
        deps.log.info({ key: context.key, target: target(action), replicas: action.replicas }, `[dry-run] would scale ${target(action)} to ${action.replicas}`);
        return { outcome: 'dry_run', detail: `would scale ${target(action)} to ${action.replicas}` };
      }
      let client;
      try {
        client = deps.clients.apps(action.cluster);
      } catch (error) {
        return { outcome: 'failed', detail: (error as Error).message };
      }
      const body = { metadata: { annotations: { [IDEMPOTENCY_ANNOTATION]: context.key } }, spec: { replicas: action.replicas } };
      const request = { name: action.name, namespace: action.namespace, body };
      try {
        const before = await client.limiter.schedule(() => action.resource === 'deployment' ? client.api.readNamespacedDeployment(request) : client.api.readNamespacedStatefulSet(request));
        await context.checkpoint({ replicasBefore: before.spec?.replicas ?? null });
        await client.limiter.schedule(() => action.resource === 'deployment' ? client.api.patchNamespacedDeployment(request, mergePatch) : client.api.patchNamespacedStatefulSet(request, mergePatch));
        return { outcome: 'succeeded', detail: `scaled ${target(action)} from ${before.spec?.replicas ?? '?'} to ${action.replicas}` };
      } catch (error) {
        const { code, message } = kubernetesError(error);
        if (code !== null && code < 500) return { outcome: 'failed', detail: `${target(action)} was not scaled: ${message}` };
        return { outcome: 'unknown', detail: `scaling ${target(action)}: ${message}` };
      }
    },
    status: async (action, context): Promise<ConnectorStatus> => {
      if (context.dryRun) return { state: 'not_applied', detail: 'dry run' };
      const { api, limiter } = deps.clients.apps(action.cluster);
      const request = { name: action.name, namespace: action.namespace };
      const object = await limiter.schedule(() => action.resource === 'deployment' ? api.readNamespacedDeployment(request) : api.readNamespacedStatefulSet(request));
      if (object.metadata?.annotations?.[IDEMPOTENCY_ANNOTATION] === context.key) {
        return { state: 'applied', outcome: { outcome: 'succeeded', detail: `scaled ${target(action)} to ${object.spec?.replicas ?? '?'} (confirmed after a restart)` } };
      }
      return { state: 'not_applied', detail: `${target(action)} does not carry ${context.key}` };
    },
  };
}
