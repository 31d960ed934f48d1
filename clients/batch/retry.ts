import type { Dispatcher } from "undici";
import { RetryAgent, type RetryHandler } from "undici";

/**
 * The retry policy, as a layer of its own over the client's pool (undici's `RetryAgent`, with our
 * decision function): which failures are retried, and how long to wait before each retry.
 *
 * - Retried: connection failures and timeouts, and the statuses that mean "not now" (429, 502, 503,
 *   504). 500 is not: the service answers it for a bug, which a retry would hit again.
 * - The wait: exponential backoff with jitter ("equal jitter": a random delay in [d/2, d] with
 *   d = minDelayMs × factor^(retry − 1), capped at maxDelayMs), so clients that failed together do not
 *   come back together. A `Retry-After` header (seconds or an HTTP date) wins when it asks for longer;
 *   the service sends one with every 503 SODA_ERR_BUSY.
 * - Only the methods the dispatcher was built for are retried: see {@link retryingDispatcher}.
 */

/** Options of the retry policy; frozen by {@link resolveRetryOptions}. */
export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. @default 6 */
  retries?: number;
  /** Backoff before the first retry. @default 200 */
  minDelayMs?: number;
  /** Longest wait between two attempts, `Retry-After` included. @default 10_000 */
  maxDelayMs?: number;
  /** Growth of the backoff per retry. @default 2 */
  factor?: number;
  /** Called before each retry is scheduled (progress counters, logs). */
  onRetry?: (event: RetryEvent) => void;
}

/** What {@link RetryOptions.onRetry} is told. */
export interface RetryEvent {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** The status that caused it, or the error code of a failed connection. */
  reason: string;
}

export type ResolvedRetryOptions = Readonly<Required<Omit<RetryOptions, "onRetry">>> &
  Pick<RetryOptions, "onRetry">;

/** Statuses that mean "try again later". */
export const RETRY_STATUS_CODES: readonly number[] = [429, 502, 503, 504];

/** Connection and timeout errors (undici and Node codes) after which a request is worth sending again. */
export const RETRY_ERROR_CODES: readonly string[] = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
];

/** Validates the options once and freezes them. Throws a RangeError naming the bad option. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const r = {
    retries: options.retries ?? 6,
    minDelayMs: options.minDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    factor: options.factor ?? 2,
    onRetry: options.onRetry,
  };
  if (!Number.isInteger(r.retries) || r.retries < 0) throw new RangeError("retries must be an integer ≥ 0");
  if (!(r.minDelayMs >= 0 && r.maxDelayMs >= r.minDelayMs))
    throw new RangeError("retry delays must satisfy 0 ≤ minDelayMs ≤ maxDelayMs");
  if (!(r.factor >= 1)) throw new RangeError("the backoff factor must be ≥ 1");
  return Object.freeze(r);
}

/** The backoff before retry number `retry` (1-based), with equal jitter; `random` is injectable for tests. */
export function backoffDelay(
  retry: number,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * options.factor ** (retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP date
 * (RFC 9110 §10.2.3). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface UndiciFailure {
  code?: string;
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
}

/** The undici `retry` callback that applies the policy. */
function decide(options: ResolvedRetryOptions): RetryHandler.RetryCallback {
  return (err, { state, opts }, callback) => {
    const { code, statusCode, headers } = err as UndiciFailure;
    const byStatus = code === "UND_ERR_REQ_RETRY" && statusCode !== undefined;
    const retryable = byStatus
      ? RETRY_STATUS_CODES.includes(statusCode)
      : code !== undefined && RETRY_ERROR_CODES.includes(code);
    const signal = (opts as { signal?: AbortSignal }).signal;
    const methodAllowed = opts.retryOptions?.methods?.includes(opts.method) ?? false;
    if (!retryable || !methodAllowed || state.counter > options.retries || signal?.aborted) {
      callback(err);
      return;
    }
    const asked = byStatus ? parseRetryAfter(headers?.["retry-after"]) : undefined;
    const backoff = backoffDelay(state.counter, options);
    const delayMs = Math.min(options.maxDelayMs, Math.max(backoff, asked ?? 0));
    options.onRetry?.({ retry: state.counter, delayMs, reason: byStatus ? String(statusCode) : code! });
    const onAbort = () => {
      clearTimeout(timer);
      callback(err);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      callback(null);
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  };
}

/**
 * `dispatcher` wrapped in the retry policy, for requests with the given methods.
 *
 * undici retries only idempotent methods by default, and POST is not one in general. The client opts
 * POST in here because the endpoints it sends through this dispatcher are idempotent: annot, coverage,
 * lookups and regex only read, and add is an upsert by (lexicon, id), so sending it twice leaves the
 * lexicon as sending it once does. delete is not sent through it (a repeat would report "nothing
 * deleted" for what the first attempt deleted).
 */
export function retryingDispatcher(
  dispatcher: Dispatcher,
  options: ResolvedRetryOptions,
  methods: Dispatcher.HttpMethod[] = ["GET", "HEAD", "POST"],
): Dispatcher {
  return new RetryAgent(dispatcher, {
    retry: decide(options),
    maxRetries: options.retries,
    methods,
    statusCodes: [...RETRY_STATUS_CODES],
    errorCodes: [...RETRY_ERROR_CODES],
    // Failed statuses reach the caller as errors only after the last retry; the others pass through.
    throwOnError: true,
  });
}
