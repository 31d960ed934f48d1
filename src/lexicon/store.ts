import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { type CompiledLexicon, compileLexicon, compileNames, type Entry } from "../annotate/lexicon.js";
import type { TagLexicon, TagSegment } from "../annotate/segment.js";
import { isFstError } from "../fst/index.js";
import { isStreamingMode, type StreamingMode } from "../text/modes.js";
import { buildMergedSegment, type MergeInput, type MergeOutput } from "./merge-worker.js";
import {
  decodeMode,
  EntitiesBuilder,
  EntityTable,
  encodeEntities,
  encodeMode,
  readSegment,
  SegmentCorruptError,
  toShared,
  writeFileAtomic,
} from "./segment-file.js";
import { SegmentView } from "./segment-view.js";

/** An entity as stored: an entry plus optional attributes (tree numbers, record type, language, source). */
export interface StoredEntry extends Entry {
  attributes?: Record<string, unknown>;
}

/** A store error with a stable code and a message that says what to do. */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link LexiconStore.open}. */
export interface StoreOptions {
  /** Where messages about rebuilt segments go. @default console.warn */
  log?: (message: string) => void;
  /** Merge a lexicon's segments when it has more than this many. @default 10 */
  maxSegments?: number;
}

const LEXICON_NAME = /^[\w.-]{1,128}$/;

/** One live segment of the store: its files' bytes, and its modes loaded or compiled on first use. */
class StoredSegment extends SegmentView {
  /** The serialized mode files in shared memory, for worker threads. */
  readonly modeBytes = new Map<StreamingMode, Uint8Array>();

  constructor(
    readonly seq: number,
    /** The entities file in shared memory. */
    readonly entBytes: Uint8Array,
    table: EntityTable,
    dead: Uint8Array,
    private readonly loadMode: (seg: StoredSegment, mode: StreamingMode) => LoadedMode,
  ) {
    super(table, dead);
  }

  /** Installs a mode from its serialized (shared) bytes, decoded already when `compiled` is given. */
  install(mode: StreamingMode, bytes: Uint8Array, compiled: CompiledLexicon = decodeMode(bytes)): this {
    this.modeBytes.set(mode, bytes);
    this.modes.set(mode, compiled);
    return this;
  }

  forMode(mode: StreamingMode): CompiledLexicon {
    let c = this.modes.get(mode);
    if (!c) {
      const loaded = this.loadMode(this, mode);
      this.install(mode, loaded.bytes, loaded.compiled);
      c = loaded.compiled;
    }
    return c;
  }

  get liveDocs(): number {
    let n = 0;
    for (let d = 0; d < this.table.docs; d++) if (this.dead[d] === 0) n++;
    return n;
  }
}

/** A mode of a segment as read (or compiled): its file's shared bytes and their decoding. */
interface LoadedMode {
  bytes: Uint8Array;
  compiled: CompiledLexicon;
}

/** What a worker thread needs to tag against one segment: shared bytes only, no copies. */
export interface SegmentSnapshot {
  /** Stable identity of the segment (lexicon and sequence number), for the worker's caches. */
  key: string;
  ent: Uint8Array;
  dead: Uint8Array;
  mode?: Uint8Array;
}

/** A stored lexicon as the annotator sees it: the registry's current list of live segments. */
class StoredLexicon implements TagLexicon {
  /** Replaced, never mutated: a reader holding the old array keeps a consistent view. */
  current: readonly StoredSegment[] = [];
  constructor(readonly name: string) {}
  segments(): readonly TagSegment[] {
    return this.current;
  }
}

/**
 * The lexicon store of a data directory: entities in SQLite (WAL), compiled segments under
 * `<data-dir>/segments/<lexicon>/`.
 *
 * - `add` stages entries (upsert by lexicon and id); `commit` writes one new segment with just the
 *   staged entries, compiled for every mode in use, and marks their older versions dead. A commit costs
 *   time in proportion to what it adds, not to the lexicon.
 * - `beginBulk` / `bulkLoad` (what `soda load` uses) skip the staging table: rows go straight into the
 *   entities table in one transaction that also registers the new segment, all or nothing.
 * - `delete` (an id, scoped to its lexicon) and `deleteLexicon` take effect at once.
 * - Durability: a segment file is written (temporary file, fsync, rename) before the SQLite transaction
 *   that registers it, so a crash at any moment leaves either the old state or the new one: committed
 *   entries are always served, staged ones survive a crash and are served after the next commit, a
 *   partial or unregistered file is deleted at start-up and never served, and a file that fails its
 *   checksum is rebuilt from the entities table.
 * - Modes compile on first use (for every segment of the lexicon), then each commit compiles them too.
 * - A restart reads the entities files, and a mode's files when it is first used; each file's checksum
 *   is computed as it is read (one pass), before it is served.
 */
export class LexiconStore {
  private readonly db: Database.Database;
  private readonly lexicons = new Map<string, StoredLexicon>();
  private readonly log: (m: string) => void;
  private readonly maxSegments: number;
  private readonly merging = new Map<string, Promise<void>>();
  private closed = false;
  /** The lexicon of the bulk load holding the transaction, if any. */
  private bulkActive: string | undefined;

