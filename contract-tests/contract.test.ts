/**
 * The contract of Ordergroove's products API, as one suite that runs against the fake and
 * against the real sandbox (see target.ts). It speaks HTTP through the reference client, and
 * raw requests only where the point is a malformed request. Every answer is checked against
 * the spec. Each test is a numbered clause; a failure says which clause broke.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedHeaders } from "../src/auth/signature.js";
import { OrdergrooveClient } from "../src/client/client.js";
import { type Exchange, recordingFetch } from "./recorder.js";
import { resolveTarget, type Target } from "./target.js";

const ON_MOCK = (process.env.OG_CONTRACT_TARGET || "mock") === "mock";
const log: Exchange[] = [];
const skipped: string[] = [];
let target: Target;
let client: OrdergrooveClient;
const original = new Map<string, boolean>();

beforeAll(async () => {
  target = await resolveTarget();
  console.log(
    `Contract suite against ${target.baseUrl} (${target.kind}); products it may toggle and will restore: ${target.productIds.join(", ")}.`,
  );
  client = makeClient(target.credentials);
  for (const id of target.productIds) {
    const product = await client.getProduct(id);
    if (!product)
      throw new Error(
        `Contract setup: product ${JSON.stringify(id)} does not exist at ${target.baseUrl}; set OG_CONTRACT_PRODUCT_IDS to existing products.`,
      );
    original.set(id, product.live);
  }
}, 30_000);

afterAll(async () => {
  if (!target) return;
  try {
    // Leave every product as it was found.
    const restore = [...original].map(([product_id, live]) => ({ product_id, live }));
    if (restore.length) {
      const report = await makeClient(target.credentials).updateProducts(restore);
      if (!report.ok)
        console.error(
          `Contract teardown: could not restore ${report.items
            .filter((i) => i.outcome !== "updated")
            .map((i) => i.productId)
            .join(", ")}.`,
        );
    }
    if (skipped.length) console.log(`Skipped on ${target.kind}:\n  ${skipped.join("\n  ")}`);
  } finally {
    await target.stop();
  }
}, 30_000);

function makeClient(
  credentials: Target["credentials"],
  extra: Partial<ConstructorParameters<typeof OrdergrooveClient>[0]> = {},
) {
  return new OrdergrooveClient({
    environment: { baseUrl: target.baseUrl },
    credentials,
    fetch: recordingFetch(log),
    ...extra,
  });
}

interface ClauseOptions {
  /** Why this clause can only run on the fake (it needs control the sandbox does not offer). */
  mockOnly?: string;
  /** Why this clause needs HMAC credentials. */
  needsHmac?: boolean;
}

function clause(id: string, title: string, fn: () => Promise<void>, options: ClauseOptions = {}): void {
  const name = `${id} ${title}`;
  if (options.mockOnly && !ON_MOCK) {
    skipped.push(`${name}: ${options.mockOnly}`);
    it.skip(`${name} [mock only: ${options.mockOnly}]`, () => {});
    return;
  }
  it(name, async () => {
    if (options.needsHmac && !target.hmac) {
      skipped.push(`${name}: needs HMAC credentials (OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY)`);
      return;
    }
    const from = log.length;
    try {
      await fn();
      const problems = log.slice(from).flatMap((e) => e.problems);
      if (problems.length) throw new Error(`an answer breaks the spec:\n  ${problems.join("\n  ")}`);
    } catch (error) {
      throw new Error(`Contract clause ${id} broken (${title}): ${(error as Error).message}`, { cause: error });
    }
  });
}

