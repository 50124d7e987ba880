/**
 * The fake with its defaults, driven over real HTTP the way public Ordergroove clients call the
 * service: Ordergroove's SFCC
 * cartridge (a string `ts`, pretty-printed authorization JSON, `OG-Authorization`), storefront code
 * (paths without the trailing slash, page-number listing following an absolute `next`), a request
 * without credentials (observed live: 403 "Authentication Failed"), and the commercetools
 * connector's initial load (ten batches at once, retried every second on any non-2xx).
 * Plain `fetch` throughout: it follows a 301 for GET as browsers and most HTTP clients do.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { authorizationPayload, unixSeconds } from "../../shared/auth/signature.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { DEFAULT_BEHAVIOUR } from "../../mock-server/core/settings.js";
import { ManualClock } from "../../mock-server/core/clock.js";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";
import { type CalibrationProfile, PROFILE_FORMAT } from "../../mock-server/core/calibration/behaviours.js";
import { CREDS } from "../helpers/mock-server.js";

const logLines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

let og: RunningMockServer;
beforeAll(async () => {
  og = await startMockServer({ port: 0, logger: pino({ level: "info" }, sink) });
});
afterEach(() => {
  og.merchants.reset();
  logLines.length = 0;
});
afterAll(() => og.close());

const now = () => unixSeconds(Date.now());
/**
 * What Ordergroove's SFCC cartridge sends: ts as a 10-digit string, rounded (up to half a second
 * ahead), the JSON indented. HTTP/1.1 header values cannot hold a line break (node's parser, like
 * most, answers 400 to a folded header), so over the wire the indentation arrives without them;
 * the core's own test below feeds it the line breaks too.
 */
function sfccHeaders(): Record<string, string> {
  const payload = authorizationPayload(CREDS, Math.round(Date.now() / 1000));
  return {
    authorization: JSON.stringify({ ...payload, ts: String(payload.ts) }, null, 4).replace(/\n/g, " "),
    "OG-Authorization": "True",
    "content-type": "application/json",
  };
}
const items = JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]);

describe("a string ts and pretty-printed authorization JSON (Ordergroove's SFCC cartridge)", () => {
  it("are accepted by default, and behaviour.tsAsString: refuse still refuses the string", async () => {
    expect(DEFAULT_BEHAVIOUR.tsAsString).toBe("accept");
    const ok = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: sfccHeaders(),
      body: items,
    });
    expect(ok.status).toBe(207);
    expect(await ok.json()).toEqual({ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] });
    og.mock.setBehaviour({ tsAsString: "refuse" });
    const refused = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: sfccHeaders(),
      body: items,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-og-mock-hint")).toMatch(/"ts" must be a whole number .* got a string/);
  });

  it("line breaks inside the JSON are accepted by the core (what MSW and other in-process hosts pass on)", () => {
    const mock = createOrdergrooveMock();
    const payload = authorizationPayload(CREDS, now());
    const answer = mock.handle({
      method: "PATCH",
      path: "/products-batch/update/",
      headers: {
        authorization: JSON.stringify({ ...payload, ts: String(payload.ts) }, null, "\t"),
        "og-authorization": "True",
        "content-type": "application/json",
      },
      body: items,
    });
    expect(answer.status).toBe(207);
  });

  it("spaced and indented JSON with a numeric ts is accepted", async () => {
    const payload = authorizationPayload(CREDS, now());
    const spaced = `{  "public_id" : "${payload.public_id}",\t"ts" :  ${payload.ts} ,    "sig_field": "${payload.sig_field}",  "sig": "${payload.sig}" }`;
    const answer = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { authorization: spaced, "og-authorization": "True", "content-type": "application/json" },
      body: items,
    });
    expect(answer.status).toBe(207);
  });
});

