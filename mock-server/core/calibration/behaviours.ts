/**
 * A calibration profile: what a real Ordergroove target did where the docs contradict each other
 * or are silent, recorded by `og-contract --record` and replayed by the fake (`og-mock --profile`,
 * `setupOrdergrooveMock({ profile })`). Precedence of the fake's settings: its defaults, then the
 * profile, then the user's own options.
 *
 * BEHAVIOURS below is the one list of what is observed: the contract suite's observation keys
 * (contract-tests/observations.ts), the profile's JSON Schema (spec/og-profile.schema.json, written
 * from it by `npm run generate`) and the mapping onto the fake's settings all come from it. A key
 * is named after the setting it calibrates (`answer.batchStatus` → `answer: { batchStatus }`).
 *
 * A profile holds behaviours only: the target's origin, the date, the kit version, the ids of the
 * two products the run used, and one scalar per behaviour. Never a credential, a header or a
 * product's data.
 */
import type { RefusalKind } from "../auth/authenticate.js";
import { OBSERVED_REFUSAL_DETAILS } from "../settings.js";
import { DETAIL_MAX_CHARS } from "../../../shared/observed-forms.js";

export const PROFILE_FORMAT = "og-profile/1";

export type ObservedValue = string | number;

/** One behaviour the contract suite observes, and what this fake does by default. */
interface Behaviour {
  title: string;
  schema: Record<string, unknown>;
  /** The fake's default for it; observed-only behaviours have no setting and always answer so. */
  fake: ObservedValue;
  /** Set when the fake cannot change it (the profile records it; drift shows; the banner warns). */
  observedOnly?: true;
}

const status = { type: "integer", minimum: 100, maximum: 599 };
const bodyKeys = {
  type: "string",
  description: 'Keys of the JSON error body, sorted and comma-separated ("detail"), or "not-json" / "empty".',
  minLength: 1,
  maxLength: 200,
};

/** The credential failures the contract suite provokes (clauses C4.1–C4.6 and C5). */
export const AUTH_FAILURES: Readonly<Record<RefusalKind, string>> = {
  missing: "no credentials at all",
  unknownApiKey: "an unknown API key",
  wrongHashKey: "a signature made with the wrong hash key",
  unknownApiUser: "an unknown API user",
  notJson: "authorization that is not JSON",
  noOgAuthorization: "an API-user signature without og-authorization: True",
  stale: "a signature older than two hours",
};
export type AuthFailure = RefusalKind;

/** Longest refusal text a profile keeps (shared: og-contract and og-mock --learn both cap it). */
export { DETAIL_MAX_CHARS };
/** What the fake's body says for a kind whose wording nobody observed: its own explanation. */
export const FAKE_EXPLANATION = "(the fake's explanation)";

function authFailureBehaviours(): Record<string, Behaviour> {
  const out: Record<string, Behaviour> = {};
  for (const [kind, title] of Object.entries(AUTH_FAILURES)) {
    out[`auth.${kind}.status`] = { title: `status for ${title} (401 or 403)`, schema: status, fake: 403 };
    out[`auth.${kind}.body`] = {
      title: `error body for ${title} (its keys)`,
      schema: bodyKeys,
      fake: "detail",
      observedOnly: true,
    };
    // Not a secret: the service's wording, numbers and ids normalised (see contract-tests/).
    out[`auth.${kind}.detail`] = {
      title: `the text of the error body's detail for ${title}`,
      schema: { type: "string", minLength: 1, maxLength: DETAIL_MAX_CHARS },
      fake: OBSERVED_REFUSAL_DETAILS?.[kind as RefusalKind] ?? FAKE_EXPLANATION,
    };
  }
  return out;
}

