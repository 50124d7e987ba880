import { describe, expect, it } from "vitest";
import { clientFor } from "../helpers/client.js";
import { useMockServer } from "../helpers/mock-server.js";

const LIMIT = 10;
const WINDOW = 60_000;
const og = useMockServer({ throttle: { limit: LIMIT, windowMs: WINDOW } });

describe("the client under the fake's throttle", () => {
  it("never exceeds the configured rate, so the fake never answers 429", async () => {
    const ids = Array.from({ length: 3500 }, (_, i) => `t-${i}`);
    og.running.mock.catalog.upsert(ids.map((id) => ({ external_product_id: id })));
    // One batch at a time: the manual clock jumps by whole sleeps, so with several in flight an
    // answer would seem to take a whole window and the exact timing below would not hold.
    const { client } = clientFor(og, { rateLimit: { limit: LIMIT, windowMs: WINDOW }, concurrency: 1 });
    const report = await client.setLive(ids, false);
    expect(report.ok).toBe(true);
    expect(report.requests).toBe(35);
    const entries = og.running.mock.journal.entries();
    expect(entries.filter((e) => "status" in e.response && e.response.status === 429)).toEqual([]);
    // In any window of WINDOW ms, at most LIMIT requests.
    const times = entries.map((e) => Date.parse(e.at));
    for (let i = LIMIT; i < times.length; i++) expect(times[i]! - times[i - LIMIT]!).toBeGreaterThanOrEqual(WINDOW);
    // And it used the rate it had: 35 requests need 3 full windows after the first 10.
    expect(times.at(-1)! - times[0]!).toBe(3 * WINDOW);
  });

  it("never exceeds the rate with several batches in flight either", async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `c-${i}`);
    og.running.mock.catalog.upsert(ids.map((id) => ({ external_product_id: id })));
    const { client } = clientFor(og, { rateLimit: { limit: LIMIT, windowMs: WINDOW }, concurrency: 4 });
    const report = await client.setLive(ids, false);
    expect(report).toMatchObject({ ok: true, requests: 25, retries: 0 });
    const statuses = og.running.mock.journal.entries().map((e) => ("status" in e.response ? e.response.status : 0));
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });

  it("recovers through Retry-After when its own limit is set too high", async () => {
    const ids = Array.from({ length: 1500 }, (_, i) => `u-${i}`);
    og.running.mock.catalog.upsert(ids.map((id) => ({ external_product_id: id })));
    const { client } = clientFor(og, { rateLimit: false, concurrency: 1 });
    const report = await client.setLive(ids, false);
    expect(report.ok).toBe(true);
    expect(report.retries).toBeGreaterThan(0);
    expect(report.items.every((i) => i.outcome === "updated")).toBe(true);
  });
});
