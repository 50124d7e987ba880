import { describe, expect, it } from "vitest";
import { computeSignature, signedHeaders, signedMessage } from "../../shared/auth/signature.js";

// Independent vectors from the project's notes on Ordergroove's documentation (computed with openssl).
const VECTORS = [
  {
    key: "NT2kBcFx%!7dnAOVv9}i3CR*<L66w5",
    sigField: "test_user",
    ts: 1488466536,
    sig: "IYLYdrP/HAob0aCu54DIXrfqqOx3S7cgCIZeqv8Ai8o=",
  },
  {
    key: "og-mock-hash-key",
    sigField: "og-mock-api-user",
    ts: 1700000000,
    sig: "wtb5lPfUViJ+ACxfO6ckE2UmGR1pqN4PpFdMFuaFu+0=",
  },
  {
    key: "s3cr3t",
    sigField: "api_user",
    trustLevel: "recognized",
    ts: 1763900000,
    sig: "3srqmpM4gfPOKm/eERq/pI5o4kQuVd2H5jSMWWXsw9A=",
  },
  { key: "ключ-ü", sigField: "usér", ts: 1763900000, sig: "BzhmmAPEkDmrcCOfwXMu3QMNvHo7AkheAU9qxB8jyEk=" },
];

describe("HMAC signature", () => {
  it.each(VECTORS)("matches the independent vector for $sigField", (v) => {
    expect(computeSignature(v.key, { sigField: v.sigField, ts: v.ts, trustLevel: v.trustLevel })).toBe(v.sig);
  });

  it("signs sig_field|ts, or sig_field|trust_level|ts with trust groups", () => {
    expect(signedMessage({ sigField: "u", ts: 5 })).toBe("u|5");
    expect(signedMessage({ sigField: "u", ts: 5, trustLevel: "recognized" })).toBe("u|recognized|5");
  });

  it("does not reproduce the value printed in Ordergroove's own doc example", () => {
    expect(computeSignature(VECTORS[0]!.key, { sigField: "test_user", ts: 1488466536 })).not.toBe(
      "BNobNOMlv3DDv6IXs861hx6WMM/4qP4V18tSYM8mPoQ=",
    );
  });

  it("builds the two headers with the JSON fields in Ordergroove's order", () => {
    const headers = signedHeaders(
      { publicId: "m", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" },
      1700000000,
    );
    expect(headers).toEqual({
      authorization:
        '{"public_id":"m","ts":1700000000,"sig_field":"og-mock-api-user","sig":"wtb5lPfUViJ+ACxfO6ckE2UmGR1pqN4PpFdMFuaFu+0="}',
      "og-authorization": "True",
    });
  });
});
