/**
 * Who answered, said on every products answer of a proxying og-mock: `real` (the upstream's own
 * answer, passed unchanged), `fake` (the fake answered, on purpose or by --upstream-fallback) or
 * `proxy` (og-mock's own refusal or transport error).
 */
import type { CoreResponse } from "../messages.js";

export const SOURCE_HEADER = "x-og-mock-source";

export type AnswerSource = "real" | "fake" | "proxy";

/** The answer, marked with its source (the answer is the core's own, not yet sent). */
export function marked(response: CoreResponse, source: AnswerSource): CoreResponse {
  response.headers[SOURCE_HEADER] = source;
  return response;
}
