/** Everything a fake Ordergroove can be told, with the defaults it starts with. */
import type { AuthPolicy, MockCredentials } from "./auth.js";
import type { ProductSeed } from "./catalog.js";
import { type Clock, systemClock } from "./clock.js";
import type { FaultSettings } from "./faults.js";

export type BatchForm = "object" | "list";

export interface AnswerSettings {
  /** HTTP status of a processed batch: 207 (current reference, default) or 200 (older pages). */
  batchStatus: 200 | 207;
  /** `object`: {"results": [...]} (API reference, default); `list`: [{"results": [one]}, ...] (the article). */
  batchForm: BatchForm;
}

export interface ThrottleSettings {
  /** Requests allowed per window, per merchant, shared by bulk create and bulk update. */
  limit: number;
  /** Window in milliseconds. */
  windowMs: number;
}

export interface MockOptions {
  credentials?: Partial<MockCredentials>;
  products?: readonly ProductSeed[];
  answer?: Partial<AnswerSettings>;
  /** `false` switches the throttle off. */
  throttle?: Partial<ThrottleSettings> | false;
  auth?: Partial<AuthPolicy>;
  faults?: Partial<FaultSettings>;
  clock?: Clock;
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes?: number;
  /** Journal entries kept (oldest fall off). 0 keeps none. */
  journalLimit?: number;
}

/** The credentials the fake accepts when none are given. Printed at start, documented in README. */
export const DEFAULT_CREDENTIALS: MockCredentials = {
  publicId: "og-mock-merchant",
  apiUsers: [{ sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" }],
  apiKeys: ["og-mock-api-key"],
};

export const DEFAULT_THROTTLE: ThrottleSettings = { limit: 600, windowMs: 60_000 };
export const DEFAULT_AUTH_POLICY: AuthPolicy = { failureStatus: 403, maxAgeSeconds: 7200, futureSkewSeconds: 300 };
export const DEFAULT_ANSWER: AnswerSettings = { batchStatus: 207, batchForm: "object" };
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_JOURNAL_LIMIT = 1000;

export interface ResolvedOptions {
  credentials: MockCredentials;
  answer: AnswerSettings;
  throttle: ThrottleSettings | false;
  auth: AuthPolicy;
  clock: Clock;
  maxBodyBytes: number;
  journalLimit: number;
}

export function resolveOptions(options: MockOptions = {}): ResolvedOptions {
  const credentials: MockCredentials = {
    publicId: options.credentials?.publicId ?? DEFAULT_CREDENTIALS.publicId,
    apiUsers: options.credentials?.apiUsers ?? DEFAULT_CREDENTIALS.apiUsers,
    apiKeys: options.credentials?.apiKeys ?? DEFAULT_CREDENTIALS.apiKeys,
  };
  if (credentials.apiKeys.length > 10) {
    throw new RangeError(`Ordergroove allows at most 10 API keys per merchant; got ${credentials.apiKeys.length}.`);
  }
  for (const u of credentials.apiUsers) {
    if (!u.sigField || !u.hashKey) throw new RangeError("Every API user needs a non-empty sigField and hashKey.");
  }
  const answer = { ...DEFAULT_ANSWER, ...options.answer };
  checkAnswer(answer);
  return {
    credentials,
    answer,
    throttle: options.throttle === false ? false : { ...DEFAULT_THROTTLE, ...options.throttle },
    auth: { ...DEFAULT_AUTH_POLICY, ...options.auth },
    clock: options.clock ?? systemClock,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    journalLimit: options.journalLimit ?? DEFAULT_JOURNAL_LIMIT,
  };
}

export function checkAnswer(answer: AnswerSettings): void {
  if (answer.batchStatus !== 200 && answer.batchStatus !== 207) {
    throw new RangeError(`batchStatus must be 200 or 207; got ${String(answer.batchStatus)}.`);
  }
  if (answer.batchForm !== "object" && answer.batchForm !== "list") {
    throw new RangeError(`batchForm must be "object" or "list"; got ${String(answer.batchForm)}.`);
  }
}
