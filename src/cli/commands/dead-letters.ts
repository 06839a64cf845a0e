import { Command } from 'commander';
import { inboxHandler } from '../../adapters/alerts/intake-service.js';
import { systemClock } from '../../domain/clock.js';
import { silentLogger } from '../../ops/logger.js';
import { INBOX_QUEUE, type InboxEvent } from '../../pipeline/intake.js';
import { JobQueue, type Job } from '../../store/queue/job-queue.js';
import { LocalNotifier } from '../../store/queue/notifier.js';
import { Worker } from '../../store/queue/worker.js';
import { openStore } from '../../store/store.js';
import { formatTime, truncate } from '../format.js';
import { color, mark, printJson } from '../output.js';
import { EXIT, cliConfig, runAction } from '../run-action.js';

export function deadLettersCommand(): Command {
  return new Command('dead-letters')
    .description('List jobs that failed every attempt (alert inbox events, incident notifications); --replay processes them again.')
    .option('--replay [ids...]', 'requeue these dead letters (ids or unique prefixes; all when none are given) and process inbox events now')
    .option('--json', 'print as JSON')
    .addHelpText('after', `
Replayed inbox events are processed by this command at once (safe while the
service runs: each job is claimed by exactly one worker). Replayed incident
notifications go back to the service's queue and are delivered by it.

Exit code 1 when a replayed job fails again.

Examples:
  $ pitcrew dead-letters
  $ pitcrew dead-letters --replay
  $ pitcrew dead-letters --replay 019a3f2c-7d1e-7b4a-9c1e-4f2a9c1e0b7d`)
    .action(runAction(async (options: { replay?: true | string[]; json?: boolean }) => {
      const config = cliConfig();
      const store = await openStore(config.store);
      try {
        const jobs = new JobQueue(store, systemClock, new LocalNotifier(), config.queue);
        if (options.replay === undefined) {
          const dead = await jobs.list({ state: 'dead' });
          if (options.json) return printJson(dead.map(describeJob));
          if (dead.length === 0) return void console.log(`${mark.ok} no dead letters`);
          console.log(color.bold(`${dead.length} dead letter${dead.length === 1 ? '' : 's'}`));
          for (const job of dead) printJob(job);
          console.log(color.dim('\nReplay with `pitcrew dead-letters --replay` (all) or `--replay <id>`.'));
          return;
        }

        const ids = options.replay === true ? undefined : options.replay;
        const replayed = await jobs.replay(ids);
        const requeued = await Promise.all(replayed.map((id) => jobs.get(id)));
        const inboxIds = requeued.filter((job) => job?.queue === INBOX_QUEUE).map((job) => job!.id);
        const worker = new Worker<InboxEvent>({ store, jobs, clock: systemClock, log: silentLogger() }, inboxHandler({ policy: config.incidents, clock: systemClock }, jobs), { queue: INBOX_QUEUE });
        const outcomes = await worker.runNow(inboxIds);
        await worker.stop();

        const results = await Promise.all(replayed.map(async (id) => {
          const job = (await jobs.get(id))!;
          const outcome = outcomes.get(id) ?? (job.queue === INBOX_QUEUE ? 'taken by the running service' : 'queued for the service');
          return { ...describeJob(job), outcome };
        }));
        if (options.json) printJson(results);
        else if (results.length === 0) console.log(`${mark.ok} no dead letters to replay`);
        else for (const result of results) console.log(`${result.state === 'dead' || result.outcome === 'retry' ? mark.fail : mark.ok} ${result.id}  ${result.queue}  ${result.outcome}${result.lastError && result.state !== 'completed' ? color.dim(`  ${truncate(result.lastError, 100)}`) : ''}`);
        return results.some((result) => result.state === 'dead' || result.outcome === 'retry') ? EXIT.failure : EXIT.ok;
      } finally {
        await store.close();
      }
    }));
}

function describeJob(job: Job) {
  const payload = job.payload as Partial<InboxEvent> & { incident?: { number?: number }; kind?: string };
  const about = job.queue === INBOX_QUEUE ? `${payload.source ?? '?'} alert request received ${formatTime(payload.receivedAt)}` : `incident #${payload.incident?.number ?? '?'} ${payload.kind ?? ''}`.trim();
  return { id: job.id, queue: job.queue, state: job.state, attempts: job.attempts, maxAttempts: job.maxAttempts, createdAt: job.createdAt, updatedAt: job.updatedAt, lastError: job.lastError, about };
}

function printJob(job: Job): void {
  const info = describeJob(job);
  console.log(`  ${color.bold(job.id)}  ${job.queue}  ${color.dim(`attempts ${job.attempts}/${job.maxAttempts}, last ${formatTime(job.updatedAt)}`)}`);
  console.log(`    ${info.about}`);
  if (job.lastError) console.log(`    ${color.red(truncate(job.lastError, 200))}`);
}
