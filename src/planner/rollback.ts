import type { Action } from '../domain/action.js';

/** How to undo an action, when the runbook does not say. Executors record prior state to make these possible. */
export function rollbackFor(action: Action): string | undefined {
  switch (action.kind) {
    case 'gitops.patch':
      return `Revert the fix PR's change to ${action.repo ? `${action.repo}:` : ''}${action.path} (pitcrew proposes a revert PR if the alert does not clear).`;
    case 'kubernetes.scale':
      return `Scale ${action.namespace}/${action.resource}/${action.name} back to the replica count recorded before the change.`;
    case 'kubernetes.rollout_restart':
      return `A restart has no undo; if the new pods are unhealthy, roll back with: kubectl rollout undo ${action.resource}/${action.name} -n ${action.namespace}.`;
    case 'github.workflow_dispatch':
      return `Check the ${action.workflow} run's output; undo what it changed by hand if needed.`;
    case 'http.request':
      return `Undo the effect of ${action.method} ${action.url} by hand if needed.`;
    case 'github.rerun_failed_jobs':
    case 'notify':
      return undefined;
  }
}

export function deriveRollback(actions: Action[]): string[] {
  const steps = actions.map(rollbackFor).filter((step): step is string => step !== undefined);
  return steps.length > 0 ? steps : ['Nothing to roll back: the plan makes no automated change.'];
}
