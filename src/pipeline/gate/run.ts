import type { KeyedLock } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import type { PinnedGate, PullRef } from '../ports/forge.js';
import { evaluateGate, type GateOptions } from './evaluate.js';
import type { GateFacts, GateResult } from './facts.js';

/**
 * Stage 5, the gate: read the live PR, judge it, publish the verdict. Runs
 * on every review and push event; one evaluation per PR at a time, each
 * re-reading everything, so the last verdict published is about the latest state.
 */
export interface GateIo {
  read(ref: PullRef): Promise<GateFacts>;
  publish(result: GateResult, facts: GateFacts): Promise<void>;
}

export interface GateStageDeps {
  options: GateOptions;
  mutex: KeyedLock;
  log: Logger;
}

export async function runGate(ref: PullRef, io: GateIo, deps: GateStageDeps): Promise<GateResult> {
  return deps.mutex.run(`gate:${ref.repo.toLowerCase()}#${ref.number}`, async () => {
    const facts = await io.read(ref);
    if (facts.state === 'closed') {
      const result = evaluateGate(facts, deps.options);
      deps.log.debug({ repo: ref.repo, pull: ref.number }, 'gate not published: the PR is closed');
      return result;
    }
    const result = evaluateGate(facts, deps.options);
    await io.publish(result, facts);
    deps.log.info({ repo: ref.repo, pull: ref.number, sha: result.sha, pass: result.pass, plan: result.plan?.id, risk: result.risk, approvals: result.approvals.map((a) => a.login), reasons: result.reasons }, `gate ${result.pass ? 'passed' : 'failed'}`);
    return result;
  });
}

/**
 * For the executor, on merge: the live PR judged again, then held against
 * what was merged. Every check must hold, or nothing runs:
 *  - the gate passes now (approvals on the head, allowed approvers, config valid);
 *  - its head is the SHA that was merged;
 *  - the plan at the head hashes to the plan in the merge commit;
 *  - pitcrew's own `pitcrew/gate` status on that SHA said success for that same hash.
 */
export interface GateRecheck {
  ok: boolean;
  reasons: string[];
  result: GateResult;
  pinned: PinnedGate | null;
}

export async function recheckGate(
  ref: PullRef,
  io: { read(ref: PullRef): Promise<GateFacts>; readPinned(repo: string, sha: string): Promise<PinnedGate | null> },
  options: GateOptions,
  merged: { headSha: string; planHash: string },
): Promise<GateRecheck> {
  const facts = await io.read(ref);
  const result = evaluateGate(facts, options);
  const reasons = [...result.reasons];
  if (!result.plan) reasons.push('the PR carries no plan');
  if (result.sha !== merged.headSha) reasons.push(`the PR's head is ${result.sha.slice(0, 7)}, but ${merged.headSha.slice(0, 7)} was merged`);
  if (result.plan && result.plan.hash !== merged.planHash) reasons.push(`the merged plan hashes to ${merged.planHash.slice(0, 19)}…, but the approved plan to ${result.plan.hash.slice(0, 19)}…`);
  const pinned = await io.readPinned(ref.repo, merged.headSha);
  if (!pinned) reasons.push(`pitcrew never published a pitcrew/gate status on ${merged.headSha.slice(0, 7)}`);
  else if (pinned.state !== 'success') reasons.push(`the pitcrew/gate status on ${merged.headSha.slice(0, 7)} is ${pinned.state}: ${pinned.description}`);
  else if (pinned.planHash !== merged.planHash) reasons.push(`the pitcrew/gate status on ${merged.headSha.slice(0, 7)} pinned ${pinned.planHash ?? 'no plan'}, not the merged plan`);
  return { ok: reasons.length === 0 && result.pass, reasons, result, pinned };
}
