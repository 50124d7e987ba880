import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createOrdergrooveMock, ordergrooveHandlers } from "../../mock-server/msw/index.js";

const mock = createOrdergrooveMock({ throttle: false });
const server = setupServer(
  http.get("https://shop.example.com/api/health", () => HttpResponse.json({ ok: true })),
  ...ordergrooveHandlers(mock, {
    baseUrls: ["http://og.test/proxy"],
    ordergrooveHosts: false,
    onUnsupportedRequest: "404",
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describe("ordergrooveHandlers in a project's own setupServer", () => {
  it("serves a base URL with a path prefix, beside the project's own handlers", async () => {
    const own = await fetch("https://shop.example.com/api/health");
    expect(await own.json()).toEqual({ ok: true });
    const res = await fetch("http://og.test/proxy/products-batch/update/", {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
      body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
    });
    expect(res.status).toBe(207);
    expect(mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
  });

  it("answers unsupported routes with the standalone fake's 404 when asked to", async () => {
    const res = await fetch("http://og.test/proxy/subscriptions/");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^Not found: no route for GET \/subscriptions\//);
  });

  it("does not answer production when ordergrooveHosts is false", async () => {
    // MSW's own "[MSW] Error: intercepted a request without a matching request handler" is
    // captured and checked, so a passing run prints nothing.
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(fetch("https://restapi.ordergroove.com/products/x/")).rejects.toThrow();
      expect(printed.mock.calls.flat().join(" ")).toContain("[MSW] Error: intercepted a request without a matching");
    } finally {
      printed.mockRestore();
    }
  });

  it("adds latency from a fault", async () => {
    mock.faults.setLatency(120);
    const started = performance.now();
    await fetch("http://og.test/proxy/products/og-mug/", { headers: { "x-api-key": "og-mock-api-key" } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    mock.faults.clear();
  });

  it("lists the catalog with cursor pagination, next links on the intercepted base URL (prefix kept)", async () => {
    const headers = { "x-api-key": "og-mock-api-key", "x-og-api-version": "2" };
    const ids: string[] = [];
    let url: string | null = "http://og.test/proxy/products/?page_size=10&autoship_enabled=all&allow_discontinued=true";
    while (url !== null) {
      const res: Response = await fetch(url, { headers });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { next: string | null; results: Array<{ external_product_id: string }> };
      ids.push(...page.results.map((p) => p.external_product_id));
      if (page.next !== null) expect(page.next.startsWith("http://og.test/proxy/products/?")).toBe(true);
      url = page.next;
    }
    expect(ids).toHaveLength(mock.catalog.size);
    const group = await fetch("http://og.test/proxy/products/og-coffee-beans-1kg/eligibility/coffee-club", { headers });
    expect(await group.json()).toEqual({ product_has_group: true });
  });
});
