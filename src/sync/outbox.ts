/**
 * A durable outbox for StockSync: the latest `live` value waiting to be sent, per product, kept
 * in an embedded LevelDB (classic-level) so that a change acknowledged to the caller survives a
 * crash and is sent on the next start.
 *
 * Why classic-level: it is maintained (the Level project), its prebuilt binaries for Linux,
 * macOS and Windows ship inside the npm tarball (N-API, so one build serves Node 20 and 22), and
 * nothing is downloaded or compiled at install. Every write is written with `sync: true`
 * unless its caller says it need not be, so it is on disk (write-ahead log, fsync'd) before the
 * promise resolves. Writes issued while one is on its way are grouped into the next batch
 * (group commit), so a burst of changes costs a few fsyncs, not one each.
 *
 * One entry per product, keyed by its id: a newer change overwrites the older one and writes
 * are applied in the order they were issued, so a replay can only ever send a product's latest
 * value, never a stale one.
 */

export interface OutboxEntry {
  live: boolean;
}

export interface Outbox {
  /** What a previous run left unsent: product id → latest entry. */
  load(): Promise<Map<string, OutboxEntry>>;
  /**
   * Stores (entry) or removes (null) products' entries, in order; durable once resolved, unless
   * `sync: false`. Writes are applied in the order they were issued, whatever their `sync`.
   */
  write(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>, options?: OutboxWriteOptions): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxWriteOptions {
  /**
   * false: the write need not be on disk when the promise resolves, only applied, in order. It
   * is handed to the OS (it survives the process being killed) and usually made durable by the
   * next synced write to the same log or by the OS's own writeback, but an OS crash or power cut
   * may lose it (always possible across LevelDB's switch to a new log, whose fsync does not cover
   * the old one). For writes whose loss is harmless, e.g. dropping an entry Ordergroove has
   * confirmed. Default true.
   */
  sync?: boolean;
}

type Op = { type: "put"; key: string; value: OutboxEntry } | { type: "del"; key: string };

interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
  iterator(): AsyncIterable<[string, OutboxEntry]>;
  put(key: string, value: OutboxEntry, options: { sync: boolean }): Promise<void>;
  del(key: string, options: { sync: boolean }): Promise<void>;
  batch(): ChainedBatch;
}

interface ChainedBatch {
  put(key: string, value: OutboxEntry): void;
  del(key: string): void;
  write(options: { sync: boolean }): Promise<void>;
  close(): Promise<void>;
}

export class OutboxError extends Error {
  override name = "OutboxError";
}

/** Opens (creating if needed) the outbox in directory `path`. Only one process may hold it at a time. */
export async function openOutbox(path: string): Promise<Outbox> {
  // Loaded on demand: users of the kit who never ask for an outbox never load the native module.
  const { ClassicLevel } = await import("classic-level");
  const db = new ClassicLevel<string, OutboxEntry>(path, { valueEncoding: "json" }) as unknown as LevelDb;
  try {
    await db.open();
  } catch (error) {
    throw new OutboxError(explainOpenFailure(error, path), { cause: error });
  }
  return new LevelOutbox(db);
}

/**
 * Why the outbox did not open, by its real cause: "Is another process using it?" was added to
 * every failure, also to a corrupt store, a read-only disk or a path that is a file (issue 25).
 */
export function explainOpenFailure(error: unknown, path: string): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? "";
  const message = cause?.message ?? (error as Error).message ?? String(error);
  const failed = `Failed to open the outbox at ${path}: ${message}.`;
  if (code === "LEVEL_LOCKED" || /lock .* already held/i.test(message))
    return `${failed} Another process (or another StockSync in this one) holds it: only one may use an outbox at a time. Stop the other one, or give this one its own directory.`;
  if (code === "LEVEL_CORRUPTION" || /corrupt/i.test(message))
    return `${failed} The store is corrupt (a disk or filesystem fault, or files edited by hand). Move the directory aside and start again; changes it held will need a reconcile (og-stock reconcile).`;
  if (code === "EEXIST" || code === "ENOTDIR")
    return `${failed} The path (or a folder on it) is a file, not a directory: give the outbox a directory of its own.`;
  if (
    code === "EROFS" ||
    code === "EACCES" ||
    code === "EPERM" ||
    /read-only file system|permission denied/i.test(message)
  )
    return `${failed} The disk is read-only or this process may not write there: give the outbox a writable directory.`;
  return failed;
}

class LevelOutbox implements Outbox {
  #queue: Array<{ ops: Op[]; sync: boolean; done: () => void; fail: (e: unknown) => void }> = [];
  #writing = false;
  #closed = false;

  constructor(private readonly db: LevelDb) {}

  async load(): Promise<Map<string, OutboxEntry>> {
    const entries = new Map<string, OutboxEntry>();
    for await (const [key, value] of this.db.iterator()) entries.set(key, value);
    return entries;
  }

  write(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>, options?: OutboxWriteOptions): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    if (this.#closed) return Promise.reject(new OutboxError("Failed to write to the outbox: it is closed."));
    const ops = changes.map(([key, value]): Op =>
      value === null ? { type: "del", key } : { type: "put", key, value },
    );
    return new Promise((done, fail) => {
      this.#queue.push({ ops, sync: options?.sync !== false, done, fail });
      if (!this.#writing) this.#drain();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#writing || this.#queue.length) await new Promise((r) => setTimeout(r, 1));
    await this.db.close();
  }

  /**
   * The writer: sends everything queued as one write, in the order queued, synced if any of it
   * must be (grouping loses nothing: an unsynced write made durable with the group only gains),
   * then the next group once it is done. One queue for all writes keeps them in order: two
   * writes handed to classic-level at once run on different threads and may reach LevelDB in
   * either order. Callbacks rather than an async loop with awaits: fewer hops between the disk's
   * answer and the caller's, on the path of every acknowledged change (bench figure 10).
   */
  #drain(): void {
    const group = this.#queue.splice(0);
    this.#writing = group.length > 0;
    if (!this.#writing) return;
    const ops = group.length === 1 ? group[0]!.ops : group.flatMap((g) => g.ops);
    this.#writeOps(ops, { sync: group.some((g) => g.sync) }).then(
      () => {
        for (const g of group) g.done();
        this.#drain();
      },
      (error: unknown) => {
        const e = new OutboxError(`Failed to write to the outbox: ${(error as Error).message}.`, { cause: error });
        for (const g of group) g.fail(e);
        this.#drain();
      },
    );
  }

  /**
   * One LevelDB write, by the cheapest path (bench figure 10). Not batch(ops): abstract-level
   * copies and checks every operation of an array batch, and the binding reads each one's
   * properties back, all on the main thread; a chained batch hands each operation straight to
   * the binding, at a fraction of the cost. A lone change, the common case (one webhook answered
   * at a time), goes by put() or del(): batch() for one operation showed in the sequential figure
   * when fsync is fast (docs/performance.md).
   */
  #writeOps(ops: Op[], options: { sync: boolean }): Promise<void> {
    const op = ops[0]!;
    if (ops.length > 1) return this.#writeBatch(ops, options);
    return op.type === "put" ? this.db.put(op.key, op.value, options) : this.db.del(op.key, options);
  }

  async #writeBatch(ops: Op[], options: { sync: boolean }): Promise<void> {
    const batch = this.db.batch();
    try {
      for (const each of ops) {
        if (each.type === "put") batch.put(each.key, each.value);
        else batch.del(each.key);
      }
    } catch (error) {
      await batch.close();
      throw error;
    }
    await batch.write(options);
  }
}
