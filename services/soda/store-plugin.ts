import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Annotator } from "../../src/annotate/annotator.js";
import type { TagLexicon } from "../../src/annotate/segment.js";
import { LexiconStore } from "../../src/lexicon/store.js";
import { sodaError } from "./errors.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The lexicon store of the data directory: shared by every route (the one thing made global). */
    store: LexiconStore;
    /** The tagging engine; one per thread (it reuses buffers), and requests run on the main thread. */
    annotator: Annotator;
    /** Lexicons for a request: a name, a list of names, or "*" for all. Throws 404 on an unknown one. */
    resolveLexicons(selector: string | readonly string[]): TagLexicon[];
  }
}

export interface StorePluginOptions {
  /** An open store to serve (the caller closes it), or a data directory to open (closed with the app). */
  store?: LexiconStore;
  dataDir: string;
}

/** Opens (or adopts) the lexicon store and exposes it, with the annotator, to every route. */
export const storePlugin = fp(
  async (app: FastifyInstance, opts: StorePluginOptions) => {
    const store = opts.store ?? LexiconStore.open(opts.dataDir, { log: (m) => app.log.warn(m) });
    app.decorate("store", store);
    app.decorate("annotator", new Annotator());
    app.decorate("resolveLexicons", (selector: string | readonly string[]) => {
      const names = selector === "*" ? store.names() : typeof selector === "string" ? [selector] : selector;
      return names.map((name) => {
        const lex = store.lexicon(name);
        if (!lex) throw sodaError("SODA_ERR_UNKNOWN_LEXICON", { name: JSON.stringify(name) });
        return lex;
      });
    });
    if (!opts.store) app.addHook("onClose", async () => store.close());
  },
  { name: "soda-store" },
);
