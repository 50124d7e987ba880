/**
 * The fake's settings for what Ordergroove leaves undocumented or documents two ways, and their
 * defaults. Options (./options.ts) and calibration profiles (./calibration/) both speak them.
 */
import type { AuthPolicy } from "./auth/authenticate.js";

export type BatchForm = "object" | "list";

export interface AnswerSettings {
  /** HTTP status of a processed batch: 207 (current reference, default) or 200 (older pages). */
  batchStatus: 200 | 207;
  /** `object`: {"results": [...]} (API reference, default); `list`: [{"results": [one]}, ...] (the article). */
  batchForm: BatchForm;
}

/**
 * What the fake does where Ordergroove's docs are silent. Each is an assumption, marked as such in
 * the spec (`x-og-assumptions`); a calibration profile recorded against the real sandbox maps what
 * it observed onto these settings. Precedence: these defaults, then a profile, then user options.
 */
export interface BehaviourSettings {
  /**
   * Item fields the spec does not know. `ignore` (default): applied items skip them, as Django
   * REST framework serializers do; each is recorded on the journal entry and warned once per
   * name. `refuse`: the item answers 400 naming the field (strict mode).
   */
  unknownFields: "ignore" | "refuse";
  /** A batch of more than 100 items: refused whole with this status (default 400), or `"process"` every item. */
  tooManyItems: number | "process";
  /** Status of a batch body that is JSON but not a list (default 400). */
  nonListBody: number;
  /** Status of a body whose content-type is not application/json (default 415). */
  unsupportedMediaType: number;
  /** A body with no content-type at all: `refuse` (default, with `unsupportedMediaType`) or `assume-json`. */
  missingContentType: "refuse" | "assume-json";
  /** Form of Retry-After on a 429: whole `seconds` (default), an `http-date`, or `absent`. */
  retryAfter: "seconds" | "http-date" | "absent";
  /**
   * An authorization whose `ts` is a JSON string such as "1700000000": `accept` (default) or
   * `refuse`. Ordergroove's own SFCC cartridge sends a string, so accepting is the likelier truth.
   */
  tsAsString: "refuse" | "accept";
  /**
   * A GET or HEAD of a known route without its trailing slash (`/products?page_size=50`):
   * `redirect` (default) answers 301 to the slashed path, as Django's APPEND_SLASH does;
   * `not-found` answers 404; `serve` answers as if the slash were there. Writes (PATCH, POST, ...)
   * without the slash always answer 404: a redirected write is lost or re-sent as a GET.
   */
  missingTrailingSlash: MissingSlash;
}

export type MissingSlash = "redirect" | "not-found" | "serve";

/** Where the fake says what it noticed but did not refuse (an unknown item field). */
export interface MockLogger {
  warn(message: string): void;
}

export interface ThrottleSettings {
  /** Requests allowed per window, per merchant, shared by bulk create and bulk update. */
  limit: number;
  /** Window in milliseconds. */
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { limit: 600, windowMs: 60_000 };
/** What the service answers a request without credentials, observed live: `403 {"detail": "Authentication Failed"}`. */
export const OBSERVED_REFUSAL_DETAILS: AuthPolicy["refusalDetails"] = { missing: "Authentication Failed" };
export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  failureStatus: 403,
  maxAgeSeconds: 7200,
  futureSkewSeconds: 300,
  refusalDetails: OBSERVED_REFUSAL_DETAILS,
};
export const DEFAULT_BEHAVIOUR: BehaviourSettings = {
  unknownFields: "ignore",
  tooManyItems: 400,
  nonListBody: 400,
  unsupportedMediaType: 415,
  missingContentType: "refuse",
  retryAfter: "seconds",
  tsAsString: "accept",
  missingTrailingSlash: "redirect",
};
export const DEFAULT_ANSWER: AnswerSettings = { batchStatus: 207, batchForm: "object" };
