/**
 * The fake in the shadow of real traffic (issue 37, point 7): with --shadow each real batch is
 * replayed against the fake, whose catalog first learns what the real answer shows (and keeps no
 * write the service did not make), and the outcomes are compared item by item with the batch's
 * status and form; each difference is in the
 * journal entry (`differences`) and told to the report, labelled with the setting that would
 * explain it where one does. The upstream is a second og-mock made to differ by a profile and a
 * per-item fault.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FoundViolations } from "../../mock-server/core/proxy/proxy.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { PROFILE } from "../calibration/profile-fixture.js";
import { ViolationReport } from "../../mock-server/cli/violation-report.js";
import { startProxy } from "./upstreams.js";

const KEY = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
let upstream: RunningMockServer;
let proxy: RunningMockServer;
const found: FoundViolations[] = [];

beforeAll(async () => {
  upstream = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    profile: PROFILE,
    products: [{ external_product_id: "only-upstream-sku", name: "Only upstream", price: "1.00", live: true }],
    faults: { items: [{ match: "flaky-*", status: 400 }] },
  });
  proxy = await startProxy(upstream.url, { shadow: true, onViolations: (f) => found.push(f) });
});
afterAll(async () => Promise.all([upstream.close(), proxy.close()]));

async function patch(ids: string[]) {
  const res = await fetch(`${proxy.url}/products-batch/update/`, {
    method: "PATCH",
    headers: KEY,
    body: JSON.stringify(ids.map((product_id) => ({ product_id, live: false }))),
  });
  return { status: res.status, body: (await res.json()) as unknown, source: res.headers.get("x-og-mock-source") };
}

describe("7. --shadow", () => {
  it("passes the real answer, replays it against the fake after the fake learnt the catalog, and lists the differences with their settings", async () => {
    const answer = await patch(["only-upstream-sku", "no-such-sku"]);
    expect(answer).toMatchObject({ status: 200, source: "real" });
    // The fake learnt that only-upstream-sku exists (the real answer said 200) and applied the write.
    expect(proxy.mock.catalog.get("only-upstream-sku")?.live).toBe(false);
    const entry = proxy.mock.journal.entries().find((e) => e.source === "real")!;
    expect(entry.differences).toEqual([
      {
        pointer: "",
        message: "the batch was answered 200 by the service and 207 by the fake",
        real: 200,
        fake: 207,
        setting: "answer.batchStatus",
      },
      {
        pointer: "",
        message: "the answer's form is list from the service and object from the fake",
        real: "list",
        fake: "object",
        setting: "answer.batchForm",
      },
    ]);
    expect(found.at(-1)?.differences).toHaveLength(2);
    // --report lists them too, JSON and JUnit.
    const report = new ViolationReport(upstream.url);
    report.add(found.at(-1)!);
    const json = JSON.parse(report.text("report.json")) as {
      answersWithDifferences: number;
      answers: Array<{ differences: unknown[] }>;
    };
    expect(json.answersWithDifferences).toBe(1);
    expect(json.answers[0]!.differences).toHaveLength(2);
    expect(report.text("report.xml")).toContain(
      "shadow: the batch was answered 200 by the service and 207 by the fake (setting: answer.batchStatus)",
    );
    expect(report.count).toBe(0); // differences are not violations: --fail-on-violation ignores them
  });

  it("finds an item the service answered differently, item by item", async () => {
    proxy.merchants.reset();
    await patch(["og-coffee-beans-1kg", "flaky-1"]);
    const entry = proxy.mock.journal.entries().find((e) => e.source === "real")!;
    expect(entry.differences).toContainEqual({
      pointer: "/items/flaky-1",
      message: 'item "flaky-1" was answered 400 by the service and 404 by the fake',
      real: 400,
      fake: 404,
    });
    expect(entry.differences!.filter((d) => d.pointer.startsWith("/items/"))).toHaveLength(1);
  });

  it("undoes in the fake's catalog an item the fake applied and the service refused", async () => {
    proxy.merchants.reset();
    proxy.mock.catalog.create({ external_product_id: "flaky-held", live: true });
    const answer = await patch(["flaky-held", "only-upstream-sku"]);
    expect(answer).toMatchObject({ status: 200, source: "real" });
    const entry = proxy.mock.journal.entries().find((e) => e.source === "real")!;
    expect(entry.differences).toContainEqual({
      pointer: "/items/flaky-held",
      message: 'item "flaky-held" was answered 400 by the service and 200 by the fake',
      real: 400,
      fake: 200,
    });
    // The service wrote nothing to flaky-held: neither does the fake's catalog keep the replay's write.
    expect(proxy.mock.catalog.get("flaky-held")?.live).toBe(true);
    // What the service applied, the fake's catalog keeps.
    expect(proxy.mock.catalog.get("only-upstream-sku")?.live).toBe(false);
  });

  it("passes the real answer when the service accepts a product id the fake cannot hold, and lists that as a difference", async () => {
    // An upstream that accepts any id, however long: the fake caps ids at 255 characters (its
    // own assumption), so its catalog cannot learn this product.
    const lenient = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c));
      req.on("end", () => {
        const items = JSON.parse(text) as Array<{ product_id: string }>;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ results: items.map(({ product_id }) => ({ product_id, status: 200 })) }));
      });
    });
    await new Promise<void>((resolve) => lenient.listen(0, "127.0.0.1", resolve));
    const shadowing = await startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      proxy: {
        target: { origin: `http://127.0.0.1:${(lenient.address() as AddressInfo).port}`, production: false },
        shadow: true,
      },
    });
    try {
      const long = "x".repeat(300);
      const res = await fetch(`${shadowing.url}/products-batch/update/`, {
        method: "PATCH",
        headers: KEY,
        body: JSON.stringify([{ product_id: long, live: false }]),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-og-mock-source")).toBe("real");
      await res.text();
      const entry = shadowing.mock.journal.entries().find((e) => e.source === "real")!;
      expect(entry.differences).toContainEqual(expect.objectContaining({ pointer: `/items/${long}`, real: 200 }));
    } finally {
      await shadowing.close();
      await new Promise<void>((resolve) => lenient.close(() => resolve()));
    }
  });

  it("lists an item the fake answered and the service did not (as Prism's examples do, naming other items)", async () => {
    // An upstream whose answer names an item that was not sent and leaves out the one that was.
    const other = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ results: [{ product_id: "someone-else", status: 200 }] }));
      });
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const shadowing = await startProxy(`http://127.0.0.1:${(other.address() as AddressInfo).port}`, { shadow: true });
    try {
      await fetch(`${shadowing.url}/products-batch/update/`, {
        method: "PATCH",
        headers: KEY,
        body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
      }).then((r) => r.text());
      const entry = shadowing.mock.journal.entries().find((e) => e.source === "real")!;
      const items = entry.differences!.filter((d) => d.pointer.startsWith("/items/"));
      expect(items).toEqual([
        {
          pointer: "/items/someone-else",
          message: 'item "someone-else" was answered 200 by the service and not at all by the fake',
          real: 200,
          fake: null,
        },
        {
          pointer: "/items/og-coffee-beans-1kg",
          message: 'item "og-coffee-beans-1kg" was not answered by the service and answered 200 by the fake',
          real: null,
          fake: 200,
        },
      ]);
      // The service wrote nothing it told of: the fake's catalog keeps no write for the item either.
      expect(shadowing.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    } finally {
      await shadowing.close();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it("finds no difference when the fake is calibrated like the service", async () => {
    const calibrated = await startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      profile: PROFILE,
      proxy: { target: { origin: upstream.url, production: false }, shadow: true },
    });
    try {
      await fetch(`${calibrated.url}/products-batch/update/`, {
        method: "PATCH",
        headers: KEY,
        body: JSON.stringify([{ product_id: "only-upstream-sku", live: true }]),
      }).then((r) => r.text());
      const entry = calibrated.mock.journal.entries().find((e) => e.source === "real")!;
      expect(entry.differences).toBeUndefined();
    } finally {
      await calibrated.close();
    }
  });
});

describe("7. --shadow and the fake's faults", () => {
  it("replays without the faults set for the fake's own answers, and leaves them queued", async () => {
    proxy.merchants.reset();
    found.length = 0;
    proxy.mock.faults.failNext(503);
    proxy.mock.faults.dropNext(1);
    proxy.mock.faults.forceItemStatus("only-upstream-*", 400);
    proxy.mock.faults.setLatency(5_000);
    const answer = await patch(["only-upstream-sku"]);
    expect(answer).toMatchObject({ status: 200, source: "real" });
    // The replay met none of them: no 503, no drop, the item applied, no latency in its entry.
    const replay = proxy.mock.journal.entries().find((e) => e.source === undefined)!;
    expect(replay.ms).toBeLessThan(5_000);
    const entry = proxy.mock.journal.entries().find((e) => e.source === "real")!;
    const messages = (entry.differences ?? []).map((d) => d.message).join("\n");
    expect(messages).not.toMatch(/503|dropped|400/);
    expect(proxy.mock.catalog.get("only-upstream-sku")?.live).toBe(false);
    // And they are still there for the fake's own next answer.
    const settings = proxy.mock.faults.settings;
    expect(settings.next).toEqual([expect.objectContaining({ status: 503 })]);
    expect(settings.dropNext).toBe(1);
    proxy.mock.faults.clear();
  });
});
