import type { AnnotateOptions } from "../../src/annotate/annotator.js";
import { Annotator } from "../../src/annotate/annotator.js";
import type { TagLexicon } from "../../src/annotate/segment.js";
import { SodaClient, type SodaClientOptions } from "./client.js";
import type { Annotation, AnnotRequest } from "./types.js";

/**
 * What the runner annotates with: the service (one {@link SodaClient} per tagger) or the engine
 * in-process. The runner opens one tagger per partition and closes it when the partition ends.
 */
export interface Tagger {
  annotate(text: string, signal?: AbortSignal): Promise<Annotation[]>;
  close(): Promise<void>;
}

/** Opens a tagger; called once per partition. */
export type OpenTagger = () => Tagger;

/** The fields of annot.json other than `text`. */
export type AnnotSettings = Omit<AnnotRequest, "text">;

/** Taggers that each send `annot.json` calls through a client of their own. */
export function httpTaggers(client: SodaClientOptions, settings: AnnotSettings): OpenTagger {
  const frozen = Object.freeze({ ...settings });
  return () => {
    const c = new SodaClient(client);
    return {
      annotate: async (text, signal) => (await c.annot({ ...frozen, text }, { signal })).annotations,
      close: () => c.close(),
    };
  };
}

/**
 * Taggers over lexicons in this process (a data directory's store, or TSV files): no server. They
 * share one {@link Annotator}, which is safe because a call runs to its end synchronously.
 */
export function inProcessTaggers(lexicons: readonly TagLexicon[], options: AnnotateOptions): OpenTagger {
  const annotator = new Annotator();
  const tagger: Tagger = {
    annotate: async (text) => annotator.annotate(text, lexicons as TagLexicon[], options),
    close: async () => {},
  };
  return () => tagger;
}
