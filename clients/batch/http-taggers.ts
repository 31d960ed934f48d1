import { annotBody, SodaClient, type SodaClientOptions } from "./client.js";
import type { AnnotSettings, OpenTagger } from "./taggers.js";

// Apart from taggers.ts so that an in-process run does not load the HTTP client (undici: about 80 ms
// of CPU at start-up).

/** Taggers that each send `annot.json` calls through a client of their own. */
export function httpTaggers(client: SodaClientOptions, settings: AnnotSettings): OpenTagger {
  const frozen = Object.freeze({ ...settings });
  const body = annotBody(frozen);
  return () => {
    const c = new SodaClient(client);
    return {
      annotate: async (text, signal) => (await c.annot({ ...frozen, text }, { signal })).annotations,
      annotateJson: (text, signal) => c.annotJson(body(text), { signal }),
      close: () => c.close(),
    };
  };
}
