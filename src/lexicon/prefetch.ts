import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";

/**
 * Reads segment files into shared memory on a helper thread, checking their checksums there, while the
 * caller goes on: at a restart the store reads the entities files on its own thread while the mode files
 * of every mode in use come in beside it, so the first request in a mode waits for at most what is left.
 * {@link take} hands a file over (waiting if it is still being read); a file that is missing, short or
 * whose checksum fails is not handed over, and the caller reads it its usual way (and rebuilds it).
 */
export class Prefetcher {
  /**
   * Per file: 0 waiting, 3 being read by the helper, 1 read and checksum matched, 2 failed, 4 taken
   * back by the caller before the helper started on it.
   */
  private readonly state: Int32Array;
  private readonly buffers: SharedArrayBuffer[] = [];
  private readonly index = new Map<string, number>();
  private readonly worker: Worker | undefined;
  /** Resolves when the helper thread has gone through every file (or stopped). */
  readonly done: Promise<void>;

  constructor(files: readonly string[]) {
    const present: string[] = [];
    for (const f of files) {
      let size: number;
      try {
        size = statSync(f).size;
      } catch {
        continue;
      }
      this.index.set(f, present.length);
      present.push(f);
      this.buffers.push(new SharedArrayBuffer(size));
    }
    this.state = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, present.length)));
    if (present.length === 0) {
      this.done = Promise.resolve();
      return;
    }
    const worker = new Worker(PREFETCH_WORKER, {
      eval: true,
      workerData: { files: present, buffers: this.buffers, state: this.state },
    });
    this.worker = worker;
    worker.unref();
    this.done = new Promise((resolve) => worker.once("exit", () => resolve()));
    this.worker.on("error", () => {
      for (let i = 0; i < present.length; i++) Atomics.compareExchange(this.state, i, 3, 2);
    });
  }

  /**
   * The bytes of `file` with their checksum verified, waiting while the helper reads them; undefined
   * when the file was not prefetched, failed its checks, or the helper had not started on it yet (a
   * slow start on a busy machine: the caller reads the file itself, nobody waits for the helper).
   * Each file is handed over once.
   */
  take(file: string): Uint8Array | undefined {
    const i = this.index.get(file);
    if (i === undefined) return undefined;
    this.index.delete(file);
    if (Atomics.compareExchange(this.state, i, 0, 4) === 0) return undefined;
    // A helper that died midway never says so (its error event needs this thread's event loop).
    const giveUp = performance.now() + 60_000;
    while (Atomics.load(this.state, i) === 3 && performance.now() < giveUp)
      Atomics.wait(this.state, i, 3, 1000);
    return Atomics.load(this.state, i) === 1 ? new Uint8Array(this.buffers[i]) : undefined;
  }

  /** Stops the helper thread (files not taken are dropped). */
  close(): void {
    this.index.clear();
    void this.worker?.terminate();
  }
}

/**
 * The helper thread (plain CommonJS, evaluated: it needs no build step). The checksum is the one of
 * segment-file.ts: CRC-32 of every byte but 20-23, where it is stored.
 */
const PREFETCH_WORKER = `
const { workerData } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
const { crc32 } = require("node:zlib");
const { files, buffers, state } = workerData;
const CHUNK = 4 << 20;
for (let i = 0; i < files.length; i++) {
  if (Atomics.compareExchange(state, i, 0, 3) !== 0) continue;
  let ok = false;
  try {
    const b = new Uint8Array(buffers[i]);
    const fd = openSync(files[i], "r");
    try {
      let off = 0;
      let crc = 0;
      while (off < b.length) {
        const n = readSync(fd, b, off, Math.min(CHUNK, b.length - off), off);
        if (n === 0) break;
        crc = off === 0 ? crc32(b.subarray(24, n), crc32(b.subarray(0, 20))) : crc32(b.subarray(off, off + n), crc);
        off += n;
      }
      ok = off === b.length && off >= 32 && new DataView(buffers[i], 20, 4).getUint32(0, true) === crc;
    } finally {
      closeSync(fd);
    }
  } catch {}
  Atomics.store(state, i, ok ? 1 : 2);
  Atomics.notify(state, i);
}
`;