/** Every behaviour a profile may carry, with stable keys. Adding one keeps older profiles valid. */
export const BEHAVIOURS: Readonly<Record<string, Behaviour>> = {
  "answer.batchStatus": { title: "status of a processed batch (200 or 207)", schema: status, fake: 207 },
  "answer.batchForm": {
    title: 'form of a batch answer ("object" or "list")',
    schema: { enum: ["object", "list"] },
    fake: "object",
  },
  "answer.priceType": {
    title: 'JSON type of a product\'s price in answers ("string" or "number")',
    schema: { enum: ["string", "number", "null", "other"] },
    fake: "string",
    observedOnly: true,
  },
  "answer.timestampFormat": {
    title: 'format of a product\'s created / last_update ("YYYY-MM-DD HH:MM:SS" or "ISO 8601")',
    schema: { enum: ["YYYY-MM-DD HH:MM:SS", "ISO 8601", "other"] },
    fake: "YYYY-MM-DD HH:MM:SS",
    observedOnly: true,
  },
  "auth.failureStatus": { title: "status of refused credentials (401 or 403)", schema: status, fake: 403 },
  ...authFailureBehaviours(),
  "behaviour.tooManyItems": {
    title: 'answer to 101 items (a status, or "process")',
    schema: { oneOf: [status, { const: "process" }] },
    fake: 400,
  },
  "behaviour.nonListBody": { title: "status of a JSON body that is not a list", schema: status, fake: 400 },
  "behaviour.unknownFields": {
    title: 'what an unknown item field gets ("ignore" or "refuse")',
    schema: { enum: ["ignore", "refuse"] },
    fake: "ignore",
  },
  "behaviour.unsupportedMediaType": {
    title: 'status of a body sent as text/plain (or "accepted")',
    schema: { oneOf: [status, { const: "accepted" }] },
    fake: 415,
  },
  "behaviour.missingContentType": {
    title: 'a body without content-type ("refuse" or "assume-json")',
    schema: { enum: ["refuse", "assume-json"] },
    fake: "refuse",
  },
  "behaviour.retryAfter": {
    title: 'form of Retry-After on a 429 ("seconds", "http-date", "absent", "not-observed")',
    schema: { enum: ["seconds", "http-date", "absent", "other", "not-observed"] },
    fake: "seconds",
  },
  "behaviour.tsAsString": {
    title: 'a signature whose ts is a JSON string ("accept" or "refuse")',
    schema: { enum: ["accept", "refuse"] },
    fake: "accept",
  },
  "behaviour.missingTrailingSlash": {
    title: 'a GET of a known path without its trailing slash ("redirect", "not-found" or "serve")',
    schema: { enum: ["redirect", "not-found", "serve", "other"] },
    fake: "redirect",
  },
  "behaviour.missingTrailingSlashWrite": {
    title: "status of a PATCH of a known path without its trailing slash",
    schema: status,
    fake: 404,
    observedOnly: true,
  },
};

export type BehaviourKey = string;
export type Observations = Partial<Record<BehaviourKey, ObservedValue>>;

export interface CalibrationProfile {
  $schema?: string;
  format: typeof PROFILE_FORMAT;
  /** The kit that recorded it: "ordergroove-stock-kit@x.y.z". */
  kit: string;
  /** Origin of the target (scheme and host only). */
  target: string;
  /** When the run finished (ISO 8601). */
  recordedAt: string;
  /** The existing products the run read and toggled (restored afterwards). */
  productIds?: string[];
  observations: Observations;
  /**
   * How often each observation was seen in real traffic, and when first and last: written by
   * `og-mock --upstream --learn` (a profile `og-contract --record` writes has none).
   */
  seen?: Partial<Record<BehaviourKey, SeenCount>>;
}

/** One observation's count and first and last time seen (ISO 8601). */
export interface SeenCount {
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** The profile's JSON Schema, shipped as spec/og-profile.schema.json (a test keeps the two equal). */
export const PROFILE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:ordergroove-stock-kit:og-profile:1",
  title: "ordergroove-stock-kit calibration profile",
  description:
    "What a real Ordergroove target did where the docs contradict each other or are silent. Recorded by `og-contract --record`, replayed by `og-mock --profile` and `setupOrdergrooveMock({ profile })`.",
  type: "object",
  additionalProperties: false,
  required: ["format", "kit", "target", "recordedAt", "observations"],
  properties: {
    $schema: { type: "string" },
    format: { const: PROFILE_FORMAT },
    kit: { type: "string", minLength: 1, maxLength: 80 },
    target: {
      type: "string",
      description: "Origin only: no path, query or user info.",
      pattern: "^https?://[^/@?#\\s]+$",
    },
    recordedAt: { type: "string", format: "date-time" },
    productIds: { type: "array", maxItems: 2, items: { type: "string", minLength: 1, maxLength: 200 } },
    observations: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        Object.entries(BEHAVIOURS).map(([key, b]) => [key, { description: b.title, ...b.schema }]),
      ),
    },
    seen: {
      type: "object",
      description:
        "How often each observation was seen in real traffic, first and last: written by `og-mock --upstream --learn`.",
      additionalProperties: false,
      properties: Object.fromEntries(
        Object.keys(BEHAVIOURS).map((key) => [
          key,
          {
            type: "object",
            additionalProperties: false,
            required: ["count", "firstSeen", "lastSeen"],
            properties: {
              count: { type: "integer", minimum: 1 },
              firstSeen: { type: "string", format: "date-time" },
              lastSeen: { type: "string", format: "date-time" },
            },
          },
        ]),
      ),
    },
  },
} as const;
