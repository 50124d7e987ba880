/**
 * The dashboard of a fake with several merchants, in a real headless browser: a merchant picker
 * in the header, and every view (catalog, live journal) about the merchant picked.
 * Skipped like dashboard.browser.test.ts when /usr/bin/chromium is missing (not under CI=true).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserPage, browserTestsRun, openBrowserPage } from "../helpers/browser.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({
  throttle: false,
  merchants: [
    { credentials: { publicId: "acme", apiUsers: [], apiKeys: ["acme-key"] } },
    {
      credentials: { publicId: "globex", apiUsers: [], apiKeys: ["globex-key"] },
      products: [{ product_id: "globex-lamp", name: "Desk lamp", price: "19.00" }],
    },
  ],
});

describe.skipIf(!browserTestsRun)("the dashboard with several merchants", () => {
  let browser: BrowserPage;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await openBrowserPage("dashboard-merchants");
    ({ page, problems } = browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("picks a merchant in the header; catalog and live journal are that merchant's", { timeout: 60_000 }, async () => {
    await page.goto(`${og.url}/__admin/ui/#catalog`);
    await page.locator(".stream-live").waitFor();
    const picker = page.getByLabel("Merchant");
    await expect.poll(() => picker.isVisible()).toBe(true);
    expect(await picker.locator("option").allTextContents()).toEqual(["acme", "globex"]);
    await expect.poll(() => page.locator("#catalog-table tbody tr").count()).toBe(24); // acme: the demo catalog

    await picker.selectOption("globex");
    await page.waitForURL(/\?merchant=globex#catalog$/);
    await page.locator(".stream-live").waitFor();
    await expect.poll(() => page.locator("#catalog-table tbody tr").count()).toBe(1);
    expect(await page.locator('#catalog-table tr[data-id="globex-lamp"]').count()).toBe(1);

    await page.goto(`${og.url}/__admin/ui/?merchant=globex#journal`);
    await page.locator(".stream-live").waitFor();
    await og.patchBatch([{ product_id: "og-coffee-beans-1kg", live: false }], {
      auth: "none",
      headers: { "x-api-key": "acme-key" },
    });
    await og.patchBatch([{ product_id: "globex-lamp", live: false }], {
      auth: "none",
      headers: { "x-api-key": "globex-key" },
    });
    const rows = page.locator("#journal-table tr.entry");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator(".chip").allTextContents()).toEqual(["globex-lamp 200"]);
    expect(problems).toEqual([]);
  });
});
