/**
 * og-mock --upstream in front of a server no one on the project wrote (issue 37: "against an
 * upstream no one on the project wrote as well as your own"): Stoplight Prism 5 mocking our spec
 * with its static examples, installed on demand (scripts/prism.ts). Prism answers each operation's
 * example whatever was sent and keeps no state, so what og-mock makes of its answers is what it
 * makes of a service it does not know: the kit's clients get Prism's answers marked `real`; what
 * the spec refuses never reaches Prism; Prism's batch answers name items that were not sent and
 * its invalid-JSON answer is not the spec's error, which og-mock reports; --shadow lists how the
 * fake differs; --learn teaches the fake Prism's batch status; Prism standing as production gets
 * reads and, only when allowed, writes. Points 9 (transport failures) and 10 (speed) are not
 * Prism's to show: the tests with local upstreams and the bench cover them.
 *
 * Without Prism (no registry) the file is skipped with the reason printed; under CI=true it fails.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import type { FoundViolations } from "../../mock-server/core/proxy/proxy.js";
import { type RunningProcess, startServerProcess } from "../../mock-server/cli/start-og-mock.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { ensurePrism, PRISM_MOCK_ARGS, prismEnv } from "../../scripts/prism.js";
import { main } from "../../src/cli/main.js";
import { OrdergrooveClient } from "../../src/index.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { API_KEY, CREDS } from "../helpers/mock-server.js";
import { startOgMock } from "../helpers/spawn.js";
import { startProxy, startTap, type Tap } from "./upstreams.js";

// Installing takes minutes the first time: done while the file is collected, under npm's own
// timeout (scripts/prism.ts), not a hook's.
const installed = await ensurePrism();
if (!installed.ok) {
  if (process.env.CI === "true") throw new Error(`Prism is needed for this file in CI: ${installed.reason}`);
  console.log(`Skipping the third-party upstream tests: ${installed.reason}`);
}

const KEY = { "x-api-key": API_KEY, "content-type": "application/json" };
const ONE = JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]);
/** The ids of Prism's example answer to a batch update (the spec's 200 example), whatever was sent. */
const EXAMPLE_IDS = ["166603786142092350", "notfound", "166603786142092351"];

let prism: RunningProcess;
let tap: Tap; // og-mock -> tap -> Prism: what reached Prism
let proxy: RunningMockServer;
let lenient: RunningMockServer; // --forward-invalid
let shadowing: RunningMockServer; // --shadow
const found: FoundViolations[] = [];

beforeAll(async () => {
  if (!installed.ok) return;
  prism = await startServerProcess({
    bin: installed.entry,
    args: PRISM_MOCK_ARGS,
    env: prismEnv(),
    name: "Prism",
    timeoutMs: 60_000,
  });
  tap = await startTap(prism.url);
  proxy = await startProxy(tap.url, { onViolations: (v) => found.push(v) });
  lenient = await startProxy(tap.url, { forwardInvalid: true });
  shadowing = await startProxy(tap.url, { shadow: true });
}, 90_000);
afterAll(async () => {
  await Promise.all([proxy, lenient, shadowing].filter(Boolean).map((s) => s.close()));
  await tap?.close();
  await prism?.stop();
});

/**
 * What reached Prism while `send` ran, as the tap between og-mock and Prism saw it. Prism's own
 * log cannot tell: it logs no request whose JSON it cannot parse.
 */
async function reachingPrism(send: () => Promise<unknown>): Promise<string[]> {
  const before = tap.received.length;
  await send();
  return tap.received.slice(before);
}

const sourcesOf = (server: RunningMockServer) => server.mock.journal.entries().map((e) => e.source);

/** The global fetch, noting the x-og-mock-source of every answer a client got (a client option, not a change to it). */
function watchedFetch(): { fetch: (input: Request) => Promise<Response>; sources: Array<string | null> } {
  const sources: Array<string | null> = [];
  return {
    sources,
    fetch: async (input) => {
      const res = await fetch(input);
      sources.push(res.headers.get("x-og-mock-source"));
      return res;
    },
  };
}

