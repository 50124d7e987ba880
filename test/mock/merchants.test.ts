import { describe, expect, it } from "vitest";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { useMockServer } from "../helpers/mock-server.js";

const ACME = { publicId: "acme", sigField: "acme-api", hashKey: "acme-hash-key" };
const GLOBEX = { publicId: "globex", sigField: "globex-api", hashKey: "globex-hash-key" };
const SECRETS = ["acme-hash-key", "globex-hash-key", "acme-key", "globex-key", "initech-key"];

const og = useMockServer({
  merchants: [
    {
      credentials: {
        publicId: ACME.publicId,
        apiUsers: [{ sigField: ACME.sigField, hashKey: ACME.hashKey }],
        apiKeys: ["acme-key"],
      },
      products: [{ product_id: "shared-id", name: "Acme anvil", price: "10.00" }],
    },
    {
      credentials: {
        publicId: GLOBEX.publicId,
        apiUsers: [{ sigField: GLOBEX.sigField, hashKey: GLOBEX.hashKey }],
        apiKeys: ["globex-key"],
      },
      products: [
        { product_id: "shared-id", name: "Globex globe", price: "20.00" },
        { product_id: "globex-only", name: "Globex lamp", price: "5.00" },
      ],
      auth: { failureStatus: 401 },
    },
  ],
});

const hmac = (c: typeof ACME) => ({ auth: "none" as const, headers: signedHeaders(c, unixSeconds(og.clock.now())) });
const key = (k: string) => ({ auth: "none" as const, headers: { "x-api-key": k } });

