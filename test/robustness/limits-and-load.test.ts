/** Limits that protect the fake, and load it must hold without losing or misordering anything. */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

// 10,000 requests from one address: over Ordergroove's per-IP limit, which is tested on its own.
const og = useMockServer({ throttle: false, ipLimit: false, journalLimit: 1000 });
const headers = { "content-type": "application/json", "x-api-key": API_KEY };

describe("limits", () => {
  it("keeps answering other clients while one sends its body very slowly", async () => {
    const { port } = new URL(og.url);
    const slow = connect(Number(port), "127.0.0.1");
    await new Promise((r) => slow.once("connect", r));
    slow.write(
      `PATCH /products-batch/update/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: ${API_KEY}\r\ncontent-length: 100000\r\n\r\n[`,
    );
    const trickle = setInterval(() => slow.write(" "), 20);
    try {
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        const answer = await rawRequest(
          og.url,
          "PATCH",
          "/products-batch/update/",
          headers,
          JSON.stringify([{ product_id: "og-mug", live: false }]),
        );
        expect(answer.status).toBe(207);
      }
      // Twenty answers while the slow body is still arriving.
      expect(slow.destroyed).toBe(false);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      clearInterval(trickle);
      slow.destroy();
    }
  });

  it("refuses a huge declared body at once with 413, without reading it", async () => {
    const { port } = new URL(og.url);
    const socket = connect(Number(port), "127.0.0.1");
    const reply = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => {
        text += d;
        if (text.includes("\r\n\r\n") && text.includes("}")) resolve(text);
      });
    });
    socket.write(
      `PATCH /products-batch/update/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: ${API_KEY}\r\ncontent-length: 500000000\r\n\r\n[`,
    );
    const text = await reply;
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1.1 413/);
    expect(text).toContain('"detail":"Request body is 500000000 bytes; the limit is 1048576 bytes."');
    expect(og.running.mock.journal.entries().at(-1)).toMatchObject({
      fault: "body too large",
      response: { status: 413 },
    });
  });
});

describe("load: 50 concurrent clients x 200 requests toggling overlapping products", () => {
  it("journals every request, ends with each product at its last applied write, and stays bounded", async () => {
    const products = [
      "og-coffee-beans-1kg",
      "og-green-tea-100",
      "og-dog-food-12kg",
      "og-cat-litter-10l",
      "og-razor-blades-8",
    ];
    const statuses = new Map<number, number>();
    const client = async (c: number) => {
      for (let i = 0; i < 200; i++) {
        const batch = [products[(c + i) % 5]!, products[(c * 7 + i * 3) % 5]!].map((product_id, k) => ({
          product_id,
          live: (c + i + k) % 2 === 0,
        }));
        const answer = await rawRequest(og.url, "PATCH", "/products-batch/update/", headers, JSON.stringify(batch));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    };
    const before = process.memoryUsage().heapUsed;
    await Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
    expect(statuses).toEqual(new Map([[207, 10_000]]));
    const journal = og.running.mock.journal;
    expect(journal.total).toBe(10_000);
    expect(journal.size).toBe(1000); // bounded: the cap holds under load
    // The final state of each product is its last applied write, in the order the fake applied them.
    const entries = journal.entries();
    const last = new Map<string, boolean>();
    for (const e of entries)
      for (const item of e.body as Array<{ product_id: string; live: boolean }>) last.set(item.product_id, item.live);
    for (const [id, live] of last) expect(og.running.mock.catalog.get(id)?.live, id).toBe(live);
    // Memory: the journal cap bounds what 10,000 requests leave behind (generous: GC timing varies).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);
});
