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
