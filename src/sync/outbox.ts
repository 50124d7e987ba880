/**
 * A durable outbox for StockSync: the latest `live` value waiting to be sent, per product, kept
 * in an append-only file (./outbox-log.ts) so that a change acknowledged to the caller survives a
 * crash and is sent on the next start.
 *
 * Why a file of our own, not a database: a queue of pending changes needs appends, one fsync per
 * acknowledged write and a replay at start, which Node's fs does with no dependency. The embedded
 * LevelDB it replaced (classic-level) installed native binaries for every platform and asked
 * npm 11 users to approve its install script, for the same guarantees and no more speed
 * (docs/performance.md, figure 10).
 *
 * Every write is appended and fdatasync'd before its promise resolves, unless its caller says it
 * need not be. Writes issued while one is on its way are grouped into the next append (group
 * commit), so a burst of changes costs a few fsyncs, not one each. Writes are appended in the
 * order issued, so a replay applies them in that order and can only ever end with a product's
 * latest value, never a stale one. The log is rewritten with just the live entries (a new file,
 * fsync'd, renamed over the old one) at open and once it holds many more records than entries,
 * so its size stays bounded by what is pending.
 */
import {
  close,
  closeSync,
  constants,
  fdatasync,
  fsyncSync,
  ftruncate,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  write,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { acquireLock, encode, HEADER, LOG_FILE, type OutboxEntry, refuseLevelDb, replay } from "./outbox-log.js";

export type { OutboxEntry } from "./outbox-log.js";

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
   * is handed to the OS (it survives the process being killed) and made durable by the next
   * synced write (whose fdatasync covers the whole file) or by the OS's own writeback, but an OS
   * crash or power cut before then may lose it. For writes whose loss is harmless, e.g. dropping
   * an entry Ordergroove has confirmed. Default true.
   */
  sync?: boolean;
}

export class OutboxError extends Error {
  override name = "OutboxError";
}

/** Records appended since the last rewrite before the log is rewritten, at least (and 4 per entry). */
const REWRITE_AFTER = 10_000;

/** The calls on the path of every write: node:fs's, or (tests) wrappers that watch them. */
export interface OutboxIo {
  write: typeof write;
  fdatasync: typeof fdatasync;
  ftruncate: typeof ftruncate;
}

/** Opens (creating if needed) the outbox in directory `path`. Only one process may hold it at a time. */
export async function openOutbox(path: string): Promise<Outbox> {
  return openOutboxWith(path, { write, fdatasync, ftruncate });
}

