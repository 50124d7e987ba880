/**
 * `GET /__admin/journal/stream`: the journal as server-sent events, for the dashboard's live view
 * (and `curl -N`). Entries are the journal's own, so secrets are masked exactly as there.
 *
 * Events: `entry` (data: one journal entry, id: its seq), `cleared` (the journal was emptied, e.g.
 * by a reset), `skipped` (data: {"count": n}, entries that fell off the journal before this reader
 * got them), `dropped` (data: {"reason": ...}, the last event before the fake closes a reader
 * that does not keep up; an EventSource reconnects and resumes from its Last-Event-ID).
 *
 * Bounded whatever the readers do (issue 25: 20 readers that never read took the fake from
 * 227 MB to 3.5 GB): at most MAX_READERS at once; the backlog is read from the journal a page at a
 * time and written only as the socket drains; live entries are encoded once per 50 ms batch for
 * all readers (one shared Buffer); a reader with more than MAX_BUFFERED_BYTES unsent is dropped,
 * with the reason, instead of making the fake buffer for it; a dropped reader frees its place at
 * once, and at most MAX_READERS dropped readers keep their sockets open for their last event.
 */
import type { ServerResponse } from "node:http";
import type { JournalEntry } from "../core/journal/journal.js";
import type { OrdergrooveMock } from "../core/mock.js";
import { type CoreResponse, detail } from "../core/messages.js";

const FLUSH_MS = 50;
const HEARTBEAT_MS = 15_000;
/** Live readers per fake (all merchants): a dashboard tab is one. */
export const MAX_READERS = 16;
/** Unsent output a reader may have before it is dropped (backlog and live alike). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Backlog entries per page: what one reader holds parsed at a time. */
const PAGE = 64;
/**
 * A dropped reader no longer holds a place, but its socket stays open this long for it to read
 * what it was sent and its last event, and is destroyed after that: a reader that takes nothing
 * for so long gets its stream cut, possibly inside an event, which an EventSource discards
 * before it reconnects (an event counts only once its blank line arrives).
 */
const LINGER_MS = 60_000;
/** A reader whose socket takes no backlog for this long is dropped (it holds one of the places). */
const STALL_MS = 30_000;

interface Reader {
  res: ServerResponse;
  /** The last seq this reader was sent (or told was skipped). */
  seq: number;
  /** False while the backlog is being written; live batches go to live readers only. */
  live: boolean;
  /** Gives up its place after its last event, leaving the socket to linger (see LINGER_MS). */
  release(): void;
}

/** One broadcaster per journal: encodes each live batch once, for every reader of that journal. */
class Broadcast {
  readonly readers = new Set<Reader>();
  /** Live entries since the last flush, each encoded once. */
  #pending: Array<{ seq: number; text: string }> = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: () => void;

  constructor(
    readonly mock: OrdergrooveMock,
    private readonly onEmpty: () => void,
  ) {
    this.#unsubscribe = mock.journal.subscribe({
      entry: (entry) => {
        // Encoded now, once, whatever the number of readers. Past 2000 a flush is due at once,
        // so a burst is never held whole.
        this.#pending.push({ seq: entry.seq, text: event(entry) });
        if (this.#pending.length >= 2000) this.#flush();
        else this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
      },
      cleared: () => {
        // What came before the clear goes first; then every reader, catching up or live, hears it.
        this.#flush();
        const cleared = Buffer.from("id: 0\nevent: cleared\ndata: {}\n\n");
        for (const reader of this.readers) {
          reader.seq = 0;
          write(reader, cleared);
        }
      },
    });
    this.#heartbeat = setInterval(() => this.#send(Buffer.from(": keep-alive\n\n")), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const first = pending[0]!.seq;
    const last = pending[pending.length - 1]!.seq;
    let all: Buffer | undefined;
    for (const reader of this.readers) {
      if (!reader.live || reader.seq >= last) continue;
      // The usual case shares one Buffer; a reader that just caught up part of this batch from
      // the backlog gets the rest only (rare, so encoded for it alone).
      const chunk =
        reader.seq < first
          ? (all ??= Buffer.from(pending.map((p) => p.text).join("")))
          : Buffer.from(
              pending
                .filter((p) => p.seq > reader.seq)
                .map((p) => p.text)
                .join(""),
            );
      if (write(reader, chunk)) reader.seq = last;
    }
  }

  #send(chunk: Buffer): void {
    for (const reader of this.readers) if (reader.live) write(reader, chunk);
  }

  remove(reader: Reader): void {
    this.readers.delete(reader);
    if (this.readers.size > 0) return;
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    if (this.#timer) clearTimeout(this.#timer);
    this.onEmpty();
  }
}

