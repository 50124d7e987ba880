/**
 * No secret ever leaves: every log line, error message, journal entry and CLI output produced
 * here is searched for the hash keys, API keys and signatures that were used, and none is found.
 * (The one deliberate exception is `og-stock sign`, whose job is to print a signature; it is
 * checked to never print the hash key.)
 */
import { inspect } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { signedHeaders } from "../../shared/auth/signature.js";
import { main } from "../../src/cli/main.js";
import { OrdergrooveClient } from "../../src/client/client.js";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";
import { journalStreamEvents } from "../helpers/raw-http.js";
import { type Started, startOgMock } from "../helpers/spawn.js";

const HASH_KEY = "S3CRET-hash-key-8d1f";
const WRONG_HASH_KEY = "S3CRET-wrong-hash-key-77aa";
const API_KEY = "S3CRET-api-key-31c9";
const WRONG_API_KEY = "S3CRET-wrong-api-key-0b2e";
const USER = { publicId: "secret-shop", sigField: "secret-user" };
const signatures = new Set<string>();
const captured: string[] = [];
let fake: Started;

afterAll(async () => fake?.stop());

function sign(hashKey: string, ts = Math.floor(Date.now() / 1000)) {
  const headers = signedHeaders({ ...USER, hashKey }, ts);
  signatures.add(JSON.parse(headers.authorization).sig);
  return headers;
}

describe("secrets", () => {
  it("never appear in the fake's logs, answers or journal, the client's errors and logs, or the CLI's output", async () => {
    fake = await startOgMock(["--log-level", "debug", "--public-id", USER.publicId, "--sig-field", USER.sigField], {
      OG_MOCK_HASH_KEY: HASH_KEY,
      OG_MOCK_API_KEY: API_KEY,
    });
    const send = async (headers: Record<string, string>) => {
      const res = await fetch(`${fake.url}/products-batch/update/`, {
        method: "PATCH",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
      });
      captured.push(await res.text());
    };
    await send(sign(HASH_KEY));
    await send(sign(WRONG_HASH_KEY));
    await send(sign(HASH_KEY, Math.floor(Date.now() / 1000) - 9000));
    await send({ "x-api-key": API_KEY });
    await send({ "x-api-key": WRONG_API_KEY });
    await send({ ...sign(WRONG_HASH_KEY), "x-api-key": WRONG_API_KEY });
    captured.push(await (await fetch(`${fake.url}/__admin/journal`)).text());
    // The dashboard's endpoints: the live journal, the signature debugger (asked about good and
    // bad signatures, pasted or as fields), the catalog.
    captured.push(await journalStreamEvents(fake.url, 6));
    const explain = async (question: object) =>
      captured.push(
        await (
          await fetch(`${fake.url}/__admin/signature`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(question),
          })
        ).text(),
      );
    captured.push(await (await fetch(`${fake.url}/__admin/signature`)).text());
    for (const key of [HASH_KEY, WRONG_HASH_KEY]) {
      const { authorization } = sign(key);
      await explain({ authorization });
      const { public_id, sig_field, ts, sig } = JSON.parse(authorization);
      await explain({ publicId: public_id, sigField: sig_field, ts, sig: sig.toLowerCase() });
    }
    captured.push(await (await fetch(`${fake.url}/__admin/catalog`)).text());

    // The client, with good and bad keys, and a logger that records everything it is told.
    const logger = {
      debug: (m: string, f?: object) => captured.push(m, JSON.stringify(f)),
      warn: (m: string, f?: object) => captured.push(m, JSON.stringify(f)),
    };
    for (const credentials of [
      { kind: "hmac" as const, ...USER, hashKey: WRONG_HASH_KEY },
      { kind: "api-key" as const, apiKey: WRONG_API_KEY },
      { kind: "hmac" as const, ...USER, hashKey: HASH_KEY },
    ]) {
      const client = new OrdergrooveClient({ environment: { baseUrl: fake.url }, credentials, logger });
      const report = await client.setLive(["og-coffee-beans-1kg", "ghost"], false);
      captured.push(
        JSON.stringify(report),
        inspect(report, { depth: 10 }),
        inspect(client),
        String(client),
        JSON.stringify(client),
      );
      for (const f of report.failed) captured.push(f.error!.message, String(f.error!.stack), inspect(f.error));
      const error = await client.getProduct("og-coffee-beans-1kg").catch((e: Error) => e);
      captured.push(inspect(error));
    }

    // The CLI, keys from the environment.
    const io = (env: NodeJS.ProcessEnv) => ({
      env,
      stdout: (t: string) => captured.push(t),
      stderr: (t: string) => captured.push(t),
      isTTY: true,
    });
    const hmacEnv = {
      OG_BASE_URL: fake.url,
      OG_PUBLIC_ID: USER.publicId,
      OG_SIG_FIELD: USER.sigField,
      OG_HASH_KEY: HASH_KEY,
    };
    await main(["out", "og-coffee-beans-1kg", "ghost"], io(hmacEnv));
    await main(["out", "--json", "og-coffee-beans-1kg"], io({ ...hmacEnv, OG_HASH_KEY: WRONG_HASH_KEY }));
    await main(["get", "og-coffee-beans-1kg"], io({ OG_BASE_URL: fake.url, OG_API_KEY: WRONG_API_KEY }));
    await main(["set-live", "--live", "maybe", "x"], io(hmacEnv));
    const signOutput: string[] = [];
    await main(["sign", "--explain"], { ...io(hmacEnv), stdout: (t) => signOutput.push(t) });
    expect(signOutput.join("")).not.toContain(HASH_KEY);

    // The fake's own journal, in-process, with the same requests.
    const mock = createOrdergrooveMock({
      credentials: {
        publicId: USER.publicId,
        apiUsers: [{ sigField: USER.sigField, hashKey: HASH_KEY }],
        apiKeys: [API_KEY],
      },
    });
    mock.handle({
      method: "PATCH",
      path: "/products-batch/update/",
      headers: { "content-type": "application/json", ...sign(HASH_KEY), "x-api-key": WRONG_API_KEY },
      body: "[]",
    });
    captured.push(JSON.stringify(mock.journal.entries()));

    // A last request, and its log line: the fake writes one line per request once it has answered,
    // in order, so when this one is out, every line before it is too.
    await fetch(`${fake.url}/products/secrets-last-request/`);
    await vi.waitFor(() => expect(fake.output()).toContain("secrets-last-request"), { timeout: 5_000 });
    captured.push(fake.output()); // banner and every log line of the fake

    const everything = captured.join("\n");
    expect(everything.length).toBeGreaterThan(5000);
    expect(signatures.size).toBeGreaterThanOrEqual(3);
    for (const secret of [HASH_KEY, WRONG_HASH_KEY, API_KEY, WRONG_API_KEY, ...signatures]) {
      expect(everything.includes(secret), `found a secret in the output: ${secret.slice(0, 6)}…`).toBe(false);
    }
  }, 60_000);
});