describe("paths without their trailing slash (storefront code)", () => {
  it("GET /products?page_size=N answers 301 to /products/?page_size=N, absolute, query kept", async () => {
    const answer = await fetch(`${og.url}/products?page_size=2&autoship_enabled=all`, { redirect: "manual" });
    expect(answer.status).toBe(301);
    expect(answer.headers.get("location")).toBe(`${og.url}/products/?page_size=2&autoship_enabled=all`);
    expect(answer.headers.get("x-og-mock-hint")).toMatch(
      /paths end with a slash: redirected \/products to \/products\//,
    );
    // Before authentication, as Django's middleware: no credentials needed to be told where to go.
    expect(og.mock.journal.entries().at(-1)).toMatchObject({ path: "/products?page_size=2&autoship_enabled=all" });
    expect(og.mock.journal.entries().at(-1)?.hint).toMatch(/redirected/);
    expect(logLines.at(-1)).toMatchObject({ status: 301, hint: expect.stringMatching(/redirected/) });
  });

  it("a redirect-following client lists every product with page numbers, following the absolute next", async () => {
    const headers = { "x-api-key": "og-mock-api-key" };
    let url: string | null = `${og.url}/products?page_size=50&autoship_enabled=all&allow_discontinued=true`;
    const seen: string[] = [];
    let count = -1;
    let pages = 0;
    while (url) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        count: number;
        next: string | null;
        previous: string | null;
        results: Array<{ external_product_id: string }>;
      };
      expect(Object.keys(page).sort()).toEqual(["count", "next", "previous", "results"]);
      if (pages === 0)
        expect(res.url).toBe(`${og.url}/products/?page_size=50&autoship_enabled=all&allow_discontinued=true`);
      if (page.next) expect(page.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/products\/\?.*page=\d+/);
      count = page.count;
      seen.push(...page.results.map((p) => p.external_product_id));
      url = page.next;
      pages += 1;
    }
    expect(count).toBe(og.mock.catalog.size);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
    expect(pages).toBe(Math.ceil(count / 50));
  });

  it("a slashless product read and HEAD follow to the product", async () => {
    const read = await fetch(`${og.url}/products/og-green-tea-100`, { headers: { "x-api-key": "og-mock-api-key" } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ external_product_id: "og-green-tea-100" });
    const head = await fetch(`${og.url}/products/og-green-tea-100`, { method: "HEAD", redirect: "manual" });
    expect([head.status, head.headers.get("location")]).toEqual([301, `${og.url}/products/og-green-tea-100/`]);
  });

  it("a write without the slash answers 404 and changes nothing; behaviour.missingTrailingSlash chooses for GET", async () => {
    const headers = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
    for (const [method, path] of [
      ["PATCH", "/products-batch/update"],
      ["POST", "/products-batch/create"],
      ["PATCH", "/products/og-coffee-beans-1kg"],
    ] as const) {
      const answer = await fetch(`${og.url}${path}?force_all_fields=false`, {
        method,
        headers,
        body: items,
        redirect: "manual",
      });
      expect([method, path, answer.status]).toEqual([method, path, 404]);
      expect(await answer.json()).toEqual({ detail: "Not found." });
      expect(answer.headers.get("x-og-mock-hint")).toContain(`send ${method} ${path}/`);
    }
    expect(og.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);

    og.mock.setBehaviour({ missingTrailingSlash: "not-found" });
    expect((await fetch(`${og.url}/products?page_size=1`, { headers })).status).toBe(404);
    og.mock.setBehaviour({ missingTrailingSlash: "serve" });
    const served = await fetch(`${og.url}/products?page_size=1`, { headers, redirect: "manual" });
    expect(served.status).toBe(200);
    expect(((await served.json()) as { next: string }).next).toMatch(/\/products\/\?/);
    expect(() => og.mock.setBehaviour({ missingTrailingSlash: "moved" as never })).toThrow(/missingTrailingSlash/);
  });
});

describe("a request without credentials", () => {
  it("answers 403 {detail: Authentication Failed} as observed live; the explanation is in the header, journal and log", async () => {
    const answer = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: items,
    });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toBe('{"detail":"Authentication Failed"}');
    const hint = answer.headers.get("x-og-mock-hint")!;
    expect(hint).toMatch(/^Authentication credentials were not provided\. Send the HMAC-signed `authorization` header/);
    expect(og.mock.journal.entries().at(-1)).toMatchObject({ authRefusal: hint, response: { status: 403 } });
    expect(logLines.at(-1)).toMatchObject({ status: 403, hint });
  });

  it("uses the configured failure status", async () => {
    const other = await startMockServer({ port: 0, auth: { failureStatus: 401 } });
    try {
      const answer = await fetch(`${other.url}/products/og-green-tea-100/`);
      expect([answer.status, await answer.json()]).toEqual([401, { detail: "Authentication Failed" }]);
    } finally {
      await other.close();
    }
  });
});