  private constructor(
    readonly dataDir: string,
    options: StoreOptions,
  ) {
    this.log = options.log ?? ((m) => console.warn(m));
    this.maxSegments = options.maxSegments ?? 10;
    mkdirSync(join(dataDir, "segments"), { recursive: true });
    const file = join(dataDir, "soda.db");
    const fresh = !existsSync(file);
    this.db = new Database(file);
    // 16 KiB pages (a new database only: the size is fixed once the first table exists): fewer B-tree
    // levels and splits for millions of entities; a bulk load writes about half the WAL frames.
    if (fresh) this.db.pragma("page_size = 16384");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    // A bulk load grows the WAL by the size of what it loads: give the disk back after checkpoints.
    this.db.pragma("journal_size_limit = 67108864");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS lexicons(name TEXT PRIMARY KEY, next_segment INTEGER NOT NULL DEFAULT 1,
        modes TEXT NOT NULL DEFAULT '[]');
      CREATE TABLE IF NOT EXISTS entities(lexicon TEXT NOT NULL, id TEXT NOT NULL, names TEXT NOT NULL,
        attributes TEXT, segment INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(lexicon, id)) WITHOUT ROWID;
      DROP INDEX IF EXISTS entities_by_doc;
      CREATE TABLE IF NOT EXISTS staged(lexicon TEXT NOT NULL, id TEXT NOT NULL, names TEXT NOT NULL,
        attributes TEXT, PRIMARY KEY(lexicon, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS segments(lexicon TEXT NOT NULL, seq INTEGER NOT NULL, docs INTEGER NOT NULL,
        PRIMARY KEY(lexicon, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS dead(lexicon TEXT NOT NULL, segment INTEGER NOT NULL, doc INTEGER NOT NULL,
        PRIMARY KEY(lexicon, segment, doc)) WITHOUT ROWID;
    `);
  }

  /** Opens (creating if needed) the store of `dataDir` and loads every live segment. */
  static open(dataDir: string, options: StoreOptions = {}): LexiconStore {
    const store = new LexiconStore(dataDir, options);
    store.recover();
    return store;
  }

  /** Closes the database. A merge still running is abandoned (its files are removed at the next start). */
  close(): void {
    this.closed = true;
    this.db.close();
  }

  private segDir(lexicon: string): string {
    return join(this.dataDir, "segments", lexicon);
  }

  private entFile(lexicon: string, seq: number): string {
    return join(this.segDir(lexicon), `${seq}.ent`);
  }

  private modeFile(lexicon: string, seq: number, mode: StreamingMode): string {
    return join(this.segDir(lexicon), `${seq}.${mode}.fst`);
  }

  /** Loads the registry; deletes temporary and unregistered files; rebuilds corrupt segments. */
  private recover(): void {
    const rows = this.db.prepare("SELECT name FROM lexicons").all() as { name: string }[];
    for (const { name } of rows) {
      const lex = new StoredLexicon(name);
      this.lexicons.set(name, lex);
      const segs = this.db
        .prepare("SELECT seq, docs FROM segments WHERE lexicon = ? ORDER BY seq")
        .all(name) as {
        seq: number;
        docs: number;
      }[];
      const live = new Set<string>();
      for (const s of segs) {
        live.add(`${s.seq}.ent`);
        for (const m of this.modesOf(name)) live.add(`${s.seq}.${m}.fst`);
      }
      const dir = this.segDir(name);
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(dir)) if (!live.has(f)) rmSync(join(dir, f), { force: true });
      const dead = this.db.prepare("SELECT segment, doc FROM dead WHERE lexicon = ?").all(name) as {
        segment: number;
        doc: number;
      }[];
      const loaded = segs.map((s) => this.loadSegment(name, s.seq, s.docs));
      const bySeq = new Map(loaded.map((s) => [s.seq, s]));
      for (const d of dead) {
        const seg = bySeq.get(d.segment);
        if (seg) seg.dead[d.doc] = 1;
      }
      lex.current = loaded;
    }
  }

  private loadSegment(lexicon: string, seq: number, docs: number): StoredSegment {
    const file = this.entFile(lexicon, seq);
    let table: EntityTable;
    let bytes: Uint8Array;
    try {
      const read = readSegment(file);
      bytes = read.bytes;
      table = new EntityTable(bytes, file, read.checked);
      if (table.docs !== docs)
        throw new SegmentCorruptError(file, `${table.docs} docs, the store says ${docs}`);
    } catch (e) {
      if (!(e instanceof SegmentCorruptError) && (e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      this.log(
        `soda: ${e instanceof SegmentCorruptError ? e.message : `segment file ${file} is missing; rebuilding it`}`,
      );
      // No index by segment (it cost a quarter of a bulk load's CPU): a rebuild, which only a damaged
      // or lost file needs, scans the lexicon's rows once. Dead docs have no row any more: they stay
      // empty placeholders so doc numbers stay put.
      const rows = this.db
        .prepare("SELECT id, names, doc FROM entities WHERE lexicon = ? AND segment = ?")
        .all(lexicon, seq) as { id: string; names: string; doc: number }[];
      const entries: Entry[] = Array.from({ length: docs }, () => ({ id: "", names: [] }));
      for (const r of rows) entries[r.doc] = { id: r.id, names: JSON.parse(r.names) };
      const rebuilt = encodeEntities(entries);
      writeFileAtomic(file, rebuilt);
      for (const m of this.modesOf(lexicon)) rmSync(this.modeFile(lexicon, seq, m), { force: true });
      bytes = toShared(rebuilt);
      table = new EntityTable(bytes, file);
    }
    return this.newSegment(lexicon, seq, bytes, table);
  }

  private newSegment(lexicon: string, seq: number, ent: Uint8Array, table: EntityTable): StoredSegment {
    const dead = new Uint8Array(new SharedArrayBuffer(table.docs));
    return new StoredSegment(seq, ent, table, dead, (seg, mode) => this.loadMode(lexicon, seg, mode));
  }

  /**
   * Reads a segment's compiled mode file into shared memory, compiling (and writing) it when absent or
   * corrupt. Returns the serialized bytes.
   */
  private loadMode(lexicon: string, seg: StoredSegment, mode: StreamingMode): LoadedMode {
    const file = this.modeFile(lexicon, seg.seq, mode);
    if (existsSync(file)) {
      try {
        const { bytes, checked } = readSegment(file);
        return { bytes, compiled: decodeMode(bytes, file, checked) };
      } catch (e) {
        if (!(e instanceof SegmentCorruptError) && !isFstError(e)) throw e;
        this.log(`soda: ${(e as Error).message}`);
      }
    }
    const encoded = encodeMode(compileNames(seg.table, mode));
    writeFileAtomic(file, encoded);
    this.useMode(lexicon, mode);
    const bytes = toShared(encoded);
    return { bytes, compiled: decodeMode(bytes, file, true) };
  }

  private modesOf(lexicon: string): StreamingMode[] {
    const row = this.db.prepare("SELECT modes FROM lexicons WHERE name = ?").get(lexicon) as
      | { modes: string }
      | undefined;
    return row ? (JSON.parse(row.modes) as string[]).filter(isStreamingMode) : [];
  }

  private useMode(lexicon: string, mode: StreamingMode): void {
    const modes = this.modesOf(lexicon);
    if (modes.includes(mode)) return;
    this.db
      .prepare("UPDATE lexicons SET modes = ? WHERE name = ?")
      .run(JSON.stringify([...modes, mode]), lexicon);
  }

  private ensureLexicon(name: string): StoredLexicon {
    if (!LEXICON_NAME.test(name))
      throw new StoreError(
        "SODA_ERR_LEXICON_NAME",
        `invalid lexicon name ${JSON.stringify(name)}: use 1 to 128 letters, digits, '_', '.' or '-'`,
      );
    let lex = this.lexicons.get(name);
    if (!lex) {
      this.db.prepare("INSERT OR IGNORE INTO lexicons(name) VALUES (?)").run(name);
      mkdirSync(this.segDir(name), { recursive: true });
      lex = new StoredLexicon(name);
      this.lexicons.set(name, lex);
    }
    return lex;
  }

  /** The lexicon named `name` for tagging, or undefined. */
  lexicon(name: string): TagLexicon | undefined {
    return this.lexicons.get(name);
  }

  /** Names of all lexicons. */
  names(): string[] {
    return [...this.lexicons.keys()].sort();
  }

  /**
   * Stages entries (upsert by lexicon and id) in one transaction; with `commit`, commits them. An entry
   * needs a non-empty string id and an array of string names.
   */
  add(lexicon: string, entries: readonly StoredEntry[], options: { commit?: boolean } = {}): void {
    this.checkIdle();
    this.ensureLexicon(lexicon);
    for (const e of entries) checkEntry(e);
    const stage = this.db.prepare(
      "INSERT INTO staged(lexicon, id, names, attributes) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT(lexicon, id) DO UPDATE SET names = excluded.names, attributes = excluded.attributes",
    );
    this.db.transaction(() => {
      for (const e of entries)
        stage.run(lexicon, e.id, JSON.stringify(e.names), e.attributes ? JSON.stringify(e.attributes) : null);
    })();
    if (options.commit) this.commit(lexicon);
  }

  /**
   * Starts a bulk load into `lexicon`: entries given to {@link BulkLoad.add} go straight into the
   * entities table, in one transaction left open until {@link BulkLoad.finish} writes the new segment's
   * files and commits it with the segment's registration; every row is written once (no staging).
   * All or nothing: {@link BulkLoad.abort}, a failure or a crash before `finish` returns leaves the
   * lexicon as it was (nothing of the load is kept: run it again). Ids already in the lexicon, or given
   * twice, are upserts (the last version wins; the older doc is marked dead).
   *
   * While it runs, other writes to this store throw `SODA_ERR_BUSY`, and reads on this store see the
   * rows loaded so far. When `lexicon` has staged entries, the load stages too and commits at the end
   * (the slow path, in the same order as `add`).
   */
  beginBulk(lexicon: string): BulkLoad {
    this.checkIdle();
    this.ensureLexicon(lexicon);
    const staged = this.db.prepare("SELECT 1 FROM staged WHERE lexicon = ? LIMIT 1").get(lexicon);
    if (staged !== undefined) return new StagedBulkLoad(this, lexicon);
    const seq = this.reserveSegment(lexicon);
    return new DirectBulkLoad(
      lexicon,
      seq,
      `${this.entFile(lexicon, seq)}.spill`,
      this.db,
      (active) => {
        this.bulkActive = active;
      },
      (ent, killed) => this.finishBulk(lexicon, seq, ent, killed),
    );
  }

  /**
   * Loads `entries` into `lexicon` and commits them, all or nothing, through {@link beginBulk}.
   * Returns the number of entities in the new segment.
   */
  bulkLoad(lexicon: string, entries: Iterable<StoredEntry>): number {
    const bulk = this.beginBulk(lexicon);
    try {
      let batch: StoredEntry[] = [];
      for (const e of entries) {
        batch.push(e);
        if (batch.length >= 10_000) {
          bulk.add(batch);
          batch = [];
        }
      }
      bulk.add(batch);
      return bulk.finish();
    } catch (e) {
      bulk.abort();
      throw e;
    }
  }

  /** The files and the registration of a direct bulk load (inside its transaction). */
  private finishBulk(
    lexicon: string,
    seq: number,
    ent: Uint8Array,
    killed: { segment: number; doc: number }[],
  ): () => void {
    const lex = this.ensureLexicon(lexicon);
    const modes = this.modesOf(lexicon);
    let compiled = new Map<StreamingMode, Uint8Array>();
    // Freshly encoded: the checksum is right by construction (it costs a pass over the file).
    const table = new EntityTable(ent, this.entFile(lexicon, seq), true);
    if (modes.length > 0)
      compiled = new Map(modes.map((m) => [m, encodeMode(compileNames(table, m))] as const));
    const docs = table.docs;
    try {
      writeFileAtomic(this.entFile(lexicon, seq), ent);
      for (const [m, c] of compiled) writeFileAtomic(this.modeFile(lexicon, seq, m), c);
      const kill = this.db.prepare("INSERT OR IGNORE INTO dead(lexicon, segment, doc) VALUES (?, ?, ?)");
      for (const k of killed) kill.run(lexicon, k.segment, k.doc);
      this.db.prepare("INSERT INTO segments(lexicon, seq, docs) VALUES (?, ?, ?)").run(lexicon, seq, docs);
    } catch (e) {
      rmSync(this.entFile(lexicon, seq), { force: true });
      for (const m of modes) rmSync(this.modeFile(lexicon, seq, m), { force: true });
      throw e;
    }
    // Called once the transaction has committed: serve the new segment.
    return () => {
      lex.current = [...lex.current, this.installAll(lexicon, seq, ent, compiled)];
      this.markDead(lex, killed);
      if (lex.current.length > this.maxSegments) void this.mergeInBackground(lexicon);
    };
  }

  /** Throws `SODA_ERR_BUSY` while a bulk load holds the store's transaction. */
  private checkIdle(): void {
    if (this.bulkActive !== undefined)
      throw new StoreError(
        "SODA_ERR_BUSY",
        `a bulk load into ${JSON.stringify(this.bulkActive)} is running in this store: wait for it to finish`,
      );
  }

  /**
   * Discards staged (uncommitted) entries of `lexicon`: the given ids, or all of them. Returns how many.
   * A failed bulk load uses it to leave the lexicon as it was.
   */
  unstage(lexicon: string, ids?: readonly string[]): number {
    this.checkIdle();
    if (!this.lexicons.has(lexicon)) return 0;
    if (!ids) return this.db.prepare("DELETE FROM staged WHERE lexicon = ?").run(lexicon).changes;
    const del = this.db.prepare("DELETE FROM staged WHERE lexicon = ? AND id = ?");
    let n = 0;
    this.db.transaction(() => {
      for (const id of ids) n += del.run(lexicon, id).changes;
    })();
    return n;
  }

  /**
   * Makes the staged entries of `lexicon` visible: one new segment (entities file plus a file per mode
   * in use), registered in one transaction with the dead marks of the versions it replaces. Returns the
   * number of entries committed (0: nothing staged, nothing written). Cost: proportional to the staged
   * entries, plus a merge when the lexicon has too many segments.
   */
  commit(lexicon: string): number {
    this.checkIdle();
    const lex = this.ensureLexicon(lexicon);
    const staged = this.db
      .prepare("SELECT id, names, attributes FROM staged WHERE lexicon = ? ORDER BY id")
      .all(lexicon) as { id: string; names: string; attributes: string | null }[];
    if (staged.length === 0) return 0;
    const entries: Entry[] = staged.map((r) => ({ id: r.id, names: JSON.parse(r.names) }));
    const seq = (
      this.db.prepare("SELECT next_segment FROM lexicons WHERE name = ?").get(lexicon) as {
        next_segment: number;
      }
    ).next_segment;
    const modes = this.modesOf(lexicon);
    const compiled = new Map(modes.map((m) => [m, encodeMode(compileLexicon(entries, m))] as const));
    const ent = encodeEntities(entries);
    writeFileAtomic(this.entFile(lexicon, seq), ent);
    for (const [m, c] of compiled) writeFileAtomic(this.modeFile(lexicon, seq, m), c);

    // One set-based statement per step (no statement per entry): the old versions of the staged ids
    // die, the staged rows become entities numbered in id order (the order of the segment's docs).
    const replaced =
      "FROM staged s CROSS JOIN entities e ON e.lexicon = s.lexicon AND e.id = s.id WHERE s.lexicon = ?";
    let killed: { segment: number; doc: number }[] = [];
    this.db.transaction(() => {
      killed = this.db.prepare(`SELECT e.segment AS segment, e.doc AS doc ${replaced}`).all(lexicon) as {
        segment: number;
        doc: number;
      }[];
      this.db
        .prepare(
          `INSERT OR IGNORE INTO dead(lexicon, segment, doc) SELECT e.lexicon, e.segment, e.doc ${replaced}`,
        )
        .run(lexicon);
      this.db
        .prepare(
          "INSERT INTO entities(lexicon, id, names, attributes, segment, doc) " +
            "SELECT lexicon, id, names, attributes, ?, row_number() OVER (ORDER BY id) - 1 FROM staged " +
            "WHERE lexicon = ? ORDER BY id " +
            "ON CONFLICT(lexicon, id) DO UPDATE SET names = excluded.names, attributes = excluded.attributes, " +
            "segment = excluded.segment, doc = excluded.doc",
        )
        .run(seq, lexicon);
      this.db
        .prepare("INSERT INTO segments(lexicon, seq, docs) VALUES (?, ?, ?)")
        .run(lexicon, seq, entries.length);
      this.db.prepare("UPDATE lexicons SET next_segment = ? WHERE name = ?").run(seq + 1, lexicon);
      this.db.prepare("DELETE FROM staged WHERE lexicon = ?").run(lexicon);
    })();

    const seg = this.installAll(lexicon, seq, ent, compiled);
    this.markDead(lex, killed);
    lex.current = [...lex.current, seg];
    if (lex.current.length > this.maxSegments) void this.mergeInBackground(lexicon);
    return entries.length;
  }

  /** A new live segment from freshly written files' bytes, copied into shared memory. */
  private installAll(
    lexicon: string,
    seq: number,
    ent: Uint8Array,
    modes: ReadonlyMap<StreamingMode, Uint8Array>,
  ): StoredSegment {
    const shared = toShared(ent);
    const seg = this.newSegment(
      lexicon,
      seq,
      shared,
      new EntityTable(shared, this.entFile(lexicon, seq), true),
    );
    for (const [m, bytes] of modes) seg.install(m, toShared(bytes));
    return seg;
  }

  /**
   * The shared bytes worker threads need to tag `lexicon` in `mode` (compiling the mode first where it
   * is missing): one entry per live segment. Cheap: no bytes are copied.
   */
  snapshot(lexicon: string, mode?: StreamingMode): SegmentSnapshot[] {
    const lex = this.lexicons.get(lexicon);
    if (!lex) throw unknownLexicon(lexicon);
    return lex.current.map((seg) => {
      if (mode) seg.forMode(mode);
      return {
        key: `${lexicon}/${seg.seq}`,
        ent: seg.entBytes,
        dead: seg.dead,
        ...(mode ? { mode: seg.modeBytes.get(mode) } : {}),
      };
    });
  }

  private markDead(lex: StoredLexicon, docs: { segment: number; doc: number }[]): void {
    if (docs.length === 0) return;
    const bySeq = new Map(lex.current.map((s) => [s.seq, s]));
    for (const d of docs) {
      const seg = bySeq.get(d.segment);
      if (seg) seg.dead[d.doc] = 1;
    }
  }

  /** Deletes one entity (staged or committed) of `lexicon`, at once. Returns whether it existed. */
  delete(lexicon: string, id: string): boolean {
    this.checkIdle();
    const lex = this.lexicons.get(lexicon);
    if (!lex) throw unknownLexicon(lexicon);
    let existed = false;
    let old: { segment: number; doc: number } | undefined;
    this.db.transaction(() => {
      existed =
        this.db.prepare("DELETE FROM staged WHERE lexicon = ? AND id = ?").run(lexicon, id).changes > 0;
      old = this.db
        .prepare("SELECT segment, doc FROM entities WHERE lexicon = ? AND id = ?")
        .get(lexicon, id) as { segment: number; doc: number } | undefined;
      if (old) {
        this.db
          .prepare("INSERT OR IGNORE INTO dead(lexicon, segment, doc) VALUES (?, ?, ?)")
          .run(lexicon, old.segment, old.doc);
        this.db.prepare("DELETE FROM entities WHERE lexicon = ? AND id = ?").run(lexicon, id);
      }
    })();
    if (old) this.markDead(lex, [old]);
    return existed || old !== undefined;
  }

  /** Deletes a whole lexicon, at once. Returns whether it existed. */
  deleteLexicon(lexicon: string): boolean {
    this.checkIdle();
    const lex = this.lexicons.get(lexicon);
    if (!lex) return false;
    this.db.transaction(() => {
      for (const t of ["entities", "staged", "segments", "dead"])
        this.db.prepare(`DELETE FROM ${t} WHERE lexicon = ?`).run(lexicon);
      this.db.prepare("DELETE FROM lexicons WHERE name = ?").run(lexicon);
    })();
    lex.current = [];
    this.lexicons.delete(lexicon);
    rmSync(this.segDir(lexicon), { recursive: true, force: true });
    return true;
  }

  /** Every lexicon with its number of committed entities (and staged ones not yet committed). */
  list(): { lexicon: string; count: number; staged: number }[] {
    const counts = new Map(
      (
        this.db.prepare("SELECT lexicon, count(*) AS n FROM entities GROUP BY lexicon").all() as {
          lexicon: string;
          n: number;
        }[]
      ).map((r) => [r.lexicon, r.n]),
    );
    const staged = new Map(
      (
        this.db.prepare("SELECT lexicon, count(*) AS n FROM staged GROUP BY lexicon").all() as {
          lexicon: string;
          n: number;
        }[]
      ).map((r) => [r.lexicon, r.n]),
    );
    return this.names().map((l) => ({ lexicon: l, count: counts.get(l) ?? 0, staged: staged.get(l) ?? 0 }));
  }

  /**
   * Committed entities of `lexicon` by id, or all of them (`"*"`) in id order, `limit` at a time after
   * the id `after` (keyset paging: stable under concurrent adds).
   */
  lookup(lexicon: string, id: string, page: { limit?: number; after?: string } = {}): StoredEntry[] {
    if (!this.lexicons.has(lexicon)) throw unknownLexicon(lexicon);
    type Row = { id: string; names: string; attributes: string | null };
    const rows =
      id === "*"
        ? (this.db
            .prepare(
              "SELECT id, names, attributes FROM entities WHERE lexicon = ? AND id > ? ORDER BY id LIMIT ?",
            )
            .all(lexicon, page.after ?? "", page.limit ?? 100) as Row[])
        : (this.db
            .prepare("SELECT id, names, attributes FROM entities WHERE lexicon = ? AND id = ?")
            .all(lexicon, id) as Row[]);
    return rows.map((r) => ({
      id: r.id,
      names: JSON.parse(r.names),
      ...(r.attributes ? { attributes: JSON.parse(r.attributes) } : {}),
    }));
  }

  /** Segments of a lexicon with their sizes (for tests, metrics and the merge policy). */
  segmentsOf(lexicon: string): { seq: number; docs: number; live: number }[] {
    return (this.lexicons.get(lexicon)?.current ?? []).map((s) => ({
      seq: s.seq,
      docs: s.table.docs,
      live: s.liveDocs,
    }));
  }

  /**
   * Folds segments of `lexicon` together now, on this thread (tiered: the smallest ones, until at most
   * half the limit remain), into one new segment of their live docs, compiled for every mode in use and
   * registered in one transaction; the merged files are deleted afterwards. Commits merge in the
   * background instead ({@link mergeInBackground}).
   */
  merge(lexicon: string): void {
    this.checkIdle();
    const plan = this.planMerge(lexicon);
    if (plan) this.finishMerge(plan, buildMergedSegment(plan.input));
  }

  /**
   * Merges like {@link merge}, with the file work on a worker thread: tagging and commits go on
   * meanwhile. An entity updated or deleted while the merge ran stays dead in the merged segment.
   * One merge per lexicon at a time; resolves when it is registered. A crash midway leaves only
   * unregistered files, removed at the next start.
   */
  mergeInBackground(lexicon: string): Promise<void> {
    const running = this.merging.get(lexicon);
    if (running) return running;
    if (this.bulkActive !== undefined) return Promise.resolve();
    const plan = this.planMerge(lexicon);
    if (!plan) return Promise.resolve();
    const done = runMergeWorker(plan.input)
      .then((out) => this.finishMerge(plan, out))
      .catch((e: Error) =>
        this.log(`soda: merge of ${lexicon} failed (${e.message}); its segments stay as they were`),
      )
      .finally(() => this.merging.delete(lexicon));
    this.merging.set(lexicon, done);
    return done;
  }

  /** Resolves when no merge is running (call before {@link close} to let them finish). */
  async idle(): Promise<void> {
    while (this.merging.size > 0) await Promise.all(this.merging.values());
  }

  /** Chooses the segments to merge and reserves the new segment's number. */
  private planMerge(lexicon: string): MergePlan | undefined {
    const lex = this.lexicons.get(lexicon);
    if (!lex || lex.current.length < 2) return undefined;
    const bySize = [...lex.current].sort((a, b) => a.liveDocs - b.liveDocs);
    const take = Math.max(2, lex.current.length - Math.floor(this.maxSegments / 2) + 1);
    const victims = bySize.slice(0, take).sort((a, b) => a.seq - b.seq);
    const seq = this.reserveSegment(lexicon);
    const modes = this.modesOf(lexicon);
    return {
      lexicon,
      lex,
      seq,
      modes,
      victims: new Set(victims.map((v) => v.seq)),
      input: {
        victims: victims.map((v) => ({ seq: v.seq, entFile: this.entFile(lexicon, v.seq), dead: v.dead })),
        entFile: this.entFile(lexicon, seq),
        modeFiles: modes.map((m) => [m, this.modeFile(lexicon, seq, m)]),
      },
    };
  }

  /** Registers a merged segment: docs whose entity changed meanwhile are marked dead in it. */
  private finishMerge(plan: MergePlan, out: MergeOutput): void {
    const { lexicon, lex, seq, victims, modes } = plan;
    const discard = (seqs: Iterable<number>) => {
      for (const v of seqs) {
        rmSync(this.entFile(lexicon, v), { force: true });
        for (const m of modes) rmSync(this.modeFile(lexicon, v, m), { force: true });
      }
    };
    if (this.closed) return;
    if (
      this.bulkActive !== undefined ||
      this.lexicons.get(lexicon) !== lex ||
      !lex.current.some((s) => victims.has(s.seq))
    ) {
      discard([seq]);
      return;
    }
    const stale: number[] = [];
    const move = this.db.prepare(
      "UPDATE entities SET segment = ?, doc = ? WHERE lexicon = ? AND id = ? AND segment = ? AND doc = ?",
    );
    const kill = this.db.prepare("INSERT OR IGNORE INTO dead(lexicon, segment, doc) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      out.moved.forEach((m, doc) => {
        if (move.run(seq, doc, lexicon, m.id, m.from, m.fromDoc).changes === 0) {
          stale.push(doc);
          kill.run(lexicon, seq, doc);
        }
      });
      for (const v of victims) {
        this.db.prepare("DELETE FROM segments WHERE lexicon = ? AND seq = ?").run(lexicon, v);
        this.db.prepare("DELETE FROM dead WHERE lexicon = ? AND segment = ?").run(lexicon, v);
      }
      this.db
        .prepare("INSERT INTO segments(lexicon, seq, docs) VALUES (?, ?, ?)")
        .run(lexicon, seq, out.moved.length);
    })();
    const seg = this.loadSegment(lexicon, seq, out.moved.length);
    for (const d of stale) seg.dead[d] = 1;
    lex.current = [...lex.current.filter((s) => !victims.has(s.seq)), seg].sort((a, b) => a.seq - b.seq);
    discard(victims);
  }

  /** Takes the next segment number of `lexicon` (committed at once: a crash leaves a harmless gap). */
  private reserveSegment(lexicon: string): number {
    const { next_segment: seq } = this.db
      .prepare("SELECT next_segment FROM lexicons WHERE name = ?")
      .get(lexicon) as {
      next_segment: number;
    };
    this.db.prepare("UPDATE lexicons SET next_segment = ? WHERE name = ?").run(seq + 1, lexicon);
    return seq;
  }
}

/** Throws `SODA_ERR_ENTRY` unless `e` has a non-empty string id and an array of string names. */
function checkEntry(e: StoredEntry): void {
  if (typeof e.id !== "string" || e.id.length === 0)
    throw new StoreError(
      "SODA_ERR_ENTRY",
      `every entry needs a non-empty string id, got ${JSON.stringify(e.id)}`,
    );
  if (!Array.isArray(e.names) || e.names.some((n) => typeof n !== "string"))
    throw new StoreError(
      "SODA_ERR_ENTRY",
      `entry ${JSON.stringify(e.id)}: names must be an array of strings`,
    );
}

/** A bulk load in progress (see {@link LexiconStore.beginBulk}). */
export interface BulkLoad {
  /** Loads entries (validated like `add`). */
  add(entries: readonly StoredEntry[]): void;
  /** Writes the segment and commits the load; returns the number of entities it added or replaced. */
  finish(): number;
  /** Drops everything loaded so far (safe after a failed `add` or `finish`, and after `finish`). */
  abort(): void;
}

/** Rows per INSERT statement of a bulk load (6 parameters each, far below SQLite's limit). */
const BULK_ROWS = 100;
/** The page cache during a bulk load, in KiB (negative: SQLite's unit for a size, not pages). */
const BULK_CACHE_KIB = -1_048_576;

/**
 * The fast path: one transaction from the start to `finish`, rows inserted `BULK_ROWS` per statement,
 * the entities file built as they come ({@link EntitiesBuilder}).
 */
class DirectBulkLoad implements BulkLoad {
  private readonly ent: EntitiesBuilder;
  private readonly killed: { segment: number; doc: number }[] = [];
  private readonly many: Database.Statement;
  private readonly args: unknown[] = new Array(BULK_ROWS * 6);
  private pending: StoredEntry[] = [];
  private readonly cacheSize: number;
  private open = true;

  constructor(
    private readonly lexicon: string,
    private readonly seq: number,
    /** Path prefix of the entities builder's spill files (unregistered: removed at start-up if left). */
    spill: string,
    private readonly db: Database.Database,
    private readonly setActive: (lexicon: string | undefined) => void,
    private readonly register: (ent: Uint8Array, killed: { segment: number; doc: number }[]) => () => void,
  ) {
    this.many = db.prepare(insertRows(BULK_ROWS));
    this.cacheSize = db.pragma("cache_size", { simple: true }) as number;
    // A page cache that holds the whole load: pages the primary key's B-tree takes in random id order
    // would otherwise be spilled to the WAL, then written again.
    db.pragma(`cache_size = ${BULK_CACHE_KIB}`);
    db.exec("BEGIN IMMEDIATE");
    try {
      this.ent = new EntitiesBuilder(spill);
    } catch (e) {
      db.exec("ROLLBACK");
      db.pragma(`cache_size = ${this.cacheSize}`);
      throw e;
    }
    setActive(lexicon);
  }

  add(entries: readonly StoredEntry[]): void {
    if (!this.open) throw new Error("this bulk load is finished or aborted");
    for (const e of entries) checkEntry(e);
    for (const e of entries) {
      this.pending.push(e);
      if (this.pending.length === BULK_ROWS) this.flush();
    }
  }

  /** Inserts the pending rows in one statement; on a duplicate id, one row at a time as upserts. */
  private flush(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const first = this.ent.docs;
    for (const e of rows) this.ent.add(e.id, e.names);
    const args = rows.length === BULK_ROWS ? this.args : new Array(rows.length * 6);
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i];
      const a = i * 6;
      args[a] = this.lexicon;
      args[a + 1] = e.id;
      args[a + 2] = JSON.stringify(e.names);
      args[a + 3] = e.attributes ? JSON.stringify(e.attributes) : null;
      args[a + 4] = this.seq;
      args[a + 5] = first + i;
    }
    try {
      (rows.length === BULK_ROWS ? this.many : this.db.prepare(insertRows(rows.length))).run(args);
    } catch (e) {
      if ((e as { code?: string }).code !== "SQLITE_CONSTRAINT_PRIMARYKEY") throw e;
      // The failed statement changed nothing: redo its rows one at a time.
      const old = this.db.prepare("SELECT segment, doc FROM entities WHERE lexicon = ? AND id = ?");
      const update = this.db.prepare(
        "UPDATE entities SET names = ?, attributes = ?, segment = ?, doc = ? WHERE lexicon = ? AND id = ?",
      );
      const insert = this.db.prepare(insertRows(1));
      for (let i = 0; i < rows.length; i++) {
        const a = args.slice(i * 6, i * 6 + 6);
        const was = old.get(this.lexicon, a[1]) as { segment: number; doc: number } | undefined;
        if (was) {
          this.killed.push(was);
          update.run(a[2], a[3], a[4], a[5], this.lexicon, a[1]);
        } else insert.run(a);
      }
    }
  }

  finish(): number {
    if (!this.open) throw new Error("this bulk load is finished or aborted");
    this.flush();
    if (this.ent.docs === 0) {
      this.abort();
      return 0;
    }
    const serve = this.register(this.ent.finish(), this.killed);
    this.db.exec("COMMIT");
    this.close();
    serve();
    return this.ent.docs;
  }

  abort(): void {
    if (!this.open) return;
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
    this.close();
  }

  private close(): void {
    this.open = false;
    this.ent.discard();
    this.db.pragma(`cache_size = ${this.cacheSize}`);
    this.setActive(undefined);
  }
}

function insertRows(n: number): string {
  return `INSERT INTO entities(lexicon, id, names, attributes, segment, doc) VALUES ${Array(n).fill("(?, ?, ?, ?, ?, ?)").join(", ")}`;
}

/** The slow path, when the lexicon has staged entries: stage, then commit at the end. */
class StagedBulkLoad implements BulkLoad {
  private readonly ids: string[] = [];
  private done = false;
  constructor(
    private readonly store: LexiconStore,
    private readonly lexicon: string,
  ) {}

  add(entries: readonly StoredEntry[]): void {
    this.store.add(this.lexicon, entries);
    for (const e of entries) this.ids.push(e.id);
  }

  finish(): number {
    this.done = true;
    return this.store.commit(this.lexicon);
  }

  abort(): void {
    if (!this.done) this.store.unstage(this.lexicon, this.ids);
    this.done = true;
  }
}

function unknownLexicon(name: string): StoreError {
  return new StoreError(
    "SODA_ERR_UNKNOWN_LEXICON",
    `unknown lexicon ${JSON.stringify(name)}: list lexicons with dicts`,
  );
}

/** A merge decided on the main thread: what it replaces, and the input of the file work. */
interface MergePlan {
  lexicon: string;
  lex: StoredLexicon;
  seq: number;
  modes: StreamingMode[];
  victims: Set<number>;
  input: MergeInput;
}

/** The compiled merge worker: next to this file in dist/, or in dist/ when running from the sources. */
function mergeWorkerFile(): string {
  const here = fileURLToPath(new URL("./merge-worker.js", import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL("../../dist/src/lexicon/merge-worker.js", import.meta.url));
}

/** Runs {@link buildMergedSegment} on a worker thread. */
function runMergeWorker(input: MergeInput): Promise<MergeOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(mergeWorkerFile(), { workerData: { soda: "merge" } });
    worker.once("message", (m: { ok?: MergeOutput; error?: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.ok);
      else reject(new Error(m.error ?? "merge worker failed"));
    });
    worker.once("error", reject);
    worker.postMessage(input);
  });
}
