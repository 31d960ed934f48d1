/**
 * The tagging worker thread (run by piscina). A task carries the texts, the options and, per lexicon,
 * the shared bytes of its live segments ({@link SegmentSnapshot}); the worker decodes them once per
 * segment (views over the shared memory, no copies) and annotates with its own Annotator.
 */
import { type AnnotateOptions, type Annotation, Annotator } from "../../src/annotate/annotator.js";
import type { CompiledLexicon } from "../../src/annotate/lexicon.js";
import type { TagLexicon, TagSegment } from "../../src/annotate/segment.js";
import { decodeMode, EntityTable } from "../../src/lexicon/segment-file.js";
import type { SegmentSnapshot } from "../../src/lexicon/store.js";
import type { StreamingMode } from "../../src/text/modes.js";

/** One tagging task: several texts against several lexicons with one set of options. */
export interface TagTask {
  texts: string[];
  options: AnnotateOptions;
  lexicons: { name: string; segments: SegmentSnapshot[] }[];
}

/** A segment over shared bytes; dead marks are read live from the shared array. */
class SharedSegment implements TagSegment {
  readonly table: EntityTable;
  private readonly modes = new Map<string, CompiledLexicon>();
  private readonly key: string;
  dead: Uint8Array;

  constructor(snapshot: SegmentSnapshot) {
    this.key = snapshot.key;
    this.table = new EntityTable(snapshot.ent, snapshot.key);
    this.dead = snapshot.dead;
  }

  /** Decodes (once) the mode bytes a task brought. */
  provide(mode: string, bytes: Uint8Array | undefined): void {
    if (bytes && !this.modes.has(mode)) this.modes.set(mode, decodeMode(bytes, `${this.key}.${mode}`));
  }

  get docs(): number {
    return this.table.docs;
  }

  forMode(mode: StreamingMode): CompiledLexicon {
    const c = this.modes.get(mode);
    if (!c) throw new Error(`mode ${mode} was not sent to the worker`);
    return c;
  }

  entityId(doc: number): string {
    return this.table.id(doc);
  }

  entityNames(doc: number): readonly string[] {
    return this.table.names(doc);
  }

  isLive(doc: number): boolean {
    return this.dead[doc] === 0;
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

export default function tag(task: TagTask): Annotation[][] {
  const lexicons: TagLexicon[] = task.lexicons.map(({ name, segments: snaps }) => {
    const list = snaps.map((s) => {
      let seg = segments.get(s.key);
      if (!seg) seg = new SharedSegment(s);
      seg.dead = s.dead;
      seg.provide(task.options.matching, s.mode);
      remember(s.key, seg);
      return seg;
    });
    return { name, segments: () => list };
  });
  return task.texts.map((t) => annotator.annotate(t, lexicons, task.options));
}