function expectNoSecret(text: string) {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe("several merchants in one fake", () => {
  it("authenticates each request to exactly one merchant, which sees and changes only its own catalog", async () => {
    const a = await og.patchBatch(
      [
        { product_id: "shared-id", live: false },
        { product_id: "globex-only", live: false },
      ],
      hmac(ACME),
    );
    expect(a.body).toMatchObject({
      results: [
        { product_id: "shared-id", status: 200 },
        { product_id: "globex-only", status: 404 },
      ],
    });
    const b = await og.request("GET", "/products/shared-id/", key("globex-key"));
    expect(b.body).toMatchObject({ merchant: "globex", name: "Globex globe", live: true });
    const a2 = await og.request("GET", "/products/shared-id/", key("acme-key"));
    expect(a2.body).toMatchObject({ merchant: "acme", name: "Acme anvil", live: false });
    expect((await og.request("GET", "/products/globex-only/", hmac(ACME))).status).toBe(404);
    expect(og.running.merchants.merchant("globex")!.catalog.get("shared-id")!.live).toBe(true);
  });

  it("refuses a key or signature of merchant A sent with merchant B's public id (B refuses, in B's way)", async () => {
    // Signed with Acme's API user and hash key, but naming Globex.
    const forged = signedHeaders({ ...ACME, publicId: GLOBEX.publicId }, unixSeconds(og.clock.now()));
    const refused = await og.patchBatch([{ product_id: "shared-id", live: false }], { auth: "none", headers: forged });
    expect(refused.status).toBe(401); // Globex answers refusals with 401
    expect((refused.body as { detail: string }).detail).toMatch(/Unknown API user: sig_field "acme-api".*"globex"/);
    // Acme's x-api-key with a signature naming Globex: Globex knows neither.
    const mixed = await og.patchBatch([{ product_id: "shared-id", live: false }], {
      auth: "none",
      headers: { ...forged, "x-api-key": "acme-key" },
    });
    expect(mixed.status).toBe(401);
    expect((mixed.body as { detail: string }).detail).toMatch(/^Invalid API key/);
    expectNoSecret(refused.text + mixed.text);
    for (const m of og.running.merchants.list()) expect(m.catalog.get("shared-id")!.live).toBe(true);
    // Globex journaled both refusals; Acme saw nothing.
    expect(og.running.merchants.merchant("globex")!.journal.total).toBe(2);
    expect(og.running.merchants.merchant("acme")!.journal.total).toBe(0);
  });

  it("refuses a request that names no merchant as Ordergroove refuses credentials, without a secret", async () => {
    const unknownId = signedHeaders({ ...ACME, publicId: "nobody" }, unixSeconds(og.clock.now()));
    const a = await og.patchBatch([], { auth: "none", headers: unknownId });
    expect(a.status).toBe(403);
    expect(a.body).toEqual({ detail: 'Unknown merchant: public_id "nobody" is not a merchant of this server.' });
    const b = await og.patchBatch([], key("stolen-or-typo"));
    expect(b.status).toBe(403);
    expect((b.body as { detail: string }).detail).toMatch(/^Invalid API key/);
    const c = await og.patchBatch([], { auth: "none" });
    expect(c.status).toBe(403);
    expect(c.body).toEqual({ detail: "Authentication Failed" });
    expect(c.headers["x-og-mock-hint"]).toMatch(/^Authentication credentials were not provided/);
    // Unknown routes still get the same 404 as with one merchant.
    const d = await og.request("GET", "/subscriptions/", { auth: "none" });
    expect(d.status).toBe(404);
    expectNoSecret([a, b, c, d].map((x) => x.text + JSON.stringify(x.headers)).join(""));
    for (const m of og.running.merchants.list()) expect(m.journal.total).toBe(0);
  });

  it("selects a merchant on every admin route by header or query; the first without either", async () => {
    await og.patchBatch([{ product_id: "globex-only", live: false }], key("globex-key"));
    const byQuery = await og.admin("GET", "journal?merchant=globex");
    expect(byQuery.body).toMatchObject({ total: 1, entries: [{ principal: { scheme: "api-key" } }] });
    const byHeader = await og.admin("GET", "products/globex-only", undefined, { "x-og-merchant": "globex" });
    expect(byHeader.body).toMatchObject({ merchant: "globex", live: false });
    expect((await og.admin("GET", "journal")).body).toMatchObject({ total: 0 }); // acme, the first
    expect((await og.admin("GET", "products/globex-only")).status).toBe(404);
    const unknown = await og.admin("GET", "health?merchant=initech");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      detail: 'Admin API: no merchant with public id "initech". Merchants: acme, globex.',
    });
    const both = await og.admin("GET", "health?merchant=acme", undefined, { "x-og-merchant": "globex" });
    expect(both.status).toBe(400);
    // Reset of one merchant leaves the other as it is.
    await og.patchBatch([{ product_id: "shared-id", live: false }], key("acme-key"));
    await og.admin("POST", "reset?merchant=globex");
    expect(og.running.merchants.merchant("globex")!.catalog.get("globex-only")!.live).toBe(true);
    expect(og.running.merchants.merchant("acme")!.catalog.get("shared-id")!.live).toBe(false);
  });

  it("lists merchants without secrets, adds one (checked field by field) and removes it", async () => {
    const list = await og.admin("GET", "merchants");
    expect(list.body).toEqual({
      merchants: [
        { publicId: "acme", apiUsers: ["acme-api"], apiKeys: 1, products: 1, journal: 0 },
        { publicId: "globex", apiUsers: ["globex-api"], apiKeys: 1, products: 2, journal: 0 },
      ],
      ipLimit: { limit: 6000, windowMs: 60000 },
    });
    expectNoSecret(list.text);

    const bad = await og.admin("POST", "merchants", { publicId: "", apiKeys: Array(11).fill("k"), color: "red" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      detail: "Admin API: invalid merchant: color: is not a known field.",
    });
    for (const [body, detail] of [
      [{ publicId: "initech" }, "needs apiUsers or apiKeys"],
      [{ publicId: "initech", apiKeys: ["k"], color: "red" }, "color: is not a known field"],
      [{ publicId: "initech", apiKeys: Array(11).fill("k") }, "apiKeys: must NOT have more than 10 items"],
      [{ publicId: "initech", apiKeys: ["k", "k"] }, "apiKeys: lists the same value twice (items 0 and 1)"],
      [{ publicId: "initech", apiUsers: [{ sigField: "", hashKey: "h" }] }, "apiUsers[0].sigField: must NOT have"],
    ] as const) {
      const refused = await og.admin("POST", "merchants", body);
      expect(refused.status).toBe(400);
      expect((refused.body as { detail: string }).detail).toContain(`Admin API: invalid merchant: ${detail}`);
    }
    const taken = await og.admin("POST", "merchants", { publicId: "initech", apiKeys: ["acme-key"] });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({
      detail:
        'Admin API: API key #1 of merchant "initech" is already a key of merchant "acme"; every key belongs to one merchant.',
    });
    expect((await og.admin("POST", "merchants", { publicId: "acme", apiKeys: ["x"] })).status).toBe(409);

    const added = await og.admin("POST", "merchants", {
      publicId: "initech",
      apiKeys: ["initech-key"],
      products: [{ product_id: "stapler", name: "Red stapler", price: "9.99" }],
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ publicId: "initech", apiUsers: [], apiKeys: 1, products: 1, journal: 0 });
    const write = await og.patchBatch([{ product_id: "stapler", live: false }], key("initech-key"));
    expect(write.body).toEqual({ results: [{ product_id: "stapler", status: 200 }] });
    expect((await og.admin("GET", "products/stapler?merchant=initech")).body).toMatchObject({ live: false });

    expect((await og.admin("DELETE", "merchants/initech")).status).toBe(200);
    expect((await og.patchBatch([{ product_id: "stapler", live: false }], key("initech-key"))).status).toBe(403);
    expect((await og.admin("GET", "merchants/initech")).status).toBe(404);
  });
});

describe("a merchant nobody can authenticate to", () => {
  it("is refused from code as it is from a merchants file", async () => {
    const { createMerchants } = await import("../../mock-server/core/merchants/merchants.js");
    const { checkMerchantsFile } = await import("../../mock-server/core/merchants/merchants-file.js");
    const nobody = "needs apiUsers or apiKeys (or both), else nobody can authenticate to it";
    expect(() => createMerchants({ merchants: [{ credentials: { publicId: "ghost", apiKeys: [] } }] })).toThrow(
      `merchants[0]: Merchant "ghost" ${nobody}.`,
    );
    expect(() =>
      createMerchants({ merchants: [{ credentials: { publicId: "ghost", apiKeys: [], apiUsers: [] } }] }),
    ).toThrow(nobody);
    // A merchants file says it when it is read: its schema asks for a non-empty list of users or keys.
    expect(() => checkMerchantsFile({ merchants: [{ publicId: "ghost", apiKeys: [] }] })).toThrow(nobody);
    const one = createMerchants({});
    expect(() => one.add({ credentials: { publicId: "ghost", apiUsers: [], apiKeys: [] } })).toThrow(nobody);
  });
});
