/**
 * The dashboard of a proxying og-mock (issue 37, points 4 and 6), in a real headless browser: the
 * journal view shows who answered and how many violations the upstream's answer has, their
 * messages on hover and in the entry's details, and a body the upstream sent with markup in it
 * is shown as text, never run. Skipped like dashboard.browser.test.ts when /usr/bin/chromium is
 * missing (not under CI=true).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningMockServer } from "../../mock-server/node/server.js";
import { type BrowserPage, browserTestsRun, openBrowserPage } from "../helpers/browser.js";
import { type RogueUpstream, startRogueUpstream, startProxy } from "../proxy/upstreams.js";

describe.skipIf(!browserTestsRun)("the dashboard of og-mock --upstream", () => {
  let browser: BrowserPage;
  let page: Page;
  let problems: string[];
  let rogue: RogueUpstream;
  let proxy: RunningMockServer;

  beforeAll(async () => {
    rogue = await startRogueUpstream();
    proxy = await startProxy(rogue.url);
    browser = await openBrowserPage("dashboard-proxy");
    ({ page, problems } = browser);
    page.on("dialog", (dialog) => {
      problems.push(`a dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await rogue?.close();
  });

  it("shows the source and the violations of a proxied exchange, as text", { timeout: 60_000 }, async () => {
    await page.goto(`${proxy.url}/__admin/ui/#journal`);
    await page.locator(".stream-live").waitFor();
    const markup = '<img src=x onerror="alert(1)">';
    await fetch(`${proxy.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { "x-api-key": "og-mock-api-key", "content-type": "application/json" },
      body: JSON.stringify([{ product_id: markup, live: false }]),
    }).then((r) => r.text());
    const rows = page.locator("#journal-table tr.entry");
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.locator(".source").textContent()).toBe(" real");
    expect(await row.locator(".violations").textContent()).toMatch(/^ \d+ violations?$/);
    expect(await row.locator(".violations").getAttribute("title")).toContain("was sent but not answered");
    await row.click();
    const details = page.locator("#journal-table tr.details pre");
    expect(await details.textContent()).toContain('"violations"');
    expect(await details.textContent()).toContain(JSON.stringify(markup).slice(1, -1));
    expect(await page.locator("#journal-table img").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
