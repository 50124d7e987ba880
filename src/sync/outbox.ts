/**
 * A durable outbox for StockSync: the latest `live` value waiting to be sent, per product, kept
 * in an embedded LevelDB (classic-level) so that a change acknowledged to the caller survives a
 * crash and is sent on the next start.
 *
 * Why classic-level: it is maintained (the Level project), its prebuilt binaries for Linux,
 * macOS and Windows ship inside the npm tarball (N-API, so one build serves Node 20 and 22), and
 * nothing is downloaded or compiled at install. Every write is a LevelDB batch written with
 * `sync: true`, so it is on disk (write-ahead log, fsync'd) before the promise resolves.
 * Writes issued while one is on its way are grouped into the next batch (group commit), so a
 * burst of changes costs a few fsyncs, not one each.
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
  /** Stores (entry) or removes (null) products' entries, in order; durable once resolved. */
  write(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>): Promise<void>;
  close(): Promise<void>;
}

type Op = { type: "put"; key: string; value: OutboxEntry } | { type: "del"; key: string };

interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
  iterator(): AsyncIterable<[string, OutboxEntry]>;
  batch(ops: Op[], options: { sync: boolean }): Promise<void>;
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
  #queue: Array<{ ops: Op[]; done: () => void; fail: (e: unknown) => void }> = [];
  #writing = false;
  #closed = false;

  constructor(private readonly db: LevelDb) {}

  async load(): Promise<Map<string, OutboxEntry>> {
    const entries = new Map<string, OutboxEntry>();
    for await (const [key, value] of this.db.iterator()) entries.set(key, value);
    return entries;
  }

  write(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>): Promise<void> {
    return this.#write(
      changes.map(([key, value]): Op => (value === null ? { type: "del", key } : { type: "put", key, value })),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#writing || this.#queue.length) await new Promise((r) => setTimeout(r, 1));
    await this.db.close();
  }

  /** Queues ops; the writer sends everything queued in one synced batch, in the order queued. */
  #write(ops: Op[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    if (this.#closed) return Promise.reject(new OutboxError("Failed to write to the outbox: it is closed."));
    return new Promise((done, fail) => {
      this.#queue.push({ ops, done, fail });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length) {
      const group = this.#queue.splice(0);
      try {
        await this.db.batch(
          group.flatMap((g) => g.ops),
          { sync: true },
        );
        for (const g of group) g.done();
      } catch (error) {
        const e = new OutboxError(`Failed to write to the outbox: ${(error as Error).message}.`, { cause: error });
        for (const g of group) g.fail(e);
      }
    }
    this.#writing = false;
  }
}
