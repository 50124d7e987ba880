/**
 * Every bad input we know of, and the answer it gets. The table in docs/reliability.md
 * is generated from these cases: run with UPDATE_README=1 after changing them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signedHeaders } from "../../shared/auth/signature.js";
import { CREDS, useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";
import { ROOT } from "../helpers/spawn.js";

// Default settings, as README's table says (the body limit is the default 1 MiB).
const og = useMockServer({ throttle: false });
const UPDATE = "/products-batch/update/";
type Headers = Record<string, string | undefined>;
const json = { "content-type": "application/json" };
const signed = (ts?: number, extra: Record<string, unknown> = {}): Headers => {
  const now = ts ?? Math.floor(og.clock.now() / 1000);
  const h = signedHeaders(CREDS, now);
  return Object.keys(extra).length
    ? { ...h, authorization: JSON.stringify({ ...JSON.parse(h.authorization), ...extra }) }
    : h;
};
const item = (fields: Record<string, unknown>) => JSON.stringify([{ product_id: "og-coffee-beans-1kg", ...fields }]);

interface Case {
  input: string;
  method?: string;
  path?: string;
  headers: () => Headers;
  body?: string;
  status: number;
  /** The item's status when the request as a whole is processed. */
  itemStatus?: number;
  /** The fake's explanation: its x-og-mock-hint header where it sends one, else the body's detail. */
  detail: RegExp;
}

