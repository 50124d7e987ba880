import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  InvalidRequestError,
  NetworkError,
  PermissionError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnexpectedResponseError,
} from "../../src/client/errors.js";
import { backoff, DEFAULT_RETRY, decideRetry } from "../../src/client/retry.js";

const half = () => 0.5;

describe("decideRetry", () => {
  it.each([
    [new AuthenticationError("x", { status: 401 }), false],
    [new PermissionError("x", { status: 403 }), false],
    [new InvalidRequestError("x", { status: 400 }), false],
    [new InvalidRequestError("x", { status: 404 }), false],
    [new UnexpectedResponseError("x", { status: 200 }), false],
    [new ServerError("x", { status: 500 }), true],
    [new ServerError("x", { status: 503 }), true],
    [new TimeoutError("x"), true],
    [new NetworkError("x"), true],
    [new ThrottledError("x", { status: 429 }), true],
  ])("%s → retry %s", (error, retry) => {
    expect(decideRetry(error, 1, DEFAULT_RETRY, half).retry).toBe(retry);
  });

  it("waits exactly Retry-After on 429", () => {
    expect(decideRetry(new ThrottledError("x", { retryAfterMs: 12_000 }), 1, DEFAULT_RETRY, half)).toEqual({
      retry: true,
      delayMs: 12_000,
      reason: "throttled (Retry-After)",
    });
  });

  it("stops at maxAttempts", () => {
    expect(decideRetry(new ServerError("x"), 5, DEFAULT_RETRY, half)).toEqual({
      retry: false,
      reason: "gave up after 5 attempts",
    });
  });
});

describe("backoff", () => {
  it("doubles, is jittered between half and all of the ceiling, and is capped", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoff(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoff(n, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
  });
});
