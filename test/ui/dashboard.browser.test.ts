/**
 * The dashboard in a real headless browser (Debian's chromium, driven by playwright-core): sign
 * in, watch signed requests arrive in the live journal, toggle a product and read it back through
 * the products API, set a fault and see the next request fail, debug a signature. Any console
 * error or uncaught exception in the page fails the test. Each view's screenshot is saved under
 * test-results/ui/ (UPDATE_SCREENSHOT=1 also refreshes docs/dashboard.png for README).
 *
 * Without /usr/bin/chromium the file is skipped locally, with the reason printed; under CI=true
 * it runs regardless, and fails if the browser is missing (.ci/run installs it).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminCookieValue } from "../../mock-server/core/admin/admin-token.js";
import { startMockServer } from "../../mock-server/node/server.js";
import { signedHeaders } from "../../shared/auth/signature.js";
import { type BrowserPage, browserTestsRun, openBrowserPage, sayWhySkipped } from "../helpers/browser.js";
import { CREDS, useMockServer } from "../helpers/mock-server.js";
import { ROOT } from "../helpers/spawn.js";

const TOKEN = "dashboard-test-token";
const SHOTS = join(ROOT, "test-results/ui");
sayWhySkipped("the dashboard's browser tests");

const og = useMockServer({ adminToken: TOKEN, throttle: false });
/** Waits for the page to catch up: generous, because the machine running the tests may be busy. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe.skipIf(!browserTestsRun)("the dashboard in a real browser", () => {
  let browser: BrowserPage;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await openBrowserPage("dashboard-chromium", {
      viewport: { width: 1280, height: 760 },
      extraArgs: ["--disable-quic", "--disable-component-update", "--disable-sync"],
    });
    ({ context, page, problems } = browser);
    // Signed in for every test (the first one signs in through the form itself).
    await context.addCookies([
      { name: `og_admin_${og.running.port}`, value: adminCookieValue(TOKEN), url: `${og.url}/__admin/` },
    ]);
  });

  afterEach(() => {
    expect(problems.splice(0), "the page logged errors").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (view: string) => {
    await page.goto("about:blank"); // a fresh page each time, not just another #view of the same one
    await page.goto(`${og.url}/__admin/ui/#${view}`);
    await page.locator(".stream-live").waitFor();
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  it("asks for the admin token, then opens with the live journal connected", async () => {
    await context.clearCookies();
    await page.goto(`${og.url}/__admin/ui/`);
    await page.getByLabel("Admin token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".stream-live").waitFor();
    expect(page.url()).toBe(`${og.url}/__admin/ui/`);
    const cookies = await context.cookies(`${og.url}/__admin/ui/`);
    expect(cookies.find((c) => c.name === `og_admin_${og.running.port}`)).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
    expect(JSON.stringify(cookies)).not.toContain(TOKEN);
  });

  it("shows signed requests as they arrive: auth verdict, per-item results, filters", async () => {
    await open("journal");
    await og.patchBatch([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "ghost", live: false },
      { product_id: "og-green-tea-100", live: "no" },
    ]);
    await og.patchBatch([{ product_id: "og-coffee-beans-1kg", live: true }], {
      auth: "none",
      headers: { "x-api-key": "not-a-key" },
    });
    const rows = page.locator("#journal-table tr.entry");
    await poll(() => rows.count()).toBe(2);
    const signed = rows.nth(1);
    await poll(() => signed.locator(".auth").textContent()).toBe(`HMAC · ${CREDS.sigField}`);
    expect(await signed.locator(".chip").allTextContents()).toEqual([
      "og-coffee-beans-1kg 200",
      "ghost 404",
      "og-green-tea-100 400",
    ]);
    expect(await signed.locator(".chip").evaluateAll((els) => els.map((e) => e.className))).toEqual([
      "chip i-ok",
      "chip i-missing",
      "chip i-bad",
    ]);
    const refused = rows.nth(0);
    expect(await refused.locator(".auth").textContent()).toContain("refused: Invalid API key");
    expect(await refused.locator(".badge").textContent()).toBe("403");

    await page.locator("#journal-status").fill("4xx");
    await poll(() => rows.count()).toBe(1);
    await page.locator("#journal-status").fill("");
    await page.locator("#journal-product").fill("ghost");
    await poll(() => rows.count()).toBe(1);
    await page.locator("#journal-product").fill("");
    await poll(() => rows.count()).toBe(2);

    // The details are the journal's, secrets masked.
    await refused.click();
    const details = await page.locator("tr.details pre").textContent();
    expect(details).toContain('"x-api-key": "[redacted]"');
    expect(details).not.toContain("not-a-key");
    await shot("journal");
  });

  it("toggles a product and shows what the fake reads back", async () => {
    await open("catalog");
    await page.locator("#catalog-search").fill("green tea");
    const row = page.locator('#catalog-table tr[data-id="og-green-tea-100"]');
    await poll(() => page.locator("#catalog-table tbody tr").count()).toBe(1);
    expect(await row.locator(".badge").textContent()).toBe("live");
    await row.getByRole("button", { name: "Turn off og-green-tea-100" }).click();
    await poll(() => row.locator(".badge").textContent()).toBe("not live");
    // Changed while the fake runs: its date is no longer the seed's, and says so.
    await poll(() => row.locator(".last-update").textContent()).not.toContain("(seed)");
    expect((await og.request("GET", "/products/og-green-tea-100/")).body).toMatchObject({ live: false });
    await poll(() => page.locator("#catalog-counts").textContent()).toContain("20 live");
    // A request from a service changes it back: the open view follows.
    await og.patchBatch([{ product_id: "og-green-tea-100", live: true }]);
    await poll(() => row.locator(".badge").textContent()).toBe("live");
    await page.locator("#catalog-search").fill("");
    await poll(() => page.locator("#catalog-table tbody tr").count()).toBe(24);
    // Products nobody changed show the seed's date, marked as the seed's.
    expect(await page.locator("#catalog-table .last-update", { hasText: "(seed)" }).count()).toBeGreaterThan(0);
    await shot("catalog");
  });

  it("sets faults and settings that the next requests meet", async () => {
    await open("faults");
    await page.locator("#fail-status").fill("503");
    await page.locator("#fail-count").fill("1");
    await page.locator("#add-failure").click();
    await poll(() => page.locator("#fail-list").textContent()).toContain("503");
    await page.locator("#item-match").fill("og-coffee-*");
    await page.locator("#item-status").selectOption("404");
    await page.locator("#add-item-rule").click();
    await poll(() => page.locator("#item-list").textContent()).toContain("og-coffee-*");
    await page.locator("#answer-form").selectOption("list");
    await page.locator("#apply-answer").click();
    await expect
      .poll(async () => (await og.admin("GET", "settings", undefined, { "x-admin-token": TOKEN })).body)
      .toMatchObject({
        answer: { batchForm: "list" },
      });
    await shot("faults");

    const failed = await og.patchBatch([{ product_id: "og-green-tea-100", live: false }]);
    expect(failed.status).toBe(503);
    const next = await og.patchBatch([{ product_id: "og-coffee-beans-1kg", live: false }]);
    expect(next.status).toBe(207);
    expect(next.body).toEqual([
      { results: [{ product_id: "og-coffee-beans-1kg", status: 404, detail: "forced by a fault rule (404)" }] },
    ]);
    await poll(() => page.locator("#fail-list").textContent()).toContain("None pending.");

    await page.locator("#reset").click();
    await poll(() => page.locator("#item-list").textContent()).toContain("No rules.");
    const after = await og.patchBatch([{ product_id: "og-coffee-beans-1kg", live: false }]);
    expect(after.body).toEqual({ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] });
  });

  it("debugs a signature: a pasted header, and Ordergroove's printed example", async () => {
    await open("signature");
    const header = signedHeaders(CREDS, Math.floor(og.clock.now() / 1000)).authorization;
    await page.locator("#sig-header").fill(`authorization: ${header}`);
    await page.locator("#sig-explain").click();
    await poll(() => page.locator("#sig-verdict").textContent()).toContain("Accepted by the fake now");
    expect(await page.locator("#sig-output").textContent()).toContain("(made with the fake's own key: not shown)");
    expect(await page.content()).not.toContain(CREDS.hashKey);

    // Signed for ts - 1, sent with ts (a client that reads the clock twice): named as such.
    const ts = Math.floor(og.clock.now() / 1000);
    const early = JSON.parse(signedHeaders(CREDS, ts - 1).authorization) as Record<string, unknown>;
    await page.locator("#sig-clear").click();
    await page.locator("#sig-header").fill(JSON.stringify({ ...early, ts }));
    await page.locator("#sig-explain").click();
    await poll(() => page.locator("#sig-output").textContent()).toContain(
      "this signature is valid for ts - 1: your client reads the clock twice",
    );

    await page.locator("#sig-clear").click();
    await page.locator("#sig-example").click();
    await poll(() => page.locator("#sig-note").textContent()).toContain("does not reproduce");
    expect(await page.locator("#sig-output").textContent()).toContain("IYLYdrP/HAob0aCu54DIXrfqqOx3S7cgCIZeqv8Ai8o=");
    await shot("signature");
  });

  it("searches a 100k catalog on the server, a page at a time", async () => {
    // A fake of its own (same admin token, its own port's sign-in cookie), seeded before it listens:
    // seeding blocks this process for seconds, which pooled connections to a running fake may not survive.
    const big = await startMockServer({
      port: 0,
      adminToken: TOKEN,
      products: Array.from({ length: 100_000 }, (_, i) => ({
        external_product_id: `sku-${String(i).padStart(6, "0")}`,
        live: i % 4 !== 0,
      })),
    });
    try {
      await context.addCookies([
        { name: `og_admin_${big.port}`, value: adminCookieValue(TOKEN), url: `${big.url}/__admin/` },
      ]);
      await page.goto("about:blank");
      await page.goto(`${big.url}/__admin/ui/#catalog`);
      await poll(() => page.locator("#catalog-counts").textContent()).toContain("100,000 products");
      expect(await page.locator("#catalog-table tbody tr").count()).toBe(50);
      await page.locator("#catalog-search").fill("sku-09999");
      await poll(() => page.locator("#catalog-table tbody tr").count()).toBe(10);
      await page.locator("#catalog-live").selectOption("false");
      await poll(() => page.locator("#catalog-table tbody tr").count()).toBe(2); // 099992, 099996
      await shot("catalog-100k");
      await page.goto("about:blank"); // closes the page's live journal before the fake goes
    } finally {
      await big.close();
    }
  }, 60_000); // seeding 100k validated products takes seconds on a busy machine

  it("draws README's picture: a journal of a typical debugging session", async () => {
    await open("journal");
    const ts = Math.floor(og.clock.now() / 1000);
    await og.patchBatch([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "og-green-tea-100", live: false },
    ]);
    await og.patchBatch([{ product_id: "og-dog-food-12kg", live: false }], { auth: "api-key" });
    await og.patchBatch([{ product_id: "og-dog-food-12kg", live: true }], {
      headers: signedHeaders(CREDS, ts - 3 * 3600),
    });
    await og.patchBatch([{ product_id: "og-cat-litter-10l", live: false }], {
      headers: { ...signedHeaders({ ...CREDS, hashKey: "a-wrong-key" }, ts) },
    });
    await og.admin("PUT", "faults", { next: [{ status: 503 }] }, { "x-admin-token": TOKEN });
    await og.patchBatch([{ product_id: "og-cat-litter-10l", live: false }]);
    await og.patchBatch([
      { product_id: "og-cat-litter-10l", live: false },
      { product_id: "og-cat-litter-5l", live: false },
      { product_id: "og-razor-blades-8", lve: false },
    ]);
    await og.request("GET", "/products/og-cat-litter-10l/", { auth: "api-key" });
    await poll(() => page.locator("#journal-table tr.entry").count()).toBe(7);
    await shot("overview");
    // `UPDATE_SCREENSHOT=1 npx vitest run test/ui/` refreshes the picture README shows.
    if (process.env.UPDATE_SCREENSHOT)
      await page.screenshot({ path: join(ROOT, "docs/dashboard.png"), clip: { x: 0, y: 0, width: 1280, height: 580 } });
  });
});