const CASES: Case[] = [
  {
    input: "no credentials",
    headers: () => json,
    body: "[]",
    status: 403,
    detail: /^Authentication credentials were not provided/,
  },
  {
    input: "unknown x-api-key",
    headers: () => ({ ...json, "x-api-key": "guess" }),
    body: "[]",
    status: 403,
    detail: /^Invalid API key/,
  },
  {
    input: "authorization without og-authorization",
    headers: () => ({ ...json, authorization: signed().authorization }),
    body: "[]",
    status: 403,
    detail: /storefront scope.*must also send `og-authorization: True`/,
  },
  {
    input: "og-authorization: true (lower case)",
    headers: () => ({ ...json, ...signed(), "og-authorization": "true" }),
    body: "[]",
    status: 403,
    detail: /must be exactly "True"/,
  },
  {
    input: "authorization not JSON",
    headers: () => ({ ...json, "og-authorization": "True", authorization: "sig=abc" }),
    body: "[]",
    status: 403,
    detail: /it is not JSON/,
  },
  {
    input: "authorization JSON missing sig",
    headers: () => ({
      ...json,
      "og-authorization": "True",
      authorization: JSON.stringify({ public_id: CREDS.publicId, ts: 1 }),
    }),
    body: "[]",
    status: 403,
    detail: /missing "sig_field", "sig"/,
  },
  {
    input: "ts as a string that is not digits",
    headers: () => ({ ...json, ...signed(undefined, { ts: "1700000000.0" }) }),
    body: "[]",
    status: 403,
    detail: /"ts" must be a whole number/,
  },
  {
    input: "ts as a fraction",
    headers: () => ({ ...json, ...signed(undefined, { ts: 1.5 }) }),
    body: "[]",
    status: 403,
    detail: /"ts" must be a whole number/,
  },
  {
    input: "ts older than two hours",
    headers: () => ({ ...json, ...signed(Math.floor(og.clock.now() / 1000) - 7201) }),
    body: "[]",
    status: 403,
    detail: /^Stale signature/,
  },
  {
    input: "ts in milliseconds",
    headers: () => ({ ...json, ...signed(og.clock.now()) }),
    body: "[]",
    status: 403,
    detail: /looks like milliseconds/,
  },
  {
    input: "unknown public_id",
    headers: () => ({ ...json, ...signed(undefined, { public_id: "other" }) }),
    body: "[]",
    status: 403,
    detail: /^Unknown merchant/,
  },
  {
    input: "unknown sig_field",
    headers: () => ({ ...json, ...signed(undefined, { sig_field: "other" }) }),
    body: "[]",
    status: 403,
    detail: /^Unknown API user/,
  },
  {
    input: "wrong signature",
    headers: () => ({ ...json, ...signed(undefined, { sig: "AAAA" }) }),
    body: "[]",
    status: 403,
    detail: /^Signature mismatch/,
  },
  {
    input: "hex signature",
    headers: () => ({ ...json, ...signed(undefined, { sig: "ab".repeat(32) }) }),
    body: "[]",
    status: 403,
    detail: /looks hex-encoded/,
  },
  {
    input: "authorization header over 16 KiB",
    headers: () => ({ ...json, "og-authorization": "True", authorization: "x".repeat(20_000) }),
    body: "[]",
    status: 431,
    detail: /^Request Header Fields Too Large/,
  },
  {
    input: "body not JSON",
    headers: () => ({ ...json, ...signed() }),
    body: "[{",
    status: 400,
    detail: /^JSON parse error/,
  },
  { input: "empty body", headers: () => ({ ...json, ...signed() }), status: 400, detail: /^JSON parse error/ },
  {
    input: "body an object, not a list",
    headers: () => ({ ...json, ...signed() }),
    body: "{}",
    status: 400,
    detail: /^Expected a list of items but got type "dict"/,
  },
  {
    input: "101 items",
    headers: () => ({ ...json, ...signed() }),
    body: JSON.stringify(Array.from({ length: 101 }, () => ({ product_id: "x", live: false }))),
    status: 400,
    detail: /no more than 100 elements/,
  },
  {
    input: "body over the size limit",
    headers: () => ({ ...json, ...signed() }),
    body: item({ name: "x".repeat(1_100_000) }),
    status: 413,
    detail: /^Request body is \d+ bytes; the limit is 1048576 bytes/,
  },
  {
    input: "content-type text/plain",
    headers: () => ({ ...signed(), "content-type": "text/plain" }),
    body: "[]",
    status: 415,
    detail: /^Unsupported media type "text\/plain"/,
  },
  { input: "no content-type", headers: () => signed(), body: "[]", status: 415, detail: /no content-type header/ },
  {
    input: "item without product_id",
    headers: () => ({ ...json, ...signed() }),
    body: JSON.stringify([{ live: false }]),
    status: 207,
    itemStatus: 400,
    detail: /^product_id: is required$/,
  },
  {
    input: "product_id a number",
    headers: () => ({ ...json, ...signed() }),
    body: JSON.stringify([{ product_id: 7, live: false }]),
    status: 207,
    itemStatus: 400,
    detail: /^product_id: must be string$/,
  },
  {
    input: "product_id over 255 characters",
    headers: () => ({ ...json, ...signed() }),
    body: JSON.stringify([{ product_id: "p".repeat(256), live: false }]),
    status: 207,
    itemStatus: 400,
    // The id is quoted cut: a 1 MB id used to be echoed back and journaled whole.
    detail:
      /^product_id: must NOT have more than 255 characters; got 256 \(the product_id above is its first 255 and an ellipsis\)$/,
  },
  {
    input: "live a string",
    headers: () => ({ ...json, ...signed() }),
    body: item({ live: "false" }),
    status: 207,
    itemStatus: 400,
    detail: /^live: must be boolean$/,
  },
  {
    input: "live null",
    headers: () => ({ ...json, ...signed() }),
    body: item({ live: null }),
    status: 207,
    itemStatus: 400,
    detail: /^live: must be boolean$/,
  },
  {
    input: "price a word",
    headers: () => ({ ...json, ...signed() }),
    body: item({ price: "cheap" }),
    status: 207,
    itemStatus: 400,
    detail: /^price: must be a decimal number such as 15\.00 \(at most two decimals, 0 to 99999999\.99\)$/,
  },
  {
    input: "item a list",
    headers: () => ({ ...json, ...signed() }),
    body: "[[1]]",
    status: 207,
    itemStatus: 400,
    detail: /^each item must be an object; got list$/,
  },
  {
    input: "item nested 5,000 deep",
    headers: () => ({ ...json, ...signed() }),
    body: `[${"[".repeat(5000)}${"]".repeat(5000)}]`,
    status: 207,
    itemStatus: 400,
    detail: /^each item must be an object; got list$/,
  },
  {
    input: "unknown product",
    headers: () => ({ ...json, ...signed() }),
    body: JSON.stringify([{ product_id: "ghost", live: false }]),
    status: 207,
    itemStatus: 404,
    detail: /^no product with product_id "ghost"/,
  },
  {
    input: "path without trailing slash",
    path: "/products-batch/update",
    headers: () => ({ ...json, ...signed() }),
    body: "[]",
    status: 404,
    detail: /send PATCH \/products-batch\/update\/ \(a write is never redirected/,
  },
  {
    input: "GET without trailing slash",
    method: "GET",
    path: "/products?page_size=5",
    headers: () => ({ ...signed() }),
    status: 301,
    detail: /redirected \/products to \/products\//,
  },
  {
    input: "unknown path",
    path: "/subscriptions/",
    method: "GET",
    headers: () => signed(),
    status: 404,
    detail: /^Not found: no route for GET \/subscriptions\//,
  },
  { input: "wrong method", method: "GET", headers: () => signed(), status: 405, detail: /^Method "GET" not allowed/ },
  {
    input: "product path with bad percent-encoding",
    method: "GET",
    path: "/products/%E0%A4%A/",
    headers: () => signed(),
    status: 404,
    detail: /not valid percent-encoding/,
  },
];

function describeAnswer(status: number, body: unknown, hint: string | undefined, c: Case): string {
  if (c.itemStatus) {
    const r = (body as { results: Array<{ status: number; detail?: string }> }).results[0]!;
    return `${status}, item ${r.status}: ${r.detail}`;
  }
  const detail = (body as { detail?: string } | undefined)?.detail;
  // The body's words first (what a client parses), then the fake's explanation when it differs.
  if (hint === undefined || hint === detail) return `${status}: ${detail}`;
  return detail === undefined ? `${status}, hint: ${hint}` : `${status}: ${detail}; hint: ${hint}`;
}

const rows: string[] = [];

describe("bad inputs", () => {
  it.each(CASES.map((c) => [c.input, c]))("%s", async (_input, c) => {
    const answer = await rawRequest(og.url, c.method ?? "PATCH", c.path ?? UPDATE, c.headers(), c.body);
    expect(answer.status).toBe(c.status);
    if (c.itemStatus) {
      const r = (answer.body as { results: Array<{ status: number; detail: string }> }).results[0]!;
      expect(r.status).toBe(c.itemStatus);
      expect(r.detail).toMatch(c.detail);
    } else {
      expect(answer.headers["x-og-mock-hint"] ?? (answer.body as { detail: string }).detail).toMatch(c.detail);
    }
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    const shown = describeAnswer(answer.status, answer.body, answer.headers["x-og-mock-hint"], c).replace(/\|/g, "\\|");
    rows[CASES.indexOf(c)] = `| ${c.input} | ${shown.length > 150 ? `${shown.slice(0, 150)}…` : shown} |`;
  });

  it("are listed in docs/reliability.md with the answers they get", () => {
    const table = ["| bad input | answer (status: detail) |", "|---|---|", ...rows].join("\n");
    const readmePath = join(ROOT, "docs/reliability.md");
    const readme = readFileSync(readmePath, "utf8");
    const re = /<!-- bad-inputs:start -->[\s\S]*?<!-- bad-inputs:end -->/;
    const block = `<!-- bad-inputs:start -->\n${table}\n<!-- bad-inputs:end -->`;
    if (process.env.UPDATE_README === "1")
      writeFileSync(
        readmePath,
        readme.replace(re, () => block),
      );
    else
      expect(re.exec(readme)?.[0], "run UPDATE_README=1 npx vitest run test/robustness/bad-inputs.test.ts").toBe(
        `<!-- bad-inputs:start -->\n${table}\n<!-- bad-inputs:end -->`,
      );
  });
});