/** A raw request with the suite's valid HMAC headers (or the given ones), recorded and spec-checked. */
async function raw(
  method: string,
  path: string,
  body: string | undefined,
  headers?: Record<string, string>,
): Promise<Exchange> {
  const auth =
    headers ??
    (target.hmac ? signedHeaders(target.hmac, Math.floor(Date.now() / 1000)) : { "x-api-key": target.apiKey! });
  const request = new Request(`${target.baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...auth },
    ...(body === undefined ? {} : { body }),
  });
  await recordingFetch(log)(request);
  return log.at(-1)!;
}

async function liveOf(id: string): Promise<boolean | undefined> {
  return (await client.getProduct(id))?.live;
}

const freshId = () => `contract-missing-${randomUUID()}`;

clause("C1", "a signed batch of existing products answers 200 per item, and the change reads back", async () => {
  const [a, b] = target.productIds;
  const report = await client.updateProducts([
    { product_id: a, live: !original.get(a) },
    { product_id: b, live: !original.get(b) },
  ]);
  expect(report.items.map((i) => [i.productId, i.status])).toEqual([
    [a, 200],
    [b, 200],
  ]);
  const exchange = log.findLast((e) => e.path === "/products-batch/update/")!;
  expect([200, 207]).toContain(exchange.status);
  expect(await liveOf(a)).toBe(!original.get(a));
  expect(await liveOf(b)).toBe(!original.get(b));
});

clause("C2", "an unknown product id answers 404 for that item inside a 200/207 answer", async () => {
  const [a] = target.productIds;
  const missing = freshId();
  const report = await client.updateProducts([
    { product_id: missing, live: false },
    { product_id: a, live: original.get(a)! },
  ]);
  expect(report.items.map((i) => [i.productId, i.status])).toEqual([
    [missing, 404],
    [a, 200],
  ]);
  expect([200, 207]).toContain(log.findLast((e) => e.path === "/products-batch/update/")!.status);
});

clause("C3", "an invalid item answers 400 while its neighbours still apply", async () => {
  const [a, b] = target.productIds;
  const { value } = await client.sendBatch("PATCH", [
    { product_id: a, live: "not-a-boolean" },
    { product_id: b, live: !original.get(b) },
  ]);
  expect(value.map((r) => r.status)).toEqual([400, 200]);
  expect(await liveOf(a)).toBe(original.get(a));
  expect(await liveOf(b)).toBe(!original.get(b));
});

const BAD_CREDENTIALS: Array<[string, () => Record<string, string>]> = [
  ["no credentials at all", () => ({})],
  ["an unknown API key", () => ({ "x-api-key": `not-a-key-${randomUUID()}` })],
  [
    "a signature made with the wrong hash key",
    () =>
      signedHeaders(
        { ...(target.hmac ?? { publicId: "x", sigField: "x" }), hashKey: `wrong-${randomUUID()}` },
        Math.floor(Date.now() / 1000),
      ),
  ],
  [
    "an unknown API user",
    () =>
      signedHeaders(
        { publicId: target.hmac?.publicId ?? "x", sigField: `nobody-${randomUUID()}`, hashKey: "x" },
        Math.floor(Date.now() / 1000),
      ),
  ],
  ["authorization that is not JSON", () => ({ authorization: "not json", "og-authorization": "True" })],
];

for (const [i, [kind, headers]] of BAD_CREDENTIALS.entries()) {
  clause(`C4.${i + 1}`, `${kind} is refused with 401/403 and changes nothing`, async () => {
    const [a] = target.productIds;
    const before = await liveOf(a);
    const answer = await raw(
      "PATCH",
      "/products-batch/update/",
      JSON.stringify([{ product_id: a, live: !before }]),
      headers(),
    );
    expect([401, 403]).toContain(answer.status);
    expect(answer.body).toMatchObject({ detail: expect.any(String) });
    expect(await liveOf(a)).toBe(before);
  });
}

clause(
  "C4.6",
  "a valid signature without og-authorization: True is refused and changes nothing",
  async () => {
    const [a] = target.productIds;
    const before = await liveOf(a);
    const { authorization } = signedHeaders(target.hmac!, Math.floor(Date.now() / 1000));
    const answer = await raw("PATCH", "/products-batch/update/", JSON.stringify([{ product_id: a, live: !before }]), {
      authorization,
    });
    expect([401, 403]).toContain(answer.status);
    expect(await liveOf(a)).toBe(before);
  },
  { needsHmac: true },
);

clause(
  "C5",
  "a signature older than two hours is refused and changes nothing",
  async () => {
    const [a] = target.productIds;
    const before = await liveOf(a);
    const stale = signedHeaders(target.hmac!, Math.floor(Date.now() / 1000) - 3 * 3600);
    const answer = await raw(
      "PATCH",
      "/products-batch/update/",
      JSON.stringify([{ product_id: a, live: !before }]),
      stale,
    );
    expect([401, 403]).toContain(answer.status);
    expect(await liveOf(a)).toBe(before);
  },
  { needsHmac: true },
);

clause("C6", "a malformed body is refused with 400 and changes nothing", async () => {
  const [a] = target.productIds;
  const before = await liveOf(a);
  const notJson = await raw("PATCH", "/products-batch/update/", `[{"product_id": "${a}", "live": ${!before}`);
  expect(notJson.status).toBe(400);
  const notList = await raw("PATCH", "/products-batch/update/", JSON.stringify({ product_id: a, live: !before }));
  expect(notList.status).toBe(400);
  expect(await liveOf(a)).toBe(before);
});

clause("C7", "more than 100 items in one request is refused; the client splits such lists", async () => {
  const items = Array.from({ length: 101 }, () => ({ product_id: freshId(), live: false }));
  const refused = await raw("PATCH", "/products-batch/update/", JSON.stringify(items));
  expect(refused.status).toBe(400);
  const before = log.length;
  const report = await client.updateProducts(items);
  expect(report.notFound).toHaveLength(101);
  expect(log.slice(before).filter((e) => e.path === "/products-batch/update/")).toHaveLength(2);
});

clause("C8", "a product can be read by id, and an unknown id answers 404", async () => {
  const [a] = target.productIds;
  expect(await client.getProduct(a)).toMatchObject({ external_product_id: a });
  expect(await client.getProduct(freshId())).toBeNull();
  expect(log.at(-1)!.status).toBe(404);
});

clause(
  "C9",
  "an injected 503 is retried by the client and the batch still applies",
  async () => {
    const [a] = target.productIds;
    await admin("PUT", "faults", { next: [{ status: 503, count: 1 }] });
    const report = await client.updateProducts([{ product_id: a, live: !original.get(a) }]);
    expect(report).toMatchObject({ ok: true, retries: 1 });
  },
  { mockOnly: "faults cannot be injected into Ordergroove's sandbox" },
);

clause(
  "C10",
  "the throttle answers 429 with Retry-After, which the client honours",
  async () => {
    await admin("PATCH", "settings", { throttle: { limit: 1, windowMs: 2000 } });
    try {
      const first = await raw("PATCH", "/products-batch/update/", "[]");
      expect([200, 207]).toContain(first.status);
      const second = await raw("PATCH", "/products-batch/update/", "[]");
      expect(second.status).toBe(429);
      const report = await makeClient(target.credentials, { rateLimit: false }).updateProducts([
        { product_id: target.productIds[0], live: true },
      ]);
      expect(report.ok).toBe(true);
      expect(report.retries).toBeGreaterThan(0);
    } finally {
      await admin("PATCH", "settings", { throttle: { limit: 600, windowMs: 60_000 } });
    }
  },
  { mockOnly: "Ordergroove's 600 requests/minute cannot be exhausted safely on a shared sandbox" },
);

clause(
  "C11",
  "the journal records what was received, with secrets masked",
  async () => {
    const journal = (await admin("GET", "journal")) as { entries: Array<{ headers: Record<string, string> }> };
    expect(journal.entries.length).toBeGreaterThan(0);
    const text = JSON.stringify(journal);
    expect(text).not.toContain(target.hmac!.hashKey);
    expect(text).not.toContain(target.apiKey!);
  },
  { mockOnly: "the journal is the fake's own" },
);

clause("C12", "every answer in this run validated against the spec", async () => {
  const problems = log.flatMap((e) => e.problems);
  expect(problems).toEqual([]);
  expect(log.length).toBeGreaterThan(10);
});

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${target.baseUrl}/__admin/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`admin ${method} ${path} answered ${res.status}`);
  return res.json();
}
