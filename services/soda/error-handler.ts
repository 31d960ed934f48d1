import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { StoreError } from "../../src/lexicon/store.js";
import { STREAMING_MODES } from "../../src/text/modes.js";
import { ERRORS, isSodaError, SodaError, type SodaErrorCode, sodaError } from "./errors.js";

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A client-facing error for a failed JSON Schema check: the first issue, said plainly. */
function validationError(issue: ValidationIssue, data: unknown): SodaError {
  const path = issue.instancePath.replace(/^\//, "").replace(/\//g, ".") || "body";
  const value = issue.instancePath
    .split("/")
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
  if (issue.keyword === "enum" && path.endsWith("matching"))
    return sodaError("SODA_ERR_UNKNOWN_MODE", {
      mode: JSON.stringify(value),
      modes: STREAMING_MODES.join(", "),
    });
  if (issue.keyword === "pattern" && path === "lexicon")
    return sodaError("SODA_ERR_LEXICON_NAME", { name: JSON.stringify(value) });
  let detail: string;
  switch (issue.keyword) {
    case "required":
      detail = `${path === "body" ? "" : `${path}: `}the field ${JSON.stringify(issue.params.missingProperty)} is required`;
      break;
    case "enum":
      detail = `${path} is ${JSON.stringify(value)}: use one of ${(issue.params.allowedValues as unknown[]).join(", ")}`;
      break;
    case "type":
      detail = `${path} must be ${String(issue.params.type).replace(",", " or ")}, got ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}`;
      break;
    default:
      detail = `${path} ${issue.message ?? "is invalid"}`;
  }
  return sodaError("SODA_ERR_VALIDATION", { detail });
}

/** Maps Fastify's own errors (body parsing, limits) to the catalogue; undefined for anything else. */
function fromFastify(e: FastifyError, bodyLimit: number): SodaError | undefined {
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return sodaError("SODA_ERR_BODY_TOO_LARGE", { limit: bodyLimit });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return sodaError("SODA_ERR_MEDIA_TYPE");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return sodaError("SODA_ERR_BAD_JSON", { detail: e.message });
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return sodaError("SODA_ERR_VALIDATION", { detail: "Content-Length does not match the body" });
  }
  return undefined;
}

/** Sends `err` as `{status: "error", code, message}` with its status and headers. */
export function sendError(reply: FastifyReply, err: SodaError): FastifyReply {
  return reply
    .code(err.statusCode)
    .headers(err.headers)
    .send({ status: "error", code: err.code, message: err.message });
}

/**
 * The one place errors become responses: catalogue errors as they are, store errors by their code,
 * schema failures and Fastify's parsing errors translated; anything else is a bug (500, logged).
 */
export const errorHandler = fp(
  async (app: FastifyInstance, opts: { bodyLimit: number }) => {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      let err: SodaError | undefined;
      if (isSodaError(error)) err = error;
      else if (error instanceof StoreError && error.code in ERRORS)
        err = new SodaError(error.code as SodaErrorCode, error.message);
      else if (error.validation && error.validation.length > 0)
        err = validationError(error.validation[0] as ValidationIssue, request.body);
      else err = fromFastify(error, opts.bodyLimit);
      if (!err) {
        request.log.error({ err: error }, "unhandled error");
        err = sodaError("SODA_ERR_INTERNAL", { requestId: request.id });
      }
      return sendError(reply, err);
    });
    app.setNotFoundHandler((request, reply) =>
      sendError(reply, sodaError("SODA_ERR_NOT_FOUND", { method: request.method, url: request.url })),
    );
  },
  { name: "soda-error-handler" },
);