/** openOutbox, with the write path's calls given (not exported from the package). */
export async function openOutboxWith(path: string, io: OutboxIo): Promise<Outbox> {
  let unlock: (() => void) | undefined;
  try {
    mkdirSync(path, { recursive: true });
    refuseLevelDb(path, readdirSync(path));
    unlock = acquireLock(path);
    const text = readLog(join(path, LOG_FILE));
    const { entries } = replay(text);
    const { fd, size } = rewrite(path, entries);
    return new FileOutbox(path, fd, size, entries, unlock, io);
  } catch (error) {
    unlock?.();
    throw new OutboxError(explainOpenFailure(error, path), { cause: error });
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

/**
 * Writes a fresh log holding just `entries`, fsync'd, renamed over the old one (the folder fsync'd
 * too, where the platform can), and returns it open for appending, with its size. A crash at any
 * point leaves either the old log or the new one, both with the same entries.
 *
 * The new log is opened for appending before it is renamed, and that descriptor is the one
 * returned: were it opened again after the rename, a failure there (EMFILE, EIO) would leave the
 * caller appending to the old log, no longer at the path, and every write it acknowledged lost.
 */
function rewrite(dir: string, entries: ReadonlyMap<string, OutboxEntry>): { fd: number; size: number } {
  const file = join(dir, LOG_FILE);
  const fresh = `${file}.new`;
  const text = HEADER + encode([...entries]);
  const fd = openSync(fresh, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    renameSync(fresh, file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // The rewrite failed already: that is the error to report.
    }
    throw error;
  }
  try {
    const folder = openSync(dir, "r");
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  } catch {
    // Windows cannot open or fsync a folder; its rename is durable by itself (NTFS journals it).
  }
  return { fd, size: Buffer.byteLength(text) };
}

/**
 * Why the outbox did not open, by its real cause: "Is another process using it?" was added to
 * every failure, also to a corrupt store, a read-only disk or a path that is a file (issue 25).
 */
export function explainOpenFailure(error: unknown, path: string): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code ?? "";
  const message = (error as Error).message ?? String(error);
  const failed = `Failed to open the outbox at ${path}: ${message}.`;
  if (code === "OUTBOX_LOCKED")
    return `${failed} Another process (or another StockSync in this one) holds it: only one may use an outbox at a time. Stop the other one, or give this one its own directory.`;
  if (code === "OUTBOX_CORRUPT")
    return `${failed} The store is corrupt (a disk or filesystem fault, or files edited by hand). Move the directory aside and start again; changes it held will need a reconcile (og-stock reconcile).`;
  if (code === "OUTBOX_LEVELDB")
    return `${failed} This version keeps its outbox in a plain file: let the earlier version send what it holds (start and stop it once), or move the directory aside and run og-stock reconcile.`;
  if (code === "EEXIST" || code === "ENOTDIR")
    return `${failed} The path (or a folder on it) is a file, not a directory: give the outbox a directory of its own.`;
  if (code === "EROFS" || code === "EACCES" || code === "EPERM")
    return `${failed} The disk is read-only or this process may not write there: give the outbox a writable directory.`;
  return failed;
}

class FileOutbox implements Outbox {
  #queue: Array<{
    changes: ReadonlyArray<readonly [string, OutboxEntry | null]>;
    sync: boolean;
    done: () => void;
    fail: (e: unknown) => void;
  }> = [];
  #writing = false;
  #closed = false;
  /** Records appended since the log was last rewritten. */
  #records = 0;
  /** The log's length in bytes, as far as its writes have succeeded. */
  #size: number;
  /** Why every write now fails: a failed write could not be undone. */
  #broken: Error | undefined;

  constructor(
    private readonly dir: string,
    private fd: number,
    size: number,
    /** The log's entries as far as it has been written: what a rewrite keeps. */
    private readonly entries: Map<string, OutboxEntry>,
    private readonly unlock: () => void,
    private readonly io: OutboxIo,
  ) {
    this.#size = size;
  }

  async load(): Promise<Map<string, OutboxEntry>> {
    return new Map(this.entries);
  }

  write(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>, options?: OutboxWriteOptions): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    if (this.#closed) return Promise.reject(new OutboxError("Failed to write to the outbox: it is closed."));
    return new Promise((done, fail) => {
      this.#queue.push({ changes, sync: options?.sync !== false, done, fail });
      if (!this.#writing) this.#drain();
    });
  }

  async close(): Promise<void> {
    if (this.fd < 0) return;
    this.#closed = true;
    while (this.#writing || this.#queue.length) await new Promise((r) => setTimeout(r, 1));
    // Taken before the await: a second close() waiting alongside must find nothing left to close.
    const fd = this.fd;
    if (fd < 0) return;
    this.fd = -1;
    await new Promise((r) => close(fd, r));
    this.unlock();
  }

  /**
   * The writer: appends everything queued as one write, in the order queued, fdatasync'd if any
   * of it must be (grouping loses nothing: an unsynced write made durable with the group only
   * gains), then the next group once it is done. Callbacks rather than an async loop with awaits:
   * fewer hops between the disk's answer and the caller's, on the path of every acknowledged
   * change (bench figure 10).
   */
  #drain(): void {
    const group = this.#queue.splice(0);
    this.#writing = group.length > 0;
    if (!this.#writing) return;
    const changes = group.length === 1 ? group[0]!.changes : group.flatMap((g) => g.changes);
    const finish = (error: Error | null) => {
      if (error) {
        const e = new OutboxError(`Failed to write to the outbox: ${error.message}.`, { cause: error });
        for (const g of group) g.fail(e);
      } else {
        this.#applied(changes);
        for (const g of group) g.done();
      }
      this.#drain();
    };
    if (this.#broken) return finish(this.#broken);
    this.#append(
      Buffer.from(encode(changes)),
      0,
      group.some((g) => g.sync),
      finish,
    );
  }

  /** Appends `bytes` from `offset` (a write may take only part), then fdatasyncs if asked. */
  #append(bytes: Buffer, offset: number, sync: boolean, finish: (error: Error | null) => void): void {
    this.io.write(this.fd, bytes, offset, bytes.length - offset, null, (error, written) => {
      if (!error && offset + written < bytes.length) return this.#append(bytes, offset + written, sync, finish);
      if (error || !sync) return error ? this.#undo(error, finish) : this.#grown(bytes.length, finish);
      this.io.fdatasync(this.fd, (synced) => (synced ? this.#undo(synced, finish) : this.#grown(bytes.length, finish)));
    });
  }

  #grown(bytes: number, finish: (error: Error | null) => void): void {
    this.#size += bytes;
    finish(null);
  }

  /**
   * A failed write leaves the log as it was before it: a part written would be a cut line with
   * records after it, which the next open reads as damage. If even that fails, the outbox
   * refuses every later write (the log stays readable: the cut line is its last).
   */
  #undo(error: Error, finish: (error: Error | null) => void): void {
    this.io.ftruncate(this.fd, this.#size, (failed) => {
      if (failed) this.#broken = error;
      finish(error);
    });
  }

  /**
   * Keeps the entries in step with the log, and rewrites the log once it holds many more records
   * than entries (so it never grows past a bound while the sync runs). A failed rewrite leaves
   * the old log, complete, in use.
   */
  #applied(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>): void {
    for (const [key, value] of changes) {
      if (value === null) this.entries.delete(key);
      else this.entries.set(key, value);
    }
    this.#records += changes.length;
    if (this.#records < Math.max(REWRITE_AFTER, 4 * this.entries.size)) return;
    let rewritten: { fd: number; size: number };
    try {
      rewritten = rewrite(this.dir, this.entries);
    } catch {
      // The old log stays complete, at its path and in use; the next write tries again.
      return;
    }
    // The new log is at the path now: from here on every write goes to it, whatever else fails.
    const old = this.fd;
    this.fd = rewritten.fd;
    this.#size = rewritten.size;
    this.#records = 0;
    try {
      closeSync(old);
    } catch {
      // Nothing is lost: the old log is no longer at the path, and nothing is written to it.
    }
  }
}
