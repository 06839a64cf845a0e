import type { Action } from './action.js';

/** One line a human reads in a PR, a Slack thread or a check run: what the action does, to what. */
export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'gitops.patch':
      if (action.set) return `Edit ${action.path}${action.repo ? ` in ${action.repo}` : ''}: ${action.set.map((op) => `set ${op.path} = ${JSON.stringify(op.value)}`).join(', ')}`;
      return `Apply a diff to ${action.path}${action.repo ? ` in ${action.repo}` : ''}`;
    case 'github.workflow_dispatch': {
      const inputs = Object.entries(action.inputs ?? {}).map(([key, value]) => `${key}=${value}`);
      return `Run workflow ${action.workflow} on ${action.ref}${action.repo ? ` in ${action.repo}` : ''}${inputs.length > 0 ? ` with ${inputs.join(', ')}` : ''}`;
    }
    case 'github.rerun_failed_jobs':
      return `Re-run the failed jobs of run ${action.runId}${action.repo ? ` in ${action.repo}` : ''}`;
    case 'http.request':
      return `${action.method} ${action.url} (HMAC-signed)`;
    case 'kubernetes.rollout_restart':
      return `Restart ${action.resource} ${action.namespace}/${action.name}${action.cluster ? ` in ${action.cluster}` : ''}`;
    case 'kubernetes.scale':
      return `Scale ${action.resource} ${action.namespace}/${action.name} to ${action.replicas} replica${action.replicas === 1 ? '' : 's'}${action.cluster ? ` in ${action.cluster}` : ''}`;
    case 'notify':
      return `Human step: ${action.message}`;
  }
}
