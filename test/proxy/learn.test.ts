/**
 * Real traffic teaches the fake (issue 37, point 8): proxying to an upstream that differs from
 * the fake's defaults (a second og-mock with a profile: batches answered 200 in the article's
 * list, refusals 401), og-mock learns what it did in the calibration profile's schema, with
 * counts and first/last seen; a fake started from that profile answers as the upstream did.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import { Learner } from "../../mock-server/core/proxy/learn.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { PROFILE } from "../calibration/profile-fixture.js";
import { startProxy } from "./upstreams.js";

const KEY = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
const clock = new ManualClock(Date.parse("2026-12-07T10:00:00Z"));
let upstream: RunningMockServer;
let proxy: RunningMockServer;
let learner: Learner;

beforeAll(async () => {
  upstream = await startMockServer({ port: 0, logger: pino({ level: "silent" }), profile: PROFILE });
  learner = new Learner(upstream.url, "ordergroove-stock-kit@test", clock);
  proxy = await startProxy(upstream.url, { learner });
});
afterAll(async () => Promise.all([upstream.close(), proxy.close()]));

const patch = (headers: Record<string, string> = KEY) =>
  fetch(`${proxy.url}/products-batch/update/`, {
    method: "PATCH",
    headers,
    body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
  }).then((r) => r.text());

describe("8. --learn", () => {
  it("keeps what the upstream did, with counts and first and last seen, in the profile's schema", async () => {
    await patch();
    clock.advance(60_000);
    await patch();
    await patch({ ...KEY, "x-api-key": "not-a-key-of-the-upstream" });
    await fetch(`${proxy.url}/products/og-coffee-beans-1kg/`, { headers: KEY }).then((r) => r.text());
    const profile = validateProfile(JSON.parse(JSON.stringify(learner.profile())));
    expect(profile.observations).toEqual({
      "answer.batchStatus": 200,
      "answer.batchForm": "list",
      "auth.failureStatus": 401,
      "answer.priceType": "string",
      "answer.timestampFormat": "YYYY-MM-DD HH:MM:SS",
    });
    expect(profile.seen?.["answer.batchStatus"]).toEqual({
      count: 2,
      firstSeen: "2026-12-07T10:00:00.000Z",
      lastSeen: "2026-12-07T10:01:00.000Z",
    });
    expect(profile.target).toBe(upstream.url);
  });

  it("makes a fake that answers as the upstream did", async () => {
    const taught = await startMockServer({ port: 0, logger: pino({ level: "silent" }), profile: learner.profile() });
    try {
      const res = await fetch(`${taught.url}/products-batch/update/`, {
        method: "PATCH",
        headers: KEY,
        body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([{ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] }]);
      const refused = await fetch(`${taught.url}/products/og-coffee-beans-1kg/`, { headers: { "x-api-key": "nope" } });
      expect(refused.status).toBe(401);
    } finally {
      await taught.close();
    }
  });
});
