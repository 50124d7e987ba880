/**
 * The admin endpoints the dashboard is built on, over real HTTP: catalog search, the admin
 * product toggle, the journal's live stream, the signature debugger, and the journal's auth
 * verdict and latency. Every JSON answer is checked against spec/admin.openapi.yaml.
 */
import { describe, expect, it } from "vitest";
import { startMockServer } from "../../mock-server/node/server.js";
import { computeSignature, signedHeaders } from "../../shared/auth/signature.js";
import { adminAnswerProblems } from "../helpers/admin-spec.js";
import { API_KEY, CREDS, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });
const now = () => Math.floor(og.clock.now() / 1000);

/** An admin call whose answer must be as the admin spec says. */
async function admin(method: string, path: string, template: string, body?: unknown) {
  const answer = await og.admin(method, path, body);
  expect(adminAnswerProblems(method, template, answer.status, answer.body), `${method} ${path}`).toEqual([]);
  return answer;
}

type Page = { total: number; live: number; matched: number; products: Array<{ external_product_id: string }> };
const ids = (page: unknown) => (page as Page).products.map((p) => p.external_product_id);

describe("GET /__admin/catalog", () => {
  it("pages the catalog with its counts", async () => {
    const first = await admin("GET", "catalog?limit=2", "/__admin/catalog");
    expect(first.body).toMatchObject({ total: 24, live: 21, matched: 24, offset: 0, limit: 2 });
    expect(ids(first.body)).toEqual(["166603786142092350", "166603786142092351"]);
    const last = await admin("GET", "catalog?offset=23&limit=5", "/__admin/catalog");
    expect(ids(last.body)).toHaveLength(1);
  });

  it("searches ids and names, ignoring case, and filters by live", async () => {
    const coffee = await admin("GET", "catalog?q=COFFEE", "/__admin/catalog");
    expect(ids(coffee.body)).toEqual(["og-coffee-beans-1kg", "og-coffee-beans-250g", "og-breakfast-bundle"]);
    expect(coffee.body).toMatchObject({ total: 24, live: 21, matched: 3 });
    const off = await admin("GET", "catalog?live=false", "/__admin/catalog");
    expect(ids(off.body)).toEqual(["166603786142092352", "og-hand-soap-refill-1l", "og-discontinued-mints"]);
    const both = await admin("GET", "catalog?live=false&q=mints", "/__admin/catalog");
    expect(ids(both.body)).toEqual(["og-discontinued-mints"]);
    expect((await admin("GET", "catalog?live=", "/__admin/catalog")).body).toMatchObject({ matched: 24 });
  });

  it("says which products changed since the seed, so seed dates are not taken for updates", async () => {
    const coffee = "catalog?q=og-coffee-beans";
    expect((await admin("GET", coffee, "/__admin/catalog")).body).toMatchObject({ changed: [] });
    const res = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-key": API_KEY },
      body: JSON.stringify([{ product_id: "og-coffee-beans-250g", live: false }]),
    });
    expect(res.status).toBe(207);
    expect((await admin("GET", coffee, "/__admin/catalog")).body).toMatchObject({ changed: ["og-coffee-beans-250g"] });
    await og.admin("POST", "reset");
    expect((await admin("GET", coffee, "/__admin/catalog")).body).toMatchObject({ changed: [] });
  });

  it("refuses bad paging and filters with a reason", async () => {
    for (const [query, why] of [
      ["limit=5000", "Admin API: invalid query: limit: must be <= 1000."],
      ["offset=-1", "Admin API: invalid query: offset: must be >= 0."],
      ["offset=1e3", "Admin API: invalid query: offset: must be integer."],
      ["offset=9007199254740992", "Admin API: invalid query: offset: must be <= 9007199254740991."],
      ["live=yes", 'Admin API: invalid query: live: must be one of "true", "false", "".'],
    ]) {
      const answer = await admin("GET", `catalog?${query}`, "/__admin/catalog");
      expect(answer.status).toBe(400);
      expect((answer.body as { detail: string }).detail).toContain(why);
    }
  });

  it("finds a product and pages to the end of a 100k catalog", async () => {
    // A fake of its own, seeded before it listens: seeding blocks this process for seconds, and a
    // pooled keep-alive connection to a running fake could time out meanwhile.
    const big = await startMockServer({
      port: 0,
      products: Array.from({ length: 100_000 }, (_, i) => ({
        external_product_id: `sku-${String(i).padStart(6, "0")}`,
        name: `Product ${i}`,
        live: i % 10 !== 0,
      })),
    });
    const search = async (query: string) => {
      const res = await fetch(`${big.url}/__admin/catalog?${query}`);
      const body = (await res.json()) as Page;
      expect(adminAnswerProblems("GET", "/__admin/catalog", res.status, body)).toEqual([]);
      return body;
    };
    try {
      const found = await search("q=sku-099999");
      expect(found).toMatchObject({ total: 100_000, live: 90_000, matched: 1 });
      expect(ids(found)).toEqual(["sku-099999"]);
      const end = await search("live=false&offset=9990&limit=50");
      expect(end.matched).toBe(10_000);
      expect(ids(end)).toHaveLength(10);
      expect(ids(end).at(-1)).toBe("sku-099990");
    } finally {
      await big.close();
    }
  }, 60_000); // seeding 100k validated products takes seconds on a busy machine
});

