import type { GateResult } from '../../pipeline/gate/facts.js';
import type { PinnedGate } from '../../pipeline/ports/forge.js';
import type { RepoClient } from './repo-client.js';

/**
 * The `pitcrew/gate` commit status: pass or fail on the head SHA, why in one
 * line, and the plan hash pinned in its target URL (which opens the plan file
 * at that SHA). Branch protection can require it; the executor re-reads it.
 */
export const GATE_CONTEXT = 'pitcrew/gate';
const PIN = /#pitcrew-plan=(sha256:[0-9a-f]{64})$/;
const PLAN_IN_URL = /\/\.pitcrew\/plans\/(plan_[a-z0-9]+)\.yaml#/;

export function gateTargetUrl(result: GateResult, htmlUrl: string): string {
  if (!result.plan) return `${htmlUrl}/pull/${result.number}`;
  return `${htmlUrl}/blob/${result.sha}/${result.plan.path}#pitcrew-plan=${result.plan.hash}`;
}

export async function setGateStatus(client: RepoClient, result: GateResult, htmlUrl: string): Promise<void> {
  await client.setStatus({ sha: result.sha, state: result.pass ? 'success' : 'failure', context: GATE_CONTEXT, description: result.summary, targetUrl: gateTargetUrl(result, htmlUrl) });
}

export async function readPinnedGate(client: RepoClient, sha: string, botLogin: string): Promise<PinnedGate | null> {
  const statuses = await client.statuses(sha);
  const ours = statuses
    .filter((status) => status.context === GATE_CONTEXT && status.creator?.login?.toLowerCase() === botLogin.toLowerCase())
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)[0];
  if (!ours) return null;
  const url = ours.target_url ?? '';
  return {
    sha,
    state: ours.state as PinnedGate['state'],
    description: ours.description ?? '',
    planHash: PIN.exec(url)?.[1] ?? null,
    planId: PLAN_IN_URL.exec(url)?.[1] ?? null,
    createdAt: Date.parse(ours.created_at),
  };
}
