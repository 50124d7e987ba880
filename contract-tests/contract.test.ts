/**
 * The contract of Ordergroove's products API, as one suite that runs against the fake and
 * against the real sandbox (see target.ts). It speaks HTTP through the reference client, and
 * raw requests only where the point is a malformed request.
 *
 * Two kinds of clause:
 *   C*  contract: behaviour Ordergroove documents. Every answer is checked against the spec; a
 *       failure says which clause broke.
 *   A*  assumption: behaviour the docs leave open (101 items, a non-list body, unknown fields,
 *       content types, the Retry-After form, the answer form). They never fail a real target:
 *       they record what it did (observations.ts), shown as "observed" in the summary and the
 *       JUnit file. Against the fake they fail only when it contradicts its own settings.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, type TestContext } from "vitest";
import { signedHeaders } from "../shared/auth/signature.js";
import { OrdergrooveClient } from "../src/client/client.js";
import { batchResults } from "../shared/batch-results.js";
import {
  type ObservationKey,
  type ObservedValue,
  observe,
  observations,
  summary,
  writeObservations,
} from "./observations.js";
import { type Exchange, recordingFetch } from "./recorder.js";
import { resolveTarget, type Target } from "./target.js";
import { AUTH_FAILURES, type AuthFailure, FAKE_EXPLANATION } from "../mock-server/core/calibration/behaviours.js";
import { HINT_HEADER, hintHeaderValue } from "../mock-server/core/hint.js";
import { bodyShape, priceType, refusalWords, retryAfterForm, timestampFormat } from "../shared/observed-forms.js";

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
    if (observations().length) console.log(summary());
    const file = process.env.OG_CONTRACT_OBSERVATIONS;
    if (file) {
      const { kind, baseUrl, productIds } = target;
      await writeObservations(file, { kind, baseUrl, productIds: [...productIds] });
    }
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

const NEEDS_HMAC = "needs HMAC credentials (OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY)";

/**
 * Skips a clause the target's credentials cannot exercise: reported as skipped, with the reason
 * (in vitest's report and the suite's "Skipped on" list), never as passed. Whether the target
 * has HMAC credentials is known only once beforeAll resolved it, hence a skip at run time.
 */
function skipWithoutHmac(name: string, options: ClauseOptions, context: TestContext): void {
  if (!options.needsHmac || target.hmac) return;
  skipped.push(`${name}: ${NEEDS_HMAC}`);
  context.skip(NEEDS_HMAC);
}

function clause(id: string, title: string, fn: () => Promise<void>, options: ClauseOptions = {}): void {
  const name = `${id} ${title}`;
  if (options.mockOnly && !ON_MOCK) {
    skipped.push(`${name}: ${options.mockOnly}`);
    it.skip(`${name} [mock only: ${options.mockOnly}]`, () => {});
    return;
  }
  it(name, async (context: TestContext) => {
    skipWithoutHmac(name, options, context);
    const from = log.length;
    const problems = () => log.slice(from).flatMap((e) => (e.assumption ? [] : e.problems));
    try {
      await fn();
      if (problems().length) throw new Error(`an answer breaks the spec:\n  ${problems().join("\n  ")}`);
    } catch (error) {
      const message = (error as Error).message;
      // The spec violation behind a failed expectation is usually the real news: show both.
      const spec = problems().filter((p) => !message.includes(p));
      const also = spec.length ? `\n  and an answer breaks the spec:\n  ${spec.join("\n  ")}` : "";
      throw new Error(`Contract clause ${id} broken (${title}): ${message}${also}`, { cause: error });
    }
  });
}

/**
 * A raw request with the suite's valid credentials (or the given headers), recorded and
 * spec-checked. `contentType: null` sends the body without one; `assumption` marks a probe of
 * undocumented behaviour, whose answer is observed rather than held against the spec.
 */
async function raw(
  method: string,
  path: string,
  body: string | undefined,
  headers?: Record<string, string>,
  options: { contentType?: string | null; assumption?: boolean; redirect?: RequestRedirect } = {},
): Promise<Exchange> {
  const auth =
    headers ??
    (target.hmac ? signedHeaders(target.hmac, Math.floor(Date.now() / 1000)) : { "x-api-key": target.apiKey! });
  const type = options.contentType === undefined ? "application/json" : options.contentType;
  const request = new Request(`${target.baseUrl}${path}`, {
    method,
    redirect: options.redirect ?? "follow",
    headers: { ...(body === undefined || type === null ? {} : { "content-type": type }), ...auth },
    // Bytes, not a string: fetch would add text/plain to a string body sent without content-type.
    ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
  });
  await recordingFetch(log)(request);
  const exchange = log.at(-1)!;
  if (options.assumption) exchange.assumption = true;
  return exchange;
}

