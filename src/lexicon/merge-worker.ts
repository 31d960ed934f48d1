/**
 * The heavy half of a merge: read the live docs of the merged segments from their files, write the new
 * segment's files (entities and every mode in use). Pure file work, so it runs in a worker thread and
 * tagging never waits for it; the store then registers the result in one transaction.
 */
import { readFileSync } from "node:fs";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { compileLexicon, type Entry } from "../annotate/lexicon.js";
import type { StreamingMode } from "../text/modes.js";
import { EntityTable, encodeEntities, encodeMode, writeFileAtomic } from "./segment-file.js";

/** What to merge: the victims' files with their (shared, live) dead marks, and where to write. */
export interface MergeInput {
  victims: { seq: number; entFile: string; dead: Uint8Array }[];
  entFile: string;
  modeFiles: [StreamingMode, string][];
}

/** The docs of the new segment, in order: where each came from. */
export interface MergeOutput {
  moved: { id: string; from: number; fromDoc: number }[];
}

/** Writes the merged segment's files and says where each of its docs came from. */
export function buildMergedSegment(input: MergeInput): MergeOutput {
  const entries: Entry[] = [];
  const moved: MergeOutput["moved"] = [];
  for (const v of input.victims) {
    const table = new EntityTable(readFileSync(v.entFile), v.entFile);
    for (let d = 0; d < table.docs; d++) {
      if (v.dead[d] !== 0) continue;
      const e = table.entry(d);
      entries.push(e);
      moved.push({ id: e.id, from: v.seq, fromDoc: d });
    }
  }
  writeFileAtomic(input.entFile, encodeEntities(entries));
  for (const [mode, file] of input.modeFiles)
    writeFileAtomic(file, encodeMode(compileLexicon(entries, mode)));
  return { moved };
}

if (!isMainThread && parentPort && (workerData as { soda?: string } | null)?.soda === "merge") {
  const port = parentPort;
  port.once("message", (input: MergeInput) => {
    try {
      port.postMessage({ ok: buildMergedSegment(input) });
    } catch (e) {
      port.postMessage({ error: (e as Error).message });
    }
  });
}
