import { describe, expect, it, vi } from "vitest";
import { Catalog } from "../../mock-server/core/products/catalog.js";
import { defaultCatalog } from "../../mock-server/core/products/default-catalog.js";
import { type Answer, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer();

interface Page {
  count?: number;
  next: string | null;
  previous: string | null;
  results: Array<{ external_product_id: string; live: boolean }>;
}

const V2 = { "x-og-api-version": "2" };
const ALL = "autoship_enabled=all&allow_discontinued=true";

async function list(query: string, cursor = true, auth: "hmac" | "api-key" = "hmac"): Promise<Answer & { page: Page }> {
  const answer = await og.request("GET", `/products/?${query}`, { headers: cursor ? V2 : {}, auth });
  return { ...answer, page: answer.body as Page };
}

/** Follows next links from the first page; the path and query of each link, not its host, go to the test server. */
async function walk(query: string, between?: (page: number) => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let path: string | null = `/products/?${query}`;
  for (let n = 0; path !== null; n++) {
    const answer = await og.request("GET", path, { headers: V2 });
    expect(answer.status).toBe(200);
    const page = answer.body as Page;
    ids.push(...page.results.map((p) => p.external_product_id));
    if (between) await between(n);
    path = page.next === null ? null : new URL(page.next).pathname + new URL(page.next).search;
  }
  return ids;
}

describe("GET /products/ with cursor pagination (X-OG-API-VERSION: 2)", () => {
  it("answers 10 products by default, no count, an absolute next URL on the request's host and no previous", async () => {
    const { status, page } = await list("");
    expect(status).toBe(200);
    expect(page.results).toHaveLength(10);
    expect(page).not.toHaveProperty("count");
    expect(page.previous).toBeNull();
    const next = new URL(page.next!);
    expect(next.origin).toBe(og.url);
    expect(next.pathname).toBe("/products/");
    expect(next.searchParams.get("cursor")).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("lists by default only autoship-enabled, not discontinued products; autoship_enabled=all&allow_discontinued=true lists all", async () => {
    const defaults = await walk("page_size=100");
    expect(defaults).not.toContain("og-discontinued-mints");
    expect(defaults).toHaveLength(defaultCatalog.length - 1);
    const all = await walk(`${ALL}&page_size=100`);
    expect(all).toEqual(defaultCatalog.map((p) => p.external_product_id));
  });

  it("caps page_size at 100 and ignores an invalid one, as Django REST framework does", async () => {
    await og.running.mock.catalog.upsert(
      Array.from({ length: 150 }, (_, i) => ({ external_product_id: `bulk-${i}`, name: `Bulk ${i}` })),
    );
    expect((await list("page_size=500")).page.results).toHaveLength(100);
    expect((await list("page_size=abc")).page.results).toHaveLength(10);
    expect((await list("page_size=0")).page.results).toHaveLength(10);
  });

  it("walks forward and back: previous of the second page is the first page", async () => {
    const first = await list(`${ALL}&page_size=5`);
    const second = await og.request("GET", pathOf(first.page.next!), { headers: V2 });
    const back = await og.request("GET", pathOf((second.body as Page).previous!), { headers: V2 });
    expect((back.body as Page).results).toEqual(first.page.results);
    expect((back.body as Page).previous).toBeNull();
    expect(pathOf((back.body as Page).next!)).toBe(pathOf(first.page.next!));
  });

  it("keeps the filters in next links and ends with next null", async () => {
    const ids = await walk("live=false&page_size=1&autoship_enabled=all&allow_discontinued=true");
    expect(ids).toEqual(defaultCatalog.filter((p) => p.live === false).map((p) => p.external_product_id));
  });

  it("never repeats or skips a product while other requests flip live flags and add products during the walk", async () => {
    const seed = Array.from({ length: 300 }, (_, i) => ({
      external_product_id: `walk-${String(i).padStart(3, "0")}`,
      name: `Walk ${i}`,
      live: i % 2 === 0,
    }));
    expect((await og.admin("POST", "products", seed)).status).toBe(200);
    const before = defaultCatalog.map((p) => p.external_product_id);
    let added = 0;
    const seen = await walk(`${ALL}&page_size=7`, async (n) => {
      // Between pages: flip products already seen, ahead and behind, and add new ones at the end.
      const flips = [n * 7, n * 7 + 3, n * 7 + 20, 299 - n].filter((i) => i < 300);
      const flip = await og.patchBatch(
        flips.map((i) => ({ product_id: seed[i]!.external_product_id, live: n % 2 === 0 })),
      );
      expect(flip.status).toBe(207);
      if (n < 10) {
        const created = await og.request("POST", "/products-batch/create/", {
          body: [{ product_id: `new-${n}`, name: `New ${n}`, price: "1.00" }],
        });
        expect(created.status).toBe(207);
        added++;
      }
    });
    expect(new Set(seen).size).toBe(seen.length); // nothing twice
    // Nothing skipped, in order; products added during the walk come at the end.
    expect(seen.slice(0, before.length + 300)).toEqual([...before, ...seed.map((p) => p.external_product_id)]);
    expect(seen.slice(before.length + 300)).toEqual(Array.from({ length: added }, (_, i) => `new-${i}`));
  });

  it("answers 404 Invalid cursor for a made-up cursor and for one from before a reset", async () => {
    expect((await list("cursor=bm9wZQ")).status).toBe(404);
    expect((await list("cursor=bm9wZQ")).body).toEqual({ detail: "Invalid cursor" });
    const first = await list("page_size=2");
    await og.admin("POST", "reset");
    expect((await og.request("GET", pathOf(first.page.next!), { headers: V2 })).status).toBe(404);
  });
});

describe("GET /products/ filters", () => {
  const ids = async (query: string) =>
    (await list(`${query}&page_size=100`)).page.results.map((p) => p.external_product_id);

  it("external_product_ids[] (repeated) lists those products in catalog order; unknown ids are left out", async () => {
    expect(
      await ids(
        "external_product_ids[]=og-granola-500g&external_product_ids[]=og-coffee-beans-1kg&external_product_ids[]=nope",
      ),
    ).toEqual(["og-coffee-beans-1kg", "og-granola-500g"]);
  });

  it("live, product_type, autoship_by_default", async () => {
    expect(await ids("live=false")).toEqual(["166603786142092352", "og-hand-soap-refill-1l"]);
    expect(await ids("product_type=club")).toEqual(["og-snack-club"]);
    expect(await ids("autoship_by_default=true")).toEqual(["og-granola-500g"]);
  });

  it("search with fields, and id_or_name", async () => {
    expect(await ids("search=COF-&fields=sku")).toEqual(["og-coffee-beans-1kg", "og-coffee-beans-250g"]);
    expect(await ids("search=coffee&fields=name")).toHaveLength(3);
    expect(await ids("search=protein")).toEqual(["og-protein-vanilla-2kg", "og-protein-chocolate-2kg"]);
    expect(await ids("id_or_name=og-snack-club")).toEqual(["og-snack-club"]);
    expect(await ids("id_or_name=granola")).toEqual(["og-breakfast-bundle", "og-granola-500g"]);
  });

  it("group_name and group_type", async () => {
    expect(await ids("group_name=coffee-club")).toEqual([
      "og-coffee-beans-1kg",
      "og-coffee-beans-250g",
      "og-espresso-pods-50",
    ]);
    expect(await ids("group_type=incentive")).toEqual(["og-granola-500g"]);
    expect(await ids("group_name=coffee-club&group_type=incentive")).toEqual([]);
  });

  it("allow_discontinued=strict lists only discontinued products; autoship_enabled=false only autoship-disabled ones", async () => {
    expect(await ids("allow_discontinued=strict")).toEqual(["og-discontinued-mints"]);
    await og.running.mock.catalog.upsert([{ external_product_id: "manual-only", name: "x", autoship_enabled: false }]);
    expect(await ids("autoship_enabled=false")).toEqual(["manual-only"]);
  });

  it.each([
    ["live=maybe", 'Invalid filter live="maybe": expected one of true, false.'],
    [
      "product_type=widget",
      'Invalid filter product_type="widget": expected one of standard, bundle, club, dynamic price bundle, static price bundle, plan.',
    ],
    ["group_type=vip", 'Invalid filter group_type="vip": expected one of eligibility, incentive, sku_swap.'],
    ["search=x&fields=price", 'Invalid filter fields="price": expected one of name, sku, external_product_id.'],
    ["autoship_enabled=yes", 'Invalid filter autoship_enabled="yes": expected one of all, false.'],
  ])("refuses %s with 400 and says why", async (query, message) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ detail: message });
  });
});

