import { describe, expect, it } from "vitest";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { API_KEY, CREDS, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({
  credentials: {
    publicId: CREDS.publicId,
    apiUsers: [
      { sigField: CREDS.sigField, hashKey: CREDS.hashKey },
      { sigField: "warehouse-bot", hashKey: "another-hash-key" },
    ],
    apiKeys: [API_KEY, "second-api-key"],
  },
});

const ITEMS = [{ product_id: "og-coffee-beans-1kg", live: false }];

function authorization(fields: Record<string, unknown>): string {
  return JSON.stringify(fields);
}

function signed(overrides: Partial<typeof CREDS> & { trustLevel?: string } = {}, ts = unixSeconds(og.clock.now())) {
  return signedHeaders({ ...CREDS, ...overrides }, ts);
}

/**
 * Refused with 403, and the explanation `detail` names: it travels in x-og-mock-hint (and the
 * journal); the body says the same, or what the service was observed to say for that refusal.
 */
async function refused(headers: Record<string, string | undefined>, detail: string | RegExp): Promise<string> {
  const answer = await og.patchBatch(ITEMS, { headers, auth: "none" });
  expect(answer.status).toBe(403);
  const text = answer.headers["x-og-mock-hint"]!;
  const body = (answer.body as { detail: string }).detail;
  expect([text, "Authentication Failed"]).toContain(body);
  expect(og.running.mock.journal.entries().at(-1)?.authRefusal).toBe(text);
  if (typeof detail === "string") expect(text).toBe(detail);
  else expect(text).toMatch(detail);
  // A refused request changes nothing.
  expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  // And never reveals a key or the expected signature.
  const everything = answer.text + JSON.stringify(answer.headers);
  for (const secret of [CREDS.hashKey, "another-hash-key", API_KEY, "second-api-key", signed().authorization]) {
    expect(everything).not.toContain(JSON.parse(JSON.stringify(secret)));
  }
  const expectedSig = JSON.parse(signed().authorization).sig as string;
  expect(everything).not.toContain(expectedSig);
  return text;
}

describe("HMAC API-user scope", () => {
  it("accepts a request signed as documented", async () => {
    const answer = await og.patchBatch(ITEMS);
    expect(answer.status).toBe(207);
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
  });

  it("accepts any configured API user", async () => {
    const answer = await og.patchBatch(ITEMS, {
      auth: "none",
      headers: signed({ sigField: "warehouse-bot", hashKey: "another-hash-key" }),
    });
    expect(answer.status).toBe(207);
  });

  it("accepts a signature from up to two hours ago and a little clock skew ahead", async () => {
    const now = unixSeconds(og.clock.now());
    expect((await og.patchBatch(ITEMS, { auth: "none", headers: signed({}, now - 7200) })).status).toBe(207);
    expect((await og.patchBatch(ITEMS, { auth: "none", headers: signed({}, now + 300) })).status).toBe(207);
  });

  it("signs sig_field|trust_level|ts when a trust level is sent", async () => {
    const answer = await og.patchBatch(ITEMS, { auth: "none", headers: signed({ trustLevel: "recognized" }) });
    expect(answer.status).toBe(207);
  });

  it("refuses a request without any credentials as the service does, explaining in a header", async () => {
    await refused({}, /^Authentication credentials were not provided\./);
    const answer = await og.patchBatch(ITEMS, { auth: "none" });
    // Observed live: Ordergroove's words, nothing more, in the body a client parses.
    expect(answer.body).toEqual({ detail: "Authentication Failed" });
  });

  it("reads a signature without og-authorization as storefront scope, and names the API-user key mix-up", async () => {
    await refused(
      { authorization: signed().authorization },
      /storefront scope.*signed with an API user's key: API-user requests must also send `og-authorization: True`/,
    );
  });

  it("refuses og-authorization in the wrong case (it is case-sensitive)", async () => {
    await refused(
      { ...signed(), "og-authorization": "true" },
      'The og-authorization header must be exactly "True" (case-sensitive); got "true".',
    );
  });

  it("refuses an authorization header that is not JSON, without echoing it", async () => {
    await refused(
      { "og-authorization": "True", authorization: "public_id=og-mock-merchant&sig=abc" },
      /^Invalid authorization header: it is not JSON\./,
    );
  });

  it("refuses an authorization JSON that is not an object", async () => {
    await refused({ "og-authorization": "True", authorization: "[1,2]" }, /must be an object/);
  });

  it("names every missing field", async () => {
    await refused(
      {
        "og-authorization": "True",
        authorization: authorization({ public_id: CREDS.publicId, sig_field: CREDS.sigField }),
      },
      'Invalid authorization header: missing "ts", "sig".',
    );
  });

  it.each([
    [
      "ts as a string that is not a number",
      { ts: "yesterday" },
      /"ts" must be a whole number of seconds .* got a string/,
    ],
    ["ts as a fraction", { ts: 1795435200.5 }, /"ts" must be a whole number.*got the fraction 1795435200.5/],
    ["sig as a number", { sig: 12 }, /"sig" must be a string; got the number 12/],
    ["public_id as a list", { public_id: ["x"] }, /"public_id" must be a string; got a list/],
  ])("refuses %s", async (_name, override, detail) => {
    const fields = { ...JSON.parse(signed().authorization), ...override };
    await refused({ "og-authorization": "True", authorization: authorization(fields) }, detail);
  });

  it("refuses an unknown merchant", async () => {
    await refused(
      signed({ publicId: "someone-else" }),
      'Unknown merchant: public_id "someone-else" is not a merchant of this server.',
    );
  });

  it("refuses an unknown API user", async () => {
    await refused(
      signed({ sigField: "intruder" }),
      'Unknown API user: sig_field "intruder" has no hash key for merchant "og-mock-merchant".',
    );
  });

  it("refuses a stale timestamp, older than two hours", async () => {
    const ts = unixSeconds(og.clock.now()) - 7201;
    await refused(
      signed({}, ts),
      `Stale signature: ts ${ts} is 2 h old; signatures are accepted for 2 h. Sign every request, and every retry, afresh.`,
    );
  });

  it("refuses a timestamp from the future beyond the skew, spotting milliseconds", async () => {
    const ms = og.clock.now();
    await refused(signed({}, ms), /^Signature from the future: .* It looks like milliseconds; ts is in seconds\.$/);
    await refused(
      signed({}, unixSeconds(ms) + 301),
      /ahead of this server's clock; the allowed skew is 5 min\. Check the signing machine's clock\.$/,
    );
  });

  it("refuses a wrong signature, naming the message that should have been signed", async () => {
    const ts = unixSeconds(og.clock.now());
    const text = await refused(
      signed({ hashKey: "wrong-key" }),
      `Signature mismatch: sig is not the HMAC-SHA256 of the message "og-mock-api-user|${ts}" with the hash key of API user "og-mock-api-user". Check the hash key, that exactly this message was signed, and that the digest is standard base64 with padding.`,
    );
    expect(text).not.toContain("wrong-key");
  });

  it("recognises a client that reads the clock twice: signed ts - 1 (or + 1), sent ts", async () => {
    const ts = unixSeconds(og.clock.now());
    for (const [signedTs, said] of [
      [ts - 1, "ts - 1"],
      [ts + 1, "ts + 1"],
    ] as const) {
      const fields = { ...JSON.parse(signed({}, signedTs).authorization), ts };
      await refused(
        { "og-authorization": "True", authorization: authorization(fields) },
        new RegExp(
          `This signature is valid for ${said.replace("+", "\\+")} \\(${signedTs}\\): your client reads the clock twice`,
        ),
      );
    }
  });

  it("spots a hex-encoded signature", async () => {
    const fields = { ...JSON.parse(signed().authorization), sig: "ab".repeat(32) };
    await refused({ "og-authorization": "True", authorization: authorization(fields) }, /looks hex-encoded/);
  });

  it("refuses a signature made for another API user's key", async () => {
    await refused(signed({ sigField: "warehouse-bot" }), /^Signature mismatch/);
  });

  it("refuses a replay of a valid header once it is two hours old", async () => {
    const headers = signed();
    expect((await og.patchBatch(ITEMS, { auth: "none", headers })).status).toBe(207);
    og.running.mock.catalog.reset();
    og.clock.advance(7201 * 1000);
    await refused(headers, /^Stale signature/);
  });
});

describe("x-api-key (Application API scope)", () => {
  it("accepts every configured key", async () => {
    expect((await og.patchBatch(ITEMS, { auth: "api-key" })).status).toBe(207);
    expect((await og.patchBatch(ITEMS, { auth: "none", headers: { "x-api-key": "second-api-key" } })).status).toBe(207);
  });

  it("refuses an unknown key", async () => {
    await refused(
      { "x-api-key": "guess" },
      "Invalid API key: the x-api-key header matches none of this merchant's keys.",
    );
  });

  it("authenticates with either scheme when both are sent", async () => {
    const answer = await og.patchBatch(ITEMS, { auth: "none", headers: { ...signed(), "x-api-key": "guess" } });
    expect(answer.status).toBe(207);
  });

  it("explains both failures when both schemes fail", async () => {
    await refused({ ...signed({ hashKey: "nope" }), "x-api-key": "guess" }, /^Invalid API key: .* Signature mismatch/);
  });
});

describe("the failure status", () => {
  const og401 = useMockServer({ auth: { failureStatus: 401 } });

  it("is 401 when configured so", async () => {
    const answer = await og401.patchBatch(ITEMS, { auth: "none" });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ detail: "Authentication Failed" });
    expect(answer.headers["x-og-mock-hint"]).toMatch(/^Authentication credentials were not provided/);
  });

  it("applies to GET and single PATCH too", async () => {
    expect((await og.request("GET", "/products/og-mug/", { auth: "none" })).status).toBe(403);
    expect(
      (await og.request("PATCH", "/products/og-coffee-beans-1kg/", { auth: "none", body: { live: false } })).status,
    ).toBe(403);
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });
});
