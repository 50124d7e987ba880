/**
 * Property-based fuzzing of the fake's HTTP surface: random and mutated methods, paths, headers
 * and bodies. Invariants: never a 5xx, never a crash, every answer as the spec documents, and a
 * refused request changes nothing. OG_FUZZ_RUNS sets the number of cases (CI: 10,000).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeSignature, signedHeaders } from "../../src/auth/signature.js";
import { checkAnswer } from "../../src/spec/response-validator.js";
import { defaultCatalog } from "../../mock-server/core/default-catalog.js";
import { API_KEY, CREDS, useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

const RUNS = Number(process.env.OG_FUZZ_RUNS ?? 10_000);
const og = useMockServer({ throttle: false, journalLimit: 100 });
const ids = defaultCatalog.map((p) => p.external_product_id!);

const productId = fc.oneof(
  { arbitrary: fc.constantFrom(...ids), weight: 4 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ minLength: 250, maxLength: 300 }), weight: 1 },
  { arbitrary: fc.jsonValue(), weight: 1 },
);
const item = fc.oneof(
  { arbitrary: fc.record({ product_id: productId, live: fc.boolean() }), weight: 5 },
  {
    arbitrary: fc.record(
      { product_id: productId, live: fc.anything(), price: fc.oneof(fc.string(), fc.double()), every: fc.anything() },
      { requiredKeys: [] },
    ),
    weight: 2,
  },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);
const body = fc.oneof(
  { arbitrary: fc.array(item, { maxLength: 8 }).map((l) => JSON.stringify(l)), weight: 6 },
  { arbitrary: fc.array(item, { minLength: 95, maxLength: 130 }).map((l) => JSON.stringify(l)), weight: 1 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 50 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 3000 }).map((d) => `${"[".repeat(d)}${"]".repeat(d)}`), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

type AuthPlan = (nowSeconds: number) => Record<string, string | undefined>;
/** A timestamp that depends on "now", so it is picked as a kind and made at send time. */
const tsKind = fc.oneof(
  fc.constantFrom("now", "stale", "milliseconds", "far-future"),
  fc.integer().map((n) => ({ fixed: n as unknown })),
  fc.double().map((n) => ({ fixed: n as unknown })),
  fc.string({ maxLength: 12 }).map((t) => ({ fixed: t as unknown })),
  fc.constant({ fixed: null as unknown }),
);
function tsFor(kind: string | { fixed: unknown }, now: number): unknown {
  if (typeof kind !== "string") return kind.fixed;
  return { now, stale: now - 7201, milliseconds: now * 1000, "far-future": now + 10 * 365 * 86400 }[kind];
}
const auth: fc.Arbitrary<AuthPlan> = fc.oneof(
  { arbitrary: fc.constant((now: number) => signedHeaders(CREDS, now)), weight: 5 },
  { arbitrary: fc.constant(() => ({ "x-api-key": API_KEY })), weight: 2 },
  {
    // Every field mutated: wrong types, huge values, unicode, missing.
    arbitrary: fc
      .record(
        {
          public_id: fc.oneof(fc.constant(CREDS.publicId), fc.jsonValue(), fc.string({ unit: "grapheme" })),
          ts: tsKind,
          sig_field: fc.oneof(
            fc.constant(CREDS.sigField),
            fc.jsonValue(),
            fc.string({ minLength: 1000, maxLength: 2000 }),
          ),
          sig: fc.oneof(fc.string(), fc.jsonValue()),
          trust_level: fc.jsonValue(),
        },
        { requiredKeys: [] },
      )
      .map(({ ts, ...fields }) => (now: number) => ({
        authorization: JSON.stringify(ts === undefined ? fields : { ...fields, ts: tsFor(ts, now) }),
        "og-authorization": "True",
      })),
    weight: 3,
  },
  {
    // A valid signature with a mutated timestamp.
    arbitrary: tsKind.map((kind) => (now: number) => {
      const ts = tsFor(kind, now);
      const sig = typeof ts === "number" ? computeSignature(CREDS.hashKey, { sigField: CREDS.sigField, ts }) : "x";
      return {
        authorization: JSON.stringify({ public_id: CREDS.publicId, ts, sig_field: CREDS.sigField, sig }),
        "og-authorization": "True",
      };
    }),
    weight: 1,
  },
  {
    // Duplicate keys: the last one wins in JSON.parse; a valid signature hidden behind a wrong one.
    arbitrary: fc.string({ maxLength: 20 }).map((other) => (now: number) => {
      const sig = computeSignature(CREDS.hashKey, { sigField: CREDS.sigField, ts: now });
      return {
        authorization: `{"public_id":"${CREDS.publicId}","sig_field":${JSON.stringify(other)},"sig_field":"${CREDS.sigField}","ts":${now},"sig":"${sig}","sig":${JSON.stringify(other)}}`,
        "og-authorization": "True",
      };
    }),
    weight: 1,
  },
  {
    arbitrary: fc.string({ maxLength: 200 }).map((s) => () => ({ authorization: s, "og-authorization": "True" })),
    weight: 1,
  },
  { arbitrary: fc.constant(() => ({ authorization: "x".repeat(20_000), "og-authorization": "True" })), weight: 1 },
  {
    arbitrary: fc
      .constantFrom("true", "TRUE", "", "False")
      .map((v) => (now: number) => ({ ...signedHeaders(CREDS, now), "og-authorization": v })),
    weight: 1,
  },
  { arbitrary: fc.constant(() => ({})), weight: 1 },
);
const path = fc.oneof(
  {
    arbitrary: fc.constantFrom("/products-batch/update/", "/products-batch/create/", "/products-batch/update"),
    weight: 6,
  },
  { arbitrary: productId.map((id) => `/products/${encodeURIComponent(String(id))}/`), weight: 2 },
  { arbitrary: fc.webPath().map((p) => p || "/"), weight: 1 },
  { arbitrary: fc.stringMatching(/^\/[a-z0-9%/._-]{0,40}$/), weight: 1 },
);
const method = fc.oneof(
  { arbitrary: fc.constant("PATCH"), weight: 6 },
  { arbitrary: fc.constantFrom("POST", "GET", "PUT", "DELETE", "OPTIONS", "HEAD"), weight: 2 },
);
const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "multipart/form-data",
    ),
    weight: 2,
  },
);

