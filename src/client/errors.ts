/**
 * Request-level failures, one class per way a request can fail, mapped from the status in one
 * place (`errorFor`). Every error carries the status, the request id if Ordergroove sent one,
 * the response body with secrets redacted, and how many attempts were made.
 */
export interface ErrorDetails {
  status?: number | undefined;
  requestId?: string | undefined;
  /** The response body (parsed JSON or text), secrets redacted. */
  body?: unknown;
  /** Attempts made, including the first. */
  attempts?: number;
  cause?: unknown;
}

export class OrdergrooveError extends Error {
  override name = "OrdergrooveError";
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;
  attempts: number;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.requestId = details.requestId;
    this.body = details.body;
    this.attempts = details.attempts ?? 1;
  }
}

/** 401: credentials missing or invalid. Never retried. */
export class AuthenticationError extends OrdergrooveError {
  override name = "AuthenticationError";
}
/** 403: credentials refused. Never retried. */
export class PermissionError extends OrdergrooveError {
  override name = "PermissionError";
}
/** 429: over the throttle. Retried after Retry-After. */
export class ThrottledError extends OrdergrooveError {
  override name = "ThrottledError";
  constructor(message: string, details: ErrorDetails & { retryAfterMs?: number | undefined }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}
/** 400, 404, 405, 413, 415 and other 4xx: the request itself is wrong. Never retried. */
export class InvalidRequestError extends OrdergrooveError {
  override name = "InvalidRequestError";
}
/** 5xx (and 423 "resource in use"): Ordergroove failed. Retried with backoff. */
export class ServerError extends OrdergrooveError {
  override name = "ServerError";
}
/** No answer within the timeout (3 s by default, Ordergroove's advice). Retried. */
export class TimeoutError extends OrdergrooveError {
  override name = "TimeoutError";
}
/** The connection failed or was dropped before an answer. Retried. */
export class NetworkError extends OrdergrooveError {
  override name = "NetworkError";
}
/** A success status with a body that is not what the spec documents. Not retried: the batch may have applied. */
export class UnexpectedResponseError extends OrdergrooveError {
  override name = "UnexpectedResponseError";
}

/** Maps an error status to its error class, with a message that starts with what failed. */
export function errorFor(
  status: number,
  what: string,
  details: ErrorDetails & { retryAfterMs?: number | undefined },
): OrdergrooveError {
  const detail = detailOf(details.body);
  const because = detail ? `: ${detail}` : "";
  const message = `Failed to ${what}: Ordergroove answered ${status}${because}`;
  const all = { ...details, status };
  if (status === 401) return new AuthenticationError(message, all);
  if (status === 403) return new PermissionError(message, all);
  if (status === 429) return new ThrottledError(message, all);
  if (status === 423 || status >= 500) return new ServerError(message, all);
  return new InvalidRequestError(message, all);
}

function detailOf(body: unknown): string | undefined {
  if (body && typeof body === "object" && typeof (body as { detail?: unknown }).detail === "string") {
    return (body as { detail: string }).detail;
  }
  if (typeof body === "string" && body.length > 0) return body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return undefined;
}
