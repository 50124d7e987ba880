/**
 * Admin bodies get the products API's limits: a body nested deeper than 32 levels is a
 * 400 that changes nothing (one posted with an unknown field nested 5,000 levels made every
 * catalog read answer 500 until a reset), and a body over the size limit is a 413; a bad
 * percent-escape in a merchant's path is a 400, not a 500.
 */
import { describe, expect, it } from "vitest";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ maxBodyBytes: 64 * 1024 });
const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

describe("admin bodies", () => {
  it("refuses a body nested past 32 levels on every admin route that takes one, changing nothing", async () => {
    const before = og.running.mock.catalog.size;
    const deep = `[{"product_id":"deep","extra":${nested(5000)}}]`;
    for (const [method, path] of [
      ["POST", "products"],
      ["PUT", "products"],
      ["PATCH", "products/og-coffee-beans-1kg"],
      ["PUT", "faults"],
      ["PATCH", "settings"],
      ["POST", "signature"],
      ["POST", "merchants"],
      ["PUT", "ip-limit"],
    ] as const) {
      const res = await fetch(`${og.url}/__admin/${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: deep,
      });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(await res.json()).toEqual({ detail: "Admin API: the body nests 5002 levels deep; at most 32." });
    }
    expect(og.running.mock.catalog.size).toBe(before);
    expect((await og.request("GET", "/products/?page_size=100")).status).toBe(200);
    expect((await og.admin("GET", "catalog")).status).toBe(200);
  });

  it("refuses an admin body over the size limit with 413", async () => {
    const res = await fetch(`${og.url}/__admin/products`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ product_id: "big", name: "x".repeat(70 * 1024) }]),
    });
    expect(res.status).toBe(413);
  });

  it("answers 400 to a bad percent-escape in a merchant's path", async () => {
    const answer = await og.admin("GET", "merchants/%");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      detail: "Admin API: the public id in the path is not valid percent-encoding.",
    });
  });
});