const fingerprint = () => JSON.stringify(og.running.mock.catalog.list());

describe("fuzzing the fake's HTTP surface", () => {
  it(`holds its invariants for ${RUNS} random requests`, async () => {
    const seed = fingerprint();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(method, path, auth, contentType, body, async (m, p, plan, type, text) => {
        og.running.mock.catalog.reset();
        const headers = {
          ...plan(Math.floor(og.clock.now() / 1000)),
          "content-type": text === undefined ? undefined : type,
        };
        const answer = await rawRequest(og.url, m, p, headers, text);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, answer.text).toBeLessThan(500);
        if (m !== "HEAD" && !p.startsWith("/__admin")) {
          expect(
            checkAnswer({ method: m, path: p, status: answer.status, headers: answer.headers, body: answer.body }),
          ).toEqual([]);
        }
        const results = (answer.body as { results?: Array<{ status: number }> } | undefined)?.results;
        const appliedSome = answer.status < 300 && (m === "GET" || !results || results.some((r) => r.status === 200));
        if (!appliedSome) expect(fingerprint()).toBe(seed);
      }),
      { numRuns: RUNS },
    );
    // Broad coverage, not just one branch: many statuses were reached.
    for (const status of [200, 207, 400, 403, 404, 405, 415])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    // And the server is still healthy.
    expect((await og.admin("GET", "health")).status).toBe(200);
  }, 120_000);
});
