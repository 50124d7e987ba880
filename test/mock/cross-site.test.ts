/**
 * Issue 25, over real HTTP: CORS on the products routes exactly as Ordergroove answers it (on
 * og-mock's host, on createApp() and through MSW), and on no admin route; the admin API, its
 * stream and the dashboard refuse cross-site use (rebinding Host, foreign Origin, non-JSON
 * bodies); the admin token's cookie and options. The browser's side is
 * test/ui/cross-origin.browser.test.ts.
 */
import { setupServer } from "msw/node";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../mock-server/express/app.js";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";
import { ordergrooveHandlers } from "../../mock-server/msw/handlers.js";
import { startMockServer } from "../../mock-server/node/server.js";
import { parseCli } from "../../mock-server/cli/args.js";
import { UsageError } from "../../shared/flags/flags.js";
import { rawRequest } from "../helpers/raw-http.js";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";

const TOKEN = "cross-site-token";
const og = useMockServer({ allowedHosts: ["og-mock"] });
const PREFLIGHT = {
  origin: "http://shop.example",
  "access-control-request-method": "PATCH",
  "access-control-request-headers": "authorization,content-type",
};

function expectCors(headers: Record<string, string>): void {
  expect(headers["access-control-allow-origin"]).toBe("*");
  expect(headers["access-control-allow-credentials"]).toBe("true");
}

