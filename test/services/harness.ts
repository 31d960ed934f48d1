import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../services/soda/app.js";
import type { SodaConfig } from "../../services/soda/config.js";

/** A real soda server on a free loopback port, with a fresh data directory. */
export interface Running {
  app: FastifyInstance;
  url: string;
  dataDir: string;
  /** POSTs `body` (JSON-encoded unless a string or bytes) and returns the status, headers and JSON. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(path: string): Promise<Reply>;
}

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  json: any;
}

export async function startServer(config: Partial<SodaConfig> = {}): Promise<Running> {
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), "soda-service-"));
  const app = buildApp({ config: { samples: false, ...config, dataDir, port: 0 }, logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  const url = `http://127.0.0.1:${address.port}`;
  const read = async (res: Response): Promise<Reply> => {
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON (metrics): keep the text
    }
    return { status: res.status, headers: res.headers, json };
  };
  return {
    app,
    url,
    dataDir,
    async post(path, body, headers = { "content-type": "application/json" }) {
      const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
      return read(await fetch(url + path, { method: "POST", body: payload, headers }));
    },
    async get(path) {
      return read(await fetch(url + path));
    },
  };
}