/** The fake's own settings, read once: an assumption clause compares what it observed with them. */
let fakeSettings: Record<string, Record<string, unknown>> | undefined;
async function fakeSetting(key: ObservationKey): Promise<unknown> {
  fakeSettings ??= (await admin("GET", "settings")) as Record<string, Record<string, unknown>>;
  const [group, name] = key.split(".") as [string, string];
  return fakeSettings[group]?.[name];
}

interface Observed {
  value: ObservedValue;
  note?: string;
}

/**
 * An assumption clause: `probe` finds out what the target does and returns it. Against a real
 * target it never fails (unless the probe itself cannot run); against the fake it fails when the
 * fake contradicts its own setting for `key`.
 */
function assumption(
  id: string,
  title: string,
  key: ObservationKey,
  probe: () => Promise<Observed>,
  options: ClauseOptions = {},
): void {
  const name = `${id} ${title} [assumption: ${key}]`;
  it(name, async (context: TestContext) => {
    skipWithoutHmac(name, options, context);
    const { value, note } = await probe();
    observe(key, value, id, note);
    await context.annotate(`${key} = ${JSON.stringify(value)}${note ? ` (${note})` : ""}`, "observed");
    if (ON_MOCK) {
      const setting = await fakeSetting(key);
      if (setting !== undefined && setting !== value) {
        throw new Error(
          `Assumption clause ${id} (${title}): the fake's setting ${key} is ${JSON.stringify(setting)} but it answered as ${JSON.stringify(value)}${note ? ` (${note})` : ""}.`,
        );
      }
    }
  });
}

/** What a refused credential got, recorded under its kind (the profile keeps per-failure answers). */
function observeRefusal(kind: AuthFailure, clause: string, answer: Exchange): void {
  refusals.push(answer.status);
  observe(`auth.${kind}.status`, answer.status, clause);
  observe(`auth.${kind}.body`, bodyShape(answer.body), clause);
  const text = (answer.body as { detail?: unknown } | undefined)?.detail;
  const words = typeof text === "string" ? refusalText(text, answer) : undefined;
  if (words !== undefined) observe(`auth.${kind}.detail`, words, clause);
}

/**
 * The words of a refusal, as a profile keeps them: the fake's own explanation (its body repeats
 * its x-og-mock-hint) as such; anything else as og-mock --learn keeps it too (shared/observed-forms.ts).
 */
function refusalText(text: string, answer: Exchange): string | undefined {
  const hint = answer.headers[HINT_HEADER];
  if (hint !== undefined && hintHeaderValue(text) === hint) return FAKE_EXPLANATION;
  return refusalWords(text, [target.apiKey, target.hmac?.hashKey]);
}

/** Which of a batch's processed statuses, or the refusal status, an answer was. */
const processed = (status: number) => status === 200 || status === 207;

async function liveOf(id: string): Promise<boolean | undefined> {
  return (await client.getProduct(id))?.live;
}

const freshId = () => `contract-missing-${randomUUID()}`;
/** The form C1 saw, observed by A0 (both forms and both statuses are documented: an observation, not a clause). */
let answerForm: { status: number; form: "object" | "list" } | undefined;
/** The status of refused credentials C4 saw (401 and 403 are both documented). */
const refusals: number[] = [];

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
  answerForm = { status: exchange.status, form: Array.isArray(exchange.body) ? "list" : "object" };
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

const BAD_CREDENTIALS: Array<[AuthFailure, () => Record<string, string>]> = [
  ["missing", () => ({})],
  ["unknownApiKey", () => ({ "x-api-key": `not-a-key-${randomUUID()}` })],
  [
    "wrongHashKey",
    () =>
      signedHeaders(
        { ...(target.hmac ?? { publicId: "x", sigField: "x" }), hashKey: `wrong-${randomUUID()}` },
        Math.floor(Date.now() / 1000),
      ),
  ],
  [
    "unknownApiUser",
    () =>
      signedHeaders(
        { publicId: target.hmac?.publicId ?? "x", sigField: `nobody-${randomUUID()}`, hashKey: "x" },
        Math.floor(Date.now() / 1000),
      ),
  ],
  ["notJson", () => ({ authorization: "not json", "og-authorization": "True" })],
];

for (const [i, [kind, headers]] of BAD_CREDENTIALS.entries()) {
  clause(`C4.${i + 1}`, `${AUTH_FAILURES[kind]} is refused with 401/403 and changes nothing`, async () => {
    const [a] = target.productIds;
    const before = await liveOf(a);
    const answer = await raw(
      "PATCH",
      "/products-batch/update/",
      JSON.stringify([{ product_id: a, live: !before }]),
      headers(),
    );
    // Without HMAC credentials these two are signed for a made-up merchant: refused all the same,
    // but not for the reason their key names, so not recorded as that failure.
    if (target.hmac || (kind !== "wrongHashKey" && kind !== "unknownApiUser")) {
      observeRefusal(kind, `C4.${i + 1}`, answer);
    }
    expect([401, 403]).toContain(answer.status);
    expect(answer.body).toMatchObject({ detail: expect.any(String) });
    expect(await liveOf(a)).toBe(before);
  });
}

