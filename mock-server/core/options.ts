/** Everything a fake Ordergroove can be told, with the defaults it starts with. */
import type { AuthPolicy, MockCredentials } from "./auth.js";
import type { ProductSeed } from "./catalog.js";
import { type Clock, systemClock } from "./clock.js";
import type { FaultSettings } from "./faults.js";
import type { CalibrationProfile } from "./profile.js";

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
  /** An authorization whose `ts` is a JSON string such as "1700000000": `refuse` (default) or `accept`. */
  tsAsString: "refuse" | "accept";
}

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

export interface MockOptions {
  credentials?: Partial<MockCredentials>;
  products?: readonly ProductSeed[];
  answer?: Partial<AnswerSettings>;
  /** `false` switches the throttle off. */
  throttle?: Partial<ThrottleSettings> | false;
  auth?: Partial<AuthPolicy>;
  /** Undocumented behaviours; see BehaviourSettings. */
  behaviour?: Partial<BehaviourSettings>;
  /** Shorthand for `behaviour.unknownFields: "refuse"`: items with fields the spec does not know answer 400. */
  strict?: boolean;
  /**
   * A calibration profile recorded by `og-contract --record` (parsed JSON): applied over the
   * defaults, under these options. Checked first: a bad one throws a ProfileError naming the field.
   */
  profile?: CalibrationProfile | undefined;
  /** The profile's name in the admin API and banner (its file name); default "inline". */
  profileSource?: string | undefined;
  /** Receives one warning per unknown field name (default: console). */
  logger?: MockLogger | undefined;
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
  // Storefront (customer) signatures use the merchant hash key, API users their own key: two
  // distinct secrets, as at Ordergroove, so signing with the wrong one fails here as it would there.
  merchantHashKey: "og-mock-merchant-hash-key",
};

export const DEFAULT_THROTTLE: ThrottleSettings = { limit: 600, windowMs: 60_000 };
export const DEFAULT_AUTH_POLICY: AuthPolicy = { failureStatus: 403, maxAgeSeconds: 7200, futureSkewSeconds: 300 };
export const DEFAULT_BEHAVIOUR: BehaviourSettings = {
  unknownFields: "ignore",
  tooManyItems: 400,
  nonListBody: 400,
  unsupportedMediaType: 415,
  missingContentType: "refuse",
  retryAfter: "seconds",
  tsAsString: "refuse",
};
export const DEFAULT_ANSWER: AnswerSettings = { batchStatus: 207, batchForm: "object" };
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_JOURNAL_LIMIT = 1000;

export interface ResolvedOptions {
  credentials: MockCredentials;
  answer: AnswerSettings;
  throttle: ThrottleSettings | false;
  auth: AuthPolicy;
  behaviour: BehaviourSettings;
  logger: MockLogger;
  clock: Clock;
  maxBodyBytes: number;
  journalLimit: number;
}

export function resolveOptions(options: MockOptions = {}): ResolvedOptions {
  const credentials: MockCredentials = {
    publicId: options.credentials?.publicId ?? DEFAULT_CREDENTIALS.publicId,
    // Copies of the defaults: a test that rotates a fake's key in place must not rotate it for
    // every other fake in the process (nor change what DEFAULT_CREDENTIALS says).
    apiUsers: options.credentials?.apiUsers ?? DEFAULT_CREDENTIALS.apiUsers.map((user) => ({ ...user })),
    apiKeys: options.credentials?.apiKeys ?? [...DEFAULT_CREDENTIALS.apiKeys],
    merchantHashKey: options.credentials?.merchantHashKey ?? DEFAULT_CREDENTIALS.merchantHashKey,
  };
  if (!credentials.merchantHashKey) throw new RangeError("merchantHashKey must be a non-empty string.");
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
    behaviour: resolveBehaviour(options),
    logger: options.logger ?? console,
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

export function resolveBehaviour(options: Pick<MockOptions, "behaviour" | "strict">): BehaviourSettings {
  const behaviour: BehaviourSettings = {
    ...DEFAULT_BEHAVIOUR,
    ...options.behaviour,
    ...(options.strict ? { unknownFields: "refuse" as const } : {}),
  };
  checkBehaviour(behaviour);
  return behaviour;
}

export function checkBehaviour(b: BehaviourSettings): void {
  const status = (name: string, v: unknown) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 400 || v > 599) {
      throw new RangeError(`behaviour.${name} must be an error status (400-599); got ${JSON.stringify(v)}.`);
    }
  };
  const oneOf = (name: string, v: unknown, allowed: readonly string[]) => {
    if (!allowed.includes(v as string)) {
      throw new RangeError(`behaviour.${name} must be one of ${allowed.join(", ")}; got ${JSON.stringify(v)}.`);
    }
  };
  oneOf("unknownFields", b.unknownFields, ["ignore", "refuse"]);
  if (b.tooManyItems !== "process") status("tooManyItems", b.tooManyItems);
  status("nonListBody", b.nonListBody);
  status("unsupportedMediaType", b.unsupportedMediaType);
  oneOf("missingContentType", b.missingContentType, ["refuse", "assume-json"]);
  oneOf("retryAfter", b.retryAfter, ["seconds", "http-date", "absent"]);
  oneOf("tsAsString", b.tsAsString, ["refuse", "accept"]);
}
