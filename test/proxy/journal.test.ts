/**
 * No secret kept (issue 37, point 6): proxied exchanges are journaled like the fake's, with their
 * source; an API key only as a keyed hash that stays the same within a run, a signature only as a
 * short fingerprint, never a hash key; bodies as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningMockServer } from "../../mock-server/node/server.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { type RogueUpstream, startRogueUpstream, startProxy } from "./upstreams.js";
import { closedPort } from "../helpers/closed-port.js";

const MERCHANT = { publicId: "shop-1", sigField: "shop-api-user", hashKey: "shop-secret-hash-key" };
let rogue: RogueUpstream;
let proxy: RunningMockServer;

beforeAll(async () => {
  rogue = await startRogueUpstream();
  proxy = await startProxy(rogue.url);
});
afterAll(async () => Promise.all([rogue.close(), proxy.close()]));

async function admin(path: string) {
  return (await (await fetch(`${proxy.url}/__admin/${path}`)).json()) as {
    entries: Array<{
      headers: Record<string, string>;
      body: unknown;
      source?: string;
      response: { status: number; body: unknown };
    }>;
  };
}

const BODY = '[{"product_id": "p-1", "live": false}]';
const patch = (headers: Record<string, string>) =>
  fetch(`${proxy.url}/products-batch/update/`, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...headers },
    body: BODY,
  }).then((r) => r.text());

describe("6. no secret kept", () => {
  it("journals a forwarded exchange with its source, the body as sent and the upstream's answer", async () => {
    proxy.merchants.reset();
    await patch({ "x-api-key": "merchant-key-one" });
    const [entry] = (await admin("journal")).entries;
    expect(entry).toMatchObject({
      source: "real",
      body: JSON.parse(BODY),
      response: { status: 200, body: { echoed: "PATCH" } },
    });
  });

  it("keeps an API key only as a keyed hash, the same for the same key, different for another", async () => {
    proxy.merchants.reset();
    await patch({ "x-api-key": "merchant-key-one" });
    await patch({ "x-api-key": "merchant-key-one" });
    await patch({ "x-api-key": "merchant-key-two" });
    const entries = (await admin("journal")).entries;
    const hashes = entries.map((e) => e.headers["x-api-key"]);
    expect(hashes[0]).toMatch(/^keyed-hash:[0-9a-f]{16}$/);
    expect(new Set(hashes).size).toBe(2);
    expect(JSON.stringify(entries)).not.toMatch(/merchant-key-(one|two)/);
  });

  it("keeps a signature only as a short fingerprint, and never the hash key", async () => {
    proxy.merchants.reset();
    const headers = signedHeaders(MERCHANT, unixSeconds(Date.now()));
    const sig = (JSON.parse(headers.authorization) as { sig: string }).sig;
    await patch(headers);
    const entries = (await admin("journal")).entries;
    const kept = JSON.parse(entries[0]!.headers.authorization!) as Record<string, unknown>;
    expect(kept).toMatchObject({ public_id: "shop-1", sig_field: "shop-api-user" });
    expect(kept.sig).toMatch(/^fingerprint:[0-9a-f]{8}$/);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(sig);
    expect(text).not.toContain(MERCHANT.hashKey);
  });

  it("journals og-mock's own answers as proxy", async () => {
    proxy.merchants.reset();
    await patch({}); // no credentials: refused before forwarding
    await patch({ "x-api-key": "merchant-key-one", "x-og-mock-route": "both" }); // a routing header it does not know
    const sources = (await admin("journal")).entries.map((e) => [e.source, e.response.status]);
    expect(sources).toContainEqual(["proxy", 403]);
    expect(sources).toContainEqual(["proxy", 400]);
  });

  it("journals a transport error as proxy, with its cause", async () => {
    const dead = await startProxy(`http://127.0.0.1:${await closedPort()}`);
    await fetch(`${dead.url}/products/p-1/`, { headers: { "x-api-key": "k" } }).then((r) => r.text());
    const entry = dead.mock.journal.entries()[0]!;
    expect(entry).toMatchObject({ source: "proxy", response: { status: 502 }, fault: "ECONNREFUSED" });
    await dead.close();
  });
});
