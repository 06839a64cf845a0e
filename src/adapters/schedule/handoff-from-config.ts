import type { Config } from '../../config/config.js';
import type { Clock } from '../../domain/clock.js';
import type { KillSwitch } from '../../domain/execution.js';
import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import type { NarrativeDeps } from '../../pipeline/handoff/narrative.js';
import type { BreakerReader, ExecutionJournalReader } from '../../pipeline/handoff/ports.js';
import { logHandoffPublisher, type HandoffPublisher } from '../../pipeline/handoff/publisher.js';
import { createHandoffService, type HandoffService } from '../../pipeline/handoff/service.js';
import { storeHandoffSources } from '../../store/handoff-sources.js';
import { SettingsRepo } from '../../store/settings-repo.js';
import type { Store } from '../../store/store.js';
import type { GitHubForge } from '../github/forge.js';
import { startCronSchedule, type CronSchedule, type Timers } from './cron-schedule.js';
import { handoffConfig } from './handoff-config.js';

/**
 * The on-call handoff from configuration: the service `/pitcrew handoff`
 * and the CLI call, and, when PITCREW_HANDOFF_CRON is set, the schedule
 * that publishes it at each shift change (the window runs from the
 * previous fire time to this one).
 */
export interface HandoffFromConfigDeps {
  config: Config;
  store: Store;
  killSwitch: KillSwitch;
  clock: Clock;
  log: Logger;
  forge: Pick<GitHubForge, 'client'> | null;
  /** The on-call channel's publisher (Slack); default: the log. */
  publishers?: HandoffPublisher[];
  executions?: ExecutionJournalReader | null;
  breaker?: BreakerReader;
  timers?: Timers;
}

export interface RunningHandoff {
  service: HandoffService;
  schedule: CronSchedule | null;
  stop(): Promise<void>;
}

export async function startHandoffFromConfig(deps: HandoffFromConfigDeps): Promise<RunningHandoff> {
  const settings = handoffConfig(deps.config.env);
  const log = deps.log.child({ component: 'handoff' });
  const publishers = [...(deps.publishers ?? [logHandoffPublisher(log)])];
  if (settings.issueRepo) {
    if (deps.forge) {
      const { githubIssuePublisher } = await import('../github/handoff-issue.js');
      publishers.push(githubIssuePublisher({ forge: deps.forge, repo: settings.issueRepo, timeZone: settings.timeZone, dryRun: deps.config.dryRun, log }));
    } else {
      log.warn({ repo: settings.issueRepo }, 'PITCREW_HANDOFF_ISSUE_REPO is set but the GitHub App is not configured; handoffs are not filed as issues');
    }
  }
  // The handoff leaves for Slack and GitHub redacted (I3); secretlint loads on the first handoff, not at startup.
  const redactor = lazyRedactor(deps.config.planning.redactPatterns);
  const service = createHandoffService({
    redactor,
    sources: storeHandoffSources({ db: deps.store.db, killSwitch: deps.killSwitch, executions: deps.executions ?? null, ...(deps.breaker ? { breaker: deps.breaker } : {}) }),
    clock: deps.clock,
    log,
    timeZone: settings.timeZone,
    narrative: await narrativeFromConfig(deps.config, settings.narrative, log),
    publishers,
    channel: settings.channel,
  });
  const schedule = settings.cron === null ? null : startCronSchedule({
    pattern: settings.cron,
    timeZone: settings.timeZone,
    clock: deps.clock,
    log,
    name: 'handoff',
    ...(deps.timers ? { timers: deps.timers } : {}),
    catchUpMs: CATCH_UP_MS,
    run: async (fireAt, previous) => {
      if (!(await claimShift(deps.store, deps.clock, fireAt))) {
        log.info({ fireAt: new Date(fireAt).toISOString() }, 'handoff for this shift change was already published (another replica or before a restart)');
        return;
      }
      await service.publishShift({ from: previous, to: Math.max(fireAt, deps.clock.now()) });
    },
  });
  if (schedule) log.info({ cron: settings.cron, timeZone: settings.timeZone, channel: settings.channel, next: new Date(schedule.next() ?? 0).toISOString() }, 'handoff schedule on');
  return { service, schedule, stop: async () => schedule?.stop() };
}

function lazyRedactor(extraPatterns: string[]): Redactor {
  let loading: Promise<Redactor> | null = null;
  const get = () => (loading ??= import('../../ops/redaction/redactor.js').then(({ createRedactor }) => createRedactor({ extraPatterns })));
  return {
    redact: async (text) => (await get()).redact(text),
    redactDeep: async (value) => (await get()).redactDeep(value),
  };
}

/** A restart within this long after a shift change still posts that shift's handoff. */
const CATCH_UP_MS = 30 * 60_000;
const LAST_FIRE_KEY = 'handoff.last_fire';

/**
 * Each fire time is published once, whatever the number of replicas running
 * the schedule or restarts: the first to move `handoff.last_fire` forward in a
 * write transaction publishes; the others see it moved and skip.
 */
export async function claimShift(store: Pick<Store, 'writeTransaction'>, clock: Clock, fireAt: number): Promise<boolean> {
  return store.writeTransaction(async (trx) => {
    const settings = new SettingsRepo(trx, clock);
    const last = await settings.get<number>(LAST_FIRE_KEY);
    if (last && last.value >= fireAt) return false;
    await settings.set(LAST_FIRE_KEY, fireAt, 'handoff-schedule');
    return true;
  });
}

async function narrativeFromConfig(config: Config, wanted: boolean, log: Logger): Promise<NarrativeDeps | null> {
  if (!config.llm || !wanted) return null;
  // Loaded on demand: LangChain and secretlint cost startup time a service without a model should not pay.
  const [{ createHandoffNarrator }, { createRedactor }] = await Promise.all([import('../llm/handoff-narrator.js'), import('../../ops/redaction/redactor.js')]);
  return {
    narrator: createHandoffNarrator(config.llm, Math.min(config.planning.llmLimits.timeoutMs, 30_000)),
    redactor: createRedactor({ extraPatterns: config.planning.redactPatterns }),
    log,
  };
}
