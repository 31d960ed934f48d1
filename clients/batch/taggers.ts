import type { AnnotateOptions } from "../../src/annotate/annotator.js";
import { Annotator, type JsonBytes } from "../../src/annotate/annotator.js";
import type { TagLexicon } from "../../src/annotate/segment.js";
import type { Annotation, AnnotRequest } from "./types.js";

/**
 * What the runner annotates with: the service (one {@link SodaClient} per tagger) or the engine
 * in-process. The runner opens one tagger per partition and closes it when the partition ends.
 */
export interface Tagger {
  annotate(text: string, signal?: AbortSignal): Promise<Annotation[]>;
  /**
   * The annotations as the JSON text of an array, when the tagger can give them so without parsing
   * (the service's answer, spliced): the runner writes JSONL output from it. Optional.
   */
  annotateJson?(text: string, signal?: AbortSignal): Promise<string>;
  /**
   * Appends to `out` the annotations as the UTF-8 JSON text of an array, synchronously, and returns
   * their number, when the tagger can (the in-process engine): the runner writes JSONL output with it,
   * in preference to {@link annotateJson}. Optional.
   */
  annotateJsonInto?(text: string, out: JsonBytes): number;
  close(): Promise<void>;
}

/** Opens a tagger; called once per partition. */
export type OpenTagger = () => Tagger;

/** The fields of annot.json other than `text`. */
export type AnnotSettings = Omit<AnnotRequest, "text">;

/**
 * `open`'s taggers, with `first` awaited before the first call of any of them (e.g. a probe of the
 * service's settings, made only once there is a document: an empty input needs no service). Keeps
 * {@link Tagger.annotateJson} when the tagger has it.
 */
export function withFirstCall(open: OpenTagger, first: () => Promise<void>): OpenTagger {
  let done: Promise<void> | undefined;
  return () => {
    const tagger = open();
    const wrapped: Tagger = {
      annotate: async (text, signal) => {
        done ??= first();
        await done;
        return tagger.annotate(text, signal);
      },
      close: () => tagger.close(),
    };
    const json = tagger.annotateJson?.bind(tagger);
    if (json)
      wrapped.annotateJson = async (text, signal) => {
        done ??= first();
        await done;
        return json(text, signal);
      };
    return wrapped;
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
    annotateJsonInto: (text, out) => annotator.annotateJson(text, lexicons, options, out),
    close: async () => {},
  };
  return () => tagger;
}