clause(
  "C4.6",
  "an API-user signature without og-authorization: True (read as a storefront signature with the wrong key) is refused and changes nothing",
  async () => {
    const [a] = target.productIds;
    const before = await liveOf(a);
    const { authorization } = signedHeaders(target.hmac!, Math.floor(Date.now() / 1000));
    const answer = await raw("PATCH", "/products-batch/update/", JSON.stringify([{ product_id: a, live: !before }]), {
      authorization,
    });
    observeRefusal("noOgAuthorization", "C4.6", answer);
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
    observeRefusal("stale", "C5", answer);
    expect([401, 403]).toContain(answer.status);
    expect(await liveOf(a)).toBe(before);
  },
  { needsHmac: true },
);

clause("C6", "a body that is not JSON is refused with 400 and changes nothing", async () => {
  const [a] = target.productIds;
  const before = await liveOf(a);
  const notJson = await raw("PATCH", "/products-batch/update/", `[{"product_id": "${a}", "live": ${!before}`);
  expect(notJson.status).toBe(400);
  expect(await liveOf(a)).toBe(before);
});

clause("C7", "the client splits a list of 101 items into requests of at most 100 (the documented cap)", async () => {
  const items = Array.from({ length: 101 }, () => ({ product_id: freshId(), live: false }));
  const before = log.length;
  const report = await client.updateProducts(items);
  expect(report.notFound).toHaveLength(101);
  expect(log.slice(before).filter((e) => e.path === "/products-batch/update/")).toHaveLength(2);
});

