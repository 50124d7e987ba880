/**
 * No request can kill the fake: an exception anywhere in a handler answers a JSON 500, is logged
 * without the request's secrets, and the next request is served. Both hosts. Run twice, from the
 * file name's tier: no-crash.test.ts fuzzes 200 requests per host in `npm test`, no-crash.e2e.test.ts
 * 1,000 (a tenth of OG_FUZZ_RUNS when that is set) in `npm run test:e2e`.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { setupOrdergrooveMock } from "../../mock-server/msw/index.js";
import { signedHeaders } from "../../shared/auth/signature.js";
import { capturedLog } from "../helpers/log-lines.js";
import { CREDS } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

/** Paths a careless or hostile client may send: bad percent-escapes, junk queries, odd admin routes. */
const malformedPath = fc.oneof(
  fc.constantFrom(
    "/__admin/products/%",
    "/__admin/products/%E0%A4%A",
    "/__admin/products/%zz/",
    "/__admin/journal?since=%",
    "/__admin/journal?since=1e10",
    "/__admin/products?live=maybe&offset=-1&limit=%FF",
    "/__admin//products",
    "/__admin/%2e%2e/health",
    "/products/%/",
    "/products/%C0%AF/",
    "/products-batch/update/?force_all_fields=%",
    "//products-batch/update/",
  ),
  fc
    .tuple(
      fc.constantFrom("/__admin/", "/products/", "/products-batch/update/?"),
      fc.stringMatching(/^[a-z0-9%?=&/._-]{0,30}$/),
    )
    .map(([a, b]) => a + b),
);
const anyMethod = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
const anyBody = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
);

/** Registers the suites, each fuzz `runs` requests long (or a tenth of OG_FUZZ_RUNS, at least 200). */
export function noRequestCrashesTheFake(runs: number): void {
  const RUNS = process.env.OG_FUZZ_RUNS ? Math.max(200, Math.floor(Number(process.env.OG_FUZZ_RUNS) / 10)) : runs;

  describe("the standalone fake", () => {
    const { lines: logged, logger } = capturedLog("warn");
    let running: RunningMockServer;
    beforeAll(async () => {
      running = await startMockServer({
        port: 0,
        clock: new ManualClock(),
        throttle: false,
        logger,
      });
    });
    afterAll(() => running.close());
    const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
      rawRequest(running.url, method, path, { "content-type": "application/json", ...headers }, body);

    it("answers a bad percent-escape in an admin path with a 400 that says why, and keeps serving", async () => {
      const answer = await send("GET", "/__admin/products/%");
      expect(answer.status).toBe(400);
      expect((answer.body as { detail: string }).detail).toMatch(/percent-encoding/);
      expect((await send("GET", "/__admin/health")).status).toBe(200);
    });

    it("turns an exception inside the core into a JSON 500, logs it without secrets, and serves the next request", async () => {
      const { mock } = running;
      const original = mock.handle.bind(mock);
      mock.handle = () => {
        throw new Error("boom in the core");
      };
      try {
        const headers = signedHeaders(CREDS, Math.floor(running.mock.options.clock.now() / 1000));
        const answer = await send("PATCH", "/products-batch/update/", headers, '[{"product_id":"x","live":false}]');
        expect(answer.status).toBe(500);
        expect(answer.headers["content-type"]).toMatch(/application\/json/);
        expect(answer.body).toEqual({ detail: expect.stringMatching(/server error occurred in the fake/) });
        const line = logged.find((l) => l.includes("boom in the core"));
        expect(line).toBeDefined();
        expect(line).not.toContain(headers.authorization!);
        expect(line).not.toContain(CREDS.hashKey);
      } finally {
        mock.handle = original;
      }
      expect((await send("GET", "/products/og-coffee-beans-1kg/", { "x-api-key": "og-mock-api-key" })).status).toBe(
        200,
      );
    });

    it(`survives ${RUNS} malformed paths, methods and bodies, never answering 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(anyMethod, malformedPath, anyBody, async (method, path, body) => {
          running.mock.reset();
          const answer = await send(method, path, {}, method === "GET" || method === "HEAD" ? undefined : body);
          expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(500);
          // Every refusal says why, in the spec's {detail} shape.
          if (method !== "HEAD" && answer.status >= 400)
            expect(answer.body, `${method} ${path}`).toHaveProperty("detail");
        }),
        { numRuns: RUNS },
      );
      expect((await send("GET", "/__admin/health")).status).toBe(200);
    }, 120_000);
  });

  describe("the MSW handlers", () => {
    const reported: string[] = [];
    const og = setupOrdergrooveMock({ throttle: false, onUnsupportedRequest: "404", report: (m) => reported.push(m) });
    beforeAll(() => og.listen());
    afterAll(() => og.close());
    const base = "https://restapi.ordergroove.com";

    it("turn an exception inside the core into a JSON 500, report it, and serve the next request", async () => {
      const original = og.mock.handle.bind(og.mock);
      og.mock.handle = () => {
        throw new Error("boom in the core");
      };
      try {
        const res = await fetch(`${base}/products/og-coffee-beans-1kg/`, {
          headers: { "x-api-key": "og-mock-api-key" },
        });
        expect(res.status).toBe(500);
        expect(await res.json()).toEqual({ detail: expect.stringMatching(/server error occurred in the fake/) });
        expect(reported.some((m) => m.includes("boom in the core"))).toBe(true);
      } finally {
        og.mock.handle = original;
      }
      const res = await fetch(`${base}/products/og-coffee-beans-1kg/`, { headers: { "x-api-key": "og-mock-api-key" } });
      expect(res.status).toBe(200);
    });

    it(`survive ${RUNS} malformed paths, methods and bodies, never answering 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(
          anyMethod,
          malformedPath.filter((p) => !p.startsWith("/__admin") && !p.startsWith("//")),
          anyBody,
          async (method, path, body) => {
            og.mock.reset();
            const res = await fetch(`${base}${path}`, {
              method,
              headers: { "content-type": "application/json" },
              ...(method === "GET" || method === "HEAD" ? {} : { body }),
            });
            expect(res.status, `${method} ${path}`).toBeLessThan(500);
          },
        ),
        { numRuns: RUNS },
      );
    }, 120_000);
  });
}
