/**
 * One holder per key at a time. `KeyedMutex` holds it in this process only;
 * `postgresKeyedLock` (src/store/advisory-lock.ts) across every replica.
 */
export interface KeyedLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * One holder per key at a time, in this process; waiters run in arrival
 * order. Serializes work on one PR or one incident (a gate evaluation must not
 * overtake a later one and publish an older verdict last).
 */
export class KeyedMutex implements KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a holder or waiters. */
  get size(): number {
    return this.tails.size;
  }
}
