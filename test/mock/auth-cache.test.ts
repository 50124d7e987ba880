/**
 * The remembered signature verdicts change no answer: after any sequence of clock moves (across
 * both edges of the two-hour window), key rotations, policy changes and requests, the cached
 * `authenticateCached` answers exactly what `authenticate` answers at that moment for fresh
 * copies of the credentials and policy (so nothing remembered can answer the reference).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authenticate, type AuthPolicy, type MockCredentials } from "../../mock-server/core/auth/authenticate.js";
import { authenticateCached } from "../../mock-server/core/auth/cache.js";
import { ManualClock } from "../../mock-server/core/clock.js";
import { createMerchants } from "../../mock-server/core/merchants/merchants.js";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";
import type { Operation } from "../../mock-server/core/routes.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";

const T = unixSeconds(Date.UTC(2026, 10, 23, 12, 0, 0));
const KEYS = ["key-a", "key-b"];

type Step =
  | { kind: "move"; seconds: number }
  | { kind: "rotate"; key: number }
  | { kind: "merchant-key"; key: number }
  | { kind: "replace-users"; key: number }
  | { kind: "drop-user" }
  | { kind: "public-id"; id: string }
  | { kind: "policy"; maxAgeSeconds: number; futureSkewSeconds: number; inPlace: boolean }
  | {
      kind: "request";
      ts: number;
      key: number;
      apiKey: boolean;
      ogAuthorization: string | undefined;
      tsAsString: boolean;
      operation: Operation | undefined;
    };

const OPERATIONS: Array<Operation | undefined> = [
  undefined,
  "updateProductsBatch",
  "getProduct",
  "updateProduct",
  "listProductGroups",
];

const step: fc.Arbitrary<Step> = fc.oneof(
  // Clock moves land on and around the window's edges: ts + 7200 s and ts - 300 s.
  fc.record({
    kind: fc.constant("move" as const),
    seconds: fc.oneof(fc.integer({ min: -600, max: 600 }), fc.constantFrom(7200, 7201, -7200, -300, -301, 1, -1)),
  }),
  { arbitrary: fc.record({ kind: fc.constant("rotate" as const), key: fc.integer({ min: 0, max: 1 }) }), weight: 3 },
  fc.record({ kind: fc.constant("merchant-key" as const), key: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("replace-users" as const), key: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("drop-user" as const) }),
  fc.record({ kind: fc.constant("public-id" as const), id: fc.constantFrom("og-mock-merchant", "other") }),
  fc.record({
    kind: fc.constant("policy" as const),
    maxAgeSeconds: fc.constantFrom(7200, 3600, 60),
    futureSkewSeconds: fc.constantFrom(300, 0),
    inPlace: fc.boolean(),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant("request" as const),
      ts: fc.constantFrom(T, T - 7200, T - 7201, T + 300, T + 301, T - 60),
      key: fc.integer({ min: 0, max: 1 }),
      apiKey: fc.boolean(),
      // undefined: a storefront (customer-scope) signature, made with the merchant hash key.
      ogAuthorization: fc.constantFrom("True", "True", "true", undefined),
      tsAsString: fc.boolean(),
      operation: fc.constantFrom(...OPERATIONS),
    }),
    weight: 6,
  },
);

describe("signature verdict cache", () => {
  it("answers exactly as authenticate over key rotation, window edges and policy changes", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const clock = new ManualClock(T * 1000);
        const credentials: MockCredentials = {
          publicId: "og-mock-merchant",
          apiUsers: [{ sigField: "og-mock-api-user", hashKey: KEYS[0]! }],
          apiKeys: ["api-key"],
          merchantHashKey: KEYS[1]!,
        };
        let policy: AuthPolicy = { failureStatus: 403, maxAgeSeconds: 7200, futureSkewSeconds: 300 };
        for (const s of steps) {
          switch (s.kind) {
            case "move":
              clock.advance(s.seconds * 1000);
              break;
            case "rotate":
              if (credentials.apiUsers[0]) credentials.apiUsers[0].hashKey = KEYS[s.key]!;
              break;
            case "merchant-key":
              credentials.merchantHashKey = KEYS[s.key]!;
              break;
            case "replace-users":
              credentials.apiUsers = [{ sigField: "og-mock-api-user", hashKey: KEYS[s.key]! }];
              break;
            case "drop-user":
              credentials.apiUsers = [];
              break;
            case "public-id":
              credentials.publicId = s.id;
              break;
            case "policy":
              if (s.inPlace) Object.assign(policy, s);
              else
                policy = {
                  failureStatus: 403,
                  maxAgeSeconds: s.maxAgeSeconds,
                  futureSkewSeconds: s.futureSkewSeconds,
                  tsAsString: s.inPlace ? "accept" : "refuse",
                };
              break;
            case "request": {
              const headers: Record<string, string | undefined> = {
                ...signedHeaders(
                  { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: KEYS[s.key]! },
                  s.ts,
                ),
              };
              if (s.ogAuthorization === undefined) delete headers["og-authorization"];
              else headers["og-authorization"] = s.ogAuthorization;
              // ts written as a JSON string: refused or accepted as the policy's tsAsString says.
              if (s.tsAsString) headers.authorization = headers.authorization!.replace(/"ts":(\d+)/, '"ts":"$1"');
              if (s.apiKey) headers["x-api-key"] = "api-key";
              // The reference gets fresh copies, so no cache of any kind can answer it from memory.
              expect(authenticateCached(headers, credentials, policy, clock, s.operation)).toEqual(
                authenticate(headers, structuredClone(credentials), { ...policy }, clock, s.operation),
              );
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses a remembered header once the clock leaves the two-hour window, in the fake itself", () => {
    const clock = new ManualClock(T * 1000);
    const mock = createOrdergrooveMock({
      clock,
      throttle: false,
      credentials: { apiUsers: [{ sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" }] },
    });
    const request = {
      method: "PATCH",
      path: "/products-batch/update/",
      headers: {
        "content-type": "application/json",
        ...signedHeaders(
          { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" },
          T,
        ),
      },
      body: '[{"product_id": "og-mug", "live": false}]',
    };
    expect(mock.handle(request).status).toBe(207);
    clock.advance(7200 * 1000);
    expect(mock.handle(request).status).toBe(207); // exactly two hours old: still accepted
    clock.advance(1000);
    const stale = mock.handle(request);
    expect(stale.status).toBe(403);
    expect(stale.body).toEqual({ detail: expect.stringContaining("Stale signature") });
    clock.set((T - 301) * 1000);
    expect(mock.handle(request).body).toEqual({ detail: expect.stringContaining("Signature from the future") });
    clock.set(T * 1000);
    mock.options.credentials.apiUsers[0]!.hashKey = "rotated";
    expect(mock.handle(request).body).toEqual({ detail: expect.stringContaining("Signature mismatch") });
  });

  it("keeps each merchant's verdicts to itself, and forgets one merchant's rotated key without touching the other", () => {
    const clock = new ManualClock(T * 1000);
    // The same API user name in both merchants, and (as a user may give it) one shared users list
    // in B and C: the caches must still answer per merchant and per key.
    const shared = [{ sigField: "sync", hashKey: "key-shared" }];
    const front = createMerchants({
      clock,
      throttle: false,
      ipLimit: false,
      merchants: [
        { credentials: { publicId: "merchant-a", apiUsers: [{ sigField: "sync", hashKey: "key-a" }], apiKeys: [] } },
        { credentials: { publicId: "merchant-b", apiUsers: shared, apiKeys: [] } },
        { credentials: { publicId: "merchant-c", apiUsers: shared.map((u) => ({ ...u })), apiKeys: [] } },
      ],
    });
    const batch = (publicId: string, hashKey: string) => ({
      method: "PATCH",
      path: "/products-batch/update/",
      headers: {
        "content-type": "application/json",
        ...signedHeaders({ publicId, sigField: "sync", hashKey }, T),
      },
      body: '[{"product_id": "og-mug", "live": false}]',
    });
    const status = (publicId: string, hashKey: string) => front.handle(batch(publicId, hashKey)).status;
    for (let i = 0; i < 3; i++) {
      expect(status("merchant-a", "key-a")).toBe(207);
      expect(status("merchant-b", "key-shared")).toBe(207);
      expect(status("merchant-c", "key-shared")).toBe(207);
      // A's key under B's name (same sig_field): B refuses it however often A's verdict was reached.
      expect(status("merchant-b", "key-a")).toBe(403);
      expect(status("merchant-a", "key-shared")).toBe(403);
    }
    // B's key rotated in place: B refuses the old signature at once; C (same key, own user) does not.
    front.merchant("merchant-b")!.options.credentials.apiUsers[0]!.hashKey = "key-b2";
    expect(status("merchant-b", "key-shared")).toBe(403);
    expect(status("merchant-b", "key-b2")).toBe(207);
    expect(status("merchant-c", "key-shared")).toBe(207);
    expect(status("merchant-a", "key-a")).toBe(207);
    expect(front.merchant("merchant-a")!.journal.total).toBe(7);
  });
});
