import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../ops/logger.js';
import type { SlackOutbound } from './outbound.js';

export type SlackPermission = 'respond' | 'operate';

export interface Decision {
  allowed: boolean;
  /** Why not, in words the person who pressed can act on. */
  reason?: string;
}

export interface SlackAuthorizer {
  check(userId: string, permission: SlackPermission): Promise<Decision>;
  /** The GitHub login a Slack user acts as, when the identity map names one. */
  githubLogin(userId: string): string | undefined;
}

const GROUP_TTL_MS = 60_000;

/**
 * Who may do what from Slack, by configuration (SLACK_RESPONDERS,
 * SLACK_OPERATORS): user ids match directly, user groups by membership
 * (cached for a minute). Approving a fix is not a permission here at all:
 * approval is a GitHub review on the PR's head commit.
 */
export function slackAuthorizer(
  config: { responders: string[] | null; operators: string[]; githubUsers: Record<string, string> },
  deps: { outbound: SlackOutbound; clock: Clock; log: Logger },
): SlackAuthorizer {
  const groups = new Map<string, { users: Set<string>; at: number }>();

  async function members(groupId: string): Promise<Set<string>> {
    const cached = groups.get(groupId);
    if (cached && deps.clock.now() - cached.at < GROUP_TTL_MS) return cached.users;
    try {
      const result = await deps.outbound.call('usergroups.users.list', (client) => client.usergroups.users.list({ usergroup: groupId }));
      const users = new Set(result.users ?? []);
      groups.set(groupId, { users, at: deps.clock.now() });
      return users;
    } catch (error) {
      // Fail closed: an unreadable group grants nothing.
      deps.log.warn({ usergroup: groupId, err: (error as Error).message }, 'cannot read slack user group; treating as empty');
      return cached?.users ?? new Set();
    }
  }

  async function within(userId: string, principals: string[]): Promise<boolean> {
    if (principals.includes(userId)) return true;
    for (const principal of principals.filter((p) => p.startsWith('S'))) {
      if ((await members(principal)).has(userId)) return true;
    }
    return false;
  }

  return {
    async check(userId, permission) {
      if (permission === 'respond') {
        if (config.responders === null || (await within(userId, config.responders))) return { allowed: true };
        return { allowed: false, reason: 'Only the people and groups in SLACK_RESPONDERS can act on incidents from Slack. Ask your pitcrew admin to add you.' };
      }
      if (config.operators.length === 0) return { allowed: false, reason: 'Nobody may pause or resume pitcrew from Slack: SLACK_OPERATORS is not set. Use `pitcrew` on the server, or set `paused: true` in .github/pitcrew.yml.' };
      if (await within(userId, config.operators)) return { allowed: true };
      return { allowed: false, reason: 'Only the people and groups in SLACK_OPERATORS can pause or resume pitcrew. Ask one of them, or set `paused: true` in .github/pitcrew.yml.' };
    },
    githubLogin: (userId) => config.githubUsers[userId],
  };
}
