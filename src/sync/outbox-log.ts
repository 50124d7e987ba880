/**
 * The outbox's files, in its directory: `outbox.log`, an append-only log of JSON lines (a header,
 * then `["id",{"live":false}]` to store a product's entry and `["id"]` to remove it), and `LOCK`,
 * which says which process holds the outbox.
 *
 * Why lines of JSON: a record is written whole, with its newline, in one write; a crash can only
 * cut the last one short, and a cut line is never valid JSON (its closing bracket is missing), so
 * reading stops there and loses only a write that was never acknowledged. A bad line with valid
 * ones after it is not a cut: the file was damaged, and opening refuses rather than guess.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";

export interface OutboxEntry {
  live: boolean;
}

export const LOG_FILE = "outbox.log";
const LOCK_FILE = "LOCK";
export const HEADER = `${JSON.stringify({ format: "ordergroove-stock-kit outbox", version: 1 })}\n`;

/** An error of the outbox's files, with a code explainOpenFailure (./outbox.ts) reads. */
export class OutboxFileError extends Error {
  constructor(
    message: string,
    readonly code: "OUTBOX_LOCKED" | "OUTBOX_CORRUPT" | "OUTBOX_LEVELDB",
  ) {
    super(message);
  }
}

/** The log's lines for these changes, in order. */
export function encode(changes: ReadonlyArray<readonly [string, OutboxEntry | null]>): string {
  let text = "";
  for (const [key, value] of changes) text += `${JSON.stringify(value === null ? [key] : [key, value])}\n`;
  return text;
}

/** The log's entries, replayed in order, and how many records it held; throws on a damaged file. */
export function replay(text: string): { entries: Map<string, OutboxEntry>; records: number } {
  const entries = new Map<string, OutboxEntry>();
  if (text === "") return { entries, records: 0 };
  // Only complete lines count: anything after the last newline was cut short by a crash.
  const lines = text.slice(0, text.lastIndexOf("\n") + 1).split("\n");
  lines.pop();
  if (`${lines[0]}\n` !== HEADER && !(lines.length === 0 && HEADER.startsWith(text)))
    throw new OutboxFileError("its log does not start as an outbox's log does", "OUTBOX_CORRUPT");
  let records = 0;
  for (let i = 1; i < lines.length; i++) {
    const record = parse(lines[i]!);
    if (record === undefined) {
      // A cut last line is a crash's; a bad line before good ones is damage.
      if (lines.slice(i + 1).some((l) => parse(l) !== undefined))
        throw new OutboxFileError(`line ${i + 1} of its log is not a record`, "OUTBOX_CORRUPT");
      break;
    }
    records++;
    if (record.length === 1) entries.delete(record[0]);
    else entries.set(record[0], record[1]);
  }
  return { entries, records };
}

function parse(line: string): [string] | [string, OutboxEntry] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || typeof value[0] !== "string") return undefined;
  if (value.length === 1) return [value[0]];
  const entry = value[1] as Partial<OutboxEntry> | null;
  if (value.length === 2 && typeof entry === "object" && entry !== null && typeof entry.live === "boolean")
    return [value[0], { live: entry.live }];
  return undefined;
}

/** Refuses a directory that holds the LevelDB outbox of earlier versions of the kit (its entries would be lost). */
export function refuseLevelDb(dir: string, names: readonly string[]): void {
  if (!names.includes(LOG_FILE) && names.includes("CURRENT") && names.some((n) => n.startsWith("MANIFEST-")))
    throw new OutboxFileError(
      `it holds a LevelDB outbox, written by an earlier version of the kit (${join(dir, "CURRENT")})`,
      "OUTBOX_LEVELDB",
    );
}

/**
 * Who holds an outbox: this process's id, its host and a token of this process's own; on Linux
 * also when the process started and the kernel's boot id, which tell a live holder from another
 * process that got its id later (after a reboot, or in a restarted container's new pid namespace).
 */
interface Holder {
  pid: number;
  host: string;
  token: string;
  started?: string | undefined;
  boot?: string | undefined;
}

/** When process `pid` started, in clock ticks since boot (Linux's /proc), or undefined elsewhere. */
function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces: state is the
    // first, starttime (field 22 of proc(5)) the twentieth.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Tokens of the locks this process holds: a lock with our pid but another token is a previous run's. */
const heldHere = new Set<string>();

/**
 * Takes the directory's lock, or says who holds it. Node has no advisory file lock, so the lock is
 * a file made with O_EXCL naming its holder; a holder that is gone (its process ended, the machine
 * rebooted, or its id now belongs to another process, such as this one in a restarted container)
 * leaves a stale lock, which is taken over, so a crashed service restarts without help. Two
 * processes taking over the same stale lock at the same instant could both get it; an outbox
 * shared between machines over a network filesystem is not supported (nor was LevelDB's).
 */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    token: randomUUID(),
    started: startOf(process.pid),
    boot: bootId(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      heldHere.add(me.token);
      return () => release(path, me.token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(path);
    if (attempt > 0 || (holder && isAlive(holder)))
      throw new OutboxFileError(
        holder?.pid === process.pid
          ? "its lock is held by this process"
          : `its lock is held by ${holder ? `pid ${holder.pid} on ${holder.host}` : "a process writing it now"} (if no such process uses it, remove ${path})`,
        "OUTBOX_LOCKED",
      );
    unlinkSync(path);
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as Partial<Holder>;
    if (typeof holder.pid === "number" && typeof holder.host === "string" && typeof holder.token === "string")
      return holder as Holder;
  } catch {
    // Unreadable: cut short by a crash while it was written.
  }
  return undefined;
}

function isAlive(holder: Holder): boolean {
  if (holder.pid === process.pid && (holder.boot === undefined || holder.boot === bootId()))
    return heldHere.has(holder.token);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A process has that id: the holder only if it started when the holder did, since this boot.
  if (holder.boot !== undefined && holder.boot !== bootId()) return false;
  const started = holder.started === undefined ? undefined : startOf(holder.pid);
  return started === undefined || started === holder.started;
}

function release(path: string, token: string): void {
  heldHere.delete(token);
  if (readHolder(path)?.token === token) unlinkSync(path);
}
