import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/**
 * The OpenAPI 3 document of every route, generated from the route schemas, at `/soda/openapi.json`.
 * Registered before the routes (so @fastify/swagger sees them) and not encapsulated.
 */
export const openapi = fp(
  async (app: FastifyInstance, opts: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: "3.0.3",
        info: {
          title: "soda",
          version: opts.version,
          description:
            "Dictionary-based entity recognition, compatible with Elsevier's SoDA v2 HTTP API. Request bodies " +
            "are JSON with Content-Type application/json, text/plain or none; null fields count as absent. " +
            'Errors are {"status": "error", "code": "SODA_ERR_*", "message"}.',
        },
        components: {
          securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
        },
      },
    });
    app.get("/soda/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  },
  { name: "soda-openapi" },
);
