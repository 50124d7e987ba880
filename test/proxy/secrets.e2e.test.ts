/**
 * No secret leaves og-mock --upstream (issue 37, point 6): a proxy given the merchant's
 * credentials (og-contract's settings) forwards to a second og-mock, with --report, --learn and
 * --shadow and a debug log; every log line, answer, journal entry (API and live stream), report
 * and learnt profile is searched for the hash keys, API keys and signatures used, and none is
 * found. (The signatures do reach the upstream, which is their purpose.)
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signedHeaders } from "../../shared/auth/signature.js";
import { journalStreamEvents } from "../helpers/raw-http.js";
import { startOgMock } from "../helpers/spawn.js";

const HASH_KEY = "S3CRET-proxy-hash-key-5e1a";
const WRONG_HASH_KEY = "S3CRET-proxy-wrong-hash-key-90c2";
const API_KEY = "S3CRET-proxy-api-key-77d0";
const ADMIN_TOKEN = "S3CRET-proxy-admin-token-1f3b";
const USER = { publicId: "secret-shop", sigField: "secret-user" };

describe("og-mock --upstream keeps no secret", () => {
  it("in its log, answers, journal, stream, report or learnt profile", { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "og-proxy-secrets-"));
    const upstream = await startOgMock(
      ["--public-id", USER.publicId, "--sig-field", USER.sigField, "--log-level", "silent"],
      {
        OG_MOCK_HASH_KEY: HASH_KEY,
        OG_MOCK_API_KEY: API_KEY,
      },
    );
    const proxy = await startOgMock(
      [
        "--upstream",
        upstream.url,
        "--log-level",
        "debug",
        "--report",
        join(dir, "r.json"),
        "--learn",
        join(dir, "l.json"),
        "--shadow",
      ],
      {
        OG_PUBLIC_ID: USER.publicId,
        OG_SIG_FIELD: USER.sigField,
        OG_HASH_KEY: HASH_KEY,
        OG_API_KEY: API_KEY,
        OG_MOCK_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    );
    const signatures: string[] = [];
    const sign = (key: string, ts = Math.floor(Date.now() / 1000)) => {
      const headers = signedHeaders({ ...USER, hashKey: key }, ts);
      signatures.push((JSON.parse(headers.authorization) as { sig: string }).sig);
      return headers;
    };
    const captured: string[] = [];
    const send = async (headers: Record<string, string>, path = "/products-batch/update/") => {
      const res = await fetch(`${proxy.url}${path}`, {
        method: path.startsWith("/products-batch") ? "PATCH" : "GET",
        headers: { "content-type": "application/json", ...headers },
        body: path.startsWith("/products-batch")
          ? JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }])
          : undefined,
      });
      captured.push(JSON.stringify([...res.headers]), await res.text());
    };
    await send(sign(HASH_KEY));
    await send(sign(WRONG_HASH_KEY));
    await send(sign(HASH_KEY, Math.floor(Date.now() / 1000) - 9000));
    await send({ "x-api-key": API_KEY });
    await send({ "x-api-key": "S3CRET-not-a-key" });
    await send({ "x-api-key": API_KEY, "x-admin-token": ADMIN_TOKEN }, "/products/og-coffee-beans-1kg/");
    const admin = { "x-admin-token": ADMIN_TOKEN };
    captured.push(await (await fetch(`${proxy.url}/__admin/journal`, { headers: admin })).text());
    captured.push(await journalStreamEvents(proxy.url, 6, admin));
    await proxy.stop();
    await upstream.stop();
    captured.push(proxy.output(), readFileSync(join(dir, "r.json"), "utf8"), readFileSync(join(dir, "l.json"), "utf8"));
    const all = captured.join("\n");
    expect(all).toContain("keyed-hash:"); // the journal did keep the API key, as a keyed hash
    for (const secret of [HASH_KEY, WRONG_HASH_KEY, API_KEY, "S3CRET-not-a-key", ADMIN_TOKEN, ...signatures]) {
      expect(all, `a secret leaked: ${secret.slice(0, 12)}…`).not.toContain(secret);
    }
  });
});