describe("PATCH /__admin/products/{id}", () => {
  it("changes a product as the products API reads it back, without journaling", async () => {
    const answer = await admin("PATCH", "products/og-green-tea-100", "/__admin/products/{id}", { live: false });
    expect(answer.body).toMatchObject({ external_product_id: "og-green-tea-100", live: false });
    expect(og.running.mock.journal.total).toBe(0);
    const read = await og.request("GET", "/products/og-green-tea-100/");
    expect(read.body).toMatchObject({ live: false });
  });

  it("refuses invalid fields and unknown products, changing nothing", async () => {
    const bad = await admin("PATCH", "products/og-green-tea-100", "/__admin/products/{id}", { live: "no" });
    expect(bad.status).toBe(400);
    expect((bad.body as { detail: string }).detail).toBe("Admin API: invalid product fields: live: must be boolean.");
    const unknownField = await admin("PATCH", "products/og-green-tea-100", "/__admin/products/{id}", { lve: false });
    expect(unknownField.status).toBe(400);
    expect((await admin("PATCH", "products/og-green-tea-100", "/__admin/products/{id}", [])).status).toBe(400);
    expect(og.running.mock.catalog.get("og-green-tea-100")?.live).toBe(true);
    const missing = await admin("PATCH", "products/ghost", "/__admin/products/{id}", { live: false });
    expect(missing.status).toBe(404);
  });
});

describe("the journal's auth verdict and latency", () => {
  it("records who a request authenticated as, why one was refused, and how long each took", async () => {
    await og.patchBatch([{ product_id: "og-green-tea-100", live: false }]);
    await og.patchBatch([], { auth: "none", headers: { "x-api-key": "not-a-key" } });
    const [good, refused] = og.running.mock.journal.entries();
    expect(good!.principal).toEqual({ scheme: "hmac", publicId: CREDS.publicId, sigField: CREDS.sigField });
    expect(good!.authRefusal).toBeUndefined();
    expect(refused!.principal).toBeNull();
    expect(refused!.authRefusal).toBe("Invalid API key: the x-api-key header matches none of this merchant's keys.");
    for (const entry of [good!, refused!]) expect(entry.ms).toBeGreaterThanOrEqual(0);
    const journal = await admin("GET", "journal", "/__admin/journal");
    expect(journal.status).toBe(200);
  });
});

/** Reads server-sent events from a stream until `until` says stop. */
async function readEvents(
  res: Response,
  until: (events: Array<{ event: string; id?: string; data: unknown }>) => boolean,
): Promise<Array<{ event: string; id?: string; data: unknown }>> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; id?: string; data: unknown }> = [];
  let buffer = "";
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      if (fields.event) events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data ?? "null") });
    }
  }
  await reader.cancel();
  return events;
}

