/**
 * The tagging worker thread (run by piscina). A task carries the texts, the options and, per lexicon,
 * the shared bytes of its live segments ({@link SegmentSnapshot}); the worker decodes them once per
 * segment (views over the shared memory, no copies) and annotates with its own Annotator.
 */
import { type AnnotateOptions, type Annotation, Annotator } from "../../src/annotate/annotator.js";
import type { CompiledLexicon } from "../../src/annotate/lexicon.js";
import type { TagLexicon } from "../../src/annotate/segment.js";
import { decodeMode, EntityTable } from "../../src/lexicon/segment-file.js";
import { SegmentView } from "../../src/lexicon/segment-view.js";
import type { SegmentSnapshot } from "../../src/lexicon/store.js";
import { isStreamingMode, type StreamingMode } from "../../src/text/modes.js";

/** One tagging task: several texts against several lexicons with one set of options. */
export interface TagTask {
  texts: string[];
  options: AnnotateOptions;
  /** Answer each text's annotations as a JSON string (cheaper to send back than objects). */
  json?: boolean;
  lexicons: { name: string; segments: SegmentSnapshot[] }[];
}

/** A segment over shared bytes; its modes come with the tasks that need them. */
class SharedSegment extends SegmentView {
  private readonly key: string;

  constructor(snapshot: SegmentSnapshot) {
    // The store verified these bytes' checksums when it read them; a worker decodes without a second pass.
    super(new EntityTable(snapshot.ent, snapshot.key, true), snapshot.dead);
    this.key = snapshot.key;
  }

  /** Decodes (once) the mode bytes a task brought. */
  provide(mode: StreamingMode, bytes: Uint8Array | undefined): void {
    if (bytes && !this.modes.has(mode)) this.modes.set(mode, decodeMode(bytes, `${this.key}.${mode}`, true));
  }

  forMode(mode: StreamingMode): CompiledLexicon {
    const c = this.modes.get(mode);
    if (!c) throw new Error(`mode ${mode} was not sent to the worker`);
    return c;
  }
}

const segments = new Map<string, SharedSegment>();
const annotator = new Annotator();

/** Forgets segments no task has named for a while (merged away or deleted). */
function remember(key: string, seg: SharedSegment): void {
  segments.delete(key);
  segments.set(key, seg);
  if (segments.size > 4096) segments.delete(segments.keys().next().value as string);
}

export default function tag(task: TagTask): Annotation[][] | string[] {
  const lexicons: TagLexicon[] = task.lexicons.map(({ name, segments: snaps }) => {
    const list = snaps.map((s) => {
      let seg = segments.get(s.key);
      if (!seg) seg = new SharedSegment(s);
      seg.dead = s.dead;
      if (isStreamingMode(task.options.matching)) seg.provide(task.options.matching, s.mode);
      remember(s.key, seg);
      return seg;
    });
    return { name, segments: () => list };
  });
  if (task.json) return task.texts.map((t) => JSON.stringify(annotator.annotate(t, lexicons, task.options)));
  return task.texts.map((t) => annotator.annotate(t, lexicons, task.options));
}
