/**
 * The last line of defence, run by the core's front for every host (./front.ts: the admin API;
 * ./merchants/merchants.ts: the products API): whatever a handler throws becomes a JSON 500 and
 * one report, and the fake keeps serving. Without it, an exception thrown inside a Node event
 * callback (where Express's error handling does not reach) ended the whole process, so one odd
 * request refused every later one.
 */
import type { CoreResponse } from "./messages.js";
import { detail } from "./messages.js";

/** Told of every unexpected exception; gets the error only, never the request's headers or body. */
export type ErrorReporter = (error: unknown, where: { method: string; path: string }) => void;

export function answerSafely(
  handler: () => CoreResponse,
  where: { method: string; path: string },
  report: ErrorReporter | undefined,
): CoreResponse {
  try {
    return handler();
  } catch (error) {
    report?.(error, { method: where.method, path: loggedPath(where.path) });
    return unexpectedError();
  }
}

export function unexpectedError(): CoreResponse {
  return detail(500, "A server error occurred in the fake. It was logged, and the fake keeps serving.");
}

/**
 * A path as every log line shows it: without its query (a dashboard sign-in link carries the
 * admin token there) or fragment, cut to 200 characters.
 */
export function loggedPath(path: string): string {
  const end = path.search(/[?#]/);
  return (end < 0 ? path : path.slice(0, end)).slice(0, 200);
}
