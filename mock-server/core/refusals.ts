/**
 * The fake's answers to a request it refuses before any operation runs: no such route, wrong
 * method, body too large, an injected fault, throttled, wrong media type. Each says what to send
 * instead; none repeats a credential.
 */
import { type CoreResponse, detail } from "./messages.js";
import type { BehaviourSettings } from "./settings.js";
import { SUPPORTED_ROUTES } from "./routes.js";
import { withHint } from "./hint.js";

export function noRoute(method: string, pathname: string, hint: string | undefined): CoreResponse {
  const more = hint ? ` ${hint}` : "";
  return detail(
    404,
    `Not found: no route for ${method} ${pathname}.${more} This server serves ${SUPPORTED_ROUTES.join(", ")}.`,
  );
}

/**
 * A known route asked without its trailing slash, or undefined when the setting says to serve it.
 * GET/HEAD follow `behaviour.missingTrailingSlash` (default: Django's APPEND_SLASH redirect, 301,
 * query kept). The Location is absolute, on the origin the `next` links use: it then carries any
 * mount prefix, and clients that predate relative Location headers follow it too. Writes always
 * answer 404: a 301 turns a POST into a GET in every browser and fetch, and Django itself refuses
 * to redirect a write (DEBUG raises); a 404 changes nothing, is documented, and is not retried.
 */
export function missingSlash(
  method: string,
  pathname: string,
  slashed: string,
  query: string,
  origin: string,
  setting: BehaviourSettings["missingTrailingSlash"],
): { response: CoreResponse; hint: string } | undefined {
  const read = method === "GET" || method === "HEAD";
  if (read && setting === "serve") return undefined;
  if (read && setting === "redirect") {
    const hint = `Ordergroove's paths end with a slash: redirected ${pathname} to ${slashed} (behaviour.missingTrailingSlash: redirect).`;
    return {
      response: withHint({ status: 301, headers: { location: `${origin}${slashed}${query}` } }, hint),
      hint,
    };
  }
  const why = read
    ? "behaviour.missingTrailingSlash: not-found"
    : "a write is never redirected: a client following a 301 would re-send it as a GET or lose its body";
  const hint = `Ordergroove's paths end with a slash: send ${method} ${slashed} (${why}).`;
  return { response: withHint(detail(404, "Not found."), hint), hint };
}

export function wrongMethod(method: string, pathname: string, allow: string[]): CoreResponse {
  return detail(405, `Method "${method}" not allowed on ${pathname}; allowed: ${allow.join(", ")}.`, {
    allow: allow.join(", "),
  });
}

/** Also used by the node host, which refuses a body too large to read before the core sees it. */
export function tooLarge(bytes: number, limit: number): CoreResponse {
  return detail(413, `Request body is ${bytes} bytes; the limit is ${limit} bytes.`);
}

/** The throttle's 429, as Django REST framework words it. */
export function throttled(seconds: number, behaviour: BehaviourSettings, nowMs: number): CoreResponse {
  return detail(
    429,
    `Request was throttled. Expected available in ${seconds} seconds.`,
    retryAfterHeader(behaviour.retryAfter, seconds, nowMs),
  );
}

/** Retry-After in the form the settings say; undocumented by Ordergroove, so a setting. */
export function retryAfterHeader(
  form: BehaviourSettings["retryAfter"],
  seconds: number,
  nowMs: number,
): Record<string, string> {
  if (form === "absent") return {};
  // A date has whole seconds: rounded up, so a client that waits until it is not early.
  if (form === "http-date")
    return { "retry-after": new Date(Math.ceil((nowMs + seconds * 1000) / 1000) * 1000).toUTCString() };
  return { "retry-after": String(seconds) };
}

export function injectedResponse(
  status: number,
  retryAfterSeconds: number | undefined,
  behaviour: BehaviourSettings,
  nowMs: number,
): CoreResponse {
  const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  // An explicitly injected Retry-After is sent as asked; the default one of a 429 follows the setting.
  const headers: Record<string, string> =
    retryAfter === undefined
      ? {}
      : retryAfterSeconds !== undefined
        ? { "retry-after": String(retryAfter) }
        : retryAfterHeader(behaviour.retryAfter, retryAfter, nowMs);
  const text =
    status === 429
      ? `Request was throttled. Expected available in ${retryAfter} seconds.`
      : status === 503
        ? "Service temporarily unavailable."
        : status >= 500
          ? "A server error occurred."
          : `Error ${status}.`;
  return detail(status, `${text} (injected fault)`, headers);
}

/** The refusal of a body that is not declared JSON, or undefined when it is (or may be assumed so). */
export function checkMediaType(
  contentType: string | undefined,
  behaviour: BehaviourSettings,
): CoreResponse | undefined {
  if (contentType === undefined && behaviour.missingContentType === "assume-json") return undefined;
  // What nearly every client sends, without splitting it (this runs on every write).
  if (contentType === "application/json") return undefined;
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (media === "application/json") return undefined;
  return detail(
    behaviour.unsupportedMediaType,
    contentType
      ? `Unsupported media type ${JSON.stringify(contentType.slice(0, 100))} in request. Send content-type: application/json.`
      : "Unsupported media type: no content-type header. Send content-type: application/json.",
  );
}
