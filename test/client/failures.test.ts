import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { OrdergrooveClient } from "../../src/client/client.js";
import {
  AuthenticationError,
  NetworkError,
  PermissionError,
  ServerError,
  ThrottledError,
  TimeoutError,
} from "../../src/client/errors.js";
import { clientFor } from "../helpers/client.js";
import { CREDS, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });
const og401 = useMockServer({ throttle: false, auth: { failureStatus: 401 } });

describe("request-level failures", () => {
  it("become a PermissionError on every item, stop further batches, and keep secrets out", async () => {
    const { client } = clientFor(og, {
      credentials: { kind: "hmac", ...CREDS, hashKey: "wrong-secret-key" },
      concurrency: 1,
    });
    const ids = Array.from({ length: 150 }, (_, i) => `p-${i}`);
    const report = await client.setLive(ids, false);
    expect(report.failed).toHaveLength(150);
    expect(report.requests).toBe(1);
    const error = report.failed[0]!.error!;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, attempts: 1 });
    expect(error.message).toMatch(/^Failed to update products: Ordergroove answered 403: Signature mismatch/);
    expect(error.body).toMatchObject({ detail: expect.stringMatching(/^Signature mismatch/) });
    for (const text of [
      error.message,
      JSON.stringify(error.body),
      inspect(error),
      inspect(client),
      String(client),
      JSON.stringify(report),
    ]) {
      expect(text).not.toContain("wrong-secret-key");
    }
  });

  it("maps 401 to AuthenticationError", async () => {
    const { client } = clientFor(og401, { credentials: { kind: "api-key", apiKey: "nope-nope" } });
    const report = await client.setLive(["og-mug"], false);
    expect(report.failed[0]!.error).toBeInstanceOf(AuthenticationError);
    await expect(client.getProduct("og-mug")).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("redacts a secret the server echoes back", async () => {
    const apiKey = "echo-me-secret";
    const echo = async () =>
      new Response(JSON.stringify({ detail: `bad key ${apiKey}` }), {
        status: 403,
        headers: { "content-type": "application/json" },
      });
    const client = new OrdergrooveClient({
      environment: { baseUrl: "http://127.0.0.1:9" },
      credentials: { kind: "api-key", apiKey },
      fetch: echo,
    });
    const error = await client.getProduct("x").catch((e) => e);
    expect(error.message).toBe('Failed to read product "x": Ordergroove answered 403: bad key [redacted]');
    expect(JSON.stringify(error.body)).not.toContain(apiKey);
  });
});

describe("retries", () => {
  it("honour Retry-After on 429, then succeed", async () => {
    og.running.mock.faults.failNext(429, 2, 7);
    const { client, sleeps } = clientFor(og);
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report).toMatchObject({ ok: true, requests: 3, retries: 2 });
    expect(sleeps).toEqual([7000, 7000]);
  });

  it("back off exponentially on 503 and 500", async () => {
    og.running.mock.faults.failNext(503, 2);
    og.running.mock.faults.failNext(500, 1);
    const { client, sleeps } = clientFor(og, { random: () => 0 });
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.ok).toBe(true);
    expect(sleeps).toEqual([125, 250, 500]);
  });

  it("give up after maxAttempts with a ServerError that counts them", async () => {
    og.running.mock.faults.failNext(503, 10);
    const { client } = clientFor(og, { retry: { maxAttempts: 3 } });
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.failed[0]!.error).toBeInstanceOf(ServerError);
    expect(report.failed[0]!.error).toMatchObject({ status: 503, attempts: 3 });
    expect(report).toMatchObject({ requests: 3, retries: 2 });
  });

  it("retry a dropped connection as a NetworkError", async () => {
    og.running.mock.faults.dropNext(1);
    const { client, sleeps } = clientFor(og);
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.ok).toBe(true);
    expect(sleeps).toHaveLength(1);
    og.running.mock.faults.dropNext(5);
    const { client: c2 } = clientFor(og, { retry: { maxAttempts: 2 } });
    const failed = await c2.setLive(["og-coffee-beans-1kg"], false);
    expect(failed.failed[0]!.error).toBeInstanceOf(NetworkError);
    expect(failed.failed[0]!.error!.message).toMatch(
      /^Failed to update products: the connection to http:\/\/127\.0\.0\.1:\d+ failed \(.+\); tried 2 times\.$/,
    );
  });

  it("time out a slow answer and retry it", async () => {
    og.running.mock.faults.setLatency(400);
    const { client } = clientFor(og, { timeoutMs: 100, retry: { maxAttempts: 2 } });
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.failed[0]!.error).toBeInstanceOf(TimeoutError);
    expect(report.failed[0]!.error).toMatchObject({
      attempts: 2,
      message: "Failed to update products: no answer within 100 ms.",
    });
  });

  it("never retry 400, 401, 403 or 404", async () => {
    og.running.mock.faults.failNext(400, 1);
    const { client, sleeps } = clientFor(og);
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.failed[0]!.error).toMatchObject({ name: "InvalidRequestError", status: 400, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it("give up on a Retry-After longer than allowed rather than hang", async () => {
    og.running.mock.faults.failNext(429, 1, 3600);
    const { client } = clientFor(og);
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.failed[0]!.error).toBeInstanceOf(ThrottledError);
    expect((report.failed[0]!.error as ThrottledError).retryAfterMs).toBe(3_600_000);
  });
});

describe("configuration", () => {
  it.each([
    [{ credentials: { kind: "api-key", apiKey: "k" } }, /no environment.*never defaults to production/],
    [{ environment: "prod", credentials: { kind: "api-key", apiKey: "k" } }, /unknown environment "prod"/],
    [
      { environment: { baseUrl: "not a url" }, credentials: { kind: "api-key", apiKey: "k" } },
      /baseUrl "not a url" is not a URL/,
    ],
    [{ environment: "staging" }, /no credentials/],
    [
      { environment: "staging", credentials: { kind: "hmac", publicId: "m", sigField: "u" } },
      /hashKey must be a non-empty string/,
    ],
    [
      { environment: "staging", credentials: { kind: "basic" } },
      /credentials.kind must be "hmac" or "api-key"; got "basic"/,
    ],
  ])("refuses %j", (options, message) => {
    expect(() => new OrdergrooveClient(options as never)).toThrow(message);
  });

  it("resolves the named environments", () => {
    const creds = { kind: "api-key", apiKey: "k" } as const;
    expect(new OrdergrooveClient({ environment: "staging", credentials: creds }).baseUrl).toBe(
      "https://staging.restapi.ordergroove.com",
    );
    expect(new OrdergrooveClient({ environment: "production", credentials: creds }).baseUrl).toBe(
      "https://restapi.ordergroove.com",
    );
  });
});
