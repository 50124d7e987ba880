import { describe, expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { createMerchants } from "../../mock-server/core/merchants/merchants.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({
  ipLimit: { limit: 5, windowMs: 60_000 },
  merchants: [
    { credentials: { publicId: "acme", apiUsers: [], apiKeys: ["acme-key"] } },
    { credentials: { publicId: "globex", apiUsers: [], apiKeys: ["globex-key"] } },
  ],
});
const key = (k: string) => ({ auth: "none" as const, headers: { "x-api-key": k } });

describe("Ordergroove's per-IP limit", () => {
  it("counts every endpoint and every merchant from one address, and answers 429 without Retry-After", async () => {
    const statuses: number[] = [];
    statuses.push((await og.request("GET", "/products/og-coffee-beans-1kg/", key("acme-key"))).status);
    statuses.push(
      (await og.patchBatch([{ product_id: "og-coffee-beans-1kg", live: false }], key("globex-key"))).status,
    );
    statuses.push((await og.request("GET", "/no-such-route/", key("acme-key"))).status);
    statuses.push((await og.request("GET", "/products/og-coffee-beans-1kg/", key("nobody"))).status);
    statuses.push((await og.request("GET", "/products/og-coffee-beans-1kg/", key("globex-key"))).status);
    expect(statuses).toEqual([200, 207, 404, 403, 200]);

    // The answers are checked against the spec by the helper: 429 is documented on every route.
    const over = await og.patchBatch([{ product_id: "og-coffee-beans-1kg", live: false }], key("acme-key"));
    expect(over.status).toBe(429);
    expect(over.headers["retry-after"]).toBeUndefined();
    expect(over.body).toEqual({
      detail:
        "Request was throttled: more than 5 requests in 60 s from this IP address. Retry later with backoff (this limit sends no Retry-After).",
    });
    // Refused whole: nothing changed, and the merchant the request named journals why.
    const acme = og.running.merchants.merchant("acme")!;
    expect(acme.catalog.get("og-coffee-beans-1kg")!.live).toBe(true);
    expect(acme.journal.entries().at(-1)).toMatchObject({ response: { status: 429 }, fault: "over the per-IP limit" });

    // The window slides: a minute later the address may send again.
    og.clock.advance(60_001);
    expect((await og.request("GET", "/products/og-coffee-beans-1kg/", key("acme-key"))).status).toBe(200);
  });

  it("is tuned or switched off through the admin API (and admin calls never count)", async () => {
    for (let i = 0; i < 8; i++) expect((await og.admin("GET", "merchants")).status).toBe(200);
    expect((await og.admin("PUT", "ip-limit", { limit: 0 })).body).toEqual({
      detail: "Admin API: invalid ipLimit: limit: must be >= 1.",
    });
    expect((await og.admin("PUT", "ip-limit", { limit: 2 })).body).toEqual({ ipLimit: { limit: 2, windowMs: 60_000 } });
    const two = [
      await og.request("GET", "/products/x/", key("acme-key")),
      await og.request("GET", "/products/x/", key("acme-key")),
    ];
    expect(two.map((a) => a.status)).toEqual([404, 404]);
    expect((await og.request("GET", "/products/x/", key("acme-key"))).status).toBe(429);
    expect((await og.admin("PUT", "ip-limit", false)).body).toEqual({ ipLimit: false });
    for (let i = 0; i < 10; i++) expect((await og.request("GET", "/products/x/", key("acme-key"))).status).toBe(404);
    await og.admin("PUT", "ip-limit", { limit: 5, windowMs: 60_000 });
  });
});

describe("the per-IP limit in the core", () => {
  it("keeps one window per client address and is off with ipLimit: false", () => {
    const clock = new ManualClock();
    const front = createMerchants({ clock, ipLimit: { limit: 2 } });
    const req = (remoteAddress: string) => ({
      method: "GET",
      path: "/products/og-coffee-beans-1kg/",
      headers: { "x-api-key": "og-mock-api-key" },
      remoteAddress,
    });
    expect([1, 2, 3].map(() => front.handle(req("10.0.0.1")).status)).toEqual([200, 200, 429]);
    expect([1, 2, 3].map(() => front.handle(req("10.0.0.2")).status)).toEqual([200, 200, 429]);
    const off = createMerchants({ clock, ipLimit: false });
    expect(Array.from({ length: 7000 }, () => off.handle(req("10.0.0.1")).status).every((s) => s === 200)).toBe(true);
    const byDefault = createMerchants({ clock });
    const statuses = Array.from({ length: 6001 }, () => byDefault.handle(req("10.0.0.1")).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.at(-1)).toBe(429);
  });
});
