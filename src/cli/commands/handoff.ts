import { Command } from 'commander';
import { handoffConfig } from '../../adapters/schedule/handoff-config.js';
import { systemClock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import { silentLogger } from '../../ops/logger.js';
import { renderHandoffJson } from '../../pipeline/handoff/render-json.js';
import { renderHandoffMarkdown } from '../../pipeline/handoff/render-markdown.js';
import { createHandoffService } from '../../pipeline/handoff/service.js';
import { storeHandoffSources } from '../../store/handoff-sources.js';
import { storedKillSwitch } from '../../store/kill-switch.js';
import { SettingsRepo } from '../../store/settings-repo.js';
import { openStore } from '../../store/store.js';
import { cliConfig, runAction } from '../run-action.js';

interface HandoffOptions {
  since?: string;
  until?: string;
  markdown?: boolean;
  json?: boolean;
  tz?: string;
  narrative: boolean;
}

export function handoffCommand(): Command {
  return new Command('handoff')
    .description('The on-call handoff: open incidents, what was resolved (MTTR), remediations, fix PRs waiting, noisy alerts, CI hotspots, overrides, pause and breaker.')
    .option('--since <duration|time>', 'start of the window: 12h, 90m, 1d, 18:00, "2026-03-08 18:00" or an ISO time (default 12h)')
    .option('--until <time>', 'end of the window as an ISO time with a zone, e.g. 2026-03-09T06:00Z (default now)')
    .option('--markdown', 'print markdown (the default)')
    .option('--json', 'print the handoff as JSON')
    .option('--tz <zone>', 'IANA time zone for local times (default PITCREW_HANDOFF_TZ, else UTC)')
    .option('--no-narrative', 'skip the generated narrative even when a model is configured')
    .addHelpText('after', `
Examples:
  $ pitcrew handoff
  $ pitcrew handoff --since 8h
  $ pitcrew handoff --since 18:00 --tz Europe/Berlin
  $ pitcrew handoff --json | jq '.resolved.meanMttrMs'`)
    .action(runAction(async (options: HandoffOptions) => {
      if (options.json && options.markdown) throw new PitcrewError('input_invalid', '--json and --markdown cannot be used together', 'Pick one output format.');
      const config = cliConfig();
      const settings = handoffConfig({ ...config.env, ...(options.tz ? { PITCREW_HANDOFF_TZ: options.tz } : {}) });
      const now = options.until ? parseUntil(options.until) : systemClock.now();
      const store = await openStore(config.store);
      try {
        const log = silentLogger();
        const narrative = options.narrative && settings.narrative && config.llm ? await cliNarrative(config) : null;
        const service = createHandoffService({
          sources: storeHandoffSources({ db: store.db, killSwitch: storedKillSwitch(new SettingsRepo(store.db, systemClock)), executions: null }),
          clock: { now: () => now },
          log,
          timeZone: settings.timeZone,
          narrative: narrative && { ...narrative, log },
        });
        const handoff = await service.forRequest(options.since);
        process.stdout.write(options.json ? renderHandoffJson(handoff) : renderHandoffMarkdown(handoff, { timeZone: settings.timeZone }));
      } finally {
        await store.close();
      }
    }));
}

function parseUntil(text: string): number {
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(ms)) throw new PitcrewError('input_invalid', `--until "${text.slice(0, 60)}" is not an ISO time with a zone`, 'Give a time such as 2026-03-09T06:00Z or 2026-03-09T07:00+01:00.');
  return ms;
}

async function cliNarrative(config: ReturnType<typeof cliConfig>) {
  const [{ createHandoffNarrator }, { createRedactor }] = await Promise.all([import('../../adapters/llm/handoff-narrator.js'), import('../../ops/redaction/redactor.js')]);
  return { narrator: createHandoffNarrator(config.llm!, Math.min(config.planning.llmLimits.timeoutMs, 30_000)), redactor: createRedactor({ extraPatterns: config.planning.redactPatterns }) };
}
