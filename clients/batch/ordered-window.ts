import pLimit from "p-limit";

/** Options of {@link orderedMap}. */
export interface OrderedMapOptions {
  /** Calls of `fn` in progress at once (p-limit). */
  concurrency: number;
  /**
   * Inputs read ahead of the oldest result not yet yielded: bounds memory when one slow call holds up
   * the ones behind it. @default 2 × concurrency
   */
  window?: number;
}

/**
 * Maps `inputs` through `fn`, at most `concurrency` calls in progress, and yields the results in input
 * order (an ordered window: results that finish early wait for those before them).
 *
 * Contract: at most `window` inputs are held at once; the first call to fail (in any position) ends the
 * iteration with its error, without waiting for the calls before it, and no further input is read.
 * Calls already started are not cancelled: pass them an AbortSignal to do that.
 */
export async function* orderedMap<T, R>(
  inputs: AsyncIterable<T> | Iterable<T>,
  fn: (item: T) => Promise<R>,
  options: OrderedMapOptions,
): AsyncGenerator<R, void, undefined> {
  const { concurrency } = options;
  const window = options.window ?? 2 * concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be ≥ 1");
  if (!Number.isInteger(window) || window < concurrency) throw new RangeError("window must be ≥ concurrency");
  const limit = pLimit(concurrency);
  const pending: Promise<R>[] = [];
  let failure: { error: unknown } | undefined;
  // Wakes the one waiter when a call behind the head fails. (Racing every wait against one long-lived
  // promise instead would pile a reaction per item onto it: a leak over a long partition.)
  let wake: ((error: unknown) => void) | undefined;
  const start = (item: T) => {
    const p = limit(() => fn(item));
    p.catch((error: unknown) => {
      failure ??= { error };
      wake?.(failure.error);
    });
    pending.push(p);
  };
  const head = (): Promise<R> => {
    if (failure) return Promise.reject(failure.error);
    const first = pending.shift()!;
    return new Promise<R>((resolve, reject) => {
      wake = reject;
      first.then(resolve, reject);
    }).finally(() => {
      wake = undefined;
    });
  };
  for await (const item of inputs) {
    start(item);
    if (pending.length >= window) yield await head();
  }
  while (pending.length > 0) yield await head();
}

/** Options of {@link OrderedWindow}. */
export interface OrderedWindowOptions {
  /** Calls of `fn` in progress at once. */
  concurrency: number;
  /** Inputs held (started or waiting, not yet handed over) at once. @default 2 × concurrency */
  window?: number;
}

/**
 * The ordered window as a push API, for a hot loop: the caller {@link push}es inputs while
 * {@link full} is false (else awaits {@link room}), and `each` is handed the results (with their
 * inputs) in input order,
 * synchronously, as soon as the oldest is done. No promise or generator step per result beyond `fn`'s
 * own: this is what the runner uses.
 *
 * Contract: at most `concurrency` calls in progress and `window` inputs held. When `each` returns a
 * promise (its consumer is behind: backpressure), no new call starts until it settles; results of the
 * calls in progress are still handed over. The first failure (of `fn` or of a promise from `each`)
 * is kept in {@link failure}: no call starts after it, and {@link room} and {@link finish} reject with it.
 */
export class OrderedWindow<T, R> {
  /** The first failure, once there is one. */
  failure: { error: unknown } | undefined;
  private readonly concurrency: number;
  private readonly window: number;
  private readonly results: (R | undefined)[];
  private readonly items: (T | undefined)[];
  private readonly ready: Uint8Array;
  private readonly queue: { index: number; item: T }[] = [];
  /** Index of the next input pushed, and of the oldest not handed over. */
  private next = 0;
  private head = 0;
  private running = 0;
  private holds = 0;
  private waiter: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  constructor(
    private readonly fn: (item: T) => Promise<R>,
    private readonly each: (result: R, item: T) => undefined | Promise<void>,
    options: OrderedWindowOptions,
  ) {
    const { concurrency } = options;
    const window = options.window ?? 2 * concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be ≥ 1");
    if (!Number.isInteger(window) || window < concurrency)
      throw new RangeError("window must be ≥ concurrency");
    this.concurrency = concurrency;
    this.window = window;
    this.results = new Array(window);
    this.items = new Array(window);
    this.ready = new Uint8Array(window);
  }

  /** Whether the window holds as many inputs as it may (or has failed): await {@link room} first. */
  get full(): boolean {
    return this.next - this.head >= this.window || this.failure !== undefined;
  }

  /**
   * Starts `fn(item)`, or queues it until a call ends. Only when not {@link full}; after a failure it
   * throws that failure (which may come between {@link room} resolving and this call).
   */
  push(item: T): void {
    if (this.failure) throw this.failure.error;
    if (this.next - this.head >= this.window) throw new Error("OrderedWindow.push while full");
    const index = this.next++;
    if (this.running < this.concurrency && this.holds === 0) this.start(index, item);
    else this.queue.push({ index, item });
  }

  /** Resolves once the window is not full, or when it has emptied (`all`); rejects with the failure. */
  room(all = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.wake(all);
    });
  }

  /** Resolves once every input pushed has been handed over (and `each`'s promises have settled). */
  async finish(): Promise<void> {
    while (this.next > this.head || this.holds > 0) await this.room(true);
    if (this.failure) throw this.failure.error;
  }

  private waitingForAll = false;

  private wake(all = this.waitingForAll): void {
    const w = this.waiter;
    if (!w) return;
    this.waitingForAll = all;
    if (this.failure) {
      this.waiter = undefined;
      w.reject(this.failure.error);
    } else if (all ? this.next === this.head && this.holds === 0 : this.next - this.head < this.window) {
      this.waiter = undefined;
      w.resolve();
    }
  }

  private start(index: number, item: T): void {
    this.running++;
    this.fn(item).then(
      (r) => this.done(index, r, item),
      (e) => this.fail(e),
    );
  }

  private done(index: number, result: R, item: T): void {
    this.running--;
    if (this.failure) {
      this.wake();
      return;
    }
    const slot = index % this.window;
    this.results[slot] = result;
    this.items[slot] = item;
    this.ready[slot] = 1;
    if (index === this.head) this.handOver();
    this.startQueued();
    this.wake();
  }

  private handOver(): void {
    const { results, items, ready, window } = this;
    for (let slot = this.head % window; ready[slot] === 1 && !this.failure; slot = this.head % window) {
      const r = results[slot] as R;
      const item = items[slot] as T;
      results[slot] = undefined;
      items[slot] = undefined;
      ready[slot] = 0;
      this.head++;
      let hold: Promise<void> | undefined;
      try {
        hold = this.each(r, item);
      } catch (e) {
        this.fail(e, false);
        return;
      }
      if (hold) {
        this.holds++;
        hold.then(
          () => {
            this.holds--;
            this.startQueued();
            this.wake();
          },
          (e) => {
            this.holds--;
            this.fail(e, false);
          },
        );
      }
    }
  }

  private startQueued(): void {
    while (this.running < this.concurrency && this.holds === 0 && this.queue.length > 0 && !this.failure) {
      const { index, item } = this.queue.shift()!;
      this.start(index, item);
    }
  }

  private fail(error: unknown, call = true): void {
    if (call) this.running--;
    this.failure ??= { error };
    this.queue.length = 0;
    this.wake();
  }
}
