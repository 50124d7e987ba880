/**
 * og-mock as installed: the bundle `npm run build` makes (scripts/bundle-og-mock.mjs), built here
 * from the sources under test. The rest of the suite runs og-mock from source; this proves the
 * bundle is the same program: the validators it carries, the admin API (one copy of each module,
 * so it still knows the catalog's errors), the dashboard's files found from where the bundle lives.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../shared/auth/signature.js";
import { ROOT, type Started, startOgMock } from "../helpers/spawn.js";

// Its own folder at the bundle's depth, so that a concurrent `npm start` rebuilding
// dist/mock-server/bin cannot pull files from under it; removed afterwards (npm pack ships dist/).
const OUT = join(ROOT, "dist/mock-server/bin-under-test");
const BIN = join(OUT, "og-mock.js");
const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };

let fake: Started;

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, "scripts/bundle-og-mock.mjs"), OUT], { cwd: ROOT });
  fake = await startOgMock(["--log-level", "warn"], {}, BIN);
}, 30_000);
afterAll(async () => {
  await fake?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

function batch(items: unknown[], url = fake.url): Promise<Response> {
  return fetch(`${url}/products-batch/update/`, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...signedHeaders(CREDS, Math.floor(Date.now() / 1000)) },
    body: JSON.stringify(items),
  });
}

describe("og-mock's bundle (the installed bin)", () => {
  it("answers a signed batch, including an item only the full validator can explain", async () => {
    const res = await batch([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "og-green-tea-100", price: "nine" },
      { product_id: "no-such-product", live: true },
    ]);
    expect(res.status).toBe(207);
    const { results } = (await res.json()) as {
      results: Array<{ product_id: string; status: number; detail?: string }>;
    };
    expect(results.map((r) => r.status)).toEqual([200, 400, 404]);
    expect(results[1]!.detail).toMatch(/price/);
  });

  it("serves the admin API, refusing a bad catalog with the catalog's own 400", async () => {
    // Two products of one id pass the admin spec's schema; the catalog itself refuses them.
    const res = await fetch(`${fake.url}/__admin/products`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { external_product_id: "twice", name: "A" },
        { external_product_id: "twice", name: "B" },
      ]),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/"twice" appears twice/);
    const health = await fetch(`${fake.url}/__admin/health`);
    expect(health.status).toBe(200);
  });

  it("finds the dashboard's files from where the bundle lives", async () => {
    const res = await fetch(`${fake.url}/__admin/ui/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });
});
