import type { Clock } from '../../domain/clock.js';

/** One content-creating request (POST/PATCH/PUT/DELETE), with when it started and finished. */
export interface WriteRecord {
  method: string;
  path: string;
  actor: string;
  startedAt: number;
  finishedAt: number;
  status: number;
  /** Other writes by the same actor in progress when this one started. */
  concurrentWith: number;
}

export interface SecondaryLimits {
  /** Reject (403 + Retry-After) beyond this many writes per actor in any 60 s. */
  perMinute?: number;
  /** Reject beyond this many writes per actor in any hour. */
  perHour?: number;
  /** Reject a write that starts while another write by the same actor is in flight. */
  rejectConcurrent?: boolean;
}

/**
 * Bookkeeping for GitHub's secondary rate limits ("no concurrent writes, at
 * most ~80 content-creating requests a minute and 500 an hour"): every write
 * is logged with its interval so tests can assert the app's pacing, and the
 * limits can optionally be enforced the way GitHub enforces them.
 */
export class WriteLog {
  readonly records: WriteRecord[] = [];
  private readonly active = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    public limits: SecondaryLimits = {},
  ) {}

  /** Starts a write; returns a rejection (seconds to wait) when limits are enforced and exceeded. */
  begin(actor: string, method: string, path: string): { end(status: number): void } | { retryAfter: number } {
    const now = this.clock.now();
    const concurrentWith = this.active.get(actor) ?? 0;
    const mine = this.records.filter((record) => record.actor === actor);
    if (this.limits.rejectConcurrent && concurrentWith > 0) return { retryAfter: 1 };
    if (this.limits.perMinute !== undefined && mine.filter((record) => record.startedAt > now - 60_000).length >= this.limits.perMinute) return { retryAfter: 60 };
    if (this.limits.perHour !== undefined && mine.filter((record) => record.startedAt > now - 3_600_000).length >= this.limits.perHour) return { retryAfter: 600 };
    this.active.set(actor, concurrentWith + 1);
    return {
      end: (status: number) => {
        this.active.set(actor, (this.active.get(actor) ?? 1) - 1);
        this.records.push({ method, path, actor, startedAt: now, finishedAt: this.clock.now(), status, concurrentWith });
      },
    };
  }

  /** The writes of one actor (e.g. `pitcrew[bot]`), in start order. */
  of(actor: string): WriteRecord[] {
    return this.records.filter((record) => record.actor === actor).sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Most writes by `actor` that were in flight at the same moment. */
  maxConcurrent(actor: string): number {
    const edges = this.of(actor).flatMap((record) => [
      { at: record.startedAt, delta: 1 },
      { at: record.finishedAt, delta: -1 },
    ]);
    // Ends sort before starts at the same instant: back-to-back is not concurrent.
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let current = 0;
    let max = 0;
    for (const edge of edges) {
      current += edge.delta;
      max = Math.max(max, current);
    }
    return max;
  }

  /** Most writes by `actor` that started within any window of `windowMs` (default one minute). */
  maxInWindow(actor: string, windowMs = 60_000): number {
    const starts = this.of(actor).map((record) => record.startedAt);
    let max = 0;
    let lo = 0;
    for (let hi = 0; hi < starts.length; hi++) {
      while (starts[hi]! - starts[lo]! >= windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }
}
