/**
 * The client against a real local server that misbehaves on cue: connections reset mid-answer,
 * answers slower than the timeout, garbage with 200, 429 storms with and without Retry-After,
 * 503 bursts. The client must not hang, must not lose or double-count an item, and must report
 * exactly what happened.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OrdergrooveClient } from "../../src/client/client.js";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";

type Mode = "reset" | "slow" | "garbage" | "html" | "429" | "429-no-retry-after" | "503";
const mock = createOrdergrooveMock({ throttle: false });
const queue: Mode[] = [];
let applied = 0;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const mode = queue.shift();
    if (mode === "429" || mode === "429-no-retry-after" || mode === "503") {
      res.writeHead(Number(mode.slice(0, 3)), {
        "content-type": "application/json",
        ...(mode === "429" ? { "retry-after": "2" } : {}),
      });
      res.end(JSON.stringify({ detail: "fault" }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const answer = mock.handle({
      method: req.method!,
      path: req.url!,
      headers,
      body: Buffer.concat(chunks).toString(),
    });
    if (req.method === "PATCH" && answer.status === 207) applied++;
    const text = JSON.stringify(answer.body);
    if (mode === "reset") {
      // Applied, then the connection dies half-way through the answer.
      res.writeHead(answer.status, { "content-type": "application/json", "content-length": String(text.length) });
      res.write(text.slice(0, 10));
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    if (mode === "garbage" || mode === "html") {
      res.writeHead(200, { "content-type": mode === "html" ? "text/html" : "application/json" });
      res.end(mode === "html" ? "<html><body>Bad gateway</body></html>" : '{"results": [{"product_id": 12}');
      return;
    }
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(text);
    };
    if (mode === "slow") setTimeout(write, 1500);
    else write();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  mock.reset();
  queue.length = 0;
  applied = 0;
});

const sleeps: number[] = [];
function client(extra: Partial<ConstructorParameters<typeof OrdergrooveClient>[0]> = {}) {
  sleeps.length = 0;
  return new OrdergrooveClient({
    environment: { baseUrl: url },
    credentials: { kind: "api-key", apiKey: "og-mock-api-key" },
    // Well above what a loaded machine takes to answer, so only the "slow" mode times out.
    timeoutMs: 500,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
}

const IDS = ["og-coffee-beans-1kg", "og-green-tea-100", "ghost"];

function expectEachItemOnce(report: Awaited<ReturnType<OrdergrooveClient["setLive"]>>, ids: string[]) {
  expect(report.items.map((i) => i.productId)).toEqual(ids);
  expect(report.updated.length + report.notFound.length + report.invalid.length + report.failed.length).toBe(
    ids.length,
  );
}

describe("the client against a misbehaving server", () => {
  it("retries a connection reset mid-answer; the batch (idempotent) is reported once", async () => {
    queue.push("reset");
    const report = await client().setLive(IDS, false);
    expectEachItemOnce(report, IDS);
    expect(report.items.map((i) => i.outcome)).toEqual(["updated", "updated", "not_found"]);
    expect(report).toMatchObject({ requests: 2, retries: 1 });
    expect(applied).toBe(2); // the server applied it twice; setting live=false twice is the same as once
  });

  it("times out an answer slower than the timeout, retries, and succeeds", async () => {
    queue.push("slow", "slow");
    const report = await client().setLive(IDS, false);
    expect(report).toMatchObject({ requests: 3, retries: 2 });
    expect(report.updated).toHaveLength(2);
  });

  it("gives up on answers that are always too slow, with a TimeoutError on every item, without hanging", async () => {
    queue.push("slow", "slow", "slow");
    const report = await client({ retry: { maxAttempts: 3 } }).setLive(IDS, false);
    expect(report.failed).toHaveLength(3);
    expect(report.failed[0]!.error).toMatchObject({ name: "TimeoutError", attempts: 3 });
    expectEachItemOnce(report, IDS);
  });

  it.each(["garbage", "html"] as const)(
    "does not retry a 200 with a %s body, and says the batch may have applied",
    async (mode) => {
      queue.push(mode);
      const report = await client().setLive(IDS, false);
      expect(report).toMatchObject({ requests: 1, retries: 0 });
      expect(report.failed).toHaveLength(3);
      expect(report.failed[0]!.error).toMatchObject({ name: "UnexpectedResponseError", status: 200 });
      expect(report.failed[0]!.reason).toMatch(/the batch may or may not have been applied\.$/);
    },
  );

  it("rides out a 429 storm honouring Retry-After", async () => {
    queue.push("429", "429", "429");
    const report = await client().setLive(IDS, false);
    expect(report.updated).toHaveLength(2);
    expect(sleeps).toEqual([2000, 2000, 2000]);
  });

  it("backs off on a 429 storm without Retry-After", async () => {
    queue.push("429-no-retry-after", "429-no-retry-after");
    const report = await client().setLive(IDS, false);
    expect(report.updated).toHaveLength(2);
    expect(sleeps).toEqual([187, 375]);
  });

  it("reports a 429 storm longer than its attempts as throttled, on every item", async () => {
    queue.push(...Array<Mode>(10).fill("429"));
    const report = await client({ retry: { maxAttempts: 4 } }).setLive(IDS, false);
    expect(report.failed.map((f) => f.error?.name)).toEqual(["ThrottledError", "ThrottledError", "ThrottledError"]);
    expect(report.requests).toBe(4);
  });

  it("survives a 503 burst across many batches without losing or duplicating an item", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => IDS[i % 3]!);
    queue.push("503", "503", "reset", "503");
    const report = await client({ concurrency: 1 }).setLive(ids, false);
    expectEachItemOnce(report, ids);
    expect(report.failed).toEqual([]);
    expect(report.requests).toBe(3 + 4);
    expect(report.notFound).toHaveLength(ids.filter((id) => id === "ghost").length);
  });
});
