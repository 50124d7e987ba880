/**
 * When to retry, as one pure, ordered decision. Each branch says why. Ordergroove advises
 * retrying on status codes, never on error text; a 429 is always safe to retry.
 */
import {
  AuthenticationError,
  InvalidRequestError,
  NetworkError,
  type OrdergrooveError,
  PermissionError,
  ServerError,
  ThrottledError,
  TimeoutError,
  UnexpectedResponseError,
} from "./errors.js";

export interface RetryPolicy {
  /** Attempts in all, including the first (default 5). */
  maxAttempts: number;
  /** First backoff in ms (default 250), doubled each retry. */
  baseDelayMs: number;
  /** Largest backoff in ms (default 10 s). */
  maxDelayMs: number;
  /** Largest Retry-After honoured in ms (default 120 s); a longer one gives up instead of hanging. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 120_000,
};

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  /** `unsafe`: the request may have been applied, and resending it is not harmless (a create). */
  | { retry: false; reason: string; unsafe?: true };

/**
 * @param attempt the attempt that just failed, 1 for the first
 * @param random a number in [0, 1), injected so tests are deterministic
 * @param idempotent false for a request that must not be applied twice (bulk create)
 */
export function decideRetry(
  error: OrdergrooveError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  idempotent = true,
): RetryDecision {
  // Credentials and permissions do not fix themselves: retrying only burns the throttle.
  if (error instanceof AuthenticationError || error instanceof PermissionError) {
    return { retry: false, reason: "credentials were refused" };
  }
  // The request itself is wrong (400, 404, 413, 415...): the same request fails the same way.
  if (error instanceof InvalidRequestError) return { retry: false, reason: "the request is invalid" };
  // A 2xx whose body we cannot read: the batch may have been applied; retrying would hide that.
  if (error instanceof UnexpectedResponseError) return { retry: false, reason: "the answer could not be read" };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  // Throttled: always safe to retry, after exactly as long as Ordergroove asks.
  if (error instanceof ThrottledError) {
    if (error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > policy.maxRetryAfterMs) {
        return {
          retry: false,
          reason: `Retry-After of ${error.retryAfterMs} ms is longer than the ${policy.maxRetryAfterMs} ms allowed`,
        };
      }
      return { retry: true, delayMs: error.retryAfterMs, reason: "throttled (Retry-After)" };
    }
    return { retry: true, delayMs: backoff(attempt, policy, random), reason: "throttled (no Retry-After: backoff)" };
  }
  // Server trouble, timeouts and dropped connections are transient; setting `live` is idempotent,
  // so resending a batch that may have applied is harmless. Creating is not: a create that was
  // applied before its answer was lost comes back "exists already" (400), and its own product
  // would be reported invalid (issue 34). It is resent only when it never reached the server.
  const transient = error instanceof ServerError || error instanceof TimeoutError || error instanceof NetworkError;
  if (transient && !idempotent && !neverSent(error)) {
    return {
      retry: false,
      unsafe: true,
      reason:
        "Not resent: the products may or may not have been created, and a second create of one that was would be refused as existing. Check with getProduct which exist.",
    };
  }
  if (transient) {
    return { retry: true, delayMs: backoff(attempt, policy, random), reason: error.name };
  }
  return { retry: false, reason: "unknown failure" };
}

/**
 * Capped exponential backoff with "equal jitter": uniform in [c/2, c] where
 * c = min(cap, base·2^(attempt-1)). The jitter spreads clients apart; the floor keeps a burst
 * of 503s from using up every attempt in a few milliseconds.
 */
export function backoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/** The connection was never made, so the request was never sent: resending anything is safe. */
function neverSent(error: OrdergrooveError): boolean {
  if (!(error instanceof NetworkError)) return false;
  const cause = (error.cause as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === "ECONNREFUSED" || cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN";
}
