import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import type { LexiconStore } from "../../src/lexicon/store.js";
import { admission } from "./admission.js";
import { bodyParser } from "./body-parser.js";
import { resolveConfig, type SodaConfig } from "./config.js";
import { errorHandler } from "./error-handler.js";
import { metricsPlugin } from "./metrics.js";
import { openapi } from "./openapi.js";
import { annotateRoutes } from "./routes/annotate-routes.js";
import { lexiconRoutes } from "./routes/lexicon-routes.js";
import { lookupRoutes } from "./routes/lookup-routes.js";
import { ocrRoute } from "./routes/ocr-route.js";
import { regexRoute } from "./routes/regex-route.js";
import { serviceRoutes } from "./routes/service-routes.js";
import { storePlugin } from "./store-plugin.js";

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Settings; what is not given takes its default (the environment is not read here: see server.ts). */
  config?: Partial<SodaConfig>;
  /** An open store to serve instead of opening `config.dataDir`; the caller closes it. */
  store?: LexiconStore;
  /** pino logger options, or false. @default {level: config.logLevel} */
  logger?: boolean | { level: string };
}

/** The version of the package this file belongs to (the nearest package.json up the tree). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "soda" && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep climbing
    }
    const up = dirname(dir);
    if (up === dir) return "0.0.0";
    dir = up;
  }
}

/**
 * The soda HTTP service as a Fastify instance, ready to `listen` or `inject`; it never listens itself.
 * Options are validated (throws ConfigError) and frozen. Closing the instance drains requests in
 * progress, then closes the store it opened.
 */
export function buildApp(options: BuildAppOptions = {}): FastifyInstance {
  const config = resolveConfig(options.config);
  const version = packageVersion();
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    return503OnClosing: false,
    // Wrong types are errors, never silently coerced ("true" is not a boolean).
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.register(errorHandler, { bodyLimit: config.bodyLimit });
  app.register(bodyParser);
  app.register(storePlugin, { store: options.store, dataDir: config.dataDir, workers: config.workers });
  app.register(admission, { maxInFlight: config.maxInFlight });
  app.register(metricsPlugin);
  app.register(openapi, { version });
  app.register(serviceRoutes, { version });
  app.register(lexiconRoutes, { apiKey: config.apiKey });
  app.register(lookupRoutes);
  app.register(annotateRoutes);
  app.register(regexRoute, { timeoutMs: config.regexTimeoutMs });
  app.register(ocrRoute);
  return app;
}