describe.skipIf(!installed.ok)("og-mock --upstream <Prism mocking our spec>", () => {
  describe("1-2. the kit's clients work through it unmodified and get Prism's answers, marked real", () => {
    it("og-stock reads Prism's example product and reports Prism's batch answer as it is", async () => {
      proxy.merchants.reset();
      let stdout = "";
      let stderr = "";
      const env = {
        OG_BASE_URL: proxy.url,
        OG_PUBLIC_ID: CREDS.publicId,
        OG_SIG_FIELD: CREDS.sigField,
        OG_HASH_KEY: CREDS.hashKey,
      };
      const watched = watchedFetch();
      const io = {
        env,
        fetch: watched.fetch,
        stdout: (t: string) => void (stdout += t),
        stderr: (t: string) => void (stderr += t),
        isTTY: false,
      };
      const arrived = await reachingPrism(async () => {
        expect(await main(["get", "og-coffee-beans-1kg"], io)).toBe(0);
        // Prism's 200 example names three other products and not this one: og-stock says the
        // batch may or may not have been applied (exit 1), as it would of such a real answer.
        expect(await main(["out", "og-coffee-beans-1kg"], io)).toBe(1);
      });
      expect(stdout).toMatch(/og-coffee-beans-1kg\s+live=true\s+Single-origin coffee beans, 1 kg/);
      expect(stdout + stderr).toContain("sent 1 items, got 3 results");
      expect(arrived).toEqual(["GET /products/og-coffee-beans-1kg/", "PATCH /products-batch/update/"]);
      expect(watched.sources).toEqual(["real", "real"]);
      expect(sourcesOf(proxy)).toEqual(["real", "real"]);
    });

    it("OrdergrooveClient reads, follows Prism's cursor and gets Prism's batch answer; StockSync's flush reports it", async () => {
      proxy.merchants.reset();
      const watched = watchedFetch();
      const client = new OrdergrooveClient({
        fetch: watched.fetch,
        environment: { baseUrl: proxy.url },
        credentials: { kind: "hmac", ...CREDS },
      });
      expect(await client.getProduct("og-coffee-beans-1kg")).toMatchObject({ sku: "COF-1KG", live: true });
      // Prism's example page links to a next page with a cursor, and answers that with the same
      // example: the client follows it through og-mock (three pages of one product).
      const listed: string[] = [];
      for await (const product of client.listProducts()) {
        listed.push(product.external_product_id);
        if (listed.length === 3) break;
      }
      expect(listed).toEqual(["og-coffee-beans-1kg", "og-coffee-beans-1kg", "og-coffee-beans-1kg"]);
      const sync = new StockSync({
        client,
        thresholds: { outOfStockAt: 0, lowStockAt: 3, restockAt: 10 },
        known: { "og-green-tea-100": true },
        setTimer: () => {},
        clearTimer: () => {},
      });
      sync.record({ productId: "og-green-tea-100", stock: 0 });
      const flush = await sync.flush();
      expect(flush?.failed).toMatchObject([
        { productId: "og-green-tea-100", status: 200, reason: expect.stringContaining("sent 1 items, got 3 results") },
      ]);
      expect(
        (flush?.failed[0]?.error?.body as { results: Array<{ product_id: string }> }).results.map((r) => r.product_id),
      ).toEqual(EXAMPLE_IDS);
      const journal = proxy.mock.journal.entries();
      expect(new Set(watched.sources)).toEqual(new Set(["real"]));
      expect(new Set(journal.map((e) => e.source))).toEqual(new Set(["real"]));
      // The client may still be reading a page ahead when StockSync's PATCH is answered: compare what both saw of it.
      expect(watched.sources.length).toBeLessThanOrEqual(journal.length);
      // The client reads a page ahead, so how many cursor pages it asked for depends on timing.
      const paths = journal.map((e) => `${e.method} ${e.path}`);
      expect(paths.slice(0, 3)).toEqual([
        "GET /products/og-coffee-beans-1kg/",
        "GET /products/?page_size=100",
        "GET /products/?cursor=cD0y&page_size=2",
      ]);
      expect(paths.filter((p) => p === "PATCH /products-batch/update/")).toHaveLength(1);
    });

    it("passes Prism's status, body bytes and end-to-end headers unchanged", async () => {
      const path = "/products/?page=1"; // Prism warns in sl-violations that `page` is deprecated
      const direct = await fetch(`${prism.url}${path}`, { headers: KEY });
      const proxied = await fetch(`${proxy.url}${path}`, { headers: KEY });
      expect(proxied.status).toBe(direct.status);
      expect(Buffer.from(await proxied.arrayBuffer())).toEqual(Buffer.from(await direct.arrayBuffer()));
      expect(proxied.headers.get("x-og-mock-source")).toBe("real");
      for (const name of ["content-type", "sl-violations", "access-control-allow-origin"]) {
        expect(proxied.headers.get(name), name).toBe(direct.headers.get(name));
      }
      expect(direct.headers.get("sl-violations")).toContain("deprecated");
    });

    it("keeps the admin API local: Prism never sees it", async () => {
      const arrived = await reachingPrism(async () => {
        const res = await fetch(`${proxy.url}/__admin/health`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      });
      expect(arrived).toEqual([]);
    });
  });

  describe("3. what the spec refuses is answered by og-mock and never reaches Prism", () => {
    const patch = async (body: string, headers: Record<string, string>) => {
      const res = await fetch(`${proxy.url}/products-batch/update/`, { method: "PATCH", headers, body });
      await res.arrayBuffer();
      return { status: res.status, source: res.headers.get("x-og-mock-source") };
    };

    it("no credentials, bad JSON, a body that is not a list, 101 items", async () => {
      const many = JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ product_id: `p-${i}`, live: false })));
      const answers: Array<{ status: number; source: string | null }> = [];
      const arrived = await reachingPrism(async () => {
        answers.push(await patch(ONE, { "content-type": "application/json" }));
        answers.push(await patch("[{", KEY));
        answers.push(await patch(JSON.stringify({ product_id: "p-1" }), KEY));
        answers.push(await patch(many, KEY));
      });
      expect(answers).toEqual([
        { status: 403, source: "proxy" },
        { status: 400, source: "proxy" },
        { status: 400, source: "proxy" },
        { status: 400, source: "proxy" },
      ]);
      expect(arrived).toEqual([]);
    });

    it("with --forward-invalid the bad JSON reaches Prism, flagged, and Prism's answer comes back real", async () => {
      let hint = "";
      const arrived = await reachingPrism(async () => {
        const res = await fetch(`${lenient.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: "[{" });
        expect(res.status).toBe(400);
        expect(res.headers.get("x-og-mock-source")).toBe("real");
        hint = res.headers.get("x-og-mock-hint") ?? "";
        // Prism's own error body for unreadable JSON, not the spec's `{"detail": ...}`.
        expect(await res.json()).toEqual({ error: { code: "invalid_json", message: "Invalid JSON" } });
      });
      expect(arrived).toEqual(["PATCH /products-batch/update/"]);
      expect(hint).toContain("Forwarded although invalid: JSON parse error");
    });
  });

  describe("4. Prism's answers checked against the spec", () => {
    it("finds nothing wrong in Prism's reads and single-product write", async () => {
      const before = found.length;
      for (const [method, path, body] of [
        ["GET", "/products/og-coffee-beans-1kg/"],
        ["GET", "/products/?page=1"],
        ["GET", "/product_groups/"],
        ["GET", "/products/og-coffee-beans-1kg/eligibility/subscription"],
        ["PATCH", "/products/og-coffee-beans-1kg/", JSON.stringify({ live: false })],
      ] as const) {
        const res = await fetch(`${proxy.url}${path}`, { method, headers: KEY, ...(body ? { body } : {}) });
        await res.arrayBuffer();
        expect(
          [res.status, res.headers.get("x-og-mock-source"), res.headers.get("x-og-mock-violations")],
          path,
        ).toEqual([200, "real", null]);
        expect(proxy.mock.journal.entries().at(-1)!.violations, path).toBeUndefined();
      }
      expect(found.length).toBe(before);
    });

    it("finds that Prism's batch answer names three items not sent and leaves out the one sent", async () => {
      const res = await fetch(`${proxy.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: ONE });
      expect(res.status).toBe(200);
      const seq = proxy.mock.journal.total;
      const expected = [
        { pointer: "/results", message: 'item "og-coffee-beans-1kg" was sent but not answered' },
        ...EXAMPLE_IDS.map((id) => ({ pointer: "/results", message: `item "${id}" was answered but not sent` })),
      ];
      expect(proxy.mock.journal.entries().at(-1)!.violations).toEqual(expected);
      expect(res.headers.get("x-og-mock-violations")).toBe(
        `4 violations (journal entry ${seq}); ` + expected.map((v) => `${v.pointer}: ${v.message}`).join("; "),
      );
      expect(found.at(-1)).toMatchObject({ seq, method: "PATCH", status: 200, violations: expected });
    });

    it("finds that Prism's answer to unreadable JSON is not the spec's error", async () => {
      await (
        await fetch(`${lenient.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: "[{" })
      ).text();
      expect(lenient.mock.journal.entries().at(-1)!.violations).toEqual([
        { pointer: "/detail", message: "is required" },
      ]);
    });
  });

  describe("5. production is safe by default", () => {
    it("forwards a read to Prism standing as production, answers a write with the fake, and forwards it only when allowed", async () => {
      const quiet = pino({ level: "silent" });
      const start = (allowProductionWrites: boolean) =>
        startMockServer({
          port: 0,
          logger: quiet,
          proxy: { target: { origin: tap.url, production: true }, allowProductionWrites },
        });
      const [guarded, allowed] = await Promise.all([start(false), start(true)]);
      try {
        const ask = async (base: string, method: string, path: string, route?: string) => {
          const before = tap.received.length;
          const res = await fetch(`${base}${path}`, {
            method,
            headers: { ...KEY, ...(route ? { "x-og-mock-route": route } : {}) },
            body: method === "GET" ? undefined : ONE,
          });
          await res.arrayBuffer();
          return [res.status, res.headers.get("x-og-mock-source"), tap.received.length - before];
        };
        expect(await ask(guarded.url, "GET", "/products/og-coffee-beans-1kg/")).toEqual([200, "real", 1]);
        expect(await ask(guarded.url, "PATCH", "/products-batch/update/")).toEqual([207, "fake", 0]);
        expect(await ask(guarded.url, "PATCH", "/products-batch/update/", "real")).toEqual([207, "fake", 0]);
        expect(await ask(guarded.url, "GET", "/products/og-coffee-beans-1kg/", "fake")).toEqual([200, "fake", 0]);
        expect(await ask(allowed.url, "PATCH", "/products-batch/update/")).toEqual([200, "real", 1]);
      } finally {
        await Promise.all([guarded.close(), allowed.close()]);
      }
    });
  });

  describe("6. no secret kept", () => {
    it("journals Prism's exchanges without the hash key or the signature, and an API key only as a keyed hash", async () => {
      proxy.merchants.reset();
      const signed = signedHeaders(CREDS, unixSeconds(Date.now()));
      const { sig } = JSON.parse(signed.authorization) as { sig: string };
      for (const headers of [signed, { "x-api-key": API_KEY }]) {
        await (await fetch(`${proxy.url}/products/og-coffee-beans-1kg/`, { headers })).arrayBuffer();
      }
      const entries = proxy.mock.journal.entries();
      expect(entries.map((e) => [e.source, e.response])).toMatchObject([
        ["real", { status: 200 }],
        ["real", { status: 200 }],
      ]);
      const text = JSON.stringify(entries);
      for (const secret of [CREDS.hashKey, sig, API_KEY]) expect(text).not.toContain(secret);
      expect(entries[1]!.headers["x-api-key"]).toMatch(/^keyed-hash:[0-9a-f]+$/);
    });
  });

  describe("7. --shadow: Prism's answers beside the fake's", () => {
    it("lists how the fake answered a batch otherwise, labelled where a setting explains it", async () => {
      shadowing.merchants.reset();
      const res = await fetch(`${shadowing.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: ONE });
      expect(res.headers.get("x-og-mock-source")).toBe("real");
      await res.arrayBuffer();
      const entry = shadowing.mock.journal.entries().find((e) => e.source === "real")!;
      expect(entry.differences).toEqual([
        {
          pointer: "",
          message: "the batch was answered 200 by the service and 207 by the fake",
          real: 200,
          fake: 207,
          setting: "answer.batchStatus",
        },
        ...[200, 404, 400].map((status, i) => ({
          pointer: `/items/${EXAMPLE_IDS[i]}`,
          message: `item "${EXAMPLE_IDS[i]}" was answered ${status} by the service and not at all by the fake`,
          real: status,
          fake: null,
        })),
        {
          pointer: "/items/og-coffee-beans-1kg",
          message: 'item "og-coffee-beans-1kg" was not answered by the service and answered 200 by the fake',
          real: null,
          fake: 200,
        },
      ]);
      // Prism wrote nothing it told of: the fake's catalog keeps no write for the item either.
      expect(shadowing.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    });

    it("lists that Prism answers its example, not the write: live stays true", async () => {
      shadowing.merchants.reset();
      const res = await fetch(`${shadowing.url}/products/og-coffee-beans-1kg/`, {
        method: "PATCH",
        headers: KEY,
        body: JSON.stringify({ live: false }),
      });
      await res.arrayBuffer();
      const entry = shadowing.mock.journal.entries().find((e) => e.source === "real")!;
      expect(entry.differences).toEqual([
        { pointer: "/live", message: "live is true from the service and false from the fake", real: true, fake: false },
      ]);
    });

    it("lists a listing page whose keys differ (Prism's example has no count)", async () => {
      shadowing.merchants.reset();
      await (await fetch(`${shadowing.url}/products/?page=1`, { headers: KEY })).arrayBuffer();
      const entry = shadowing.mock.journal.entries().find((e) => e.source === "real")!;
      expect(entry.differences).toEqual([
        {
          pointer: "",
          message:
            "the listing's keys are next, previous, results from the service and count, next, previous, results from the fake",
          real: "next, previous, results",
          fake: "count, next, previous, results",
        },
      ]);
    });
  });

  describe("4, 7, 8 as a user runs them: --report, --fail-on-violation, --shadow, --learn", () => {
    it("writes the report and a profile that og-mock --profile answers with", { timeout: 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "og-prism-"));
      const report = join(dir, "report.json");
      const learnt = join(dir, "learnt.json");
      const og = await startOgMock([
        "--upstream",
        prism.url,
        "--report",
        report,
        "--fail-on-violation",
        "--shadow",
        "--learn",
        learnt,
      ]);
      let status: number | null;
      try {
        await (await fetch(`${og.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: ONE })).text();
        await (await fetch(`${og.url}/products/og-coffee-beans-1kg/`, { headers: KEY })).text();
      } finally {
        status = await og.stop();
      }
      expect(status).toBe(2);
      // No secret in the files og-mock wrote (its banner prints the fake's own default keys on purpose: "Try it").
      for (const text of [readFileSync(report, "utf8"), readFileSync(learnt, "utf8")]) {
        for (const secret of [API_KEY, CREDS.hashKey]) expect(text).not.toContain(secret);
      }
      expect(og.output()).toContain(
        `the upstream's answer breaks the spec: /results: item \\"og-coffee-beans-1kg\\" was sent but not answered`,
      );
      const written = JSON.parse(readFileSync(report, "utf8")) as {
        upstream: string;
        answersWithViolations: number;
        answersWithDifferences: number;
        answers: Array<{ path: string; violations: unknown[]; differences: Array<{ setting?: string }> }>;
      };
      expect(written).toMatchObject({ upstream: prism.url, answersWithViolations: 1, answersWithDifferences: 1 });
      expect(written.answers[0]).toMatchObject({ path: "/products-batch/update/" });
      expect(written.answers[0]!.violations).toHaveLength(4);
      expect(written.answers[0]!.differences[0]).toMatchObject({ setting: "answer.batchStatus" });

      const profile = validateProfile(JSON.parse(readFileSync(learnt, "utf8")));
      expect(profile.target).toBe(prism.url);
      expect(profile.observations).toMatchObject({
        "answer.batchStatus": 200,
        "answer.batchForm": "object",
        "answer.priceType": "string",
        "answer.timestampFormat": "YYYY-MM-DD HH:MM:SS",
      });
      const taught = await startOgMock(["--profile", learnt, "--log-level", "silent"]);
      try {
        const res = await fetch(`${taught.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: ONE });
        expect(res.status).toBe(200); // Prism's status, where the untaught fake answers 207
        expect(await res.json()).toEqual({ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] });
      } finally {
        await taught.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
