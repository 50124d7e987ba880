/**
 * What Schemathesis found where the fake and its specs disagreed, each held where a
 * user meets it: over HTTP, with the answers checked against the specs by the helper.
 */
import { describe, expect, it } from "vitest";
import { HELP } from "../../mock-server/cli/args.js";
import { useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

const og = useMockServer();
const ALL = "autoship_enabled=all&allow_discontinued=true";

describe("the products API and its spec agree", () => {
  it("filters by every product_type of the spec's ProductType, not a list of its own", async () => {
    og.running.mock.catalog.upsert([{ external_product_id: "digital", product_type: "plan" }]);
    for (const type of ["plan", "dynamic price bundle", "static price bundle"]) {
      const answer = await og.request("GET", `/products/?${ALL}&product_type=${encodeURIComponent(type)}`);
      expect(answer.status, type).toBe(200);
    }
    const plans = await og.request("GET", `/products/?${ALL}&product_type=plan`);
    expect((plans.body as { results: Array<{ external_product_id: string }> }).results).toEqual([
      expect.objectContaining({ external_product_id: "digital" }),
    ]);
  });

  it("reads an unknown X-OG-API-VERSION as none, and any flag value but true as false (as the spec says)", async () => {
    const page = await og.request("GET", "/products/", { headers: { "x-og-api-version": "1" } });
    expect(page.status).toBe(200);
    expect(page.body).toHaveProperty("count");
    const one = await og.request("GET", "/products/og-coffee-beans-1kg/?include_product_free_trials=maybe");
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty("product_free_trial_configurations");
    const forced = await og.request("PATCH", "/products-batch/update/?force_all_fields=yes", {
      body: [{ product_id: "og-coffee-beans-1kg", live: false }],
    });
    expect(forced.status).toBe(207);
  });
});

describe("the admin API refuses what its spec forbids", () => {
  it("refuses fields around the product list and an empty PATCH, changing nothing", async () => {
    const extra = await og.admin("POST", "products", { products: [], unexpected: 1 });
    expect(extra).toMatchObject({
      status: 400,
      body: { detail: "Admin API: invalid products: unexpected: is not a known field." },
    });
    const empty = await og.admin("PATCH", "products/og-coffee-beans-1kg", {});
    expect(empty).toMatchObject({
      status: 400,
      body: { detail: "Admin API: invalid product fields: must name at least 1 field." },
    });
    const unknown = await og.admin("PATCH", "products/og-coffee-beans-1kg", { upsell_eligible: true });
    expect(unknown.status).toBe(400);
    expect(og.running.mock.catalog.size).toBe(24);
  });

  it("caps the per-IP limit and the throttle at 1,000,000 with a plain message", async () => {
    const ip = await og.admin("PUT", "ip-limit", { limit: 1_000_000_000 });
    expect(ip.body).toEqual({ detail: "Admin API: invalid ipLimit: limit: must be <= 1000000." });
    const throttle = await og.admin("PATCH", "settings", { throttle: { limit: 1_000_001 } });
    expect(throttle.body).toEqual({ detail: "Admin API: invalid settings: throttle.limit: must be <= 1000000." });
    expect((await og.admin("PUT", "ip-limit", { limit: 1_000_000 })).status).toBe(200);
    expect((await og.request("GET", "/products/")).status).toBe(200);
    expect((await og.admin("PATCH", "settings", { throttle: { limit: 1_000_000 } })).status).toBe(200);
  });

  it("reads an empty x-og-merchant or ?merchant= as no merchant named", async () => {
    expect((await og.admin("GET", "health", undefined, { "x-og-merchant": "" })).status).toBe(200);
    expect((await og.admin("GET", "health?merchant=")).status).toBe(200);
    expect((await og.admin("GET", "health?merchant=nobody")).status).toBe(404);
  });

  it("answers OPTIONS on the sign-in form with the method it takes", async () => {
    const answer = await rawRequest(og.url, "OPTIONS", "/__admin/ui/login", {});
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST");
  });
});

describe("og-mock --help", () => {
  it("names --ip-limit and --merchants", () => {
    expect(HELP).toMatch(/--ip-limit N\|off/);
    expect(HELP).toMatch(/--merchants FILE/);
  });
});
