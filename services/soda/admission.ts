import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { sendError } from "./error-handler.js";
import { sodaError } from "./errors.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Tagging requests admitted and not yet answered. */
    inFlight(): number;
    /** True once close() has begun: new requests get 503 and readiness fails. */
    closing(): boolean;
  }
  interface FastifyContextConfig {
    /** Counts against the in-flight bound (annot, coverage, matchphrase, regex). */
    tagging?: boolean;
  }
}

export interface AdmissionOptions {
  /** Tagging requests in progress (body being read, or being tagged) beyond which new ones get 503. */
  maxInFlight: number;
}

const RETRY_AFTER_SECONDS = 1;

/**
 * Back-pressure and graceful shutdown.
 *
 * Tagging runs on the main thread (the store's segment registry lives there), so a burst of large
 * documents would otherwise queue unboundedly in memory while bodies are read. A request to a tagging
 * route is admitted only while fewer than `maxInFlight` are in progress; the next one gets 503 with
 * `Retry-After` at once, before its body is read, so clients back off instead of piling up.
 *
 * On close(), new requests (on kept-alive connections) get 503 with `Connection: close`, while those
 * already in progress run to the end: Fastify's close waits for them before its onClose hooks (which
 * close the store) run.
 */
export const admission = fp(
  async (app: FastifyInstance, opts: AdmissionOptions) => {
    let inFlight = 0;
    let closing = false;
    const admitted = new WeakSet<FastifyRequest>();
    const release = (request: FastifyRequest) => {
      if (admitted.delete(request)) inFlight--;
    };
    app.decorate("inFlight", () => inFlight);
    app.decorate("closing", () => closing);
    app.addHook("preClose", (done) => {
      closing = true;
      done();
    });
    app.addHook("onRequest", (request, reply, done) => {
      if (closing) {
        sendError(reply.header("connection", "close"), sodaError("SODA_ERR_SHUTTING_DOWN"));
        return;
      }
      if (!request.routeOptions.config.tagging) {
        done();
        return;
      }
      if (inFlight >= opts.maxInFlight) {
        sendError(
          reply,
          sodaError(
            "SODA_ERR_BUSY",
            { limit: opts.maxInFlight, seconds: RETRY_AFTER_SECONDS },
            { "retry-after": String(RETRY_AFTER_SECONDS) },
          ),
        );
        return;
      }
      inFlight++;
      admitted.add(request);
      done();
    });
    // A connection kept alive after its last response would hold close() until the keep-alive timeout.
    app.addHook("onSend", (_request, reply, payload, done) => {
      if (closing) reply.header("connection", "close");
      done(null, payload);
    });
    app.addHook("onResponse", (request, _reply, done) => {
      release(request);
      done();
    });
    app.addHook("onRequestAbort", (request, done) => {
      release(request);
      done();
    });
  },
  { name: "soda-admission" },
);
