import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../ops/logger.js';
import { buildHandoff } from './build.js';
import type { Handoff, HandoffSources, HandoffWindow } from './model.js';
import { addNarrative, type NarrativeDeps } from './narrative.js';
import type { HandoffPublisher } from './publisher.js';
import { redactHandoff } from './redact.js';
import { parseHandoffSince } from './window.js';
import type { Redactor } from '../../ops/redaction/redactor.js';

/**
 * The handoff as the rest of pitcrew uses it:
 *  - `forRequest('12h' | 'since 18:00' | '')`: what `/pitcrew handoff …` and
 *    `pitcrew handoff --since …` show (bad input throws `input_invalid`
 *    with a hint the caller can show as is);
 *  - `publishShift(window)`: what the schedule runs at each shift change:
 *    build, then post to every publisher; one failing publisher does not
 *    stop the others.
 */
export interface HandoffServiceDeps {
  sources: HandoffSources;
  clock: Clock;
  log: Logger;
  /** IANA zone for `since 18:00` and for the times shown. */
  timeZone: string;
  /** Redacts secrets from untrusted text before the handoff is shown or sent (I3); absent: text as stored. */
  redactor?: Redactor | null;
  /** The narrative, when a model is configured and it is not turned off. */
  narrative?: NarrativeDeps | null;
  publishers?: HandoffPublisher[];
  /** The on-call channel for scheduled handoffs. */
  channel?: string | null;
}

export interface HandoffService {
  readonly timeZone: string;
  build(window: HandoffWindow): Promise<Handoff>;
  forRequest(since: string | undefined): Promise<Handoff>;
  publishShift(window: HandoffWindow): Promise<{ handoff: Handoff; published: Array<{ publisher: string; ref: string | null; error?: string }> }>;
}

export function createHandoffService(deps: HandoffServiceDeps): HandoffService {
  const build = async (window: HandoffWindow) => {
    const built = await buildHandoff(deps.sources, window, deps.clock);
    const handoff = deps.redactor ? await redactHandoff(built, deps.redactor) : built;
    return deps.narrative ? addNarrative(handoff, deps.narrative) : handoff;
  };
  return {
    timeZone: deps.timeZone,
    build,
    forRequest: (since) => build(parseHandoffSince(since, deps.clock.now(), deps.timeZone)),
    async publishShift(window) {
      const handoff = await build(window);
      const published: Array<{ publisher: string; ref: string | null; error?: string }> = [];
      for (const publisher of deps.publishers ?? []) {
        try {
          const { ref } = await publisher.publish(handoff, { channel: deps.channel ?? null });
          published.push({ publisher: publisher.name, ref });
        } catch (error) {
          deps.log.error({ publisher: publisher.name, err: (error as Error).message }, 'handoff publish failed');
          published.push({ publisher: publisher.name, ref: null, error: (error as Error).message });
        }
      }
      deps.log.info({ from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), quiet: handoff.quiet, published }, 'on-call handoff published');
      return { handoff, published };
    },
  };
}
