import { Cron } from 'croner';
import { ConfigError, type Config, type ConfigProblem } from '../../config/config.js';
import { ENV_DOCS } from '../../config/env-docs.js';

/** The handoff's configuration, valid: the cron pattern parses in the time zone, and the zone exists. */
export interface HandoffConfig {
  /** null: no scheduled handoff. */
  cron: string | null;
  timeZone: string;
  /** The on-call channel the scheduled handoff is posted to; null: log only. */
  channel: string | null;
  /** owner/name for the durable issue; null: none. */
  issueRepo: string | null;
  /** Add the generated narrative when a model is configured. */
  narrative: boolean;
}

export function handoffConfig(env: Config['env']): HandoffConfig {
  const problems: ConfigProblem[] = [];
  const timeZone = env.PITCREW_HANDOFF_TZ;
  if (!isTimeZone(timeZone)) problems.push({ variable: 'PITCREW_HANDOFF_TZ', message: `"${timeZone.slice(0, 60)}" is not an IANA time zone. ${ENV_DOCS.PITCREW_HANDOFF_TZ.fix}` });
  const cron = env.PITCREW_HANDOFF_CRON ?? null;
  if (cron !== null) {
    try {
      const job = new Cron(cron, { timezone: isTimeZone(timeZone) ? timeZone : 'UTC', paused: true });
      if (job.nextRun() === null) problems.push({ variable: 'PITCREW_HANDOFF_CRON', message: `"${cron.slice(0, 60)}" never fires. ${ENV_DOCS.PITCREW_HANDOFF_CRON.fix}` });
    } catch (error) {
      problems.push({ variable: 'PITCREW_HANDOFF_CRON', message: `"${cron.slice(0, 60)}" is not a cron expression (${(error as Error).message.split('.')[0]}). ${ENV_DOCS.PITCREW_HANDOFF_CRON.fix}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { cron, timeZone, channel: env.PITCREW_HANDOFF_CHANNEL ?? null, issueRepo: env.PITCREW_HANDOFF_ISSUE_REPO ?? null, narrative: env.PITCREW_HANDOFF_NARRATIVE };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
