/**
 * The service's error catalogue: every error a client can see has a stable `SODA_ERR_*` code, an HTTP
 * status and a message template that says what to do. `ERRORS.md` documents each code (a test checks
 * that it does). Templates use `{name}` placeholders filled from the `params` of {@link sodaError}.
 */
export const ERRORS = {
  SODA_ERR_BAD_JSON: {
    status: 400,
    template: "the request body is not valid JSON ({detail}): send one JSON object",
  },
  SODA_ERR_VALIDATION: {
    status: 400,
    template: "invalid request: {detail}",
  },
  SODA_ERR_UNKNOWN_MODE: {
    status: 400,
    template: "unknown matching mode {mode}: use one of {modes}",
  },
  SODA_ERR_MODE_UNSUPPORTED: {
    status: 400,
    template: "matching mode {mode} is not yet supported by {endpoint}: use one of {modes}",
  },
  SODA_ERR_LEXICON_NAME: {
    status: 400,
    template: "invalid lexicon name {name}: use 1 to 128 letters, digits, '_', '.' or '-'",
  },
  SODA_ERR_ENTRY: {
    status: 400,
    template: "invalid entry: {detail}",
  },
  SODA_ERR_REGEX_INVALID: {
    status: 400,
    template: "pattern {name} is not a valid JavaScript regular expression ({detail}): fix its syntax",
  },
  SODA_ERR_IMAGE: {
    status: 400,
    template:
      "the uploaded image cannot be decoded ({detail}): send a PNG, JPEG, TIFF, WebP or GIF page image",
  },
  SODA_ERR_UNAUTHORIZED: {
    status: 401,
    template:
      "this endpoint needs the API key: send it in the x-api-key header or as Authorization: Bearer KEY",
  },
  SODA_ERR_UNKNOWN_LEXICON: {
    status: 404,
    template: "unknown lexicon {name}: list lexicons with GET /soda/dicts.json",
  },
  SODA_ERR_NOT_FOUND: {
    status: 404,
    template: "no endpoint {method} {url}: see GET /soda/openapi.json for the endpoints",
  },
  SODA_ERR_BODY_TOO_LARGE: {
    status: 413,
    template: "the request body is larger than {limit} bytes: split it into smaller requests",
  },
  SODA_ERR_MEDIA_TYPE: {
    status: 415,
    template: "unreadable Content-Type header: send application/json, text/plain or none",
  },
  SODA_ERR_REGEX_TIMEOUT: {
    status: 422,
    template:
      "the patterns ran longer than {ms} ms on this text (catastrophic backtracking?): simplify them or send less text",
  },
  SODA_ERR_BUSY: {
    status: 503,
    template: "the server has {limit} requests in progress: retry after {seconds} s",
  },
  SODA_ERR_SHUTTING_DOWN: {
    status: 503,
    template: "the server is shutting down: retry on another instance or after it restarts",
  },
  SODA_ERR_INTERNAL: {
    status: 500,
    template: "internal error (a bug; the server log has the details, request id {requestId})",
  },
} as const satisfies Record<string, { status: number; template: string }>;

export type SodaErrorCode = keyof typeof ERRORS;

/** An error a client sees: a catalogue code, its HTTP status and a filled-in message. */
export class SodaError extends Error {
  readonly statusCode: number;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: SodaErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "SodaError";
    this.statusCode = ERRORS[code].status;
    this.headers = headers;
  }
}

/** Fills `{name}` placeholders of `template` from `params` (missing ones stay as they are). */
export function formatMessage(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/** A {@link SodaError} with the catalogue message of `code`. */
export function sodaError(
  code: SodaErrorCode,
  params: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): SodaError {
  return new SodaError(code, formatMessage(ERRORS[code].template, params), headers);
}

/** Type guard across realms: anything with a catalogue `code` and a status. */
export function isSodaError(e: unknown): e is SodaError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "SodaError" &&
    typeof (e as { code?: unknown }).code === "string" &&
    (e as { code: string }).code in ERRORS
  );
}
