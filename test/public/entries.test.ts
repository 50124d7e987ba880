// The kit as a user's code meets it: only the package's public entries (ordergroove-stock-kit,
// /mock, /msw, /express), over real HTTP where the behaviour is HTTP. Every host answers through
// the core's front: the same CORS, the same last line of defence, the same admin API.
import express from "express";
import { OrdergrooveClient } from "ordergroove-stock-kit";
import { startMockServer, createApp } from "ordergroove-stock-kit/express";
import { createOrdergrooveMock, ManualClock, OrdergrooveMerchants } from "ordergroove-stock-kit/mock";
import { setupOrdergrooveMock } from "ordergroove-stock-kit/msw";
import { describe, expect, it } from "vitest";

const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };

describe("startMockServer and the reference client, from the package's entries", () => {
  it("set a product out of stock and read it back, signed", async () => {
    const fake = await startMockServer({ port: 0, logger: { warn: () => {} } });
    try {
      const client = new OrdergrooveClient({
        environment: { baseUrl: fake.url },
        credentials: { kind: "hmac", ...CREDS },
      });
      const report = await client.setLive(["og-coffee-beans-1kg"], false);
      expect(report.ok).toBe(true);
      expect(report.updated.map((i) => i.productId)).toEqual(["og-coffee-beans-1kg"]);
      expect(fake.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
      expect((await client.getProduct("og-coffee-beans-1kg"))?.live).toBe(false);
    } finally {
      await fake.close();
    }
  });
});

describe("createApp mounted in the user's Express app", () => {
  it("answers a CORS preflight and products with CORS, the admin API without, under the mount point", async () => {
    const app = express();
    app.use("/og", createApp(createOrdergrooveMock({ clock: new ManualClock() })));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/og`;
    try {
      const preflight = await fetch(`${base}/products-batch/update/`, { method: "OPTIONS" });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-methods")).toContain("PATCH");
      const refused = await fetch(`${base}/products-batch/update/`, { method: "PATCH", body: "[]" });
      expect(refused.status).toBe(403);
      expect(refused.headers.get("access-control-allow-origin")).toBe("*");
      const health = await fetch(`${base}/__admin/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("OrdergrooveMerchants.handle, the products API's answer in code", () => {
  it("adds CORS to every answer and turns a bug into a JSON 500 with CORS, never a throw", () => {
    const mock = createOrdergrooveMock();
    const merchants = new OrdergrooveMerchants([mock]);
    const req = { method: "GET", path: "/products/og-coffee-beans-1kg/", headers: { "x-api-key": "og-mock-api-key" } };
    expect(merchants.handle(req)).toMatchObject({ status: 200, headers: { "access-control-allow-origin": "*" } });
    const reported: unknown[] = [];
    mock.handle = () => {
      throw new Error("a bug in the fake");
    };
    const answer = merchants.handle(req, (error) => reported.push(error));
    expect(answer).toMatchObject({ status: 500, headers: { "access-control-allow-origin": "*" } });
    expect(reported).toHaveLength(1);
  });
});

describe("setupOrdergrooveMock in the user's suite", () => {
  it("answers an intercepted fetch with CORS, and fails a route the fake does not serve", async () => {
    const reports: string[] = [];
    const og = setupOrdergrooveMock({ report: (message) => reports.push(message) });
    og.listen();
    try {
      const res = await fetch("https://restapi.ordergroove.com/products/og-coffee-beans-1kg/", {
        headers: { "x-api-key": "og-mock-api-key" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      await expect(fetch("https://restapi.ordergroove.com/subscriptions/")).rejects.toThrow();
      expect(reports).toEqual([expect.stringContaining("does not serve this route")]);
    } finally {
      og.close();
    }
  });
});
