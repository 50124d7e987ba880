/**
 * Checked before it leaves (issue 37, point 3): a request the spec refuses as a whole gets the
 * fake's answer, marked `proxy`, and never reaches the upstream; --forward-invalid forwards it,
 * flagged. Without the merchant's credentials only the headers' shape and age are checked; with
 * them the signature is verified and a mismatch explained.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { computeSignature, signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { type RogueUpstream, startRogueUpstream } from "./upstreams.js";
import { parseCli } from "../../mock-server/cli/args.js";

const MERCHANT = { publicId: "shop-1", sigField: "shop-api-user", hashKey: "shop-hash-key" };
let rogue: RogueUpstream;
let shapeOnly: RunningMockServer;
let verifying: RunningMockServer;
let lenient: RunningMockServer;
let several: RunningMockServer;
let severalAndSettings: RunningMockServer;
let oneAndOthersSettings: RunningMockServer;
const OTHER = { publicId: "shop-2", sigField: "other-api-user", hashKey: "other-hash-key" };

beforeAll(async () => {
  rogue = await startRogueUpstream();
  const start = (extra: Record<string, unknown>, credentials?: object) =>
    startMockServer({
      port: 0,
      logger: pino({ level: "silent" }),
      ...(credentials ? { credentials } : {}),
      proxy: { target: { origin: rogue.url, production: false }, ...extra },
    });
  shapeOnly = await start({});
  verifying = await start(
    { verifySignatures: true },
    { publicId: MERCHANT.publicId, apiUsers: [{ sigField: MERCHANT.sigField, hashKey: MERCHANT.hashKey }] },
  );
  lenient = await start({ forwardInvalid: true });
  several = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    merchants: [MERCHANT, OTHER].map((m) => ({
      credentials: {
        publicId: m.publicId,
        apiUsers: [{ sigField: m.sigField, hashKey: m.hashKey }],
        apiKeys: [`key-of-${m.publicId}`],
      },
    })),
    proxy: { target: { origin: rogue.url, production: false }, verifySignatures: true },
  });
  // --merchants and og-contract's settings (.env) for the first merchant, as upstream-args gives them.
  severalAndSettings = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    merchants: [MERCHANT, OTHER].map((m) => ({
      credentials: { publicId: m.publicId, apiUsers: [{ sigField: m.sigField, hashKey: m.hashKey }], apiKeys: [] },
    })),
    proxy: {
      target: { origin: rogue.url, production: false },
      verifySignatures: true,
      merchantCredentials: {
        publicId: MERCHANT.publicId,
        apiUsers: [{ sigField: MERCHANT.sigField, hashKey: MERCHANT.hashKey }],
        apiKeys: [],
        merchantHashKey: "",
      },
    },
  });
  // A --merchants file of one merchant, and og-contract's settings for another.
  oneAndOthersSettings = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    merchants: [
      {
        credentials: {
          publicId: MERCHANT.publicId,
          apiUsers: [{ sigField: MERCHANT.sigField, hashKey: MERCHANT.hashKey }],
        },
      },
    ],
    proxy: {
      target: { origin: rogue.url, production: false },
      verifySignatures: true,
      merchantCredentials: {
        publicId: OTHER.publicId,
        apiUsers: [{ sigField: OTHER.sigField, hashKey: OTHER.hashKey }],
        apiKeys: [],
        merchantHashKey: "",
      },
    },
  });
});
afterAll(async () =>
  Promise.all(
    [rogue, shapeOnly, verifying, lenient, several, severalAndSettings, oneAndOthersSettings].map((s) => s.close()),
  ),
);

async function patch(base: string, body: string, headers: Record<string, string>) {
  const before = rogue.received.length;
  const res = await fetch(`${base}/products-batch/update/`, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    source: res.headers.get("x-og-mock-source"),
    hint: res.headers.get("x-og-mock-hint") ?? "",
    detail: text.startsWith("{") ? ((JSON.parse(text) as { detail?: string }).detail ?? "") : "",
    forwarded: rogue.received.length > before,
  };
}

const KEY = { "x-api-key": "someone-elses-key" };
const ONE = JSON.stringify([{ product_id: "p-1", live: false }]);
const now = () => unixSeconds(Date.now());

describe("3. refused before forwarding, with the fake's answer", () => {
  it("a request without credentials", async () => {
    const answer = await patch(shapeOnly.url, ONE, {});
    expect(answer).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(answer.hint).toContain("Authentication credentials were not provided");
  });

  it("bad JSON, a body that is not a list, and more than 100 items", async () => {
    const bad = await patch(shapeOnly.url, "[{", KEY);
    expect(bad).toMatchObject({ status: 400, source: "proxy", forwarded: false });
    expect(bad.detail).toContain("JSON parse error");
    const object = await patch(shapeOnly.url, JSON.stringify({ product_id: "p-1" }), KEY);
    expect(object).toMatchObject({ status: 400, source: "proxy", forwarded: false });
    expect(object.detail).toContain("Expected a list of items");
    const many = JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ product_id: `p-${i}`, live: false })));
    const tooMany = await patch(shapeOnly.url, many, KEY);
    expect(tooMany).toMatchObject({ status: 400, source: "proxy", forwarded: false });
    expect(tooMany.detail).toContain("no more than 100 elements");
  });

  it("journals the refusal in og-mock's own journal", async () => {
    shapeOnly.merchants.reset();
    await patch(shapeOnly.url, "[{", KEY);
    const entries = shapeOnly.mock.journal.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      method: "PATCH",
      response: { status: 400 },
      fault: "refused by the proxy before forwarding",
    });
  });

  it("forwards a list whose items the upstream judges one by one", async () => {
    const answer = await patch(shapeOnly.url, JSON.stringify([{ product_id: 7, live: "no" }]), KEY);
    expect(answer).toMatchObject({ source: "real", forwarded: true });
  });

  it("forwards what it would refuse with --forward-invalid, and says so", async () => {
    const answer = await patch(lenient.url, "[{", KEY);
    expect(answer).toMatchObject({ status: 200, source: "real", forwarded: true });
    expect(answer.hint).toContain("Forwarded although invalid: JSON parse error");
  });
});

describe("3. signatures", () => {
  it("with og-contract's settings (OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY): verifies the signature with them", async () => {
    const cli = parseCli(["--upstream", rogue.url], {
      OG_PUBLIC_ID: MERCHANT.publicId,
      OG_SIG_FIELD: MERCHANT.sigField,
      OG_HASH_KEY: MERCHANT.hashKey,
    });
    if (cli === "help") throw new Error("help");
    const fromEnv = await startMockServer({ port: 0, logger: pino({ level: "silent" }), proxy: cli.options.proxy });
    try {
      expect(await patch(fromEnv.url, ONE, signedHeaders(MERCHANT, now()))).toMatchObject({
        source: "real",
        forwarded: true,
      });
      const wrongKey = await patch(fromEnv.url, ONE, signedHeaders({ ...MERCHANT, hashKey: "wrong" }, now()));
      expect(wrongKey).toMatchObject({ source: "proxy", forwarded: false });
      expect(wrongKey.hint).toContain("Signature mismatch");
      // The hint never names the key.
      expect(wrongKey.hint).not.toContain(MERCHANT.hashKey);
    } finally {
      await fromEnv.close();
    }
  });

  it("with some of the merchant's credentials: refuses nothing for a key it was not given (an API key, the merchant hash key, another API user's)", async () => {
    const start = async (env: NodeJS.ProcessEnv) => {
      const cli = parseCli(["--upstream", rogue.url], env);
      if (cli === "help") throw new Error("help");
      return startMockServer({ port: 0, logger: pino({ level: "silent" }), proxy: cli.options.proxy });
    };
    const hmacOnly = await start({
      OG_PUBLIC_ID: MERCHANT.publicId,
      OG_SIG_FIELD: MERCHANT.sigField,
      OG_HASH_KEY: MERCHANT.hashKey,
    });
    const keyOnly = await start({ OG_API_KEY: "the-merchant-app-key" });
    try {
      // An Application API key: og-mock holds none to compare it with, so it is the service's to judge.
      expect(await patch(hmacOnly.url, ONE, { "x-api-key": "another-app-key" })).toMatchObject({
        source: "real",
        forwarded: true,
      });
      // A storefront signature (no og-authorization), made with the merchant hash key og-mock was not given.
      const ts = now();
      const storefront = {
        authorization: JSON.stringify({
          public_id: MERCHANT.publicId,
          ts,
          sig_field: "customer-42",
          sig: computeSignature("the merchant hash key", { sigField: "customer-42", ts }),
        }),
      };
      expect(await patch(hmacOnly.url, ONE, storefront)).toMatchObject({ source: "real", forwarded: true });
      // An API user's signature, given only an API key.
      expect(await patch(keyOnly.url, ONE, signedHeaders(MERCHANT, now()))).toMatchObject({
        source: "real",
        forwarded: true,
      });
      // Given only og-mock's own --api-key, the fake's default API user and merchant are no
      // merchant's: a real API user's signature is the service's to judge.
      const ownKey = await start({ OG_MOCK_API_KEY: "the-merchant-app-key" });
      try {
        expect(await patch(ownKey.url, ONE, signedHeaders(MERCHANT, now()))).toMatchObject({ forwarded: true });
        // A merchant has up to 10 API keys: one og-mock was not given may be any of the others.
        expect(await patch(ownKey.url, ONE, { "x-api-key": "another-of-its-keys" })).toMatchObject({
          source: "real",
          forwarded: true,
        });
      } finally {
        await ownKey.close();
      }
      // Another API user of the same merchant, whose key og-mock was not given.
      const otherUser = { ...MERCHANT, sigField: "another-api-user", hashKey: "that user's key" };
      expect(await patch(hmacOnly.url, ONE, signedHeaders(otherUser, now()))).toMatchObject({
        source: "real",
        forwarded: true,
      });
      // What it holds it still verifies.
      expect(await patch(keyOnly.url, ONE, { "x-api-key": "the-merchant-app-key" })).toMatchObject({ forwarded: true });
      const wrong = await patch(hmacOnly.url, ONE, signedHeaders({ ...MERCHANT, hashKey: "wrong" }, now()));
      expect(wrong).toMatchObject({ source: "proxy", forwarded: false });
    } finally {
      await Promise.all([hmacOnly.close(), keyOnly.close()]);
    }
  });

  it("without the merchant's credentials: checks the shape and the age, not the key", async () => {
    const signed = signedHeaders({ ...MERCHANT, hashKey: "any key at all" }, now());
    expect(await patch(shapeOnly.url, ONE, signed)).toMatchObject({ source: "real", forwarded: true });
    const notJson = await patch(shapeOnly.url, ONE, { authorization: "sig=abc", "og-authorization": "True" });
    expect(notJson).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(notJson.hint).toContain("not JSON");
    const stale = await patch(shapeOnly.url, ONE, signedHeaders(MERCHANT, now() - 3 * 3600));
    expect(stale).toMatchObject({ source: "proxy", forwarded: false });
    expect(stale.hint).toContain("Stale signature");
  });

  it("with them: verifies the signature and explains a mismatch", async () => {
    expect(await patch(verifying.url, ONE, signedHeaders(MERCHANT, now()))).toMatchObject({
      source: "real",
      forwarded: true,
    });
    const wrongKey = await patch(verifying.url, ONE, signedHeaders({ ...MERCHANT, hashKey: "wrong" }, now()));
    expect(wrongKey).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(wrongKey.hint).toContain("Signature mismatch");
    // The client read the clock twice: signed for one second, sent the next in the header.
    const ts = now();
    const sig = computeSignature(MERCHANT.hashKey, { sigField: MERCHANT.sigField, ts: ts - 1 });
    const twice = await patch(verifying.url, ONE, {
      authorization: JSON.stringify({ public_id: MERCHANT.publicId, ts, sig_field: MERCHANT.sigField, sig }),
      "og-authorization": "True",
    });
    expect(twice).toMatchObject({ source: "proxy", forwarded: false });
    expect(twice.hint).toContain("reads the clock twice");
  });
});

describe("3. with several merchants (--merchants): the merchant a request names", () => {
  const journalOf = async (publicId: string) => {
    const res = await fetch(`${several.url}/__admin/journal?merchant=${publicId}`);
    return (await res.json()) as { entries: Array<{ source?: string; path: string }> };
  };

  it("verifies each merchant's signatures with that merchant's key, and journals the exchange there", async () => {
    several.merchants.reset();
    expect(await patch(several.url, ONE, signedHeaders(OTHER, now()))).toMatchObject({
      source: "real",
      forwarded: true,
    });
    // The second merchant's key is not the first's: verified against the merchant the request names.
    const crossed = await patch(several.url, ONE, signedHeaders({ ...OTHER, hashKey: MERCHANT.hashKey }, now()));
    expect(crossed).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(crossed.hint).toContain("Signature mismatch");
    expect((await journalOf(OTHER.publicId)).entries.map((e) => e.source)).toEqual(["real", "proxy"]);
    expect((await journalOf(MERCHANT.publicId)).entries).toEqual([]);
  });
});

describe("3. with --merchants and og-contract's settings for one of them", () => {
  it("verifies a request naming another merchant of the file with that merchant's key, not only its shape", async () => {
    expect(await patch(severalAndSettings.url, ONE, signedHeaders(OTHER, now()))).toMatchObject({
      source: "real",
      forwarded: true,
    });
    const crossed = await patch(
      severalAndSettings.url,
      ONE,
      signedHeaders({ ...OTHER, hashKey: MERCHANT.hashKey }, now()),
    );
    expect(crossed).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(crossed.hint).toContain("Signature mismatch");
    // The merchant og-contract's settings name is still verified with them.
    const wrong = await patch(severalAndSettings.url, ONE, signedHeaders({ ...MERCHANT, hashKey: "not-it" }, now()));
    expect(wrong).toMatchObject({ status: 403, source: "proxy", forwarded: false });
  });
});

describe("3. with a --merchants file of one merchant and og-contract's settings for another", () => {
  it("verifies each request with the credentials that hold its key: the file's merchant's, or the settings'", async () => {
    const fileWrong = await patch(
      oneAndOthersSettings.url,
      ONE,
      signedHeaders({ ...MERCHANT, hashKey: "not-it" }, now()),
    );
    expect(fileWrong).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(await patch(oneAndOthersSettings.url, ONE, signedHeaders(MERCHANT, now()))).toMatchObject({
      source: "real",
      forwarded: true,
    });
    const settingsWrong = await patch(
      oneAndOthersSettings.url,
      ONE,
      signedHeaders({ ...OTHER, hashKey: "not-it" }, now()),
    );
    expect(settingsWrong).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(await patch(oneAndOthersSettings.url, ONE, signedHeaders(OTHER, now()))).toMatchObject({
      source: "real",
      forwarded: true,
    });
  });
});
