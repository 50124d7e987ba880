/**
 * `GET /__admin/journal/stream`: the journal as server-sent events, for the dashboard's live view
 * (and `curl -N`). Entries are the journal's own, so secrets are masked exactly as there.
 *
 * Events: `entry` (data: one journal entry, id: its seq), `cleared` (the journal was emptied, e.g.
 * by a reset), `skipped` (data: {"count": n}, entries left out because the reader fell behind).
 * Entries are sent in batches every 50 ms, so a fake under load writes a few times a second to
 * each reader, not once per request; a reader that does not keep up loses entries (and is told
 * so) instead of making the fake buffer without bound.
 */
import type { ServerResponse } from "node:http";
import type { JournalEntry } from "../core/journal/journal.js";
import type { OrdergrooveMock } from "../core/mock.js";

const FLUSH_MS = 50;
const HEARTBEAT_MS = 15_000;
/** Past this much unsent output the reader is behind: drop rather than buffer. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_PENDING = 2000;

export function streamJournal(mock: OrdergrooveMock, res: ServerResponse, since: number): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
  });
  // An EventSource that reconnects resumes after the last entry it saw.
  res.write(`retry: 1000\n\n${mock.journal.entries(since).map(event).join("")}`);

  let pending: string[] = [];
  let skipped = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      skipped += pending.length;
      pending = [];
      return;
    }
    let out = skipped ? `event: skipped\ndata: {"count":${skipped}}\n\n` : "";
    skipped = 0;
    out += pending.join("");
    pending = [];
    if (out) res.write(out);
  };
  const schedule = () => {
    timer ??= setTimeout(flush, FLUSH_MS);
  };
  const unsubscribe = mock.journal.subscribe({
    entry(entry) {
      if (pending.length >= MAX_PENDING) skipped++;
      else pending.push(event(entry));
      schedule();
    },
    cleared() {
      // id 0: a reader that reconnects later asks for everything after the clear.
      pending.push("id: 0\nevent: cleared\ndata: {}\n\n");
      schedule();
    },
  });
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    unsubscribe();
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
  };
  // Not req's "close": a request emits it as soon as its (empty) body has been read.
  res.on("close", stop);
}

function event(entry: JournalEntry): string {
  return `id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`;
}
