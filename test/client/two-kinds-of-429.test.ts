/**
 * Ordergroove answers 429 in two ways: its per-merchant bulk throttle sends Retry-After, its
 * per-IP limit promises none. The client honours the first exactly and backs off on the second,
 * over real HTTP against the fake.
 */
import { describe, expect, it } from "vitest";
import { clientFor } from "../helpers/client.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false, ipLimit: false });

function statuses(): number[] {
  return og.running.mock.journal.entries().map((e) => ("status" in e.response ? e.response.status : 0));
}

describe("the client and the two kinds of 429", () => {
  it("waits exactly Retry-After when the per-merchant throttle sends one", async () => {
    og.running.mock.setThrottle({ limit: 1, windowMs: 10_000 });
    const { client, sleeps } = clientFor(og, { rateLimit: false, concurrency: 1 });
    expect((await client.setLive(["og-coffee-beans-1kg"], false)).ok).toBe(true);
    const report = await client.setLive(["og-green-tea-100"], false);
    expect(report).toMatchObject({ ok: true, requests: 2, retries: 1 });
    expect(sleeps).toEqual([10_000]);
    expect(statuses()).toEqual([207, 429, 207]);
  });

  it("backs off (capped, jittered, growing) when the per-IP limit sends no Retry-After", async () => {
    og.running.merchants.setIpLimit({ limit: 1, windowMs: 1000 });
    const { client, sleeps } = clientFor(og, { rateLimit: false, concurrency: 1 });
    expect((await client.setLive(["og-coffee-beans-1kg"], false)).ok).toBe(true);
    const report = await client.setLive(["og-green-tea-100"], false);
    expect(report).toMatchObject({ ok: true, requests: 4, retries: 3 });
    // random() = 0.5 and the default policy (base 250 ms): 3/4 of 250, 500, 1000 ms.
    expect(sleeps).toEqual([187, 375, 750]);
    expect(statuses()).toEqual([207, 429, 429, 429, 207]);
    expect(og.running.mock.catalog.get("og-green-tea-100")!.live).toBe(false);
  });

  it("gives up with a ThrottledError (no Retry-After) once its attempts are used", async () => {
    og.running.merchants.setIpLimit({ limit: 1, windowMs: 3_600_000 });
    const { client } = clientFor(og, { rateLimit: false, retry: { maxAttempts: 3 } });
    await client.setLive(["og-coffee-beans-1kg"], false);
    const report = await client.setLive(["og-green-tea-100"], false);
    expect(report.ok).toBe(false);
    expect(report.failed).toHaveLength(1);
    const error = report.failed[0]!.error!;
    expect(error).toMatchObject({ name: "ThrottledError", status: 429, retryAfterMs: undefined, attempts: 3 });
  });
});
