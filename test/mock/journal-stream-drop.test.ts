/**
 * A live-journal reader with more than 1 MiB unsent is ended "with a last `dropped` event". In a
 * run with 16 stalled readers, most were cut mid-event instead: their sockets were destroyed 10 s
 * after the drop, before they read what was queued for them. Here 16
 * readers stall until all are dropped, wait half a minute by the fake clock, then read: each gets
 * everything it was sent and then its `dropped` event, and the places they held are free at once.
 */
import { createServer } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterEach, expect, it, vi } from "vitest";
import { createOrdergrooveMock, type OrdergrooveMock } from "../../mock-server/core/mock.js";
import { JournalStreams } from "../../mock-server/node/journal-stream.js";
import { startMockServer, type RunningMockServer } from "../../mock-server/node/server.js";

const READERS = 16;
let og: RunningMockServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await og?.close();
  og = undefined;
});

interface Reader {
  socket: Socket;
  received: Buffer[];
}

/** A stream reader that reads up to its first bytes (the `retry:` line, or a refusal), then stops reading. */
function stalledReader(port: number, query = ""): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`GET /__admin/journal/stream${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    });
    socket.on("error", reject);
    const first = (chunk: Buffer) => {
      received.push(chunk);
      const text = Buffer.concat(received).toString("latin1");
      // A refusal (503) is whole once its headers and body are in; a stream once its retry line is.
      if (!(text.startsWith("HTTP/1.1 200") ? text.includes("retry: 1000") : /\r\n\r\n.*\}/s.test(text))) return;
      socket.off("data", first);
      socket.pause();
      resolve({ socket, received });
    };
    socket.on("data", first);
  });
}

/** Reads the rest of a reader's stream: until the fake ends its chunked answer, or the socket closes. */
function readToEnd(reader: Reader): Promise<string> {
  return new Promise((resolve) => {
    const text = () => Buffer.concat(reader.received).toString("utf8");
    reader.socket.on("data", (chunk: Buffer) => {
      reader.received.push(chunk);
      if (chunk.toString("latin1").endsWith("\r\n0\r\n\r\n")) {
        reader.socket.destroy();
        resolve(text());
      }
    });
    reader.socket.on("close", () => resolve(text()));
    reader.socket.resume();
  });
}

const entry = (i: number) => ({
  at: "2026-11-23T12:00:00.000Z",
  method: "PATCH",
  path: `/products-batch/update/?n=${i}`,
  headers: {},
  body: null,
  principal: null,
  response: { status: 207, body: null },
});

/** About 60 KB an entry, 40 MB in all: far more than a socket and 1 MiB hold, for every reader. */
async function flood(mock: OrdergrooveMock): Promise<void> {
  const body = JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({ product_id: `sku-${i}`, name: "n".repeat(590) })),
  );
  for (let i = 1; i <= 700; i++) {
    mock.journal.record(entry(i), { body });
    if (i % 10 === 0) {
      vi.advanceTimersByTime(50); // the stream's live batch goes out
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

const DROPPED_TAIL =
  /\n\n\r\n[0-9a-f]+\r\nevent: dropped\ndata: \{"reason":"this reader had more than 1048576 bytes unread; reconnect to resume after id \d+"\}\n\n\r\n0\r\n\r\n$/;

it("gives every dropped reader its last event, however long it waits to read it", async () => {
  og = await startMockServer({ port: 0, throttle: false });
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
  const readers: Reader[] = [];
  for (let i = 0; i < READERS; i++) readers.push(await stalledReader(og.port));
  await flood(og.mock);
  // The places of dropped readers are free at once (this one asks for no backlog, and leaves).
  const next = await stalledReader(og.port, "?since=700");
  expect(Buffer.concat(next.received).toString("latin1")).toMatch(/^HTTP\/1\.1 200/);
  next.socket.destroy();
  // Half a minute without reading a byte, then every reader reads.
  vi.advanceTimersByTime(30_000);
  const tails = await Promise.all(readers.map(readToEnd));
  for (const tail of tails) {
    expect(tail.slice(-300)).toMatch(DROPPED_TAIL);
    // Nothing was cut before it: the last entry it was sent is whole.
    const seq = Number(/resume after id (\d+)/.exec(tail.slice(-300))![1]);
    expect(tail).toContain(`id: ${seq}\nevent: entry\ndata: {"seq":${seq},`);
  }
}, 60_000);

it("keeps at most 16 dropped readers' connections open: the oldest are cut when more are dropped", async () => {
  // The stream on a bare node:http server, to see how many connections it keeps for dropped readers.
  const mock = createOrdergrooveMock({ throttle: false });
  const streams = new JournalStreams();
  const server = createServer((req, res) => {
    const since = Number(new URL(req.url ?? "/", "http://x").searchParams.get("since") ?? 0);
    streams.stream(mock, res, since);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
  try {
    const first: Reader[] = [];
    for (let i = 0; i < READERS; i++) first.push(await stalledReader(port));
    await flood(mock);
    expect([streams.readers, streams.lingering]).toEqual([0, READERS]);
    const second: Reader[] = [];
    for (let i = 0; i < READERS; i++) second.push(await stalledReader(port, `?since=${mock.journal.total}`));
    expect(streams.readers).toBe(READERS);
    await flood(mock);
    expect([streams.readers, streams.lingering]).toEqual([0, READERS]);
    // The second sixteen still get their last event; the first were let go of to make room.
    const kept = await Promise.all(second.map(readToEnd));
    for (const tail of kept) expect(tail.slice(-300)).toMatch(DROPPED_TAIL);
    for (const reader of first) reader.socket.destroy();
  } finally {
    server.closeAllConnections();
    server.close();
  }
}, 60_000);