describe("a calibration profile", () => {
  it("replays tsAsString: refuse, a 404 for slashless paths and the observed words of a refusal", async () => {
    const profile: CalibrationProfile = {
      format: PROFILE_FORMAT,
      kit: "ordergroove-stock-kit@test",
      target: "https://staging.restapi.ordergroove.com",
      recordedAt: "2026-12-01T00:00:00.000Z",
      observations: {
        "behaviour.tsAsString": "refuse",
        "behaviour.missingTrailingSlash": "not-found",
        "auth.missing.detail": "Authentication credentials were not provided.",
      },
    };
    const calibrated = await startMockServer({ port: 0, profile });
    try {
      const str = await fetch(`${calibrated.url}/products-batch/update/`, {
        method: "PATCH",
        headers: sfccHeaders(),
        body: items,
      });
      expect(str.status).toBe(403);
      const slashless = await fetch(`${calibrated.url}/products?page_size=1`, {
        headers: { "x-api-key": "og-mock-api-key" },
      });
      expect(slashless.status).toBe(404);
      const bare = await fetch(`${calibrated.url}/products/og-green-tea-100/`);
      expect(await bare.json()).toEqual({ detail: "Authentication credentials were not provided." });
      expect(calibrated.mock.profile?.unreplayable).toEqual([]);
    } finally {
      await calibrated.close();
    }
  });
});

describe("the commercetools connector's initial load against the throttle", () => {
  it("ten batches at once, each retried a second later on any non-2xx: 429s carry Retry-After, all land, the journal shows it", async () => {
    // The fake's clock moves only when the test says a second has passed: no real waiting.
    const clock = new ManualClock();
    const fake = await startMockServer({ port: 0, clock, throttle: { limit: 4, windowMs: 1000 } });
    try {
      const retryAfter: Array<string | null> = [];
      /** One attempt of batch n: true once it landed (a 2xx with a JSON body). */
      const attempt = async (n: number) => {
        const res = await fetch(`${fake.url}/products-batch/create/?force_all_fields=false`, {
          method: "POST",
          headers: { "x-api-key": "og-mock-api-key", "content-type": "application/json" },
          body: JSON.stringify([{ product_id: `ct-load-${n}`, live: true }]),
        });
        const text = await res.text();
        let json = true;
        try {
          JSON.parse(text);
        } catch {
          json = false;
        }
        if (res.status === 429) retryAfter.push(res.headers.get("retry-after"));
        return res.ok && json;
      };
      const attempts = new Map<number, number>();
      let waiting = Array.from({ length: 10 }, (_, n) => n);
      for (let round = 1; waiting.length > 0 && round <= 10; round++) {
        const landed = await Promise.all(waiting.map((n) => attempt(n)));
        for (const [i, n] of waiting.entries()) if (landed[i]) attempts.set(n, round);
        waiting = waiting.filter((_, i) => !landed[i]);
        // The connector waits one second, whatever the answer said.
        clock.advance(1000);
      }
      expect(waiting).toEqual([]);
      expect([...attempts.values()].filter((a) => a === 1)).toHaveLength(4);
      expect(retryAfter.length).toBeGreaterThan(0);
      for (const value of retryAfter) expect(value).toMatch(/^[1-9]\d*$/);
      const entries = fake.mock.journal.entries();
      const throttled = entries.filter((e) => "status" in e.response && e.response.status === 429);
      expect(throttled.length).toBe(retryAfter.length);
      expect(throttled.every((e) => e.fault === "throttled")).toBe(true);
      expect(entries.length).toBe(10 + retryAfter.length);
      // No product was created twice or lost: each landed exactly once.
      for (let n = 0; n < 10; n++) expect(fake.mock.catalog.get(`ct-load-${n}`)?.live).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
