import { once } from "node:events";
import { ConfigError, configFromArgs, SERVE_USAGE } from "./config.js";
import { startServer } from "./server.js";

/**
 * `soda serve`: validates flags (falling back to SODA_* variables), starts the server and resolves
 * with the exit code once it has shut down (SIGINT/SIGTERM drain requests in progress first).
 * Usage mistakes print the usage and return 2.
 */
export async function serveCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(SERVE_USAGE);
    return 0;
  }
  let config: ReturnType<typeof configFromArgs>;
  try {
    config = configFromArgs(argv, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`soda serve: ${e.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  const server = await startServer(config, true);
  await once(server.app.server, "close");
  await server.close();
  return 0;
}
