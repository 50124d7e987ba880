import { describe, expect, it } from "vitest";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: { limit: 5, windowMs: 60_000 } });
const ITEMS = [{ product_id: "og-coffee-beans-1kg", live: false }];

describe("throttle: N requests per window per merchant", () => {
  it("answers 429 with Retry-After once the limit is used, and changes nothing", async () => {
    for (let i = 0; i < 5; i++) expect((await og.patchBatch(ITEMS)).status).toBe(207);
    og.running.mock.catalog.reset();
    const answer = await og.patchBatch(ITEMS);
    expect(answer.status).toBe(429);
    expect(answer.headers["retry-after"]).toBe("60");
    expect(answer.body).toEqual({ detail: "Request was throttled. Expected available in 60 seconds." });
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });

  it("slides: a request fits again as soon as the oldest leaves the window", async () => {
    for (let i = 0; i < 5; i++) {
      await og.patchBatch(ITEMS);
      og.clock.advance(10_000);
    }
    // Oldest request was 50 s ago: 10 s to wait.
    const throttled = await og.patchBatch(ITEMS);
    expect(throttled.headers["retry-after"]).toBe("10");
    og.clock.advance(9_999);
    expect((await og.patchBatch(ITEMS)).status).toBe(429);
    og.clock.advance(1);
    expect((await og.patchBatch(ITEMS)).status).toBe(207);
  });

  it("is shared by bulk create and bulk update", async () => {
    for (let i = 0; i < 3; i++) await og.patchBatch(ITEMS);
    for (let i = 0; i < 2; i++) {
      expect((await og.request("POST", "/products-batch/create/", { body: [] })).status).toBe(207);
    }
    expect((await og.request("POST", "/products-batch/create/", { body: [] })).status).toBe(429);
    expect((await og.patchBatch(ITEMS)).status).toBe(429);
  });

  it("does not count refused requests or single-product reads", async () => {
    for (let i = 0; i < 10; i++) expect((await og.patchBatch(ITEMS, { auth: "none" })).status).toBe(403);
    for (let i = 0; i < 10; i++) expect((await og.request("GET", "/products/og-coffee-beans-1kg/")).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await og.patchBatch(ITEMS)).status).toBe(207);
  });

  it("can be tuned and switched off at run time", async () => {
    og.running.mock.setThrottle({ limit: 1 });
    expect((await og.patchBatch(ITEMS)).status).toBe(207);
    expect((await og.patchBatch(ITEMS)).status).toBe(429);
    const off = await og.admin("PATCH", "settings", { throttle: false });
    expect(off.body).toMatchObject({ throttle: false });
    for (let i = 0; i < 20; i++) expect((await og.patchBatch(ITEMS)).status).toBe(207);
  });

  it("defaults to Ordergroove's 600 requests per minute", async () => {
    const { OrdergrooveMock } = await import("../../mock-server/core/mock.js");
    expect(new OrdergrooveMock().throttle).toEqual({ limit: 600, windowMs: 60_000 });
  });
});

describe("throttle switched off at start", () => {
  const unthrottled = useMockServer({ throttle: false });

  it("can be switched back on with only a limit, using the default window", async () => {
    unthrottled.running.mock.setThrottle({ limit: 1 });
    expect(unthrottled.running.mock.throttle).toEqual({ limit: 1, windowMs: 60_000 });
    expect((await unthrottled.patchBatch(ITEMS)).status).toBe(207);
    expect((await unthrottled.patchBatch(ITEMS)).status).toBe(429);
  });
});
