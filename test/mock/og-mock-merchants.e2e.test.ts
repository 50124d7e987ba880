import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run, type Started, startOgMock } from "../helpers/spawn.js";

let started: Started | undefined;
afterEach(async () => {
  await started?.stop();
  started = undefined;
});

async function file(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "og-merchants-"));
  const path = join(dir, "merchants.json");
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("og-mock --merchants", () => {
  it("serves every merchant of the file, prints ids and counts but never a key, and takes --ip-limit", async () => {
    const path = await file({
      merchants: [
        { publicId: "acme", apiUsers: [{ sigField: "acme-api", hashKey: "acme-secret-hash" }] },
        { publicId: "globex", apiKeys: ["globex-secret-key"], products: [{ product_id: "g-1" }] },
      ],
      ipLimit: false,
    });
    started = await startOgMock(["--merchants", path, "--ip-limit", "3", "--log-level", "silent"]);
    const out = started.output();
    expect(out).toContain("acme: 24 products, API users acme-api, 0 API key(s)");
    expect(out).toContain("globex: 1 product, no API user, 1 API key(s)");
    expect(out).not.toMatch(/secret/);
    const get = () => fetch(`${started!.url}/products/g-1/`, { headers: { "x-api-key": "globex-secret-key" } });
    // --ip-limit wins over the file's `false`.
    expect([(await get()).status, (await get()).status, (await get()).status, (await get()).status]).toEqual([
      200, 200, 200, 429,
    ]);
    const admin = await fetch(`${started.url}/__admin/merchants`);
    expect(((await admin.json()) as { merchants: unknown[] }).merchants).toHaveLength(2);
  });

  it("does not start on a bad file, and says what is wrong field by field", { timeout: 60_000 }, async () => {
    const path = await file({ merchants: [{ publicId: "acme", apiKeys: ["dup-secret-key"], extra: 1 }] });
    const og = (...args: string[]) => run("mock-server/cli/bin.ts", ["--port", "0", ...args], { timeoutMs: 40_000 });
    const [bad, mixed] = await Promise.all([og("--merchants", path), og("--merchants", path, "--api-key", "k")]);
    expect(bad.stderr).toContain(
      `Failed to read the merchants file ${path}: it does not match spec/merchants.schema.json:`,
    );
    expect(bad.stderr).toContain("merchants[0].extra: is not a known field");
    expect(mixed.stderr).toContain("--merchants gives every merchant its own credentials; drop --api-key");
    for (const r of [bad, mixed]) {
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).not.toContain("og-mock listening");
      expect(r.stdout + r.stderr).not.toContain("dup-secret-key");
    }
  });
});