describe("GET /__admin/journal/stream", () => {
  it("sends what the journal holds, then each request live, secrets masked as in the journal", async () => {
    await og.patchBatch([{ product_id: "og-green-tea-100", live: false }], { auth: "api-key" });
    const res = await fetch(`${og.url}/__admin/journal/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reading = readEvents(res, (events) => events.length >= 3);
    await og.patchBatch([{ product_id: "og-green-tea-100", live: true }]);
    const recorded = JSON.parse(JSON.stringify(og.running.mock.journal.entries())) as unknown[];
    await og.admin("POST", "reset");
    const events = await reading;
    expect(events.map((e) => [e.event, e.id])).toEqual([
      ["entry", "1"],
      ["entry", "2"],
      ["cleared", "0"],
    ]);
    const [backlog, live] = events.map((e) => e.data) as Array<{ headers: Record<string, string> }>;
    // The very entries GET /__admin/journal gives: masked the same way, because they are the same.
    expect([backlog, live]).toEqual(recorded);
    expect(backlog!.headers["x-api-key"]).toBe("[redacted]");
    expect(JSON.parse(live!.headers.authorization!)).toMatchObject({ sig: "[redacted]" });
    const text = JSON.stringify(events);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(CREDS.hashKey);
  });

  it("resumes after since (or the Last-Event-ID an EventSource sends)", async () => {
    for (let i = 0; i < 3; i++) await og.patchBatch([]);
    for (const init of [{ query: "?since=2" }, { headers: { "last-event-id": "2" } }]) {
      const res = await fetch(`${og.url}/__admin/journal/stream${init.query ?? ""}`, { headers: init.headers });
      const events = await readEvents(res, (e) => e.length >= 1);
      expect(events.map((e) => e.id)).toEqual(["3"]);
    }
    const bad = await fetch(`${og.url}/__admin/journal/stream?since=x`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ detail: "Admin API: invalid query: since: must be integer." });
  });
});

describe("/__admin/signature", () => {
  const fresh = () => JSON.parse(signedHeaders(CREDS, now()).authorization) as Record<string, unknown>;
  const explainIt = (question: unknown) => admin("POST", "signature", "/__admin/signature", question);

  it("tells what it knows without a single secret of the fake", async () => {
    const help = await admin("GET", "signature", "/__admin/signature");
    expect(help.body).toMatchObject({
      now: now(),
      maxAgeSeconds: 7200,
      merchant: { publicId: CREDS.publicId, sigFields: [CREDS.sigField] },
      ordergrooveExample: { printed: "BNobNOMlv3DDv6IXs861hx6WMM/4qP4V18tSYM8mPoQ=" },
    });
    expect((help.body as { usualMistakes: string[] }).usualMistakes).toContain("hex digest instead of base64");
    expect(help.text).not.toContain(CREDS.hashKey);
    expect(help.text).not.toContain(API_KEY);
  });

  it("accepts a fresh header as pasted, checked with the fake's own key", async () => {
    const header = JSON.stringify(fresh());
    for (const pasted of [header, `authorization: ${header}`, `-H 'authorization: ${header}'`]) {
      const answer = await explainIt({ authorization: pasted });
      expect(answer.body).toMatchObject({
        problems: [],
        verdict: { accepted: true },
        window: { ok: true, ageSeconds: 0 },
        signature: { keySource: "fake", matches: true, message: `${CREDS.sigField}|${now()}` },
      });
      expect(answer.body).not.toHaveProperty("signature.expected");
    }
  });

  it("names the slip behind a wrong signature without showing the right one", async () => {
    const ts = now();
    const right = computeSignature(CREDS.hashKey, { sigField: CREDS.sigField, ts });
    const hex = Buffer.from(right, "base64").toString("hex");
    const answer = await explainIt({ publicId: CREDS.publicId, sigField: CREDS.sigField, ts, sig: hex });
    expect(answer.body).toMatchObject({
      verdict: { accepted: false, status: 403 },
      signature: { keySource: "fake", matches: false, slip: "hex digest instead of base64" },
    });
    expect(answer.text).not.toContain(right);
    expect(answer.text).not.toContain(CREDS.hashKey);
  });

  it("recognises a signature valid for ts ± 1 (a client that reads the clock twice), and reads a string ts", async () => {
    const ts = now();
    const early = computeSignature(CREDS.hashKey, { sigField: CREDS.sigField, ts: ts - 1 });
    const answer = await explainIt({ publicId: CREDS.publicId, sigField: CREDS.sigField, ts, sig: early });
    expect(answer.body).toMatchObject({
      verdict: { accepted: false, detail: expect.stringContaining("This signature is valid for ts - 1") },
      signature: {
        keySource: "fake",
        matches: false,
        slip: expect.stringContaining("valid for ts - 1: your client reads the clock twice"),
      },
    });
    const late = computeSignature(CREDS.hashKey, { sigField: CREDS.sigField, ts: ts + 1 });
    const pasted = JSON.stringify({ public_id: CREDS.publicId, ts: String(ts), sig_field: CREDS.sigField, sig: late });
    const again = await explainIt({ authorization: pasted });
    expect(again.body).toMatchObject({
      problems: [],
      received: { ts },
      signature: { slip: expect.stringContaining("valid for ts + 1: your client reads the clock twice") },
    });
  });

  it("checks the two-hour window, and spots ts in milliseconds", async () => {
    const stale = await explainIt({ ...asFields(fresh()), ts: now() - 7201 });
    expect(stale.body).toMatchObject({ window: { ok: false, ageSeconds: 7201 } });
    expect((stale.body as { window: { note: string } }).window.note).toMatch(/^Stale: signed 2 h ago/);
    const ms = await explainIt({ ...asFields(fresh()), ts: now() * 1000 });
    expect((ms.body as { window: { note: string } }).window.note).toContain("ts looks like milliseconds");
    expect(ms.body).toMatchObject({ verdict: { accepted: false } });
  });

  it("explains why Ordergroove's printed example does not reproduce, with the key given", async () => {
    const answer = await explainIt({
      sigField: "test_user",
      ts: 1488466536,
      sig: "BNobNOMlv3DDv6IXs861hx6WMM/4qP4V18tSYM8mPoQ=",
      hashKey: "NT2kBcFx%!7dnAOVv9}i3CR*<L66w5",
    });
    expect(answer.body).toMatchObject({
      signature: {
        keySource: "given",
        expected: "IYLYdrP/HAob0aCu54DIXrfqqOx3S7cgCIZeqv8Ai8o=",
        matches: false,
        docExample: true,
      },
    });
    expect((answer.body as { signature: { note: string } }).signature.note).toContain("does not reproduce");
    expect((answer.body as { explanation: string[] }).explanation[0]).toBe("How the signature is made:");
    expect(answer.text).not.toContain("NT2kBcFx");
  });

  it("says when it has no key for a sig_field, and reads a header that is not JSON", async () => {
    const unknown = await explainIt({ publicId: CREDS.publicId, sigField: "someone", ts: now(), sig: "x" });
    expect(unknown.body).toMatchObject({ signature: { keySource: "none", matches: null } });
    const notJson = await explainIt({ authorization: "public_id=og-mock-merchant" });
    expect(notJson.body).toMatchObject({
      problems: ["The authorization header is not JSON."],
      verdict: { accepted: false },
      window: null,
      signature: null,
    });
  });

  it.each([
    [[], "Admin API: invalid question: must be object."],
    [{ ts: "1700000000" }, "Admin API: invalid question: ts: must be integer."],
    [{ sigField: "a", extra: 1 }, "Admin API: invalid question: extra: is not a known field."],
    [{ hashKey: "k" }, "Admin API: invalid question: needs authorization, sigField, ts or sig."],
  ])("refuses the question %j", async (question, why) => {
    const answer = await explainIt(question);
    expect(answer.status).toBe(400);
    expect((answer.body as { detail: string }).detail).toContain(why);
  });
});

function asFields(payload: Record<string, unknown>) {
  return { publicId: payload.public_id, sigField: payload.sig_field, sig: payload.sig };
}