describe("CORS on the products routes, as the real service answers it", () => {
  it("answers a preflight 204 with the observed headers, on every products path, journaling nothing", async () => {
    for (const path of ["/products-batch/update/", "/products/", "/products/x/", "/product_groups/", "/nope"]) {
      const answer = await rawRequest(og.url, "OPTIONS", path, PREFLIGHT);
      expect(answer.status, path).toBe(204);
      expect(answer.text).toBe("");
      expectCors(answer.headers);
      expect(answer.headers["access-control-allow-methods"]).toBe("OPTIONS,GET,PUT,POST,DELETE,PATCH");
      expect(answer.headers["access-control-allow-headers"]!.split(",")).toEqual(
        expect.arrayContaining(["authorization", "content-type", "og-authorization", "x-api-key"]),
      );
    }
    expect(og.running.mock.journal.total).toBe(0);
  });

  it("adds the CORS headers to actual answers, refusals included", async () => {
    const read = await og.request("GET", "/products/", { headers: { origin: "http://shop.example" } });
    expect(read.status).toBe(200);
    expectCors(read.headers);
    const update = await og.patchBatch([{ product_id: "166603786142092350", live: false }]);
    expectCors(update.headers);
    const refused = await og.request("GET", "/products/", { auth: "none" });
    expect(refused.status).toBe(403);
    expectCors(refused.headers);
  });

  it("sends no CORS header on any admin route, and no preflight succeeds there", async () => {
    for (const path of ["/__admin/health", "/__admin/journal", "/__admin/ui/", "/__admin/merchants"]) {
      const get = await rawRequest(og.url, "GET", path, { origin: "http://shop.example" });
      expect(get.headers["access-control-allow-origin"], path).toBeUndefined();
      const options = await rawRequest(og.url, "OPTIONS", path, PREFLIGHT);
      expect(options.status, path).not.toBe(204);
      expect(options.headers["access-control-allow-origin"], path).toBeUndefined();
    }
  });

  it("answers alike on createApp() and through MSW", async () => {
    const express = await startMockServer({ port: 0, listener: (m, o) => createApp(m, o) });
    try {
      const pre = await rawRequest(express.url, "OPTIONS", "/products/", PREFLIGHT);
      expect(pre.status).toBe(204);
      expectCors(pre.headers);
      const admin = await rawRequest(express.url, "GET", "/__admin/health", { host: "evil.example" });
      expect(admin.status).toBe(403);
    } finally {
      await express.close();
    }
    const server = setupServer(...ordergrooveHandlers(createOrdergrooveMock(), { baseUrls: ["http://og.test"] }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const pre = await fetch("http://og.test/products/", { method: "OPTIONS" });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-methods")).toBe("OPTIONS,GET,PUT,POST,DELETE,PATCH");
      const read = await fetch("http://og.test/products/", { headers: { "x-api-key": API_KEY } });
      expect(read.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      server.close();
    }
  });
});

describe("the admin API refuses cross-site use", () => {
  const admin = (method: string, path: string, headers: Record<string, string | undefined>, body?: string) =>
    rawRequest(og.url, method, `/__admin/${path}`, headers, body);

  it("refuses a rebinding Host on every admin surface, reads included, and names the fix", async () => {
    for (const path of ["journal", "health", "journal/stream", "ui/", "merchants", "products"]) {
      const answer = await admin("GET", path, { host: "evil.example:8787" });
      expect(answer.status, path).toBe(403);
      expect((answer.body as { detail: string }).detail).toContain("--allowed-hosts evil.example");
    }
  });

  it("accepts loopback names, IP addresses, the bound address and --allowed-hosts names", async () => {
    for (const host of [
      "localhost:1",
      "app.localhost",
      "127.0.0.1",
      "[::1]:9",
      "10.0.0.7:80",
      "og-mock:8787",
      "OG-MOCK",
    ]) {
      expect((await admin("GET", "health", { host })).status, host).toBe(200);
    }
  });

  it("refuses writes from another origin or site, and changes nothing", async () => {
    const before = og.running.mock.catalog.size;
    const body = JSON.stringify([{ product_id: "pwned", price: "0.01" }]);
    const json = { "content-type": "application/json" };
    for (const headers of [
      { origin: "http://evil.example" },
      { origin: "http://localhost:3000" }, // another local service: same site, other origin
      { origin: "null" },
      { origin: `http://${new URL(og.url).host}`, "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const answer = await admin("POST", "products", { ...json, ...headers }, body);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect((answer.body as { detail: string }).detail).toMatch(/from another origin/);
      expect((await admin("POST", "reset", headers)).status).toBe(403);
    }
    expect(og.running.mock.catalog.size).toBe(before);
    const own = new URL(og.url).host;
    expect(
      (await admin("POST", "products", { ...json, origin: `http://${own}`, "sec-fetch-site": "same-origin" }, body))
        .status,
    ).toBe(200);
    expect((await admin("POST", "reset", {})).status).toBe(200); // curl: no Origin at all
  });

  it("answers 415 to an admin body that is not application/json, and changes nothing", async () => {
    const body = JSON.stringify([{ product_id: "pwned" }]);
    for (const type of [
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const answer = await admin("POST", "products", { "content-type": type }, body);
      expect(answer.status, type).toBe(415);
      expect((answer.body as { detail: string }).detail).toContain("content-type: application/json");
    }
    expect((await admin("POST", "merchants", { "content-type": "text/plain" }, "{}")).status).toBe(415);
    expect(og.running.mock.catalog.get("pwned")).toBeUndefined();
    expect((await admin("POST", "products", { "content-type": "application/json; charset=utf-8" }, body)).status).toBe(
      200,
    );
  });
});

describe("the admin token", () => {
  it("signs in same-origin with the form, through a cookie named after the port with a per-run value", async () => {
    const protectedOg = await startMockServer({ port: 0, adminToken: TOKEN });
    try {
      const host = new URL(protectedOg.url).host;
      const login = await fetch(`${protectedOg.url}/__admin/ui/login`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: `http://${host}`,
          "sec-fetch-site": "same-origin",
        },
        body: `token=${TOKEN}`,
      });
      expect(login.status).toBe(303);
      const cookie = login.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(
        new RegExp(`^og_admin_${protectedOg.port}=[\\w-]+; Path=/__admin; Max-Age=\\d+; HttpOnly; SameSite=Strict$`),
      );
      const jar = cookie.split(";")[0]!;
      expect((await rawRequest(protectedOg.url, "GET", "/__admin/health", { cookie: jar })).status).toBe(200);
      // Another port's cookie of the same value does not count.
      const other = jar.replace(`og_admin_${protectedOg.port}`, "og_admin_1");
      expect((await rawRequest(protectedOg.url, "GET", "/__admin/health", { cookie: other })).status).toBe(401);
      // A cross-site sign-in form is refused.
      const forged = await rawRequest(
        protectedOg.url,
        "POST",
        "/__admin/ui/login",
        { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" },
        `token=${TOKEN}`,
      );
      expect(forged.status).toBe(403);
    } finally {
      await protectedOg.close();
    }
  });

  it("draws the cookie's secret per run: the same token gives another cookie in a fresh run", async () => {
    const first = (await import("../../mock-server/core/admin/admin-token.js")).adminCookieValue(TOKEN);
    vi.resetModules();
    const second = (await import("../../mock-server/core/admin/admin-token.js")).adminCookieValue(TOKEN);
    expect(second).not.toBe(first);
    expect(first).not.toContain(TOKEN);
  });

  it("refuses an empty token: og-mock exits 64, startMockServer throws", async () => {
    expect(() => parseCli(["--admin-token", ""], {})).toThrow(UsageError);
    expect(() => parseCli(["--admin-token="], {})).toThrow(/--admin-token is empty/);
    await expect(startMockServer({ port: 0, adminToken: "" })).rejects.toThrow(/must not be empty/);
    expect(() => parseCli(["--allowed-hosts", "http://x:1"], {})).toThrow(/host names without scheme or port/);
    const cli = parseCli(["--allowed-hosts", "og-mock, .internal"], {});
    expect(cli !== "help" && cli.options.allowedHosts).toEqual(["og-mock", ".internal"]);
  });
});
