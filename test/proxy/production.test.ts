/**
 * Production is safe by default (issue 37, point 5): against a production target, reads are
 * forwarded and writes are answered by the fake (marked `fake`) unless og-mock was started with
 * --allow-production-writes; `x-og-mock-route: fake|real` lets one request choose, and a real
 * write to production still needs the flag. The production target here is a local upstream
 * marked as production: what is tested is the decision, not Ordergroove's host.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { parseCli } from "../../mock-server/cli/args.js";
import { type RogueUpstream, startRogueUpstream } from "./upstreams.js";

const KEY = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
const WRITE = JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]);
let rogue: RogueUpstream;
let guarded: RunningMockServer;
let allowed: RunningMockServer;
let staging: RunningMockServer;

beforeAll(async () => {
  rogue = await startRogueUpstream();
  const start = (production: boolean, allowProductionWrites?: boolean) =>
    startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      proxy: { target: { origin: rogue.url, production }, allowProductionWrites },
    });
  guarded = await start(true);
  allowed = await start(true, true);
  staging = await start(false);
});
afterAll(async () => Promise.all([rogue, guarded, allowed, staging].map((s) => s.close())));

async function patch(base: string, headers: Record<string, string> = {}) {
  const before = rogue.received.length;
  const res = await fetch(`${base}/products-batch/update/`, {
    method: "PATCH",
    headers: { ...KEY, ...headers },
    body: WRITE,
  });
  await res.text();
  return {
    status: res.status,
    source: res.headers.get("x-og-mock-source"),
    hint: res.headers.get("x-og-mock-hint"),
    forwarded: rogue.received.length > before,
  };
}

describe("5. production is safe by default", () => {
  it("answers a write to production with the fake, marked fake, and forwards nothing", async () => {
    const answer = await patch(guarded.url);
    expect(answer).toMatchObject({ status: 207, source: "fake", forwarded: false });
    expect(answer.hint).toContain("--allow-production-writes");
    expect(guarded.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    guarded.merchants.reset();
  });

  it("forwards reads to production", async () => {
    const res = await fetch(`${guarded.url}/products/og-coffee-beans-1kg/`, { headers: KEY });
    expect(res.headers.get("x-og-mock-source")).toBe("real");
    expect(rogue.received.at(-1)!.url).toBe("/products/og-coffee-beans-1kg/");
  });

  it("does not let a request ask its way into a production write", async () => {
    expect(await patch(guarded.url, { "x-og-mock-route": "real" })).toMatchObject({ source: "fake", forwarded: false });
    guarded.merchants.reset();
  });

  it("forwards writes to production with --allow-production-writes, and x-og-mock-route: fake still keeps one local", async () => {
    expect(await patch(allowed.url)).toMatchObject({ status: 200, source: "real", forwarded: true });
    expect(await patch(allowed.url, { "x-og-mock-route": "fake" })).toMatchObject({ source: "fake", forwarded: false });
    allowed.merchants.reset();
  });

  it("forwards writes to a target that is not production, and never forwards the routing header", async () => {
    expect(await patch(staging.url, { "x-og-mock-route": "real" })).toMatchObject({ source: "real", forwarded: true });
    expect(rogue.received.at(-1)!.headers["x-og-mock-route"]).toBeUndefined();
  });

  it("refuses a routing header it does not know, marked proxy", async () => {
    expect(await patch(staging.url, { "x-og-mock-route": "both" })).toMatchObject({
      status: 400,
      source: "proxy",
      forwarded: false,
    });
  });

  it("reads --allow-production-writes only with --upstream", () => {
    const cli = parseCli(["--upstream", "production", "--allow-production-writes"], {});
    expect(cli !== "help" && cli.options.proxy?.allowProductionWrites).toBe(true);
    const plain = parseCli(["--upstream", "production"], {});
    expect(plain !== "help" && plain.options.proxy?.allowProductionWrites).toBeUndefined();
    expect(() => parseCli(["--allow-production-writes"], {})).toThrow(/only works with --upstream/);
  });
});
