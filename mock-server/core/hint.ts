/**
 * The fake's explanation of a refusal, where a real client never parses it: the response header
 * `x-og-mock-hint` (and the journal entry, the dashboard, the log line, which read it from there
 * or from the trace). The body keeps the words Ordergroove's service uses, so a client that works
 * against the fake works against the service; a person debugging still reads why.
 *
 * Callers only pass the fake's own explanations, which never hold a key, a signature or an admin
 * token (./auth/authenticate.ts and ./refusals.ts are swept for them by test/robustness/).
 */
import type { CoreResponse } from "./messages.js";

export const HINT_HEADER = "x-og-mock-hint";

/** Header values stay short and printable: a header is no place for a page of prose. */
const MAX_HINT_CHARS = 1000;

/** The text as a header value: non-ASCII written as \u{...} (node refuses it raw), control characters as spaces, capped. */
export function hintHeaderValue(text: string): string {
  let ascii = "";
  for (const c of text) {
    const code = c.codePointAt(0)!;
    ascii += code < 0x20 || code === 0x7f ? " " : code > 0x7e ? `\\u{${code.toString(16)}}` : c;
    if (ascii.length > MAX_HINT_CHARS) return `${ascii.slice(0, MAX_HINT_CHARS - 1)}~`;
  }
  return ascii;
}

/** The response with the hint header added (the response is the core's own, not yet sent). */
export function withHint(response: CoreResponse, text: string): CoreResponse {
  response.headers[HINT_HEADER] = hintHeaderValue(text);
  return response;
}