/** The live readers of one fake (one dispatcher): the cap, and a broadcaster per journal. */
export class JournalStreams {
  readonly #broadcasts = new Map<OrdergrooveMock, Broadcast>();
  #count = 0;
  /**
   * Dropped readers whose sockets are still open for their last event, oldest first: at most as
   * many as there are places, so readers that never read cannot pile up sockets and buffers.
   */
  readonly #lingering = new Set<ServerResponse>();

  constructor(readonly maxReaders = MAX_READERS) {}

  get readers(): number {
    return this.#count;
  }

  /** Dropped readers whose connections are still open for their last event. */
  get lingering(): number {
    return this.#lingering.size;
  }

  /** The refusal when the fake already has as many readers as it serves, else undefined. */
  refusal(): CoreResponse | undefined {
    if (this.#count < this.maxReaders) return undefined;
    return detail(
      503,
      `Admin API: the journal's live stream already has ${this.maxReaders} readers, the most it serves. Close a dashboard tab or a curl -N, or read GET /__admin/journal?since=N instead.`,
      { "retry-after": "5" },
    );
  }

  stream(mock: OrdergrooveMock, res: ServerResponse, since: number): void {
    let broadcast = this.#broadcasts.get(mock);
    if (!broadcast) {
      broadcast = new Broadcast(mock, () => this.#broadcasts.delete(mock));
      this.#broadcasts.set(mock, broadcast);
    }
    const b = broadcast;
    let placed = true;
    let closed = false;
    const leave = () => {
      if (!placed) return;
      placed = false;
      this.#count--;
      b.remove(reader);
    };
    const reader: Reader = {
      res,
      seq: since,
      live: false,
      release: () => {
        leave();
        // A reader whose connection is gone has nothing left to read.
        if (!closed) this.#linger(res);
      },
    };
    broadcast.readers.add(reader);
    this.#count++;
    res.on("close", () => {
      closed = true;
      leave();
    });
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    });
    // An EventSource that reconnects resumes after the last entry it saw.
    res.write("retry: 1000\n\n");
    catchUp(mock, reader);
  }

  /** Keeps a dropped reader's socket until its last event is sent, LINGER_MS, or too many linger. */
  #linger(res: ServerResponse): void {
    const lingering = this.#lingering;
    lingering.add(res);
    const timer = setTimeout(() => res.destroy(), LINGER_MS);
    timer.unref();
    res.once("close", () => {
      clearTimeout(timer);
      lingering.delete(res);
    });
    if (lingering.size > this.maxReaders) {
      // Let go of at once: its "close" comes later, and the next drop must not pick it again.
      const oldest = lingering.values().next().value!;
      lingering.delete(oldest);
      oldest.destroy();
    }
  }
}

/**
 * Writes the backlog a page at a time, each page only once the socket has drained the last, then
 * makes the reader live. Runs in one tick from the last page to `live`, so no entry recorded in
 * between is missed or sent twice.
 */
function catchUp(mock: OrdergrooveMock, reader: Reader): void {
  const { res } = reader;
  // Not after the reader was dropped: its answer has ended (a drain can still come).
  while (!res.destroyed && !res.writableEnded) {
    const page = mock.journal.entries(reader.seq, PAGE);
    if (page.length === 0) {
      reader.live = true;
      return;
    }
    let out = "";
    const first = page[0]!.seq;
    // Entries after `seq` that fell off the journal before this reader got them.
    if (reader.seq > 0 && first > reader.seq + 1) out += skippedEvent(first - reader.seq - 1);
    for (const entry of page) out += event(entry);
    reader.seq = page[page.length - 1]!.seq;
    if (!res.write(out)) {
      const stalled = setTimeout(() => drop(reader, `this reader took no data for ${STALL_MS / 1000} s`), STALL_MS);
      stalled.unref();
      res.once("drain", () => {
        clearTimeout(stalled);
        catchUp(mock, reader);
      });
      return;
    }
  }
}

/** Writes to a reader, or drops it when it has too much unsent; true when written. */
function write(reader: Reader, chunk: Buffer): boolean {
  const { res } = reader;
  if (res.destroyed || !res.writable) return false;
  if (res.writableLength + chunk.length > MAX_BUFFERED_BYTES) {
    drop(reader, `this reader had more than ${MAX_BUFFERED_BYTES} bytes unread`);
    return false;
  }
  res.write(chunk);
  return true;
}

/** Ends a reader that does not keep up, saying why, and frees its place at once. */
function drop(reader: Reader, why: string): void {
  const { res } = reader;
  if (res.destroyed || res.writableEnded) return;
  const reason = `${why}; reconnect to resume after id ${reader.seq}`;
  res.end(`event: dropped\ndata: ${JSON.stringify({ reason })}\n\n`);
  reader.release();
}

function skippedEvent(count: number): string {
  return `event: skipped\ndata: {"count":${count}}\n\n`;
}

function event(entry: JournalEntry): string {
  return `id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`;
}
