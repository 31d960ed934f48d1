import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { SodaConfig } from "./config.js";
import { loadSamplesIfEmpty } from "./samples.js";

/** A listening soda server and the way to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Stops accepting, drains requests in progress, closes the store. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds the app from `config`, fills an empty data directory with the samples (unless disabled),
 * listens, and closes gracefully on SIGINT/SIGTERM when `handleSignals` (the CLI; tests leave it off).
 */
export async function startServer(config: SodaConfig, handleSignals = false): Promise<RunningServer> {
  const app = buildApp({ config });
  await app.ready();
  if (config.samples) await loadSamplesIfEmpty(app.store, app.log);
  const url = await app.listen({ host: config.host, port: config.port });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= app.close();
    return closing;
  };
  if (handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, "shutting down: draining requests in progress");
      close().then(
        () => process.off("SIGINT", onSignal).off("SIGTERM", onSignal),
        (err: unknown) => {
          app.log.error({ err }, "error while shutting down");
          process.exitCode = 1;
        },
      );
    };
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  }
  return { app, url, close };
}
