import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { run } from "../helpers/spawn.js";

const CREDS = { publicId: "remote-merchant", sigField: "remote-user", hashKey: "remote-hash-key-123" };
const API_KEY = "remote-api-key-456";
let honest: RunningMockServer;
const warnings: string[] = [];
let liar: Server;
let liarUrl: string;

/** A server that keeps the contract except one clause: the batch answer says "result", not "results". */
function startLiar(upstream: string): Promise<string> {
  liar = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    let text = await answer.text();
    if (req.url === "/products-batch/update/" && req.method === "PATCH") text = text.replace('"results"', '"result"');
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(text);
  });
  return new Promise((resolve) =>
    liar.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(liar.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  honest = await startMockServer({
    port: 0,
    // The suite's A5 probe sends an unknown field on purpose: the fake's warning is expected.
    logger: { warn: (message) => warnings.push(message) },
    credentials: {
      publicId: CREDS.publicId,
      apiUsers: [{ sigField: CREDS.sigField, hashKey: CREDS.hashKey }],
      apiKeys: [API_KEY],
    },
    products: [
      { product_id: "remote-1", name: "One", price: "1.00" },
      { product_id: "remote-2", name: "Two", price: "2.00", live: false },
    ],
  });
  liarUrl = await startLiar(honest.url);
});
afterAll(async () => {
  await honest.close();
  await new Promise((r) => liar.close(r));
});

const env = (target: string) => ({
  OG_CONTRACT_TARGET: target,
  OG_PUBLIC_ID: CREDS.publicId,
  OG_SIG_FIELD: CREDS.sigField,
  OG_HASH_KEY: CREDS.hashKey,
  OG_API_KEY: "",
  OG_CONTRACT_PRODUCT_IDS: "remote-1,remote-2",
  NO_COLOR: "1",
});

describe("the contract suite pointed at a base URL", () => {
  it("passes against an honest server without code changes, skipping mock-only clauses with the reason, and restores products", async () => {
    const result = await run("contract-tests/run.ts", [], { env: env(honest.url), timeoutMs: 90_000 });
    expect(result.stdout).toContain(`Contract suite against ${honest.url} (remote)`);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "Skipped on remote:\n  C9 an injected 503 is retried by the client and the batch still applies: faults cannot be injected into Ordergroove's sandbox",
    );
    expect(result.stdout).toMatch(/Tests\s+26 passed \| 3 skipped/);
    expect(warnings).toEqual([
      expect.stringContaining('ignored the unknown product field "og_contract_unknown_field"'),
    ]);
    expect(honest.mock.catalog.get("remote-1")?.live).toBe(true);
    expect(honest.mock.catalog.get("remote-2")?.live).toBe(false);
    expect(result.stdout + result.stderr).not.toContain(CREDS.hashKey);
  }, 150_000);

  it("skips the clauses that need HMAC credentials, with the reason, when given an API key only", async () => {
    const apiKeyOnly = { ...env(honest.url), OG_PUBLIC_ID: "", OG_SIG_FIELD: "", OG_HASH_KEY: "", OG_API_KEY: API_KEY };
    const result = await run("contract-tests/run.ts", [], { env: apiKeyOnly, timeoutMs: 90_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // Skipped, not passed: the 3 mock-only clauses and C4.6, C5 and A8.
    expect(result.stdout).toMatch(/Tests\s+23 passed \| 6 skipped/);
    expect(result.stdout).toContain(
      "C5 a signature older than two hours is refused and changes nothing: needs HMAC credentials (OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY)",
    );
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
  }, 150_000);

  it("fails against a server that breaks the contract, naming the clause that broke", async () => {
    const result = await run("contract-tests/run.ts", ["--target", liarUrl], { env: env(liarUrl), timeoutMs: 90_000 });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain(
      "Contract clause C1 broken (a signed batch of existing products answers 200 per item, and the change reads back)",
    );
    expect(result.stdout + result.stderr).toContain("the body does not match #/components/schemas/BatchResponse");
  }, 150_000);

  it("tells a broken contract (exit 1) from drift only, even when the behaviours drifted too", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-liar-"));
    const profile = join(dir, "og-profile.json");
    await writeFile(
      profile,
      JSON.stringify({
        format: "og-profile/1",
        kit: "ordergroove-stock-kit@0.0.0",
        target: "https://staging.restapi.ordergroove.com",
        recordedAt: "2026-01-01T00:00:00.000Z",
        observations: { "auth.failureStatus": 401 },
      }),
    );
    const result = await run("contract-tests/run.ts", ["--target", liarUrl, "--compare", profile], {
      env: env(liarUrl),
      timeoutMs: 90_000,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/auth\.failureStatus\s+401\s+403\s+changed/);
  }, 150_000);

  it("refuses the production host unless forced", async () => {
    const result = await run("contract-tests/run.ts", ["--target", "https://restapi.ordergroove.com"], {
      env: env(""),
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(
      "og-contract: Refusing to run the contract suite against production (https://restapi.ordergroove.com)",
    );
  }, 150_000);

  it.each([
    [{ OG_CONTRACT_PRODUCT_IDS: "a,b" }, "No credentials for the target"],
    [{ OG_API_KEY: "k" }, "Set OG_CONTRACT_PRODUCT_IDS to two existing product ids"],
  ])("checks the configuration before running anything: %j is one line and exit 64", async (given, message) => {
    const result = await run("contract-tests/run.ts", ["--target", "sandbox"], {
      env: {
        OG_PUBLIC_ID: "",
        OG_SIG_FIELD: "",
        OG_HASH_KEY: "",
        OG_API_KEY: "",
        OG_CONTRACT_PRODUCT_IDS: "",
        ...given,
      },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(64);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(`og-contract: ${message}`)]);
    expect(result.stdout).not.toContain("checking the contract");
  });

  it("says in one line, with exit 69, that a target it cannot reach was never tested", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const result = await run("contract-tests/run.ts", ["--target", url], { env: env(url), timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(69);
    expect(result.stderr.trim().split("\n")).toEqual([
      `og-contract: Failed to reach the target ${url}: ECONNREFUSED: nothing is listening there. No clause was run. Check the network and the target (--target or OG_CONTRACT_TARGET).`,
    ]);
    expect(result.stdout).toContain(`og-contract: target ${url}`); // what it tried, as before any run
    expect(result.stdout).not.toMatch(/skipped|Test Files|NetworkError/);
  });
});
