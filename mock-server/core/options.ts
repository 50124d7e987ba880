/** Everything a fake Ordergroove can be told, with the defaults it starts with. */
import { DEFAULT_JOURNAL_MAX_BYTES } from "./journal/journal.js";
import type { AuthPolicy, MockCredentials } from "./auth/authenticate.js";
import type { ProductSeed } from "./products/catalog.js";
import { type Clock, systemClock } from "./clock.js";
import type { FaultSettings } from "./faults.js";
import type { CalibrationProfile } from "./calibration/behaviours.js";
import {
  type AnswerSettings,
  type BehaviourSettings,
  DEFAULT_ANSWER,
  DEFAULT_AUTH_POLICY,
  DEFAULT_BEHAVIOUR,
  DEFAULT_THROTTLE,
  type MockLogger,
  type ThrottleSettings,
} from "./settings.js";

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
  /** Bytes the journal's kept bodies may take (oldest entries fall off past it). Default 32 MiB. */
  journalMaxBytes?: number;
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

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_JOURNAL_LIMIT = 1000;
export { DEFAULT_JOURNAL_MAX_BYTES };

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
  journalMaxBytes: number;
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
  checkAnswerSettings(answer);
  return {
    credentials,
    answer,
    throttle: options.throttle === false ? false : { ...DEFAULT_THROTTLE, ...options.throttle },
    auth: {
      ...DEFAULT_AUTH_POLICY,
      ...options.auth,
      // Per kind: a profile that observed one refusal's words keeps the others' defaults.
      refusalDetails: { ...DEFAULT_AUTH_POLICY.refusalDetails, ...options.auth?.refusalDetails },
    },
    behaviour: resolveBehaviour(options),
    logger: options.logger ?? console,
    clock: options.clock ?? systemClock,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    journalLimit: options.journalLimit ?? DEFAULT_JOURNAL_LIMIT,
    journalMaxBytes: options.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES,
  };
}

export function checkAnswerSettings(answer: AnswerSettings): void {
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
  checkBehaviourSettings(behaviour);
  return behaviour;
}

export function checkBehaviourSettings(b: BehaviourSettings): void {
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
  oneOf("missingTrailingSlash", b.missingTrailingSlash, ["redirect", "not-found", "serve"]);
}
