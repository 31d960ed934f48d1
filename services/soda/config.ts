import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

/** The service's settings, validated once at start-up and frozen. */
export interface SodaConfig {
  /** Interface to listen on. @default "127.0.0.1" (`SODA_HOST`, `--host`) */
  readonly host: string;
  /** TCP port; 0 picks a free one. @default 8080 (`SODA_PORT`, `--port`) */
  readonly port: number;
  /** Where the lexicon store lives. @default "./data" (`SODA_DATA_DIR`, `--data-dir`) */
  readonly dataDir: string;
  /** Largest accepted request body in bytes. @default 10 MiB (`SODA_BODY_LIMIT`, `--body-limit`) */
  readonly bodyLimit: number;
  /** When set, add and delete need it (x-api-key or Authorization: Bearer). (`SODA_API_KEY`) */
  readonly apiKey: string | undefined;
  /** Tagging requests in progress beyond which new ones get 503. @default 64 (`SODA_MAX_IN_FLIGHT`) */
  readonly maxInFlight: number;
  /** Time limit of one regex.json call. @default 1000 (`SODA_REGEX_TIMEOUT_MS`) */
  readonly regexTimeoutMs: number;
  /** Load the sample lexicons into an empty data dir on start. @default true (`SODA_SAMPLES`, `--no-samples`) */
  readonly samples: boolean;
  /** pino level. @default "info" (`SODA_LOG_LEVEL`, `--log-level`) */
  readonly logLevel: string;
  /**
   * Worker threads that tag, sharing the compiled segments in memory; 0 tags on the main thread.
   * @default 0 in code; `soda serve` uses the cores but one where there are more than two
   * (`SODA_WORKERS`, `--workers`)
   */
  readonly workers: number;
}

/** A configuration mistake: the message names the setting and what it accepts. */
export class ConfigError extends Error {
  readonly code = "SODA_ERR_CONFIG";
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export const DEFAULT_CONFIG: SodaConfig = Object.freeze({
  host: "127.0.0.1",
  port: 8080,
  dataDir: "./data",
  bodyLimit: 10 * 1024 * 1024,
  apiKey: undefined,
  maxInFlight: 64,
  regexTimeoutMs: 1000,
  samples: true,
  logLevel: "info",
  workers: 0,
});

function integer(name: string, raw: string | number, min: number, max: number): number {
  const n = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function flag(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

/**
 * Validates and freezes settings: `overrides` (from code or tests) win over flags, flags over the
 * environment, the environment over {@link DEFAULT_CONFIG}. Throws {@link ConfigError}.
 */
export function resolveConfig(overrides: Partial<SodaConfig> = {}, env: NodeJS.ProcessEnv = {}): SodaConfig {
  const pick = <K extends keyof SodaConfig>(key: K, envName: string): SodaConfig[K] | string =>
    overrides[key] !== undefined ? (overrides[key] as SodaConfig[K]) : (env[envName] ?? DEFAULT_CONFIG[key]);
  const host = String(pick("host", "SODA_HOST"));
  if (host.length === 0) throw new ConfigError("SODA_HOST must not be empty");
  const dataDir = String(pick("dataDir", "SODA_DATA_DIR"));
  if (dataDir.length === 0) throw new ConfigError("SODA_DATA_DIR must not be empty");
  const apiKey = pick("apiKey", "SODA_API_KEY");
  if (apiKey !== undefined && String(apiKey).length < 8)
    throw new ConfigError("SODA_API_KEY must be at least 8 characters long (or unset to disable it)");
  const logLevel = String(pick("logLevel", "SODA_LOG_LEVEL"));
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(
      `SODA_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(logLevel)}`,
    );
  const samples = pick("samples", "SODA_SAMPLES");
  return Object.freeze({
    host,
    port: integer("SODA_PORT", pick("port", "SODA_PORT") as string | number, 0, 65535),
    dataDir,
    bodyLimit: integer(
      "SODA_BODY_LIMIT",
      pick("bodyLimit", "SODA_BODY_LIMIT") as string | number,
      1024,
      2 ** 31 - 1,
    ),
    apiKey: apiKey === undefined ? undefined : String(apiKey),
    maxInFlight: integer(
      "SODA_MAX_IN_FLIGHT",
      pick("maxInFlight", "SODA_MAX_IN_FLIGHT") as string | number,
      1,
      1e6,
    ),
    regexTimeoutMs: integer(
      "SODA_REGEX_TIMEOUT_MS",
      pick("regexTimeoutMs", "SODA_REGEX_TIMEOUT_MS") as string | number,
      1,
      600_000,
    ),
    samples: typeof samples === "boolean" ? samples : flag("SODA_SAMPLES", samples),
    logLevel,
    workers: integer("SODA_WORKERS", pick("workers", "SODA_WORKERS") as string | number, 0, 256),
  });
}

export const SERVE_USAGE = `usage: soda serve [--host HOST] [--port PORT] [--data-dir DIR] [--body-limit BYTES]
                  [--log-level LEVEL] [--no-samples] [--workers N]

  Serves the SoDA v2 HTTP API under /soda (OpenAPI at /soda/openapi.json), /health, /ready and /metrics.
  Flags fall back to SODA_HOST (default 127.0.0.1), SODA_PORT (8080), SODA_DATA_DIR (./data),
  SODA_BODY_LIMIT (10485760), SODA_LOG_LEVEL (info); SODA_API_KEY, when set, protects add and delete;
  SODA_MAX_IN_FLIGHT (64) bounds tagging requests in progress; SODA_REGEX_TIMEOUT_MS (1000).
  An empty data directory is filled with the sample lexicons (countries, MeSH) unless --no-samples.
  --workers N (SODA_WORKERS) threads tag, sharing the compiled lexicons in memory; default: the cores
  but one on machines with more than two, else 0 (tag on the main thread).`;

/** Settings from `soda serve` flags, with the environment as fallback. Throws {@link ConfigError}. */
export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): SodaConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "data-dir": { type: "string" },
        "body-limit": { type: "string" },
        "log-level": { type: "string" },
        "no-samples": { type: "boolean" },
        workers: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const overrides: Partial<Record<keyof SodaConfig, unknown>> = {
    host: values.host,
    dataDir: values["data-dir"],
    logLevel: values["log-level"],
    samples: values["no-samples"] ? false : undefined,
  };
  // Flags given as strings go through the same parsing as the environment.
  const fromFlags: NodeJS.ProcessEnv = { ...env };
  if (values.port !== undefined) fromFlags.SODA_PORT = values.port as string;
  if (values["body-limit"] !== undefined) fromFlags.SODA_BODY_LIMIT = values["body-limit"] as string;
  if (values.workers !== undefined) fromFlags.SODA_WORKERS = values.workers as string;
  // The server uses the cores but one (which parses and answers HTTP) when it has more than two; on two
  // cores the hand-off to a worker cost more than it gained (bench/RESULTS.md). Code and tests default
  // to the main thread.
  else if (fromFlags.SODA_WORKERS === undefined) {
    const cores = availableParallelism();
    fromFlags.SODA_WORKERS = String(cores > 2 ? cores - 1 : 0);
  }
  return resolveConfig(overrides as Partial<SodaConfig>, fromFlags);
}