clause("C8", "a product can be read by id, and an unknown id answers 404", async () => {
  const [a] = target.productIds;
  expect(await client.getProduct(a)).toMatchObject({ external_product_id: a });
  // Both readings are documented (string prices, "YYYY-MM-DD HH:MM:SS"; older pages show numbers
  // and ISO dates): recorded for calibration, never a failure.
  const read = log.findLast((e) => e.method === "GET" && e.status === 200)!.body as Record<string, unknown>;
  observe("answer.priceType", priceType(read.price), "C8");
  observe("answer.timestampFormat", timestampFormat(read.last_update ?? read.created), "C8");
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

clause(
  "C12",
  "the listing (GET /products/, cursor pages) finds each of the suite's products once, as it reads by id",
  async () => {
    const ids = target.productIds;
    const seen: string[] = [];
    // One product a page, so the walk follows `next` links even with two products.
    const pages: number[] = [];
    for await (const product of client.listProducts(
      { "external_product_ids[]": [...ids], autoship_enabled: "all", allow_discontinued: "true", page_size: 1 },
      { onPage: (n) => pages.push(n) },
    )) {
      seen.push(product.external_product_id);
      expect(product.live, product.external_product_id).toBe(await liveOf(product.external_product_id));
    }
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(pages.length).toBeGreaterThanOrEqual(ids.length);
  },
);

clause("C13", "the group check answers product_has_group false for a group the product is not in", async () => {
  // What an unknown product gets is not documented (the fake's 404 is an assumption), so not a clause.
  const [a] = target.productIds;
  expect(await client.hasGroup(a, "eligibility", `contract-no-such-group-${randomUUID()}`)).toBe(false);
});

// Assumption clauses: each probe leaves products as they were (fresh ids, or a product's own value).

assumption("A1", "what a processed batch answers: status and form", "answer.batchStatus", async () => {
  if (!answerForm) throw new Error("C1 did not record an answer to observe.");
  observe("answer.batchForm", answerForm.form, "A1");
  if (ON_MOCK && (await fakeSetting("answer.batchForm")) !== answerForm.form) {
    throw new Error(`the fake's setting answer.batchForm is not the form it answered (${answerForm.form}).`);
  }
  return { value: answerForm.status, note: `form ${answerForm.form}` };
});

assumption("A2", "what refused credentials answer: 401 or 403", "auth.failureStatus", async () => {
  if (!refusals.length) throw new Error("C4 did not record a refusal to observe.");
  // The status most refusals got: the fake answers every refusal with one (per kind: auth.*.status).
  const counts = new Map<number, number>();
  for (const s of refusals) counts.set(s, (counts.get(s) ?? 0) + 1);
  const [status, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return { value: status, note: `${n} of ${refusals.length} refusals` };
});

assumption("A3", "what a batch of 101 items gets", "behaviour.tooManyItems", async () => {
  const items = Array.from({ length: 101 }, () => ({ product_id: freshId(), live: false }));
  const answer = await raw("PATCH", "/products-batch/update/", JSON.stringify(items), undefined, { assumption: true });
  return processed(answer.status) ? { value: "process", note: `answered ${answer.status}` } : { value: answer.status };
});

assumption("A4", "what a JSON body that is not a list gets", "behaviour.nonListBody", async () => {
  const [a] = target.productIds;
  const body = JSON.stringify({ product_id: a, live: original.get(a) });
  const answer = await raw("PATCH", "/products-batch/update/", body, undefined, { assumption: true });
  return { value: answer.status };
});

assumption("A5", "what an item with a field the spec does not know gets", "behaviour.unknownFields", async () => {
  const [a] = target.productIds;
  const body = JSON.stringify([{ product_id: a, live: original.get(a), og_contract_unknown_field: true }]);
  const answer = await raw("PATCH", "/products-batch/update/", body, undefined, { assumption: true });
  const status = batchResults(answer.body)[0]?.status;
  if (!processed(answer.status))
    return { value: "refuse", note: `the request as a whole was refused: ${answer.status}` };
  return { value: status === 200 ? "ignore" : "refuse", note: `item status ${String(status)}` };
});

assumption("A6", "what a JSON body sent as text/plain gets", "behaviour.unsupportedMediaType", async () => {
  const [a] = target.productIds;
  const body = JSON.stringify([{ product_id: a, live: original.get(a) }]);
  const answer = await raw("PATCH", "/products-batch/update/", body, undefined, {
    contentType: "text/plain",
    assumption: true,
  });
  return processed(answer.status) ? { value: "accepted", note: `answered ${answer.status}` } : { value: answer.status };
});

assumption("A7", "what a body without content-type gets", "behaviour.missingContentType", async () => {
  const [a] = target.productIds;
  const body = JSON.stringify([{ product_id: a, live: original.get(a) }]);
  const answer = await raw("PATCH", "/products-batch/update/", body, undefined, {
    contentType: null,
    assumption: true,
  });
  return { value: processed(answer.status) ? "assume-json" : "refuse", note: `answered ${answer.status}` };
});

assumption(
  "A8",
  "what a signature whose ts is a JSON string gets",
  "behaviour.tsAsString",
  async () => {
    const headers = signedHeaders(target.hmac!, Math.floor(Date.now() / 1000));
    const payload = JSON.parse(headers.authorization) as Record<string, unknown>;
    const authorization = JSON.stringify({ ...payload, ts: String(payload.ts) });
    const answer = await raw(
      "PATCH",
      "/products-batch/update/",
      "[]",
      { ...headers, authorization },
      { assumption: true },
    );
    return { value: processed(answer.status) ? "accept" : "refuse", note: `answered ${answer.status}` };
  },
  { needsHmac: true },
);

assumption("A9", "the form of Retry-After on a 429", "behaviour.retryAfter", async () => {
  const throttled = log.findLast((e) => e.status === 429);
  if (!throttled) return { value: "not-observed", note: "no 429 in this run" };
  return { value: retryAfterForm(throttled.headers["retry-after"]) };
});

assumption(
  "A10",
  "what a GET of a known path without its trailing slash gets (and a PATCH)",
  "behaviour.missingTrailingSlash",
  async () => {
    // Not followed: the point is what the target answers, not where a client ends up.
    const get = await raw("GET", "/products?page_size=1", undefined, undefined, {
      assumption: true,
      redirect: "manual",
    });
    // An empty batch: a no-op wherever it lands (and "[]" is not a write if it is refused).
    const patch = await raw("PATCH", "/products-batch/update", "[]", undefined, {
      assumption: true,
      redirect: "manual",
    });
    observe("behaviour.missingTrailingSlashWrite", patch.status, "A10");
    const location = get.headers.location ?? "";
    if (get.status >= 300 && get.status < 400) {
      const to = new URL(location, target.baseUrl);
      const kept = to.pathname.endsWith("/products/") && to.searchParams.get("page_size") === "1";
      const form = /^https?:/.test(location) ? "an absolute" : "a relative";
      return {
        value: kept ? "redirect" : "other",
        note: `${get.status} to ${form} Location${kept ? ", query kept" : ` ${JSON.stringify(to.pathname)}`}; PATCH ${patch.status}`,
      };
    }
    if (get.status === 404) return { value: "not-found", note: `PATCH ${patch.status}` };
    if (get.status === 200) return { value: "serve", note: `PATCH ${patch.status}` };
    return { value: "other", note: `answered ${get.status}; PATCH ${patch.status}` };
  },
);

clause("C14", "every answer in this run validated against the spec", async () => {
  const problems = log.flatMap((e) => (e.assumption ? [] : e.problems));
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
