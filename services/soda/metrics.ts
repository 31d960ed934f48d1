import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

declare module "fastify" {
  interface FastifyInstance {
    metrics: SodaMetrics;
  }
}

/** The service's Prometheus metrics, in a registry of its own (two apps in one process never clash). */
export interface SodaMetrics {
  readonly registry: Registry;
  /** Documents tagged (annot counts each document of a batch). */
  readonly documents: Counter<"route">;
}

/**
 * `/metrics` in the Prometheus text format: requests by route, method and status; latency histogram;
 * request bytes; documents tagged; entries per lexicon; tagging requests in flight; Node's defaults.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "soda_" });
    const requests = new Counter({
      name: "soda_http_requests_total",
      help: "HTTP requests by route, method and status code",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    });
    const latency = new Histogram({
      name: "soda_http_request_duration_seconds",
      help: "Time from request received to response sent, by route",
      labelNames: ["route", "method"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const bytes = new Counter({
      name: "soda_http_request_bytes_total",
      help: "Request body bytes received (Content-Length), by route",
      labelNames: ["route"] as const,
      registers: [registry],
    });
    const documents = new Counter({
      name: "soda_documents_total",
      help: "Documents tagged, by route",
      labelNames: ["route"] as const,
      registers: [registry],
    });
    new Gauge({
      name: "soda_lexicon_entries",
      help: "Committed entries per lexicon",
      labelNames: ["lexicon"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const l of app.store.list()) this.set({ lexicon: l.lexicon }, l.count);
      },
    });
    new Gauge({
      name: "soda_tagging_in_flight",
      help: "Tagging requests admitted and not yet answered",
      registers: [registry],
      collect() {
        this.set(app.inFlight());
      },
    });
    app.decorate("metrics", { registry, documents });

    app.addHook("onResponse", (request, reply, done) => {
      // Unmatched URLs share one label, so scanners cannot blow up the label set.
      const route = request.routeOptions.url ?? "unmatched";
      requests.inc({ route, method: request.method, status: String(reply.statusCode) });
      latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
      const length = Number(request.headers["content-length"]);
      if (length > 0) bytes.inc({ route }, length);
      done();
    });

    app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: "soda-metrics", dependencies: ["soda-store", "soda-admission"] },
);
