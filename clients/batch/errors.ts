/**
 * Errors of the batch client: one base class, {@link SodaClientError}, with a stable `code`, and one
 * subclass per way a call can fail. The guards test `code` and a registered symbol, not `instanceof`,
 * so they also hold for errors made by another copy of this module (another realm, a worker, a second
 * install in node_modules).
 */

const BRAND = Symbol.for("soda.clients.batch.error");

/** Codes of {@link SodaClientError}s. */
export type SodaClientErrorCode =
  | "SODA_CLIENT_ERR_HTTP"
  | "SODA_CLIENT_ERR_CONNECTION"
  | "SODA_CLIENT_ERR_TIMEOUT"
  | "SODA_CLIENT_ERR_RESPONSE"
  | "SODA_CLIENT_ERR_INPUT";

/** Base class of every error this client throws. */
export class SodaClientError extends Error {
  readonly code: SodaClientErrorCode;
  /** True when the call may succeed if made again later (the client has already retried it). */
  readonly transient: boolean;

  constructor(code: SodaClientErrorCode, message: string, transient: boolean, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.transient = transient;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The service answered with an error status: `serverCode` is its `SODA_ERR_*` code when it sent one. */
export class SodaHttpError extends SodaClientError {
  constructor(
    readonly status: number,
    readonly serverCode: string | undefined,
    message: string,
    /** Attempts made, retries included. */
    readonly attempts = 1,
  ) {
    super(
      "SODA_CLIENT_ERR_HTTP",
      `HTTP ${status}${serverCode ? ` ${serverCode}` : ""}: ${message}`,
      status === 429 || status >= 500,
    );
  }
}

/** No connection could be made or kept (refused, reset, DNS …), after the retries. */
export class SodaConnectionError extends SodaClientError {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      "SODA_CLIENT_ERR_CONNECTION",
      `cannot reach the soda service at ${url}: ${(cause as Error)?.message ?? String(cause)}`,
      true,
      { cause },
    );
  }
}

/** Connecting, waiting for the response headers or reading its body took longer than allowed. */
export class SodaTimeoutError extends SodaClientError {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      "SODA_CLIENT_ERR_TIMEOUT",
      `the soda service at ${url} did not answer in time: ${(cause as Error)?.message ?? String(cause)}`,
      true,
      { cause },
    );
  }
}

/** The service answered 2xx with a body that is not the JSON the API promises. */
export class SodaResponseError extends SodaClientError {
  constructor(message: string, cause?: unknown) {
    super("SODA_CLIENT_ERR_RESPONSE", message, false, { cause });
  }
}

/** An input document the runner cannot send: not JSON, or without a string `text`. */
export class SodaInputError extends SodaClientError {
  constructor(
    message: string,
    /** Where: `file:line`. */
    readonly where: string,
  ) {
    super("SODA_CLIENT_ERR_INPUT", `${where}: ${message}`, false);
  }
}

/** True for any error thrown by this client, whichever copy of the module made it. */
export function isSodaClientError(e: unknown): e is SodaClientError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

const hasCode = (e: unknown, code: SodaClientErrorCode) => isSodaClientError(e) && e.code === code;

export const isSodaHttpError = (e: unknown): e is SodaHttpError => hasCode(e, "SODA_CLIENT_ERR_HTTP");
export const isSodaConnectionError = (e: unknown): e is SodaConnectionError =>
  hasCode(e, "SODA_CLIENT_ERR_CONNECTION");
export const isSodaTimeoutError = (e: unknown): e is SodaTimeoutError =>
  hasCode(e, "SODA_CLIENT_ERR_TIMEOUT");
export const isSodaResponseError = (e: unknown): e is SodaResponseError =>
  hasCode(e, "SODA_CLIENT_ERR_RESPONSE");
export const isSodaInputError = (e: unknown): e is SodaInputError => hasCode(e, "SODA_CLIENT_ERR_INPUT");

/**
 * True when the error belongs to one document rather than to the run: bad input, or a 4xx the service
 * gave for this request's content (validation, too large, regex timeout). `--on-error emit` writes these
 * as `{id, error}` lines; every other error (service down, busy, unknown lexicon, unauthorized) stops the
 * partition, so that a rerun redoes it instead of recording an outage as a result.
 */
export function isDocumentError(e: unknown): boolean {
  if (isSodaInputError(e)) return true;
  return isSodaHttpError(e) && (e.status === 400 || e.status === 413 || e.status === 422);
}
