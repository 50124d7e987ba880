/**
 * Issue 25's "done when", tried as a user would, on loopback only and bounded in time and count:
 * a spawned og-mock with 20 live-journal readers that never read, then 400 bulk updates each
 * carrying a 1 MB product_id (each refused per item with 400), must stay under 700 MB RSS, answer
 * health within 1 s, and keep its journal and catalog readable. Before: 3.5 GB and health timing
 * out (the backlog went out in one write per reader, each entry was encoded once per reader), and
 * 2.6 GB then a 500 "Invalid string length" on GET /__admin/journal (every answer echoed the id,
 * and the journal kept it).
 *
 * Also: the stream serves at most 16 readers (the 17th is a 503 naming why), and a reader that
 * does not keep up is dropped with a reason rather than buffered for.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { CREDS } from "../helpers/mock-server.js";
import { type Started, startOgMock } from "../helpers/spawn.js";

const READERS = 20;
const BATCHES = 400;
const ID_BYTES = 1_000_000;
const RSS_LIMIT_MB = 700;

let og: Started;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  og = await startOgMock(["--throttle", "off", "--ip-limit", "off", "--log-level", "warn"]);
  port = Number(new URL(og.url).port);
}, 30_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await og?.stop();
});

function rssMb(): number {
  const status = readFileSync(`/proc/${og.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** A stream reader that sends its request and then never reads a byte. */
function idleReader(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`GET /__admin/journal/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on("error", reject);
    sockets.push(socket);
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe.skipIf(process.platform !== "linux")("og-mock under readers that never read and megabyte ids", () => {
  it(`stays under ${RSS_LIMIT_MB} MB and answers health within 1 s`, async () => {
    const body = JSON.stringify([{ product_id: "x".repeat(ID_BYTES), live: false }]);
    let sent = 0;
    let maxRss = 0;
    const worker = async (until: number) => {
      while (sent < until) {
        sent++;
        const res = await fetch(`${og.url}/products-batch/update/`, {
          method: "PATCH",
          headers: { ...signedHeaders(CREDS, unixSeconds(Date.now())), "content-type": "application/json" },
          body,
        });
        const text = await res.text();
        expect(res.status).toBe(207);
        expect(text.length).toBeLessThan(2_000); // the id is not echoed whole
        if (sent % 50 === 0) maxRss = Math.max(maxRss, rssMb());
      }
    };
    // Half before the readers come (they get a backlog), half while they are there (live).
    await Promise.all([worker(BATCHES / 2), worker(BATCHES / 2), worker(BATCHES / 2), worker(BATCHES / 2)]);
    for (let i = 0; i < READERS; i++) await idleReader();
    await Promise.all([worker(BATCHES), worker(BATCHES), worker(BATCHES), worker(BATCHES)]);
    maxRss = Math.max(maxRss, rssMb());

    const health = await timed(() => fetch(`${og.url}/__admin/health`).then((r) => r.json()));
    expect(health.ms, `health took ${Math.round(health.ms)} ms`).toBeLessThan(1_000);
    const journal = await fetch(`${og.url}/__admin/journal`);
    expect(journal.status).toBe(200);
    const read = (await journal.json()) as { total: number; dropped: number; entries: unknown[] };
    expect(read.total).toBe(BATCHES);
    expect(read.entries.length + read.dropped).toBe(BATCHES);
    const catalog = await fetch(`${og.url}/products/?page_size=100`, {
      headers: signedHeaders(CREDS, unixSeconds(Date.now())),
    });
    expect(catalog.status).toBe(200);
    maxRss = Math.max(maxRss, rssMb());
    expect(maxRss, `peak RSS ${Math.round(maxRss)} MB`).toBeLessThan(RSS_LIMIT_MB);
  }, 180_000);

  it("serves at most 16 live readers and tells the next one why", async () => {
    const res = await fetch(`${og.url}/__admin/journal/stream`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/already has 16 readers/);
    for (const s of sockets.splice(0)) s.destroy();
    await expect
      .poll(async () => (await fetch(`${og.url}/__admin/journal/stream`)).status, { timeout: 10_000 })
      .toBe(200);
  });

  it("drops a live reader that does not keep up, telling it why", async () => {
    for (const s of sockets.splice(0)) s.destroy();
    const reader = await idleReader();
    const received: Buffer[] = [];
    reader.on("data", (chunk: Buffer) => received.push(chunk));
    // ~60 KB bodies, kept parsed by the journal: about 18 MB for the reader, who reads none of it.
    const body = JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({ product_id: `sku-${i}`, name: "n".repeat(590) })),
    );
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${og.url}/products-batch/update/`, {
        method: "PATCH",
        headers: { ...signedHeaders(CREDS, unixSeconds(Date.now())), "content-type": "application/json" },
        body,
      });
      await res.arrayBuffer();
    }
    const closed = new Promise<void>((resolve) => reader.once("close", () => resolve()));
    reader.resume();
    await closed;
    // The last event, then the end of the chunked body: the fake ended the stream itself.
    const tail = Buffer.concat(received).toString("utf8").slice(-400);
    expect(tail).toMatch(
      /event: dropped\ndata: \{"reason":"this reader had more than 1048576 bytes unread; reconnect to resume after id \d+"\}\n\n\r\n0\r\n\r\n$/,
    );
    expect((await fetch(`${og.url}/__admin/health`)).status).toBe(200);
  }, 60_000);
});
