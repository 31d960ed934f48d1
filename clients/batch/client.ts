import { type Dispatcher, Pool } from "undici";
import { SodaConnectionError, SodaHttpError, SodaResponseError, SodaTimeoutError } from "./errors.js";
import {
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
  retryingDispatcher,
} from "./retry.js";
import type {
  AddRequest,
  AddResponse,
  AnnotDocsRequest,
  AnnotDocsResponse,
  AnnotRequest,
  AnnotResponse,
  CoverageRequest,
  CoverageResponse,
  DeleteRequest,
  DeleteResponse,
  DictsResponse,
  LookupRequest,
  LookupResponse,
  MatchphraseRequest,
  RegexRequest,
  RegexResponse,
  RlookupRequest,
  RlookupResponse,
  StatusResponse,
} from "./types.js";

/** Options of {@link SodaClient}; validated and frozen by its constructor. */
export interface SodaClientOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:8080`; a path prefix before `/soda` is kept. */
  url: string;
  /** Connections kept to the service; requests beyond them wait in the pool's queue. @default 8 */
  connections?: number;
  /** Time allowed to open a connection. @default 10_000 */
  connectTimeoutMs?: number;
  /** Time allowed from sending a request to its response headers. @default 60_000 */
  headersTimeoutMs?: number;
  /** Longest pause allowed while reading a response body. @default 60_000 */
  bodyTimeoutMs?: number;
  /** An idle kept-alive connection is closed after this long. @default 30_000 */
  keepAliveTimeoutMs?: number;
  /** Sent as `x-api-key` (add and delete need it when the service has one). */
  apiKey?: string;
  /** The retry policy (see retry.ts). */
  retry?: RetryOptions;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call, retries included. */
  signal?: AbortSignal;
}

/** How the service's annot.json answer starts (fastify's serializer, schema key order, no spaces). */
const ANNOT_HEAD = '{"status":"ok","annotations":[';

/**
 * The JSON text of an annot.json request for `text` with the other fields `settings`: built once per
 * settings, then one string concatenation and a JSON.stringify of the text per document.
 */
export function annotBody(settings: Omit<AnnotRequest, "text">): (text: string) => string {
  const fields = JSON.stringify({ ...settings, text: undefined });
  const head = fields === "{}" ? '{"text":' : `${fields.slice(0, -1)},"text":`;
  return (text) => `${head}${JSON.stringify(text)}}`;
}

/** Something to abort when its call's signal aborts. */
interface Abortable {
  abort(reason: unknown): void;
}

/**
 * The calls in progress per signal, with one listener per signal rather than one per call: a batch
 * passes the same signal to thousands of calls, and adding and removing an event listener per call
 * costs more than the rest of the call's bookkeeping.
 */
const inProgress = new WeakMap<AbortSignal, Set<Abortable>>();

function watch(signal: AbortSignal, call: Abortable): void {
  let calls = inProgress.get(signal);
  if (!calls) {
    const set = new Set<Abortable>();
    calls = set;
    inProgress.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const c of set) c.abort(signal.reason);
        set.clear();
      },
      { once: true },
    );
  }
  calls.add(call);
}

/**
 * Collects one response of undici's dispatch API: status and body text. An abort of `signal` aborts the
 * request (and a retry's wait, which the retry layer watches itself).
 */
class CollectingHandler implements Dispatcher.DispatchHandler, Abortable {
  private status = 0;
  private chunks: Buffer[] = [];
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;

  constructor(
    private readonly resolve: (r: { status: number; text: string }) => void,
    private readonly reject: (e: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal) watch(signal, this);
  }

  abort(reason: unknown): void {
    this.controller?.abort(reason as Error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal?.aborted) controller.abort(this.signal.reason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
    this.chunks = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.signal) inProgress.get(this.signal)?.delete(this);
    const { chunks } = this;
    const text = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8");
    this.resolve({ status: this.status, text });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return;
    this.settled = true;
    if (this.signal) inProgress.get(this.signal)?.delete(this);
    this.reject(error);
  }
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function positive(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return n;
}

/**
 * A typed client for one soda service: one method per endpoint, over an undici `Pool` of kept-alive
 * connections to its origin, with the retry policy of retry.ts as a separate layer.
 *
 * Contract: calls may be dispatched and answered in any order (use an ordered window to keep order).
 * Idempotent calls (every read, annot, coverage, and add, an upsert) are retried on connection errors,
 * timeouts, 429, 502, 503 and 504; delete is not. A call that fails for good throws a
 * {@link SodaClientError} subclass: {@link SodaHttpError} (with the service's `SODA_ERR_*` code),
 * {@link SodaConnectionError}, {@link SodaTimeoutError} or {@link SodaResponseError}.
 * Cost: one pool per client; make one client per process or per partition, not per request.
 */
export class SodaClient {
  readonly url: string;
  readonly retry: ResolvedRetryOptions;
  private readonly pool: Pool;
  private readonly retrying: Dispatcher;
  private readonly prefix: string;
  private readonly origin: string;
  private readonly headers: Record<string, string>;

  constructor(options: SodaClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new RangeError(`not a URL: ${JSON.stringify(options.url)} (expected e.g. http://127.0.0.1:8080)`);
    }
    if (base.protocol !== "http:" && base.protocol !== "https:")
      throw new RangeError(`the service URL must be http or https, got ${base.protocol}`);
    this.url = base.href;
    this.prefix = base.pathname.replace(/\/+$/, "");
    this.origin = base.origin;
    this.retry = resolveRetryOptions(options.retry);
    this.pool = new Pool(base.origin, {
      connections: positive("connections", options.connections, 8),
      connectTimeout: positive("connectTimeoutMs", options.connectTimeoutMs, 10_000),
      headersTimeout: positive("headersTimeoutMs", options.headersTimeoutMs, 60_000),
      bodyTimeout: positive("bodyTimeoutMs", options.bodyTimeoutMs, 60_000),
      keepAliveTimeout: positive("keepAliveTimeoutMs", options.keepAliveTimeoutMs, 30_000),
    });
    this.retrying = retryingDispatcher(this.pool, this.retry);
    this.headers = { "content-type": "application/json" };
    if (options.apiKey !== undefined) this.headers["x-api-key"] = options.apiKey;
    Object.freeze(this);
  }

  /** `GET /soda/index.json`: the readiness line with the version. */
  index(call?: CallOptions): Promise<StatusResponse> {
    return this.send("GET", "/soda/index.json", undefined, call);
  }

  /** `GET /ready`: resolves when the service is ready to tag. */
  ready(call?: CallOptions): Promise<StatusResponse> {
    return this.send("GET", "/ready", undefined, call);
  }

  /** `GET /soda/dicts.json`: lexicons and their entry counts. */
  dicts(call?: CallOptions): Promise<DictsResponse> {
    return this.send("GET", "/soda/dicts.json", undefined, call);
  }

  /** `POST /soda/add.json`: upserts entries and/or commits. Idempotent, so retried. */
  add(request: AddRequest, call?: CallOptions): Promise<AddResponse> {
    return this.send("POST", "/soda/add.json", request, call);
  }

  /** `POST /soda/delete.json`: takes effect at once. Not retried (see retry.ts). */
  delete(request: DeleteRequest, call?: CallOptions): Promise<DeleteResponse> {
    return this.send("POST", "/soda/delete.json", request, call, false);
  }

  /** `POST /soda/annot.json` for one text. */
  annot(request: AnnotRequest, call?: CallOptions): Promise<AnnotResponse> {
    return this.send("POST", "/soda/annot.json", request, call);
  }

  /** `POST /soda/annot.json` for a batch of documents (extension `docs`), answered in the same order. */
  annotDocs(request: AnnotDocsRequest, call?: CallOptions): Promise<AnnotDocsResponse> {
    return this.send("POST", "/soda/annot.json", request, call);
  }

  /** `POST /soda/coverage.json`: distinct entries matched per lexicon. */
  coverage(request: CoverageRequest, call?: CallOptions): Promise<CoverageResponse> {
    return this.send("POST", "/soda/coverage.json", request, call);
  }

  /** `POST /soda/lookup.json`: entries by id, or a page of them with id `"*"`. */
  lookup(request: LookupRequest, call?: CallOptions): Promise<LookupResponse> {
    return this.send("POST", "/soda/lookup.json", request, call);
  }

  /** `POST /soda/rlookup.json`: entries with a name that normalizes like the phrase. */
  rlookup(request: RlookupRequest, call?: CallOptions): Promise<RlookupResponse> {
    return this.send("POST", "/soda/rlookup.json", request, call);
  }

  /** `POST /soda/matchphrase.json` (SoDA v1). */
  matchphrase(request: MatchphraseRequest, call?: CallOptions): Promise<AnnotResponse> {
    return this.send("POST", "/soda/matchphrase.json", request, call);
  }

  /** `POST /soda/regex.json` (SoDA v1). */
  regex(request: RegexRequest, call?: CallOptions): Promise<RegexResponse> {
    return this.send("POST", "/soda/regex.json", request, call);
  }

  /** Closes the connections once calls in progress have finished. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * `POST /soda/annot.json` for one text, sent as the JSON text `body` (see {@link annotBody}), answered
   * with the `annotations` array as JSON text, as the service wrote it: the batch runner splices it into
   * its output lines, so an answer is neither parsed into objects nor serialized again. Retried, and
   * failing, as {@link annot}.
   */
  async annotJson(body: string, call: CallOptions = {}): Promise<string> {
    const { status, text } = await this.exchange("POST", "/soda/annot.json", body, call, true);
    // The array is the rest of the answer when no key follows it; a key after it would show as `],"`.
    // Nothing in an annotation is an array, so `],"` is otherwise only a string ending in `],`: a
    // false alarm, which takes the slow path below and is still right.
    if (
      status < 400 &&
      text.startsWith(ANNOT_HEAD) &&
      text.endsWith("]}") &&
      text.indexOf('],"', ANNOT_HEAD.length) === -1
    )
      return text.slice(ANNOT_HEAD.length - 1, -1);
    // Not the shape the service writes (another key order, spaces…): the slow, sure way.
    const parsed = this.check<AnnotResponse>("POST", "/soda/annot.json", status, text);
    if (!Array.isArray(parsed.annotations))
      throw new SodaResponseError(
        `POST /soda/annot.json answered without annotations: ${text.slice(0, 200)}`,
      );
    return JSON.stringify(parsed.annotations);
  }

  private async send<T>(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    call: CallOptions = {},
    idempotent = true,
  ): Promise<T> {
    const json = body === undefined ? undefined : JSON.stringify(body);
    const { status, text } = await this.exchange(method, path, json, call, idempotent);
    return this.check<T>(method, path, status, text);
  }

  /** The parsed answer, or the typed error it stands for. */
  private check<T>(method: string, path: string, status: number, text: string): T {
    let parsed: { status?: string; code?: string; message?: string } | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 400) throw new SodaHttpError(status, parsed?.code, parsed?.message ?? text.slice(0, 200));
    if (parsed?.status !== "ok")
      throw new SodaResponseError(
        `${method} ${path} answered ${status} with a body that is not a soda response: ${text.slice(0, 200)}`,
      );
    return parsed as T;
  }

  /**
   * One request and its whole answer, through undici's dispatch API: the body is collected from the
   * chunks the parser hands over, with no stream per response (what `request()` would make), which is
   * most of a client's CPU per call at tens of thousands of calls a second.
   */
  private exchange(
    method: "GET" | "POST",
    path: string,
    body: string | undefined,
    call: CallOptions,
    idempotent: boolean,
  ): Promise<{ status: number; text: string }> {
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const dispatcher = idempotent ? this.retrying : this.pool;
    return new Promise((resolve, reject) => {
      const handler = new CollectingHandler(resolve, (e: unknown) => reject(this.failure(e)), signal);
      try {
        // `signal` is for the retry layer, which stops waiting to retry when it aborts (see retry.ts).
        const options = {
          origin: this.origin,
          path: this.prefix + path,
          method,
          headers: this.headers,
          body,
          signal,
        };
        dispatcher.dispatch(options as Dispatcher.DispatchOptions, handler);
      } catch (e) {
        handler.onResponseError(undefined, e as Error);
      }
    });
  }

  /** Maps what undici throws to this client's errors; an abort passes through as it is. */
  private failure(e: unknown): unknown {
    const err = e as { name?: string; code?: string; statusCode?: number; data?: { count?: number } };
    if (err?.name === "AbortError" || err?.code === "UND_ERR_ABORTED") return e;
    if (err?.code === "UND_ERR_REQ_RETRY" && err.statusCode !== undefined) {
      const attempts = err.data?.count ?? this.retry.retries + 1;
      return new SodaHttpError(
        err.statusCode,
        undefined,
        `the service kept answering ${err.statusCode} (${attempts} attempts)`,
        attempts,
      );
    }
    if (err?.code && TIMEOUT_CODES.has(err.code)) return new SodaTimeoutError(this.url, e);
    return new SodaConnectionError(this.url, e);
  }
}