describe("GET /products/ without the header: the page-number form every public client uses", () => {
  it("answers {count, next, previous, results} with page links", async () => {
    const first = await list("page_size=10", false);
    expect(first.page.count).toBe(defaultCatalog.length - 1);
    expect(first.page.results).toHaveLength(10);
    expect(new URL(first.page.next!).searchParams.get("page")).toBe("2");
    const third = await list("page_size=10&page=3", false);
    expect(third.page.results).toHaveLength(3);
    expect(third.page.next).toBeNull();
    expect(new URL(third.page.previous!).searchParams.get("page")).toBe("2");
  });

  it("walks the catalog once for a whole page-by-page listing, and again only after the catalog changed", async () => {
    const walks = vi.spyOn(Catalog.prototype, "walk");
    try {
      const first = await list("page_size=10&live=true", false);
      const second = await list("page_size=10&live=true&page=2", false);
      expect(walks).toHaveBeenCalledTimes(1);
      expect(second.page.count).toBe(first.page.count);
      // A product leaves the filter: the next page is counted afresh and reads the change.
      const gone = first.page.results[0]!.external_product_id;
      expect((await og.patchBatch([{ product_id: gone, live: false }])).status).toBe(207);
      const after = await list("page_size=10&live=true", false);
      expect(walks).toHaveBeenCalledTimes(2);
      expect(after.page.count).toBe(first.page.count! - 1);
      expect(after.page.results.map((p) => p.external_product_id)).not.toContain(gone);
    } finally {
      walks.mockRestore();
    }
  });

  it("answers 404 Invalid page. past the last page", async () => {
    const answer = await list("page=9", false);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ detail: "Invalid page." });
  });

  it("asks for credentials like every product route", async () => {
    const answer = await og.request("GET", "/products/", { auth: "none" });
    expect(answer.status).toBe(403);
  });
});

