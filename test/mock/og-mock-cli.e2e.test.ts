import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ROOT, run, type Started, startOgMock } from "../helpers/spawn.js";

const sh = promisify(execFile);
let started: Started | undefined;
afterEach(async () => {
  await started?.stop();
  started = undefined;
});

describe("og-mock, the standalone fake", () => {
  it("starts on 127.0.0.1, prints URL, credentials and curls that succeed as pasted", async () => {
    started = await startOgMock(["--log-level", "silent"]);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const out = started.output();
    expect(out).toContain("public_id og-mock-merchant");
    expect(out).toContain("sig_field og-mock-api-user, hash key og-mock-hash-key");
    expect(out).toContain("x-api-key:    og-mock-api-key");
    expect(out).toContain(`Dashboard: ${started.url}/__admin/ui/\n`);
    expect(out).toContain("  catalog:      24 products (GET");
    expect(out).not.toContain("settings:"); // all defaults: nothing to warn about
    const dashboard = await fetch(`${started.url}/__admin/ui/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("<title>og-mock dashboard</title>");
    const curls = out.split("\n").filter((l) => l.trim().startsWith("curl "));
    expect(curls).toHaveLength(2);
    for (const curl of curls) {
      const { stdout } = await sh("sh", ["-c", curl.trim()]);
      expect(JSON.parse(stdout)).toEqual({ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] });
    }
  });

  it("stops cleanly on SIGTERM and SIGINT", async () => {
    started = await startOgMock(["--log-level", "silent"]);
    expect(await started.stop("SIGTERM")).toBe(0);
    started = await startOgMock(["--log-level", "silent"]);
    expect(await started.stop("SIGINT")).toBe(0);
  });

  it("takes flags for catalog, credentials, answer form, throttle and faults, and never prints keys it was given", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-mock-"));
    const catalog = join(dir, "catalog.json");
    await writeFile(catalog, JSON.stringify({ products: [{ product_id: "sku-1", name: "One", price: "1.00" }] }));
    started = await startOgMock(
      [
        "--catalog",
        catalog,
        "--sig-field",
        "me",
        "--hash-key",
        "my-private-hash-key",
        "--form",
        "list",
        "--status",
        "200",
        "--throttle",
        "2",
        "--item-status",
        "sku-9*=400",
        "--log-level",
        "info",
      ],
      { OG_MOCK_API_KEY: "my-private-api-key", OG_MOCK_PUBLIC_ID: "shop-42" },
    );
    const out = started.output();
    expect(out).toContain("  catalog:      1 product (GET");
    // Answers that differ from the docs' examples are said first.
    expect(out.split("\n")[1]).toBe(
      "  settings:     answer.batchStatus=200, answer.batchForm=list, throttle=2 per 60 s (not the defaults; GET /__admin/settings shows all)",
    );
    expect(out).toContain("public_id shop-42");
    expect(out).toContain("hash key (the hash key you gave)");
    expect(out).not.toContain("my-private-hash-key");
    expect(out).not.toContain("my-private-api-key");
    const send = () =>
      fetch(`${started!.url}/products-batch/update/`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-api-key": "my-private-api-key" },
        body: JSON.stringify([
          { product_id: "sku-1", live: false },
          { product_id: "sku-99", live: false },
        ]),
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual([
      { results: [{ product_id: "sku-1", status: 200 }] },
      { results: [{ product_id: "sku-99", status: 400, detail: "forced by a fault rule (400)" }] },
    ]);
    await send();
    expect((await send()).status).toBe(429);
    // Structured logs: one JSON line per request (written once the answer is sent), no secrets.
    const statuses = () =>
      started!
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l).status);
    await vi.waitFor(() => expect(statuses()).toHaveLength(3), { timeout: 5_000 });
    expect(statuses()).toEqual([200, 200, 429]);
    expect(started.output()).not.toContain("my-private-api-key");
  });

  it("warns when bound beyond loopback", async () => {
    started = await startOgMock(["--host", "0.0.0.0", "--log-level", "warn"]);
    // The warning is a log line of its own: wait for it rather than assume it came with the banner.
    await expect.poll(() => started!.output(), { timeout: 10_000 }).toContain("not loopback");
    expect(started.output()).toContain("set --admin-token");
  });

  it("prints the dashboard's address, and never the admin token it was given", async () => {
    started = await startOgMock(["--admin-token", "my-admin-token", "--log-level", "info"]);
    expect(started.output()).toContain(`Dashboard: ${started.url}/__admin/ui/ (sign in with the admin token you gave)`);
    const signIn = await fetch(`${started.url}/__admin/ui/?token=my-admin-token`, { redirect: "manual" });
    expect(signIn.status).toBe(303);
    await expect.poll(() => started!.output(), { timeout: 10_000 }).toContain('"path":"/__admin/ui/"');
    expect(started.output()).not.toContain("my-admin-token");
  });

  it.each([
    [["--port", "http"], '--port must be a whole number ≥ 0; got "http".'],
    [["--status", "201"], '--status must be 200 or 207; got "201".'],
    [["--sig-field", "x"], "--sig-field and --hash-key go together: give both or neither."],
    [["--fail-next", "boom"], '--fail-next must look like 503 or 503x3; got "boom".'],
    [
      ["--catalog", "/nonexistent.json"],
      "Failed to read the catalog file /nonexistent.json: no such file. Check the path (a relative one starts at",
    ],
    [["--catalog", "/"], "Failed to read the catalog file /: it is a folder, not a file. Name a file inside it."],
    [
      ["--merchants", "/nonexistent.json"],
      "Failed to read the merchants file /nonexistent.json: no such file. Check the path (a relative one starts at",
    ],
    [
      ["--profile", "/nonexistent.json"],
      "Failed to read the calibration profile /nonexistent.json: no such file. Check the path (a relative one starts at",
    ],
    [["--frobnicate"], "Unknown option --frobnicate."],
    [["--prot", "9000"], "Unknown option --prot. Did you mean --port?"],
    [["--low-memory", "maybe"], '--low-memory must be on, off or auto; got "maybe".'],
  ])("refuses %j with a clear message and exit code 64", async (args, message) => {
    const result = await run("mock-server/cli/bin.ts", args);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
  });

  it.each([
    [{ OG_MOCK_PORT: "http" }, 'OG_MOCK_PORT must be a whole number ≥ 0; got "http".'],
    [{ OG_MOCK_STATUS: "201" }, 'OG_MOCK_STATUS must be 200 or 207; got "201".'],
    [{ OG_MOCK_LOW_MEMORY: "maybe" }, 'OG_MOCK_LOW_MEMORY must be on, off or auto; got "maybe".'],
    [{ OG_MOCK_ITEM_STATUS: "x=500" }, 'OG_MOCK_ITEM_STATUS must look like PATTERN=404 or PATTERN=400; got "x=500".'],
  ])("names the environment variable %j when its value is bad (exit 64)", async (env, message) => {
    const result = await run("mock-server/cli/bin.ts", [], { env });
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
  });

  it("refuses a catalog file with an invalid product (exit 64) and names unknown fields", async () => {
    const dir = mkdtempSync(join(tmpdir(), "og-catalog-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify([{ product_id: "a", live: "yes" }]));
    const refused = await run("mock-server/cli/bin.ts", ["--catalog", bad, "--port", "0"]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('Failed to read product "a": live: must be boolean.');
    const typo = join(dir, "typo.json");
    writeFileSync(
      typo,
      JSON.stringify([
        { product_id: "a", lve: false },
        { product_id: "b", lve: true, colour: "red" },
      ]),
    );
    started = await startOgMock(["--catalog", typo]);
    expect(started.output()).toContain(
      `the catalog file ${typo} has field(s) not in Ordergroove's Product schema: "lve" (2 products), "colour" (1 product).`,
    );
  });

  it("prints help", async () => {
    const result = await run("mock-server/cli/bin.ts", ["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("og-mock: a fake Ordergroove products API");
    expect(result.stdout).toContain("Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 failed to start");
    // The environment column lines up: every variable starts in the same column.
    const columns = result.stdout
      .split("\n")
      .filter((l) => / OG_MOCK_/.test(l))
      .map((l) => l.indexOf("OG_MOCK_"));
    expect(columns.length).toBeGreaterThan(15);
    expect(new Set(columns).size).toBe(1);
  });
});

describe("npm start", () => {
  it("compiles only when dist/ is older than a source file", async () => {
    const { execFile: ef } = await import("node:child_process");
    const start = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        ef(
          process.execPath,
          ["scripts/start.mjs", "--help"],
          { cwd: ROOT, timeout: 120_000 },
          (error, stdout, stderr) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    await start(); // brings dist/ up to date if a source changed since the last build
    const fresh = await start();
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("og-mock: a fake Ordergroove products API");
    expect(fresh.stderr).not.toContain("compiling");
  }, 180_000);
});

describe("og-mock's admin protection", () => {
  it.each([
    [["--admin-token", ""], "--admin-token is empty: give a token, or leave the option out for an open admin API."],
    [["--allowed-hosts", "http://og-mock:8787"], "--allowed-hosts takes host names without scheme or port"],
  ])("refuses %j with exit code 64", async (args, message) => {
    const result = await run("mock-server/cli/bin.ts", args);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
  });

  it("accepts a docker-compose service name given with --allowed-hosts, and refuses others", async () => {
    const started = await startOgMock(["--allowed-hosts", "og-mock"]);
    try {
      const { port } = new URL(started.url);
      const as = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path: "/__admin/health", headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on("error", reject);
          req.end();
        });
      expect(await as(`og-mock:${port}`)).toBe(200);
      expect(await as(`evil.example:${port}`)).toBe(403);
    } finally {
      await started.stop();
    }
  });
});
