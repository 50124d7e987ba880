/**
 * A real headless browser for the UI tests: Debian's chromium driven by playwright-core. Without
 * /usr/bin/chromium the tests are skipped locally (`browserTestsRun` false, the reason printed);
 * under CI=true they run regardless and fail if the browser is missing (.ci/run installs it).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type LaunchOptions, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const browserTestsRun = existsSync(CHROMIUM) || process.env.CI === "true";

/** Says once, for a skipped file, why its browser tests did not run. */
export function sayWhySkipped(what: string): void {
  if (!browserTestsRun) console.log(`Skipping ${what}: ${CHROMIUM} is not installed (apt-get install chromium).`);
}

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

export interface BrowserPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions in the page, as they happen: a test expects none. */
  problems: string[];
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/** A fresh browser profile (a temporary folder named after `name`) and its first page, 15 s timeouts. */
export async function openBrowserPage(
  name: string,
  options: { viewport?: { width: number; height: number }; extraArgs?: string[] } = {},
): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), `og-${name}-`));
  const launch: LaunchOptions & { viewport?: { width: number; height: number } } = {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...(options.extraArgs ?? [])],
    ...(options.viewport ? { viewport: options.viewport } : {}),
  };
  const context = await chromium.launchPersistentContext(profile, launch);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
