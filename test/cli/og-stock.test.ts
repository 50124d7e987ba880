import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { closedUrl } from "../helpers/closed-port.js";
import { CREDS, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    OG_BASE_URL: og.url,
    OG_PUBLIC_ID: CREDS.publicId,
    OG_SIG_FIELD: CREDS.sigField,
    OG_HASH_KEY: CREDS.hashKey,
    ...extra,
  };
}

async function ogStock(argv: string[], environment: NodeJS.ProcessEnv = env(), isTTY = false) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    env: environment,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY,
    now: () => og.clock.now(),
  });
  return { code, stdout, stderr };
}

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "og-stock-"));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe("og-stock set-live / out / in", () => {
  it("sets products not live and exits 0 when all applied, with a summary table", async () => {
    const result = await ogStock(["out", "og-coffee-beans-1kg", "og-green-tea-100"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/updated\s+2/);
    expect(og.running.mock.catalog.get("og-green-tea-100")?.live).toBe(false);
    expect((await ogStock(["set-live", "--live", "true", "og-green-tea-100"])).code).toBe(0);
    expect(og.running.mock.catalog.get("og-green-tea-100")?.live).toBe(true);
  });

  it("exits 2 when some items are rejected, listing them", async () => {
    const result = await ogStock(["out", "og-coffee-beans-1kg", "ghost"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/not found \(404\)\s+1/);
    expect(result.stdout).toContain('ghost: not_found (no product with product_id "ghost" for this merchant)');
  });

  it("exits 1 when a request fails, and never prints the hash key", async () => {
    const result = await ogStock(["out", "og-coffee-beans-1kg"], env({ OG_HASH_KEY: "a-wrong-hash-key" }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed\s+1/);
    expect(result.stdout + result.stderr).not.toContain("a-wrong-hash-key");
  });

  it("prints a failed item's HTTP status with --json, and null when nothing answered", async () => {
    const refused = JSON.parse(
      (await ogStock(["out", "--json", "og-coffee-beans-1kg"], env({ OG_HASH_KEY: "a-wrong-hash-key" }))).stdout,
    );
    expect(refused.items).toEqual([
      expect.objectContaining({ product_id: "og-coffee-beans-1kg", outcome: "failed", status: 403 }),
    ]);
    const unanswered = JSON.parse(
      (await ogStock(["out", "--json", "og-coffee-beans-1kg"], env({ OG_BASE_URL: "http://127.0.0.1:1" }))).stdout,
    );
    expect(unanswered.items).toEqual([expect.objectContaining({ outcome: "failed", status: null })]);
  });

  it("prints JSON with --json", async () => {
    const result = await ogStock(["out", "--json", "og-coffee-beans-1kg", "ghost"]);
    const json = JSON.parse(result.stdout);
    expect(json.summary).toMatchObject({ updated: 1, notFound: 1 });
    expect(json.items).toEqual([
      { product_id: "og-coffee-beans-1kg", outcome: "updated", status: 200 },
      {
        product_id: "ghost",
        outcome: "not_found",
        status: 404,
        reason: 'no product with product_id "ghost" for this merchant',
      },
    ]);
  });

  it("sends nothing with --dry-run", async () => {
    const result = await ogStock(["out", "--dry-run", "og-coffee-beans-1kg"], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Dry run: would send 1 item(s) in 1 request(s).");
    expect(og.running.mock.journal.total).toBe(0);
  });

  it("shows a progress bar on a TTY", async () => {
    const result = await ogStock(["out", "og-coffee-beans-1kg"], env(), true);
    expect(result.stderr).toContain("[##############################] 1/1 items");
  });

  it("uses an API key from OG_API_KEY", async () => {
    const result = await ogStock(["out", "og-coffee-beans-1kg"], {
      OG_BASE_URL: og.url,
      OG_API_KEY: "og-mock-api-key",
    });
    expect(result.code).toBe(0);
  });
});

describe("og-stock sync", () => {
  it("sets live from a CSV of stock levels with thresholds and hysteresis", async () => {
    const csv = await tempFile(
      "stock.csv",
      "product_id,stock,restock_at\nog-coffee-beans-1kg,0,\nog-green-tea-100,3,\nog-dog-food-12kg,7,\n166603786142092352,50,\nog-granola-500g,12,20\n",
    );
    const result = await ogStock(["sync", csv, "--low-at", "3", "--restock-at", "10"]);
    expect(result.code).toBe(0);
    const sent = og.running.mock.journal.entries().flatMap((e) => e.body as unknown[]);
    expect(sent).toEqual([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "og-green-tea-100", live: false },
      { product_id: "166603786142092352", live: true },
    ]);
    expect(result.stdout).toMatch(/unchanged \(between thresholds\)\s+2/);
  });

  it("reads JSON too, and remembers what it told Ordergroove with --state", async () => {
    const file = await tempFile(
      "stock.json",
      JSON.stringify([
        { product_id: "og-coffee-beans-1kg", stock: 0 },
        { product_id: "og-mints", stock: 9 },
      ]),
    );
    const state = join(await mkdtemp(join(tmpdir(), "og-state-")), "state.json");
    const first = await ogStock(["sync", file, "--state", state]);
    expect(first.code).toBe(2); // og-mints is unknown to Ordergroove
    expect(JSON.parse(await readFile(state, "utf8"))).toEqual({ "og-coffee-beans-1kg": false });
    og.running.mock.journal.clear();
    await ogStock(["sync", file, "--state", state]);
    expect(og.running.mock.journal.entries().flatMap((e) => e.body as unknown[])).toEqual([
      { product_id: "og-mints", live: true },
    ]);
  });

  it.each([
    [
      "product_id,qty\nx,1\n",
      'line 1: the CSV header must name product_id and stock columns; got "product_id,qty". Name them in the first line.',
    ],
    ["product_id,stock\nx,lots\n", 'line 2: stock must be a number; got "lots". Fix that row.'],
    ["product_id,stock\n\nx,1\n,1\n", "line 4: product_id is empty. Fix that row."], // numbered as an editor does
  ])("refuses a bad file (%j) with exit 64 and sends nothing", async (content, message) => {
    const file = await tempFile("bad.csv", content);
    const result = await ogStock(["sync", file]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(`og-stock: Failed to read the stock file ${file}: ${message}`);
    expect(og.running.mock.journal.total).toBe(0);
  });

  it("refuses thresholds that would flap", async () => {
    const result = await ogStock([
      "sync",
      await tempFile("s.csv", "product_id,stock\nx,1\n"),
      "--low-at",
      "5",
      "--restock-at",
      "5",
    ]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("restockAt (5) must be above the cut-off (5)");
  });
});

describe("og-stock get", () => {
  it("reads a product, and exits 2 for an unknown one", async () => {
    const found = await ogStock(["get", "og-coffee-beans-1kg"]);
    expect(found.stdout).toBe("og-coffee-beans-1kg  live=true  Single-origin coffee beans, 1 kg  24.99\n");
    const missing = await ogStock(["get", "ghost"]);
    expect(missing.code).toBe(2);
  });
});

describe("og-stock sign", () => {
  const docEnv = { OG_PUBLIC_ID: "m", OG_SIG_FIELD: "test_user", OG_HASH_KEY: "NT2kBcFx%!7dnAOVv9}i3CR*<L66w5" };

  it("makes the signed headers for given credentials and ts", async () => {
    const result = await ogStock(["sign", "--ts", "1700000000"], {
      OG_PUBLIC_ID: "og-mock-merchant",
      OG_SIG_FIELD: "og-mock-api-user",
      OG_HASH_KEY: "og-mock-hash-key",
    });
    expect(result.stdout).toBe(
      'authorization: {"public_id":"og-mock-merchant","ts":1700000000,"sig_field":"og-mock-api-user","sig":"wtb5lPfUViJ+ACxfO6ckE2UmGR1pqN4PpFdMFuaFu+0="}\nog-authorization: True\n',
    );
  });

  it("explains why Ordergroove's own doc example does not reproduce", async () => {
    const result = await ogStock(
      ["sign", "--ts", "1488466536", "--expect", "BNobNOMlv3DDv6IXs861hx6WMM/4qP4V18tSYM8mPoQ="],
      docEnv,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("This is the example on Ordergroove's signature page.");
    expect(result.stdout).toContain(
      "The correct signature for that input is IYLYdrP/HAob0aCu54DIXrfqqOx3S7cgCIZeqv8Ai8o=.",
    );
  });

  it("recognises a signature valid for ts ± 1: the client read the clock twice", async () => {
    // The doc example's key and ts: its correct signature for ts - 1, checked as if sent with ts.
    const { computeSignature } = await import("../../shared/auth/signature.js");
    const early = computeSignature(docEnv.OG_HASH_KEY, { sigField: "test_user", ts: 1488466535 });
    const result = await ogStock(["sign", "--ts", "1488466536", "--expect", early], docEnv);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("this signature is valid for ts - 1: your client reads the clock twice");
  });

  it("names the slip behind a mismatch it recognises", async () => {
    const hex = "218bd876b3ff1c0a1bd1a0aee780c85eb7eaa8ec774bb720088";
    const hexResult = await ogStock(["sign", "--ts", "1488466536", "--expect", hex], docEnv);
    expect(hexResult.stdout).toContain("None of the usual slips explains it");
    const { createHmac } = await import("node:crypto");
    const fullHex = createHmac("sha256", docEnv.OG_HASH_KEY).update("test_user|1488466536").digest("hex");
    const slip = await ogStock(["sign", "--ts", "1488466536", "--expect", fullHex], docEnv);
    expect(slip.stdout).toContain("It is what you get with hex digest instead of base64.");
    // A check exits non-zero when the signature does not match, 0 when it does.
    expect([hexResult.code, slip.code]).toEqual([2, 2]);
    const right = await ogStock(
      ["sign", "--ts", "1488466536", "--expect", "IYLYdrP/HAob0aCu54DIXrfqqOx3S7cgCIZeqv8Ai8o="],
      docEnv,
    );
    expect(right.code).toBe(0);
    const ms = await ogStock(["sign", "--ts", "1488466536", "--json"], { ...docEnv });
    expect(JSON.parse(ms.stdout)).toMatchObject({
      message: "test_user|1488466536",
      sig: "IYLYdrP/HAob0aCu54DIXrfqqOx3S7cgCIZeqv8Ai8o=",
    });
  });

  it("says when the --ts given is already stale, or ahead of the clock, and not when it is fresh", async () => {
    const nowS = Math.floor(og.clock.now() / 1000);
    const at = async (ts: number) => (await ogStock(["sign", "--ts", String(ts), "--explain"], docEnv)).stdout;
    expect(await at(nowS - 3 * 3600)).toContain(
      "  This ts is already stale: 3 h old, so Ordergroove (and the fake) refuse it. Leave out --ts to sign with the time now.",
    );
    expect(await at(nowS + 600)).toContain("  This ts is 10 min ahead of this machine's clock;");
    expect(await at(nowS - 60)).not.toMatch(/stale|ahead/);
  });

  it("shows its working with --explain and never prints the hash key", async () => {
    const result = await ogStock(["sign", "--ts", "1488466536", "--explain"], docEnv);
    expect(result.stdout).toContain('1. message   = sig_field|ts = "test_user|1488466536"');
    expect(result.stdout).toContain("30 bytes as UTF-8");
    expect(result.stdout).not.toContain(docEnv.OG_HASH_KEY);
  });
});

describe("og-stock when nothing answers", () => {
  it.each([
    [["out", "og-coffee-beans-1kg"], "update products"],
    [["get", "og-coffee-beans-1kg"], 'read product "og-coffee-beans-1kg"'],
  ])("%j names the URL, the cause and what to check, without a stack", async (argv, what) => {
    const url = await closedUrl();
    let stdout = "";
    let stderr = "";
    const waits: number[] = [];
    const code = await main(argv, {
      env: { OG_BASE_URL: url, OG_API_KEY: "k" },
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      isTTY: false,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(code).toBe(1);
    const said = `${stdout}${stderr}`;
    expect(said).toContain(
      `Failed to ${what}: the connection to ${url} failed (ECONNREFUSED: nothing is listening there); tried ${waits.length + 1} times.`,
    );
    expect(stderr).toContain("Is the server running? The fake starts with npm start");
    expect(stderr).toContain("OG_BASE_URL");
    expect(said).not.toMatch(/^\s+at /m);
  });
});

describe("og-stock usage", () => {
  it.each([
    [["out", "x"], { OG_PUBLIC_ID: "m" }, "Where to? Give --env staging, --env production or --base-url"],
    [
      ["out", "x"],
      { OG_BASE_URL: "http://127.0.0.1:1" },
      "No credentials: give OG_API_KEY, or all of OG_PUBLIC_ID, OG_SIG_FIELD and OG_HASH_KEY",
    ],
    [["out"], {}, "Name at least one product id."],
    [["set-live", "x"], {}, "set-live needs --live true or --live false; got null."],
    [["frob"], {}, 'Unknown command "frob". Commands: set-live, out, in, sync, reconcile, get, sign.'],
    [["outt", "x"], {}, 'Unknown command "outt". Did you mean out?'],
    [["recocnile", "x"], {}, 'Unknown command "recocnile". Did you mean reconcile?'],
    [
      ["out", "x", "--base-url", "127.0.0.1:8787"],
      { OG_API_KEY: "k" },
      '--base-url must be an http or https URL such as http://127.0.0.1:8787; got "127.0.0.1:8787".',
    ],
    [["out", "x"], { OG_API_KEY: "k", OG_BASE_URL: "localhost" }, "OG_BASE_URL must be an http or https URL"],
    [["out", "x"], { OG_API_KEY: "k", OG_ENV: "prod" }, 'OG_ENV must be production or staging; got "prod".'],
    [
      ["out", "--rate", "fast", "x"],
      { OG_BASE_URL: "http://127.0.0.1:1", OG_API_KEY: "k" },
      '--rate must be a whole number ≥ 1; got "fast".',
    ],
  ])("refuses %j with exit 64", async (argv, environment, message) => {
    const result = await ogStock(argv, environment);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
  });
});
