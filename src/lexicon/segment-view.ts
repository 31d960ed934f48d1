import type { CompiledLexicon } from "../annotate/lexicon.js";
import type { TagSegment } from "../annotate/segment.js";
import type { StreamingMode } from "../text/modes.js";
import type { EntityTable } from "./segment-file.js";

/**
 * What every stored segment shares, wherever it is read (the store's thread or a tagging worker): its
 * entities over the entities file and its dead marks (shared memory, so a delete is seen at once by
 * every thread). Subclasses say how a compiled mode is obtained; `modes` caches it.
 */
export abstract class SegmentView implements TagSegment {
  protected readonly modes = new Map<StreamingMode, CompiledLexicon>();

  constructor(
    readonly table: EntityTable,
    public dead: Uint8Array,
  ) {}

  abstract forMode(mode: StreamingMode): CompiledLexicon;

  get docs(): number {
    return this.table.docs;
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
