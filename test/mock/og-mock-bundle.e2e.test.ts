/**
 * og-mock as installed: the bundle `npm run build` makes (scripts/bundle-og-mock.mjs), built here
 * from the sources under test. The rest of the suite runs og-mock from source; this proves the
 * bundle is the same program: the validators it carries, the admin API (one copy of each module,
 * so it still knows the catalog's errors), the dashboard's files found from where the bundle lives;
 * and its code cache (mock-server/cli/code-cache.ts) only ever makes a start faster.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
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

describe("og-mock's code cache", () => {
  // Each case its own temporary folder (TMPDIR), so that the cache starts as the case says.
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "og-code-cache-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const cacheDir = (dir: string) => join(dir, `og-mock-code-cache-${process.getuid?.() ?? "user"}`);
  const cacheFiles = (dir: string) => readdirSync(cacheDir(dir)).filter((f) => f.endsWith(".bin"));

  /**
   * Starts the bundle with TMPDIR=dir, checks it answers a signed batch (and, with `more`, what
   * else `more` asks), stops it (SIGTERM, as Ctrl-C).
   */
  async function runOnce(dir: string, more?: (url: string) => Promise<void>): Promise<void> {
    const started = await startOgMock(["--log-level", "silent"], { TMPDIR: dir }, BIN);
    try {
      const res = await batch([{ product_id: "og-coffee-beans-1kg", live: false }], started.url);
      expect(res.status).toBe(207);
      await more?.(started.url);
    } finally {
      expect(await started.stop()).toBe(0);
    }
  }

  function freshDir(name: string): string {
    const dir = join(tmp, name);
    mkdirSync(dir);
    return dir;
  }

  it("holds the cold start: what later requests run is not added to it", async () => {
    const dir = freshDir("first-answer");
    await runOnce(dir);
    const path = join(cacheDir(dir), cacheFiles(dir)[0]!);
    const written = statSync(path).mtimeMs;
    // The admin API and the dashboard compile much more than a batch: none of it is kept.
    await runOnce(dir, async (url) => {
      for (const p of ["/__admin/products", "/__admin/journal", "/__admin/ui/", "/__admin/faults"]) {
        expect((await fetch(`${url}${p}`)).status).toBe(200);
      }
    });
    expect(statSync(path).mtimeMs).toBe(written);
  });

  it("is neither made nor replaced by a --low-memory run (its V8 flags would spoil it for the others)", async () => {
    const dir = freshDir("low-memory");
    const lowMemory = async () => {
      const started = await startOgMock(["--log-level", "silent", "--low-memory", "on"], { TMPDIR: dir }, BIN);
      try {
        expect((await batch([{ product_id: "og-coffee-beans-1kg", live: false }], started.url)).status).toBe(207);
      } finally {
        expect(await started.stop()).toBe(0);
      }
    };
    await lowMemory();
    expect(cacheFiles(dir)).toEqual([]);
    await runOnce(dir);
    const path = join(cacheDir(dir), cacheFiles(dir)[0]!);
    const written = statSync(path).mtimeMs;
    await lowMemory();
    expect(statSync(path).mtimeMs).toBe(written);
  });

  it("left by a run that answered nothing, is made again by the first that answers", async () => {
    const dir = freshDir("help-first");
    execFileSync(process.execPath, [BIN, "--help"], { env: { ...process.env, TMPDIR: dir }, stdio: "ignore" });
    const path = join(cacheDir(dir), cacheFiles(dir)[0]!);
    const small = statSync(path).size;
    await runOnce(dir);
    expect(statSync(path).size).toBeGreaterThan(small);
  });

  it("is written by the first run, private to the user, and read, not rewritten, by the next", async () => {
    const dir = freshDir("first");
    await runOnce(dir);
    expect(statSync(cacheDir(dir)).mode & 0o777).toBe(0o700);
    const [file, ...others] = cacheFiles(dir);
    expect(others).toEqual([]);
    expect(file).toMatch(/^[0-9a-f]{16}-node[\d.]+-\w+\.bin$/);
    const path = join(cacheDir(dir), file!);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const written = statSync(path).mtimeMs;
    await runOnce(dir);
    expect(cacheFiles(dir)).toEqual([file]);
    expect(statSync(path).mtimeMs).toBe(written);
  });

  it("removes, when it writes one, the caches not written for 30 days", async () => {
    const dir = freshDir("stale");
    mkdirSync(cacheDir(dir), { mode: 0o700 });
    const stale = join(cacheDir(dir), "0123456789abcdef-node0.0.0-x64.bin");
    const recent = join(cacheDir(dir), "fedcba9876543210-node0.0.0-x64.bin");
    writeFileSync(stale, "old");
    writeFileSync(recent, "newer");
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);
    utimesSync(stale, daysAgo(31), daysAgo(31));
    utimesSync(recent, daysAgo(29), daysAgo(29));
    await runOnce(dir);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(cacheFiles(dir)).toHaveLength(2);
  });

  it("falls back to compiling when the cache is not V8's, and replaces it", async () => {
    const dir = freshDir("corrupt");
    await runOnce(dir);
    const path = join(cacheDir(dir), cacheFiles(dir)[0]!);
    writeFileSync(path, Buffer.alloc(4096, 7));
    await runOnce(dir);
    expect(readFileSync(path).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it("is not read from a file that others can write (or that is a link), even in its own folder", async () => {
    const dir = freshDir("planted");
    await runOnce(dir);
    const path = join(cacheDir(dir), cacheFiles(dir)[0]!);
    // A valid cache, made writable by others: read, it would be used and left as it is.
    chmodSync(path, 0o666);
    const before = statSync(path).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await runOnce(dir);
    expect(statSync(path).mtimeMs).not.toBe(before);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // A link in its place, to a valid cache elsewhere: not followed.
    const elsewhere = join(dir, "elsewhere.bin");
    renameSync(path, elsewhere);
    symlinkSync(elsewhere, path);
    await runOnce(dir);
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
  });

  it("is not used in a folder that others can write", async () => {
    const dir = freshDir("shared");
    mkdirSync(cacheDir(dir));
    chmodSync(cacheDir(dir), 0o777);
    await runOnce(dir);
    expect(cacheFiles(dir)).toEqual([]);
  });

  it("is skipped, silently, when there is no folder to keep it in", async () => {
    // A file where the temporary folder should be: no cache folder can be made under it.
    const file = join(tmp, "not-a-folder");
    writeFileSync(file, "");
    await runOnce(file);
  });
});
