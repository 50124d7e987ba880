// The admin API's routes and methods are the admin spec's: every route the spec lists answers
// the methods it lists (never 405) and refuses the others with a 405 whose Allow header names
// exactly them, HEAD wherever GET is. Over HTTP, against og-mock's host.
import { createOrdergrooveMock, handleAdmin } from "ordergroove-stock-kit/mock";
import { describe, expect, it } from "vitest";
import { adminSpec } from "../helpers/admin-spec.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer();
const METHODS = ["GET", "PUT", "POST", "PATCH", "DELETE"] as const;

/** The spec's JSON routes (the dashboard's files and the live stream are served apart), with a sample path. */
const routes = Object.entries(adminSpec.paths as Record<string, Record<string, unknown>>)
  .filter(([path]) => !path.startsWith("/__admin/ui") && path !== "/__admin/journal/stream")
  .map(([path, item]) => ({
    path,
    sample: path.replace("{id}", "og-coffee-beans-1kg").replace("{publicId}", "og-mock-merchant"),
    methods: METHODS.filter((m) => m.toLowerCase() in item),
  }));

describe("the admin API's routes", () => {
  it("are read from the spec: its 12 JSON routes, the merchants' included", () => {
    expect(routes.map((r) => r.path)).toContain("/__admin/merchants/{publicId}");
    expect(routes).toHaveLength(12);
  });

  it.each(routes)("$path takes the spec's methods and refuses the others with 405", async ({ sample, methods }) => {
    const allow = methods.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])).join(", ");
    for (const method of METHODS) {
      // A wrong method is refused before the body is read: no body needed. A listed one may
      // answer 400 for the missing body, never 405. DELETE of the only merchant is refused (409).
      const res = await fetch(`${og.url}${sample}`, {
        method,
        headers: { "content-type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
      if (methods.includes(method)) expect(res.status, `${method} ${sample}`).not.toBe(405);
      else {
        expect(res.status, `${method} ${sample}`).toBe(405);
        expect(res.headers.get("allow")).toBe(allow);
      }
      await res.arrayBuffer();
      og.running.merchants.reset();
    }
  });
});

describe("handleAdmin, one merchant's admin API from ordergroove-stock-kit/mock", () => {
  const mock = createOrdergrooveMock({ journalLimit: 10 });
  it("checks the token first, then answers like og-mock's admin API", () => {
    expect(handleAdmin(mock, { method: "GET", path: "/__admin/health", headers: {} }, { token: "t0ken" }).status).toBe(
      401,
    );
    const ok = handleAdmin(
      mock,
      { method: "GET", path: "/__admin/health", headers: { "x-admin-token": "t0ken" } },
      { token: "t0ken" },
    );
    expect(ok.status).toBe(200);
  });

  it("names HEAD in a 405 as og-mock does, and has no merchants' routes", () => {
    const headers = { "x-admin-token": "t0ken" };
    const head = handleAdmin(mock, { method: "HEAD", path: "/__admin/reset", headers }, { token: "t0ken" });
    expect(head).toMatchObject({ status: 405, headers: { allow: "POST" } });
    expect((head.body as { detail: string }).detail).toBe(
      'Method "HEAD" not allowed on /__admin/reset; allowed: POST.',
    );
    const merchants = handleAdmin(mock, { method: "GET", path: "/__admin/merchants", headers }, { token: "t0ken" });
    expect(merchants.status).toBe(404);
  });

  it("refuses a body nested past the journal's depth, changing nothing", () => {
    const nested = `${"[".repeat(40)}${"]".repeat(40)}`;
    const deep = `[{"external_product_id": "x", "name": "X", "price": "1.00", "extra": ${nested}}]`;
    const headers = { "x-admin-token": "t0ken", "content-type": "application/json" };
    const answer = handleAdmin(
      mock,
      { method: "PUT", path: "/__admin/products", headers, body: deep },
      { token: "t0ken" },
    );
    expect(answer.status).toBe(400);
    expect(mock.catalog.size).toBe(24);
  });
});
