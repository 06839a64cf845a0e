import type { Action } from '../../domain/action.js';
import { describeAction } from '../../domain/describe-action.js';
import type { ActionRecord, KillSwitch } from '../../domain/execution.js';
import type { Incident } from '../../domain/incident.js';
import type { Plan } from '../../domain/plan.js';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../ops/logger.js';
import type { ExecutionJournal } from '../../store/execution-journal.js';
import type { Connector, ConnectorContext, ConnectorOutcome, Connectors, MergedPull } from './ports.js';

/**
 * Runs a plan's actions in order, each behind its journal entry:
 *
 *  1. the entry `<planId>:<mergeSha>:<index>` is committed (only while this
 *     process holds the execution's lease) before the action runs;
 *  2. an entry already finished is not run again: its outcome stands;
 *  3. an entry left pending (a crash mid-action) is an unknown outcome: the
 *     connector is asked for the action's state, and the action runs only
 *     when the connector is sure it never happened;
 *  4. the first failed or unknown action stops the plan; the rest are skipped;
 *  5. the runtime kill switch is read before each action, so `/pitcrew pause`
 *     stops a plan between two actions.
 */
export class LeaseLost extends Error {
  constructor(readonly executionId: string) {
    super(`another process took over execution ${executionId}`);
  }
}

export interface RunActionsDeps {
  journal: ExecutionJournal;
  connectors: Connectors;
  killSwitch: KillSwitch;
  clock: Clock;
  log: Logger;
  dryRun: boolean;
  owner: string;
  /** Fault injection for the crash tests: runs after an entry is committed and before its action. */
  afterJournal?: (key: string) => Promise<void>;
  /** Fault injection for the crash tests: runs after an action's side effect, before its outcome is journaled. */
  afterAction?: (key: string) => Promise<void>;
}

export function actionKey(planId: string, mergeSha: string, index: number): string {
  return `${planId}:${mergeSha}:${index}`;
}

export async function runActions(executionId: string, plan: Plan, pull: MergedPull, incident: Incident | null, deps: RunActionsDeps): Promise<ActionRecord[]> {
  const records: ActionRecord[] = [];
  let stopped: string | null = null;
  const journaled = new Map((await deps.journal.actions(executionId)).map((row) => [row.key, row]));
  for (const [index, action] of plan.actions.entries()) {
    const key = actionKey(plan.id, pull.mergeSha, index);
    const ref = { key, index, kind: action.kind };
    const record = (outcome: ActionRecord['outcome'], detail: string) => records.push({ index, type: action.kind, idempotencyKey: key, outcome, detail });
    // Only an action not yet started can be held back; one already journaled is finished or asked about below.
    if (!journaled.has(key)) {
      if (!stopped) {
        const pause = await deps.killSwitch.state();
        if (pause.paused) stopped = `paused${pause.by ? ` by ${pause.by}` : ''} before this action`;
      }
      if (stopped) {
        await deps.journal.skipAction(executionId, deps.owner, ref, `not run: ${stopped}`, deps.clock.now());
        record('skipped', `not run: ${stopped}`);
        continue;
      }
    }

    const claim = await deps.journal.startAction(executionId, deps.owner, ref, deps.clock.now());
    if (claim.status === 'lost') throw new LeaseLost(executionId);
    const row = claim.row;
    let outcome: ConnectorOutcome;
    if (claim.status === 'existing' && row.state !== 'pending') {
      outcome = { outcome: row.state as ConnectorOutcome['outcome'], detail: row.detail };
      deps.log.info({ key, state: row.state }, 'action already journaled; not run again');
      record(row.state as ActionRecord['outcome'], row.detail);
      if (row.state === 'failed' || row.state === 'unknown') stopped = `action ${index + 1} ${row.state}`;
      if (row.state === 'skipped') stopped = row.detail.replace(/^not run: /, '');
      continue;
    }
    const connector = deps.connectors[action.kind] as Connector;
    const context: ConnectorContext = {
      key, repo: pull.repo, mergeSha: pull.mergeSha, prNumber: pull.number, incident, dryRun: deps.dryRun,
      checkpoint: (data) => deps.journal.checkpoint(key, deps.owner, data),
      saved: row.checkpoint ? (JSON.parse(row.checkpoint) as Record<string, unknown>) : null,
      startedAt: Number(row.started_at),
    };
    if (claim.status === 'fresh') {
      if (deps.afterJournal) await deps.afterJournal(key);
      outcome = await guarded(() => connector.run(action, context), action);
    } else {
      // Pending from an earlier attempt: its outcome is unknown. Ask; never simply run again.
      const status = await connector.status(action, context).catch((error: Error) => ({ state: 'unknown' as const, detail: `could not read its state: ${error.message}` }));
      deps.log.warn({ key, state: status.state, attempts: row.attempts }, 'resuming an action whose outcome was unknown');
      if (status.state === 'applied') outcome = status.outcome;
      else if (status.state === 'not_applied') outcome = await guarded(() => connector.run(action, context), action);
      else outcome = { outcome: 'unknown', detail: `outcome unknown after a restart (${status.detail}); check by hand, then run it yourself if needed` };
    }
    if (deps.afterAction) await deps.afterAction(key);
    await deps.journal.finishAction(key, deps.owner, outcome.outcome, outcome.detail, deps.clock.now());
    deps.log.info({ key, kind: action.kind, outcome: outcome.outcome }, 'action finished');
    record(outcome.outcome, outcome.detail);
    if (outcome.outcome === 'failed' || outcome.outcome === 'unknown') stopped = `action ${index + 1} ${outcome.outcome}`;
  }
  return records;
}

/** A connector that throws did not say what happened: treat it as unknown, never as "not applied". */
async function guarded(run: () => Promise<ConnectorOutcome>, action: Action): Promise<ConnectorOutcome> {
  try {
    return await run();
  } catch (error) {
    return { outcome: 'unknown', detail: `${describeAction(action)}: ${(error as Error).message}` };
  }
}
