import { executionWindowVerdict } from '../../config/repo-config/windows.js';
import { REPO_CONFIG_PATH, type RepoConfig } from '../../config/repo-config/schema.js';
import type { Risk } from '../../domain/action.js';
import type { PauseState } from '../../domain/execution.js';
import type { GateRecheck } from '../gate/run.js';
import type { RepoConfigRead } from '../gate/facts.js';
import { describeBreaker, type BreakerState } from './breaker.js';

/**
 * The checks a merged plan must pass before anything runs, as a pure
 * function of what was read. Every failing check gives one sentence; the
 * PR comment lists them all, so the reader knows exactly what to fix.
 *
 *  1. the gate, judged again on the merged head with the pinned plan hash;
 *  2. `paused: true` in `.github/pitcrew.yml` on the default branch;
 *  3. the runtime kill switch (`/pitcrew pause`);
 *  4. the execution windows for the plan's risk;
 *  5. the repository's circuit breaker.
 */
export interface PreflightFacts {
  gate: GateRecheck;
  config: RepoConfigRead;
  pause: PauseState;
  breaker: BreakerState | null;
  now: number;
  defaultBranch: string;
}

export interface PreflightVerdict {
  ok: boolean;
  reasons: string[];
  /** The risk the gate judged (null when it could not). */
  risk: Risk | null;
  config: RepoConfig | null;
}

export function preflight(facts: PreflightFacts): PreflightVerdict {
  const reasons: string[] = [];
  if (!facts.gate.ok) {
    const gateReasons = facts.gate.reasons.length > 0 ? facts.gate.reasons : ['the gate does not pass'];
    reasons.push(...gateReasons.map((reason) => `Gate: ${reason}`));
  }
  const risk = facts.gate.result.risk;
  let config: RepoConfig | null = null;
  if (facts.config.status === 'missing') reasons.push(`${REPO_CONFIG_PATH} is missing on ${facts.defaultBranch}, so nothing may run there`);
  else if (facts.config.status === 'invalid') reasons.push(`${REPO_CONFIG_PATH} on ${facts.defaultBranch} is invalid (see the pitcrew/config check), so nothing may run`);
  else {
    config = facts.config.config;
    if (config.paused) reasons.push(`Paused: \`paused: true\` is set in ${REPO_CONFIG_PATH} on ${facts.defaultBranch}`);
    const window = executionWindowVerdict(config.executionWindows, risk ?? 'high', facts.now);
    if (!window.open) reasons.push(`Outside the execution window: ${window.reason}`);
  }
  if (facts.pause.paused) {
    const who = facts.pause.by ? ` by ${facts.pause.by}` : '';
    const when = facts.pause.at ? ` at ${new Date(facts.pause.at).toISOString()}` : '';
    reasons.push(`Paused${who}${when} (/pitcrew pause)${facts.pause.reason ? `: ${facts.pause.reason}` : ''}`);
  }
  if (facts.breaker?.open) reasons.push(`Circuit breaker ${describeBreaker(facts.breaker)}; a human must reset it (\`pitcrew breaker reset ${facts.breaker.repo}\`)`);
  return { ok: reasons.length === 0, reasons, risk, config };
}