describe("GET /products/{id}/{group_type}/{group_name} (no trailing slash)", () => {
  it("answers product_has_group true or false", async () => {
    const yes = await og.request("GET", "/products/og-coffee-beans-1kg/eligibility/coffee-club");
    expect(yes).toMatchObject({ status: 200, body: { product_has_group: true } });
    const no = await og.request("GET", "/products/og-coffee-beans-1kg/incentive/coffee-club");
    expect(no).toMatchObject({ status: 200, body: { product_has_group: false } });
  });

  it("answers 404 for an unknown product and points out a trailing slash", async () => {
    expect((await og.request("GET", "/products/nope/eligibility/coffee-club")).status).toBe(404);
    const slash = await og.request("GET", "/products/og-coffee-beans-1kg/eligibility/coffee-club/");
    expect(slash.status).toBe(404);
    expect((slash.body as { detail: string }).detail).toContain("The group check has no trailing slash");
  });
});

describe("GET /product_groups/ (Application API scope only)", () => {
  it("lists the catalog's groups with x-api-key", async () => {
    const answer = await og.request("GET", "/product_groups/", { auth: "api-key" });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      count: 2,
      next: null,
      previous: null,
      results: [
        { name: "coffee-club", group_type: "eligibility" },
        { name: "breakfast-upsell", group_type: "incentive" },
      ],
    });
  });

  it("refuses an HMAC signature, saying the endpoint takes x-api-key only", async () => {
    const answer = await og.request("GET", "/product_groups/");
    expect(answer.status).toBe(403);
    expect((answer.body as { detail: string }).detail).toContain("Application API scope only");
  });
});

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
