/**
 * README's promise about reports, through the package's public entry points over real HTTP:
 * when a whole request fails, every item it carried is `failed` with productId, the request's
 * HTTP status (null when no answer came back), reason and the typed error.
 */
import {
  type BatchReport,
  type ClientOptions,
  NetworkError,
  OrdergrooveClient,
  PermissionError,
  ServerError,
  ThrottledError,
  TimeoutError,
} from "ordergroove-stock-kit";
import { startMockServer, type RunningMockServer } from "ordergroove-stock-kit/express";
import { ManualClock } from "ordergroove-stock-kit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../helpers/closed-port.js";

const credentials = {
  kind: "hmac",
  publicId: "og-mock-merchant",
  sigField: "og-mock-api-user",
  hashKey: "og-mock-hash-key",
} as const;
const ids = ["og-coffee-beans-1kg", "og-green-tea-100"];
const clock = new ManualClock();
let og: RunningMockServer;

beforeAll(async () => {
  og = await startMockServer({ port: 0, clock, throttle: { limit: 1, windowMs: 60_000 } });
});
afterEach(() => og.mock.reset());
afterAll(() => og.close());

/** A client on the fake's clock whose waits do not move it: a throttle never clears by itself. */
function client(options: Partial<ClientOptions> = {}): OrdergrooveClient {
  return new OrdergrooveClient({
    environment: { baseUrl: og.url },
    credentials,
    rateLimit: false,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    now: () => clock.now(),
    sleep: async () => {},
    ...options,
  });
}

/** Every field README names, on every item, and nothing updated. */
function expectAllFailed(
  report: BatchReport,
  status: number | null,
  errorClass: new (...args: never[]) => Error,
  reason: RegExp,
) {
  expect(report.ok).toBe(false);
  expect(report.updated).toEqual([]);
  expect(report.failed).toHaveLength(ids.length);
  expect(report.items).toEqual(report.failed);
  report.failed.forEach((item, i) => {
    expect(item).toMatchObject({ index: i, productId: ids[i], outcome: "failed", status });
    expect(item.reason).toMatch(reason);
    expect(item.error).toBeInstanceOf(errorClass);
    expect(item.error!.status ?? null).toBe(status);
  });
}

describe("a report when the whole request fails", () => {
  it("carries 403 on every item when the key is refused", async () => {
    const report = await client({ credentials: { ...credentials, hashKey: "not-the-key" } }).setLive(ids, false);
    expectAllFailed(report, 403, PermissionError, /^Failed to update products: Ordergroove answered 403: /);
    expect(report.requests).toBe(1);
    expect(JSON.stringify(report)).not.toContain("not-the-key");
  });

  it("carries 429 when still throttled after the retries ran out", async () => {
    await client().setLive(["og-mug"], true); // takes the one place in the fake's window
    const report = await client().setLive(ids, false);
    expectAllFailed(report, 429, ThrottledError, /^Failed to update products: Ordergroove answered 429/);
    expect(report).toMatchObject({ requests: 3, retries: 2 });
    expect(report.failed[0]!.error!.attempts).toBe(3);
  });

  it("carries the 5xx when Ordergroove keeps failing", async () => {
    og.mock.faults.failNext(503, 3);
    const report = await client().setLive(ids, false);
    expectAllFailed(report, 503, ServerError, /^Failed to update products: Ordergroove answered 503/);
    expect(report.requests).toBe(3);
    expect(og.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });

  it("carries null when no answer came back in time", async () => {
    og.mock.faults.setLatency(2_000);
    const report = await client({ timeoutMs: 50, retry: { maxAttempts: 1 } }).setLive(ids, false);
    expectAllFailed(report, null, TimeoutError, /^Failed to update products: no answer within 50 ms\.$/);
  });

  it("carries null when the host cannot be reached", async () => {
    const closed = await closedPort();
    const report = await client({ environment: { baseUrl: `http://127.0.0.1:${closed}` } }).setLive(ids, false);
    expectAllFailed(
      report,
      null,
      NetworkError,
      new RegExp(
        `^Failed to update products: the connection to http://127\\.0\\.0\\.1:${closed} failed \\(ECONNREFUSED: nothing is listening there\\); tried 3 times\\.$`,
      ),
    );
    expect(report.requests).toBe(3);
  });

  it("keeps per-item statuses next to the request's, in the same field", async () => {
    const report = await client({ rateLimit: false }).setLive(["og-coffee-beans-1kg", "no-such-product"], false);
    expect(report.items.map((i) => [i.outcome, i.status])).toEqual([
      ["updated", 200],
      ["not_found", 404],
    ]);
    expect(report.notFound[0]!.reason).toBeTruthy();
  });
});
