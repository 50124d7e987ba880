/**
 * The fake defaults to what Ordergroove documents, and makes every undocumented behaviour a
 * setting: unknown fields ignored like Django REST framework (recorded and warned once), strict
 * mode refusing them, numeric prices read back as strings, the storefront scope, and the
 * single-product PATCH taking x-api-key only. Real HTTP against og-mock's node:http host.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { DEFAULT_CREDENTIALS } from "../../mock-server/core/options.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { checkAnswer } from "../../shared/validation/response-validator.js";

const clock = new ManualClock();
const warnings: string[] = [];
const logger = pino(
  { level: "warn" },
  new Writable({
    write(chunk, _enc, done) {
      warnings.push(String((JSON.parse(String(chunk)) as { msg: string }).msg));
      done();
    },
  }),
);
let og: RunningMockServer;
let strict: RunningMockServer;

beforeAll(async () => {
  og = await startMockServer({ port: 0, clock, logger });
  strict = await startMockServer({ port: 0, clock, strict: true, logger });
});
afterAll(async () => {
  await og.close();
  await strict.close();
});

const apiUser = () =>
  signedHeaders({ ...DEFAULT_CREDENTIALS, ...DEFAULT_CREDENTIALS.apiUsers[0]! }, unixSeconds(clock.now()));
const storefront = (customerId: string, hashKey = DEFAULT_CREDENTIALS.merchantHashKey) => ({
  authorization: signedHeaders(
    { publicId: DEFAULT_CREDENTIALS.publicId, sigField: customerId, hashKey },
    unixSeconds(clock.now()),
  ).authorization,
});

async function send(
  server: RunningMockServer,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  const problems = checkAnswer({
    method,
    path,
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: parsed,
  });
  expect(problems).toEqual([]);
  return { status: res.status, headers: res.headers, body: parsed };
}

describe("unknown item fields", () => {
  it("are ignored by default, as Django REST framework does: the item applies, the field is journaled and warned once", async () => {
    og.mock.reset();
    warnings.length = 0;
    const first = await send(
      og,
      "PATCH",
      "/products-batch/update/",
      [
        { product_id: "og-granola-500g", live: false, lve: true, colour: "blue" },
        { product_id: "og-coffee-beans-1kg", lve: false },
      ],
      apiUser(),
    );
    expect(first.body).toEqual({
      results: [
        { product_id: "og-granola-500g", status: 200 },
        { product_id: "og-coffee-beans-1kg", status: 200 },
      ],
    });
    expect(og.mock.catalog.get("og-granola-500g")).toMatchObject({ live: false });
    expect(og.mock.catalog.get("og-granola-500g")).not.toHaveProperty("lve");
    expect(og.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true); // the typo changed nothing
    expect(og.mock.journal.entries().at(-1)!.ignoredFields).toEqual(["lve", "colour"]);
    await send(og, "PATCH", "/products-batch/update/", [{ product_id: "og-granola-500g", lve: true }], apiUser());
    expect(warnings.filter((w) => w.includes('"lve"'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('"colour"'))).toHaveLength(1);
    expect(warnings[0]).toContain("strict");
  });

  it("warn to a bare { warn } sink given to the server, the same option the core and MSW take", async () => {
    const seen: string[] = [];
    const plain = await startMockServer({ port: 0, clock, logger: { warn: (message) => seen.push(message) } });
    try {
      const answer = await send(
        plain,
        "PATCH",
        "/products-batch/update/",
        [{ product_id: "og-granola-500g", lve: true }],
        apiUser(),
      );
      expect(answer.status).toBe(207);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('"lve"');
    } finally {
      await plain.close();
    }
  });

  it("are refused per item in strict mode, neighbours still applied", async () => {
    strict.mock.reset();
    const answer = await send(
      strict,
      "PATCH",
      "/products-batch/update/",
      [
        { product_id: "og-granola-500g", lve: false },
        { product_id: "og-coffee-beans-1kg", live: false },
      ],
      apiUser(),
    );
    expect(answer.body).toEqual({
      results: [
        {
          product_id: "og-granola-500g",
          status: 400,
          detail: "lve: is not a known product field (strict mode refuses fields the spec does not know)",
        },
        { product_id: "og-coffee-beans-1kg", status: 200 },
      ],
    });
    expect(strict.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
  });
});

describe("documented field types", () => {
  it("stores numeric prices and reads them back in Ordergroove's string form", async () => {
    og.mock.reset();
    await send(
      og,
      "PATCH",
      "/products-batch/update/",
      [
        { product_id: "og-granola-500g", price: 100 },
        { product_id: "og-coffee-beans-1kg", price: 15.5 },
        { product_id: "og-green-tea-100", price: "7.1" },
      ],
      apiUser(),
    );
    const read = async (id: string) => (await send(og, "GET", `/products/${id}/`, undefined, apiUser())).body;
    expect(await read("og-granola-500g")).toMatchObject({ price: "100.00" });
    expect(await read("og-coffee-beans-1kg")).toMatchObject({ price: "15.50" });
    expect(await read("og-green-tea-100")).toMatchObject({ price: "7.10" });
  });

  it("accepts group objects, integer premier_enabled, every 0, every_period 4, a null name and the newer product types", async () => {
    og.mock.reset();
    const item = {
      product_id: "og-granola-500g",
      groups: [{ name: "subscription", group_type: "eligibility" }],
      premier_enabled: 1,
      every: 0,
      every_period: 4,
      name: null,
      product_type: "dynamic price bundle",
    };
    const answer = await send(og, "PATCH", "/products-batch/update/", [item], apiUser());
    expect(answer.body).toEqual({ results: [{ product_id: "og-granola-500g", status: 200 }] });
    const { product_id: _id, ...fields } = item;
    expect((await send(og, "GET", "/products/og-granola-500g/", undefined, apiUser())).body).toMatchObject(fields);
  });

  it("writes timestamps as Ordergroove does: YYYY-MM-DD HH:MM:SS", async () => {
    og.mock.reset();
    clock.set(Date.UTC(2026, 10, 28, 7, 5, 9));
    await send(og, "PATCH", "/products-batch/update/", [{ product_id: "og-granola-500g", live: false }], apiUser());
    const product = (await send(og, "GET", "/products/og-granola-500g/", undefined, apiUser())).body;
    expect(product).toMatchObject({ last_update: "2026-11-28 07:05:09" });
  });

  it("creates a product from product_id alone", async () => {
    og.mock.reset();
    const answer = await send(og, "POST", "/products-batch/create/", [{ product_id: "og-only-id" }], apiUser());
    expect(answer.body).toEqual({ results: [{ product_id: "og-only-id", status: 200 }] });
    expect(og.mock.catalog.get("og-only-id")).toMatchObject({ live: true, premier_enabled: 0 });
  });
});

describe("scopes per operation", () => {
  it("accepts a storefront (customer) signature on bulk update and reads, with the customer id in the journal", async () => {
    og.mock.reset();
    const update = await send(
      og,
      "PATCH",
      "/products-batch/update/",
      [{ product_id: "og-granola-500g", live: false }],
      storefront("cust-42"),
    );
    expect(update.status).toBe(207);
    expect(og.mock.journal.entries().at(-1)!.principal).toEqual({
      scheme: "customer",
      publicId: DEFAULT_CREDENTIALS.publicId,
      customerId: "cust-42",
    });
    expect((await send(og, "GET", "/products/og-granola-500g/", undefined, storefront("cust-42"))).status).toBe(200);
  });

  it("refuses a storefront signature made with an API user's key, and an API-user signature made with the merchant key", async () => {
    const wrongKey = await send(
      og,
      "PATCH",
      "/products-batch/update/",
      [],
      storefront("cust-42", DEFAULT_CREDENTIALS.apiUsers[0]!.hashKey),
    );
    expect(wrongKey.status).toBe(403);
    const asApiUser = {
      ...signedHeaders(
        {
          publicId: DEFAULT_CREDENTIALS.publicId,
          sigField: DEFAULT_CREDENTIALS.apiUsers[0]!.sigField,
          hashKey: DEFAULT_CREDENTIALS.merchantHashKey,
        },
        unixSeconds(clock.now()),
      ),
    };
    const merchantKey = await send(og, "PATCH", "/products-batch/update/", [], asApiUser);
    expect(merchantKey.status).toBe(403);
    expect((merchantKey.body as { detail: string }).detail).toContain("signed with the merchant hash key");
  });

  it("refuses HMAC on the single-product PATCH with 403 naming x-api-key, and accepts x-api-key there", async () => {
    og.mock.reset();
    for (const headers of [apiUser(), storefront("cust-42")]) {
      const refused = await send(og, "PATCH", "/products/og-granola-500g/", { live: false }, headers);
      expect(refused.status).toBe(403);
      expect((refused.body as { detail: string }).detail).toContain("x-api-key");
    }
    expect(og.mock.catalog.get("og-granola-500g")?.live).toBe(true);
    const ok = await send(
      og,
      "PATCH",
      "/products/og-granola-500g/",
      { price: 15, upsell_eligible: true, type: "bundle" },
      {
        "x-api-key": DEFAULT_CREDENTIALS.apiKeys[0]!,
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ price: "15.00", product_type: "bundle", upsell_eligible: true });
  });
});

describe("undocumented behaviours are settings", () => {
  it("answers as the behaviour settings say, and back to the defaults on reset", async () => {
    og.mock.reset();
    const key = { "x-api-key": DEFAULT_CREDENTIALS.apiKeys[0]! };
    const many = Array.from({ length: 101 }, (_, i) => ({ product_id: `nope-${i}`, live: false }));
    expect((await send(og, "PATCH", "/products-batch/update/", many, key)).status).toBe(400);
    expect((await send(og, "PATCH", "/products-batch/update/", { product_id: "og-granola-500g" }, key)).status).toBe(
      400,
    );
    og.mock.setBehaviour({ tooManyItems: "process", nonListBody: 422, missingContentType: "assume-json" });
    const processed = await send(og, "PATCH", "/products-batch/update/", many, key);
    expect(processed.status).toBe(207);
    expect((processed.body as { results: unknown[] }).results).toHaveLength(101);
    expect((await send(og, "PATCH", "/products-batch/update/", { product_id: "og-granola-500g" }, key)).status).toBe(
      422,
    );
    const noType = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: key,
      body: new TextEncoder().encode('[{"product_id": "og-granola-500g", "live": false}]'),
    });
    expect(noType.status).toBe(207);
    og.mock.reset();
    expect(og.mock.behaviour).toMatchObject({ tooManyItems: 400, nonListBody: 400, missingContentType: "refuse" });
  });

  it("sends Retry-After in the form the setting says", async () => {
    og.mock.reset();
    og.mock.setThrottle({ limit: 1, windowMs: 60_000 });
    og.mock.setBehaviour({ retryAfter: "http-date" });
    const key = { "x-api-key": DEFAULT_CREDENTIALS.apiKeys[0]! };
    await send(og, "PATCH", "/products-batch/update/", [], key);
    const res = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { ...key, "content-type": "application/json" },
      body: "[]",
    });
    expect(res.status).toBe(429);
    expect(Number.isNaN(Date.parse(res.headers.get("retry-after") ?? ""))).toBe(false);
    og.mock.reset();
  });

  it("refuses a bad setting with a clear error and keeps the old one", () => {
    expect(() => og.mock.setBehaviour({ unknownFields: "maybe" as never })).toThrow(
      'behaviour.unknownFields must be one of ignore, refuse; got "maybe".',
    );
    expect(og.mock.behaviour.unknownFields).toBe("ignore");
  });
});
