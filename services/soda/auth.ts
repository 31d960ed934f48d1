import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import { sendError } from "./error-handler.js";
import { sodaError } from "./errors.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** The key a request presents: the `x-api-key` header, or `Authorization: Bearer KEY`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers["x-api-key"];
  if (typeof header === "string") return header;
  const auth = request.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m ? m[1] : undefined;
}

/**
 * An onRequest hook that lets a request through only with `apiKey` (checked before the body is read, so
 * an unauthorized client cannot make the server buffer a large body). Comparison of digests in constant
 * time, so the key's length and prefix do not leak through timing. With no key configured: a no-op.
 */
export function requireApiKey(apiKey: string | undefined): onRequestHookHandler {
  if (apiKey === undefined) return (_req, _reply, done) => done();
  const expected = digest(apiKey);
  return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const key = presentedKey(request);
    if (key !== undefined && timingSafeEqual(digest(key), expected)) {
      done();
      return;
    }
    sendError(reply.header("www-authenticate", 'Bearer realm="soda"'), sodaError("SODA_ERR_UNAUTHORIZED"));
  };
}
