import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { sodaError } from "./errors.js";

/**
 * Removes, in place, every object property whose value is `null`, at any depth: SoDA's clients send
 * `null` for the fields they leave out, and such a body must mean exactly the same as one without them.
 * Deleting in place (rather than copying) never assigns a `__proto__` key, so it cannot pollute a prototype.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const v of value) dropNulls(v);
  } else if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (o[k] === null) delete o[k];
      else dropNulls(o[k]);
    }
  }
  return value;
}

function parseJsonBody(
  _req: FastifyRequest,
  body: string,
  done: (err: Error | null, body?: unknown) => void,
) {
  if (body.trim().length === 0) {
    done(sodaError("SODA_ERR_BAD_JSON", { detail: "the body is empty" }));
    return;
  }
  try {
    done(null, dropNulls(JSON.parse(body)));
  } catch (e) {
    done(sodaError("SODA_ERR_BAD_JSON", { detail: (e as Error).message }));
  }
}

/**
 * Request bodies are JSON whatever the Content-Type says: `application/json`, `text/plain` (what browsers
 * and curl's `-d` send) and none at all (SoDA's Python client) all parse the same way. The server's
 * `bodyLimit` applies to each (413 beyond it).
 */
export const bodyParser = fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser(["application/json", "text/plain"]);
    app.addContentTypeParser(["application/json", "text/plain"], { parseAs: "string" }, parseJsonBody);
    app.addContentTypeParser("*", { parseAs: "string" }, parseJsonBody);
  },
  { name: "soda-body-parser" },
);
