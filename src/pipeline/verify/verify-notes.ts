import type { Incident } from '../../domain/incident.js';
import type { Verification } from '../../store/verification-repo.js';
import type { ExecutionNote } from '../ports/chat.js';

/**
 * What the verify stage says, pure: the chat notes an on-call engineer reads
 * in five seconds, and the incident summary stored in memory for the next
 * retrieval to find.
 */
const minutes = (ms: number) => (ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`);

export function clearedNote(verification: Verification, incident: Incident, at: number, stillFiring: number): ExecutionNote {
  return {
    title: `Verified: ${verification.detail.alertname ?? 'the alert'} cleared ${minutes(at - verification.executedAt)} after ${verification.planId} ran`,
    outcome: 'cleared',
    lines: [
      stillFiring === 0 ? `Incident #${incident.number} resolved.` : `Incident #${incident.number} stays open: ${stillFiring} other alert(s) still firing.`,
      `Fix: ${verification.detail.planSummary}`,
      'Summary stored in incident memory.',
    ],
    url: verification.detail.prUrl,
  };
}

export function revertingNote(verification: Verification, revert: { number: number; url: string; status: string }, files: string[]): ExecutionNote {
  return {
    title: `Not cleared within ${minutes(verification.detail.windowSeconds * 1000)}: revert PR #${revert.number} ${revert.status === 'opened' ? 'opened' : 'ready'}`,
    outcome: 'reverting',
    lines: [
      `${verification.detail.alertname ?? 'The alert'} is still firing after ${verification.planId} (${verification.repo}#${verification.prNumber}).`,
      `Revert restores ${files.join(', ')}; it needs the same approvals as the fix before it runs.`,
    ],
    url: revert.url,
  };
}

export function notClearedNote(verification: Verification, reason: string, humanSteps: string[]): ExecutionNote {
  return {
    title: `Not cleared within ${minutes(verification.detail.windowSeconds * 1000)}: a human must take over`,
    outcome: 'not_cleared',
    lines: [
      `${verification.detail.alertname ?? 'The alert'} is still firing after ${verification.planId} (${verification.repo}#${verification.prNumber}).`,
      `No revert PR: ${reason}.`,
      ...humanSteps.map((step) => `To undo: ${step}`),
    ],
    url: verification.detail.prUrl,
  };
}

export interface IncidentMemoryRecord {
  id: string;
  title: string;
  text: string;
  metadata: Record<string, string | number | boolean>;
}

export function incidentMemoryRecord(verification: Verification, incident: Incident, at: number): IncidentMemoryRecord {
  const { detail } = verification;
  const text = [
    `${incident.title}.`,
    `Cause: ${detail.probableCause}`,
    `Fixed by ${verification.planId} (${detail.planSummary}), ${verification.repo}#${verification.prNumber}: ${detail.prUrl}.`,
    ...(detail.actions.length > 0 ? [`What ran: ${detail.actions.join('; ')}.`] : []),
    `Approved by ${detail.approvedBy.join(', ') || 'nobody'}; merged by ${detail.mergedBy ?? 'unknown'}.`,
    `The alert cleared ${minutes(at - verification.executedAt)} after the fix ran; time to resolve ${minutes(at - incident.openedAt)}.`,
  ].join('\n');
  return {
    id: incident.id,
    title: `#${incident.number} ${incident.title}`.slice(0, 500),
    text,
    metadata: {
      incidentId: incident.id,
      repo: verification.repo,
      planId: verification.planId,
      pr: verification.prNumber,
      resolvedAt: at,
      ...(detail.service ? { service: detail.service } : {}),
      ...(detail.alertname ? { alertname: detail.alertname } : {}),
    },
  };
}
