import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Piscina } from "piscina";
import { type AnnotateOptions, type Annotation, Annotator } from "../../src/annotate/annotator.js";
import type { TagLexicon } from "../../src/annotate/segment.js";
import { LexiconStore } from "../../src/lexicon/store.js";
import { isStreamingMode } from "../../src/text/modes.js";
import { sodaError } from "./errors.js";
import type { TagTask } from "./tag-worker.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The lexicon store of the data directory: shared by every route (the one thing made global). */
    store: LexiconStore;
    /** The tagging engine; one per thread (it reuses buffers), and requests run on the main thread. */
    annotator: Annotator;
    /** Lexicons for a request: a name, a list of names, or "*" for all. Throws 404 on an unknown one. */
    resolveLexicons(selector: string | readonly string[]): TagLexicon[];
    /**
     * Annotates texts against the selected lexicons: on the worker pool when there is one (the segments
     * travel as shared memory, nothing is copied), else on this thread.
     */
    tagTexts(
      texts: string[],
      selector: string | readonly string[],
      options: AnnotateOptions,
    ): Promise<Annotation[][]>;
    /**
     * {@link tagTexts} with each text's annotations as a JSON array string (`JSON.stringify`, fields in
     * the response schema's order): what `annot.json` sends as is. From the worker pool only strings
     * travel back, not objects to clone and serialize again.
     */
    tagTextsJson(
      texts: string[],
      selector: string | readonly string[],
      options: AnnotateOptions,
    ): Promise<string[]>;
  }
}

export interface StorePluginOptions {
  /** An open store to serve (the caller closes it), or a data directory to open (closed with the app). */
  store?: LexiconStore;
  dataDir: string;
  /** Worker threads for tagging; 0 tags on the main thread. @default 0 */
  workers?: number;
}

/** The compiled worker module: next to this file in dist/, or in dist/ when running from the sources. */
function workerFile(): string {
  const here = fileURLToPath(new URL("./tag-worker.js", import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL("../../dist/services/soda/tag-worker.js", import.meta.url));
}

/** Opens (or adopts) the lexicon store and exposes it, with the annotator, to every route. */
export const storePlugin = fp(
  async (app: FastifyInstance, opts: StorePluginOptions) => {
    const store = opts.store ?? LexiconStore.open(opts.dataDir, { log: (m) => app.log.warn(m) });
    app.decorate("store", store);
    app.decorate("annotator", new Annotator());
    const namesOf = (selector: string | readonly string[]) =>
      selector === "*" ? store.names() : typeof selector === "string" ? [selector] : selector;
    const resolve = (selector: string | readonly string[]) =>
      namesOf(selector).map((name) => {
        const lex = store.lexicon(name);
        if (!lex) throw sodaError("SODA_ERR_UNKNOWN_LEXICON", { name: JSON.stringify(name) });
        return lex;
      });
    app.decorate("resolveLexicons", resolve);
    const pool =
      (opts.workers ?? 0) > 0
        ? new Piscina({ filename: workerFile(), maxThreads: opts.workers, minThreads: opts.workers })
        : null;
    const run = async (
      texts: string[],
      selector: string | readonly string[],
      options: AnnotateOptions,
      json: boolean,
    ): Promise<unknown[]> => {
      const lexicons = resolve(selector);
      if (!pool)
        return texts.map((t) => {
          const found = app.annotator.annotate(t, lexicons, options);
          return json ? JSON.stringify(found) : found;
        });
      // Streaming modes are compiled here first (once), so a worker only ever decodes shared bytes.
      const mode = isStreamingMode(options.matching) ? options.matching : undefined;
      const task: TagTask = {
        texts,
        options,
        json,
        lexicons: lexicons.map((l) => ({ name: l.name, segments: store.snapshot(l.name, mode) })),
      };
      return (await pool.run(task)) as unknown[];
    };
    app.decorate(
      "tagTexts",
      async (texts: string[], selector: string | readonly string[], options: AnnotateOptions) =>
        (await run(texts, selector, options, false)) as Annotation[][],
    );
    app.decorate(
      "tagTextsJson",
      async (texts: string[], selector: string | readonly string[], options: AnnotateOptions) =>
        (await run(texts, selector, options, true)) as string[],
    );
    if (pool) app.addHook("onClose", async () => pool.destroy());
    if (!opts.store)
      app.addHook("onClose", async () => {
        await store.idle();
        store.close();
      });
  },
  { name: "soda-store" },
);
