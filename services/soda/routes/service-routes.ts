import type { FastifyInstance } from "fastify";
import { okStatus, responses } from "../schemas.js";

/** `GET /soda/index.json` (SoDA's liveness line), `/health` (liveness), `/ready` (readiness). */
export async function serviceRoutes(app: FastifyInstance, opts: { version: string }): Promise<void> {
  const message = `SoDA accepting requests (soda ${opts.version}, FST tagger)`;
  const statusLine = {
    type: "object",
    required: ["status", "message"],
    properties: { status: okStatus, message: { type: "string" } },
  };
  app.get(
    "/soda/index.json",
    { schema: { summary: "Readiness line with the version", response: responses(statusLine) } },
    async () => ({ status: "ok", message }),
  );
  app.get(
    "/health",
    { schema: { summary: "Liveness: the process answers", response: responses(statusLine) } },
    async () => ({ status: "ok", message: "alive" }),
  );
  app.get(
    "/ready",
    {
      schema: {
        summary: "Readiness: the store is open and the server is not shutting down",
        response: responses(statusLine),
      },
    },
    // While closing, the admission hook answers 503 SODA_ERR_SHUTTING_DOWN before this runs.
    async () => ({ status: "ok", message: `ready: ${app.store.names().length} lexicons` }),
  );
}
