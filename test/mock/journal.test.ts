import { describe, expect, it } from "vitest";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { API_KEY, CREDS, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ journalLimit: 5 });
const ITEMS = [{ product_id: "og-coffee-beans-1kg", live: false }];

describe("the request journal", () => {
  it("records what was received and answered, in order, with who sent it", async () => {
    await og.patchBatch(ITEMS);
    await og.request("GET", "/products/og-coffee-beans-1kg/", { auth: "api-key" });
    const { body } = await og.admin("GET", "journal");
    const { total, entries } = body as { total: number; entries: Array<Record<string, unknown>> };
    expect(total).toBe(2);
    expect(entries[0]).toMatchObject({
      seq: 1,
      method: "PATCH",
      path: "/products-batch/update/",
      body: ITEMS,
      principal: { scheme: "hmac", publicId: CREDS.publicId, sigField: CREDS.sigField },
      response: { status: 207, body: { results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] } },
    });
    expect(entries[1]).toMatchObject({ seq: 2, method: "GET", principal: { scheme: "api-key", key: 0 } });
  });

  it("masks the signature and the API key, keeping who signed", async () => {
    const headers = signedHeaders(CREDS, unixSeconds(og.clock.now()));
    const sig = JSON.parse(headers.authorization).sig as string;
    await og.patchBatch(ITEMS, { auth: "none", headers: { ...headers, "x-api-key": API_KEY } });
    await og.patchBatch(ITEMS, {
      auth: "none",
      headers: { "og-authorization": "True", authorization: `not json ${CREDS.hashKey}` },
    });
    const { text, body } = await og.admin("GET", "journal");
    for (const secret of [sig, API_KEY, CREDS.hashKey]) expect(text).not.toContain(secret);
    const [first, second] = (body as { entries: Array<{ headers: Record<string, string> }> }).entries;
    expect(JSON.parse(first!.headers.authorization!)).toEqual({
      public_id: CREDS.publicId,
      ts: unixSeconds(og.clock.now()),
      sig_field: CREDS.sigField,
      sig: "[redacted]",
    });
    expect(first!.headers["x-api-key"]).toBe("[redacted]");
    expect(second!.headers.authorization).toBe("[redacted]");
  });

  it("records refused, throttled and faulted requests too", async () => {
    og.running.mock.faults.failNext(503);
    await og.patchBatch(ITEMS);
    await og.patchBatch(ITEMS, { auth: "none" });
    const entries = og.running.mock.journal.entries();
    expect(entries.map((e) => ("status" in e.response ? e.response.status : "dropped"))).toEqual([503, 403]);
    expect(entries[0]!.fault).toBe("injected: 503");
    expect(entries[1]!.principal).toBeNull();
  });

  it("is bounded: the oldest entries fall off, the total keeps counting", async () => {
    for (let i = 0; i < 8; i++) await og.request("GET", `/products/p-${i}/`);
    const entries = og.running.mock.journal.entries();
    expect(entries).toHaveLength(5);
    expect(entries.map((e) => e.path)).toEqual([3, 4, 5, 6, 7].map((i) => `/products/p-${i}/`));
    expect(og.running.mock.journal.total).toBe(8);
    const since = await og.admin("GET", "journal?since=6");
    expect((since.body as { entries: Array<{ seq: number }> }).entries.map((e) => e.seq)).toEqual([7, 8]);
  });

  it("is cleared through the admin API", async () => {
    await og.patchBatch(ITEMS);
    expect((await og.admin("DELETE", "journal")).body).toEqual({ total: 0, dropped: 0, entries: [] });
    expect(og.running.mock.journal.entries()).toEqual([]);
  });

  it("keeps an unparsable body as text, cut short", async () => {
    await og.request("PATCH", "/products-batch/update/", { raw: `[${"x".repeat(10_000)}` });
    const entry = og.running.mock.journal.entries()[0]!;
    expect(typeof entry.body).toBe("string");
    expect((entry.body as string).length).toBeLessThan(4200);
  });
});

describe("the journal and hostile bodies", () => {
  it("keeps a deeply nested body as text, so reading the journal cannot overflow", async () => {
    const deep = `[${"[".repeat(5000)}${"]".repeat(5000)}]`;
    const answer = await og.request("PATCH", "/products-batch/update/", { raw: deep });
    expect(answer.body).toEqual({
      results: [{ product_id: null, status: 400, detail: "each item must be an object; got list" }],
    });
    const journal = await og.admin("GET", "journal");
    expect(journal.status).toBe(200);
    expect(typeof (journal.body as { entries: Array<{ body: unknown }> }).entries[0]!.body).toBe("string");
  });
});
