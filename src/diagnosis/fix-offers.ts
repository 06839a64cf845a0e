import type { Diagnosis } from './diagnose.js';
import type { FlakyDecision } from './history.js';

/**
 * Fixes pitcrew can offer for a diagnosed class of failure. They are offers,
 * not actions: the planner turns an accepted offer into a plan that goes
 * through the same PR and approval gate as every other change.
 */
export type FixOffer =
  | { kind: 'rerun_failed_jobs'; title: string; why: string }
  | { kind: 'regenerate_lockfile'; title: string; why: string; command: string }
  | { kind: 'update_snapshots'; title: string; why: string; command: string };

const LOCKFILE_COMMANDS: Array<[RegExp, string]> = [
  [/ERR_PNPM_OUTDATED_LOCKFILE|pnpm-lock\.yaml/, 'pnpm install --no-frozen-lockfile'],
  [/yarn\.lock|Your lockfile needs to be updated/i, 'yarn install'],
  [/package-lock\.json|npm ci/, 'npm install --package-lock-only'],
  [/poetry\.lock/, 'poetry lock --no-update'],
  [/Cargo\.lock|--locked/, 'cargo update --workspace'],
  [/go\.sum|go\.mod/, 'go mod tidy'],
  [/Gemfile\.lock/, 'bundle lock'],
  [/composer\.lock/, 'composer update --lock'],
];

const SNAPSHOT_COMMANDS: Array<[RegExp, string]> = [
  [/vitest/i, 'npx vitest run -u'],
  [/jest|toMatch(?:Inline)?Snapshot|›\s+\d+ snapshots? failed/i, 'npx jest -u'],
  [/trybuild|\[should (?:fail to )?compile\]/, 'TRYBUILD=overwrite cargo test'],
  [/insta|\.snap\b/, 'cargo insta accept'],
  [/syrupy|--snapshot-update/, 'pytest --snapshot-update'],
];

export function fixOffers(diagnosis: Diagnosis, flaky?: FlakyDecision): FixOffer[] {
  const text = diagnosis.blocks.flatMap((b) => b.lines.map((l) => l.text)).join('\n');
  const offers: FixOffer[] = [];
  if (flaky?.flaky || (diagnosis.transient && diagnosis.category === 'network_or_flaky')) {
    offers.push({ kind: 'rerun_failed_jobs', title: 'Re-run the failed jobs', why: flaky?.flaky ? flaky.reasons.join('; ') : 'the failure looks transient (network)' });
  }
  if (diagnosis.category === 'dependency_install' && /lock ?file|frozen|in sync|--locked|needs to be updated/i.test(text)) {
    const command = LOCKFILE_COMMANDS.find(([re]) => re.test(text))?.[1];
    if (command) offers.push({ kind: 'regenerate_lockfile', title: 'Regenerate the lockfile', why: 'the lockfile is out of sync with the manifest', command });
  }
  if (diagnosis.category === 'snapshot_diff' || (diagnosis.category === 'compile_error' && /\[should (?:fail to )?compile\] \.\.\. mismatch/.test(text))) {
    const command = SNAPSHOT_COMMANDS.find(([re]) => re.test(text))?.[1];
    if (command) offers.push({ kind: 'update_snapshots', title: 'Update the snapshots', why: 'stored snapshots no longer match the output; review the diff before accepting', command });
  }
  return offers;
}
