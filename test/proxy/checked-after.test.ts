/**
 * Checked when it comes back (issue 37, point 4): the upstream's answer is validated against the
 * spec (status documented for the operation, body schema, every batch item answered once) and
 * passed on unchanged; violations travel in x-og-mock-violations (ASCII, at most 1,000
 * characters, with the journal entry's id) and in the journal entry.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FoundViolations } from "../../mock-server/core/proxy/proxy.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { type RogueUpstream, startRogueUpstream } from "./upstreams.js";

const KEY = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
let rogue: RogueUpstream;
let honest: RunningMockServer; // a second og-mock: answers as the spec says
let toRogue: RunningMockServer;
let toHonest: RunningMockServer;
const found: FoundViolations[] = [];

beforeAll(async () => {
  rogue = await startRogueUpstream();
  honest = await startMockServer({ port: 0, logger: pino({ level: "silent" }) });
  const start = (origin: string) =>
    startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      proxy: { target: { origin, production: false }, onViolations: (v) => found.push(v) },
    });
  toRogue = await start(rogue.url);
  toHonest = await start(honest.url);
});
afterAll(async () => Promise.all([rogue, honest, toRogue, toHonest].map((s) => s.close())));

describe("4. the upstream's answer checked against the spec", () => {
  it("finds nothing wrong in an answer as documented, and adds no header", async () => {
    const before = found.length;
    const res = await fetch(`${toHonest.url}/products-batch/update/`, {
      method: "PATCH",
      headers: KEY,
      body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
    });
    expect(res.headers.get("x-og-mock-source")).toBe("real");
    expect(res.headers.get("x-og-mock-violations")).toBeNull();
    expect(found.length).toBe(before);
    expect(toHonest.mock.journal.entries().at(-1)!.violations).toBeUndefined();
  });

  it("reads a gzipped answer that breaks the listing's schema, and says so beside the unchanged answer", async () => {
    const res = await fetch(`${toRogue.url}/products/?page=1`, { headers: KEY });
    expect(res.status).toBe(299);
    const header = res.headers.get("x-og-mock-violations")!;
    const seq = toRogue.mock.journal.total;
    expect(header).toMatch(new RegExp(`^1 violation \\(journal entry ${seq}\\); /detail: is required$`));
    const entry = toRogue.mock.journal.entries().at(-1)!;
    expect(entry.seq).toBe(seq);
    expect(entry.violations).toEqual([{ pointer: "/detail", message: "is required" }]);
    expect(found.at(-1)).toMatchObject({ seq, method: "GET", status: 299 });
  });

  it("checks that every item sent is answered once", async () => {
    const res = await fetch(`${toRogue.url}/products-batch/update/`, {
      method: "PATCH",
      headers: KEY,
      body: JSON.stringify([{ product_id: "p-1", live: false }]),
    });
    expect(await res.json()).toEqual({ echoed: "PATCH" }); // unchanged
    const entry = toRogue.mock.journal.entries().at(-1)!;
    expect(entry.violations).toContainEqual({ pointer: "/results", message: 'item "p-1" was sent but not answered' });
    expect(res.headers.get("x-og-mock-violations")).toMatch(/^\d+ violations? \(journal entry \d+\); /);
  });

  it("keeps the header ASCII and within 1,000 characters however many violations there are", async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ product_id: `é-${i}`, live: false }));
    const res = await fetch(`${toRogue.url}/products-batch/update/`, {
      method: "PATCH",
      headers: KEY,
      body: JSON.stringify(items),
    });
    const header = res.headers.get("x-og-mock-violations")!;
    expect(header.length).toBeLessThanOrEqual(1000);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header).toMatch(/^10\d violations /);
    expect(toRogue.mock.journal.entries().at(-1)!.violations!.length).toBeGreaterThan(100);
  });
});

describe("4. an answer whose batch results are not a list", () => {
  it("passes the real answer as it came, with the violation beside it", async () => {
    const odd = JSON.stringify({ results: { "p-1": 200 } });
    const upstream = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(odd));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const proxy = await startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      proxy: { target: { origin, production: false }, shadow: true },
    });
    try {
      const res = await fetch(`${proxy.url}/products-batch/update/`, {
        method: "PATCH",
        headers: KEY,
        body: JSON.stringify([{ product_id: "p-1", live: false }]),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-og-mock-source")).toBe("real");
      expect(await res.text()).toBe(odd);
      expect(res.headers.get("x-og-mock-violations")).toMatch(/^\d+ violations? \(journal entry \d+\); /);
      expect(proxy.mock.journal.entries().at(-1)!.violations).toContainEqual({
        pointer: "/results",
        message: 'item "p-1" was sent but not answered',
      });
    } finally {
      await proxy.close();
      upstream.closeAllConnections();
      upstream.close();
    }
  });
});
