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
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { AuthPolicy } from "./auth.js";
import type { AnswerSettings, BehaviourSettings, MockOptions } from "./options.js";

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
export const AUTH_FAILURES = {
  missing: "no credentials at all",
  unknownApiKey: "an unknown API key",
  wrongHashKey: "a signature made with the wrong hash key",
  unknownApiUser: "an unknown API user",
  notJson: "authorization that is not JSON",
  noOgAuthorization: "an API-user signature without og-authorization: True",
  stale: "a signature older than two hours",
} as const;
export type AuthFailure = keyof typeof AUTH_FAILURES;

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
    fake: "refuse",
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
  },
} as const;

export class ProfileError extends Error {
  override name = "ProfileError";
}

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  // Loaded on first use: a fake started without a profile never pays for ajv's compiler.
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Class };
  const addFormats = require("ajv-formats") as (ajv: Ajv2020Class) => void;
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  addFormats(ajv);
  return ajv.compile(PROFILE_SCHEMA);
}

function where(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (error.keyword === "additionalProperties") path.push(String(error.params.additionalProperty));
  if (error.keyword === "required") path.push(String(error.params.missingProperty));
  return path.length ? path.join(" → ") : "(the profile)";
}

function explain(error: ErrorObject): string {
  switch (error.keyword) {
    case "additionalProperties":
      return "is not a field of a profile (a newer kit's profile, or a typo?)";
    case "required":
      return "is missing";
    case "enum":
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    default:
      return error.message ?? "is invalid";
  }
}

/** Checks a parsed profile against PROFILE_SCHEMA; throws a ProfileError naming the field. */
export function validateProfile(value: unknown, source = "the profile"): CalibrationProfile {
  validator ??= compile();
  if (!validator(value)) {
    const error = validator.errors![0]!;
    throw new ProfileError(`Invalid calibration profile ${source}: field ${where(error)} ${explain(error)}.`);
  }
  return value as CalibrationProfile;
}

/** Parses and validates profile text (a file's content). */
export function parseProfile(text: string, source = "the profile"): CalibrationProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The position only: the parser's own message quotes the text, which may not be a profile at all.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ProfileError(`Invalid calibration profile ${source}: not JSON${at ? ` (at character ${at})` : ""}.`);
  }
  return validateProfile(value, source);
}

/** Reads and validates a profile file. */
export function readProfile(file: string): CalibrationProfile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ProfileError(
      `Cannot read calibration profile ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`,
    );
  }
  return parseProfile(text, file);
}

/** What applying a profile did: where it came from, what the fake now reproduces, and what it cannot. */
export interface ProfileSummary {
  /** File name or "inline". */
  source: string;
  target: string;
  recordedAt: string;
  kit: string;
  /** Behaviour keys the fake reproduces (set from the profile, or already its behaviour). */
  applied: string[];
  /** Behaviours the profile observed that this fake cannot reproduce, with what it does instead. */
  unreplayable: Array<{ key: string; observed: ObservedValue; fake: ObservedValue }>;
}

/** The part of the fake's options a profile sets. */
export type ProfileOptions = {
  answer?: Partial<AnswerSettings>;
  auth?: Partial<AuthPolicy>;
  behaviour?: Partial<BehaviourSettings>;
};

/** A refusal the fake can answer with (its settings take client and server errors only). */
const refusal = (v: ObservedValue) => typeof v === "number" && Number.isInteger(v) && v >= 400 && v <= 599;

/** Values the fake's settings take; anything else the target did is listed as unreplayable. */
const BEHAVIOUR_VALUES: Record<keyof BehaviourSettings, (v: ObservedValue) => boolean> = {
  unknownFields: (v) => v === "ignore" || v === "refuse",
  tooManyItems: (v) => v === "process" || refusal(v),
  nonListBody: refusal,
  unsupportedMediaType: refusal,
  missingContentType: (v) => v === "refuse" || v === "assume-json",
  retryAfter: (v) => v === "seconds" || v === "http-date" || v === "absent",
  tsAsString: (v) => v === "accept" || v === "refuse",
};

/**
 * Maps a profile onto the fake's settings. Behaviours the fake has a setting for are set; the
 * others are compared with what the fake always does, and listed as unreplayable when they differ.
 * "not-observed" (no 429 in the recording run, say) leaves the fake's default.
 */
export function profileSettings(
  profile: CalibrationProfile,
  source = "inline",
): { options: ProfileOptions; summary: ProfileSummary } {
  const o = profile.observations;
  const answer: Partial<AnswerSettings> = {};
  const auth: Partial<AuthPolicy> = {};
  const behaviour: Partial<BehaviourSettings> = {};
  const settable = new Set<string>();
  const batchStatus = o["answer.batchStatus"];
  if (batchStatus === 200 || batchStatus === 207) {
    answer.batchStatus = batchStatus;
    settable.add("answer.batchStatus");
  }
  const form = o["answer.batchForm"];
  if (form === "object" || form === "list") {
    answer.batchForm = form;
    settable.add("answer.batchForm");
  }
  // The fake refuses credentials with one status: a profile sets it, and the per-failure statuses
  // that agree with it are reproduced; a failure the target answered otherwise is unreplayable.
  const failure = o["auth.failureStatus"];
  if (failure === 401 || failure === 403) {
    auth.failureStatus = failure;
    settable.add("auth.failureStatus");
  }
  for (const [key, value] of Object.entries(o)) {
    const name = /^behaviour\.(\w+)$/.exec(key)?.[1] as keyof BehaviourSettings | undefined;
    if (name && value !== undefined && BEHAVIOUR_VALUES[name]?.(value)) {
      (behaviour as Record<string, ObservedValue>)[name] = value;
      settable.add(key);
    }
  }
  const applied: string[] = [];
  const unreplayable: ProfileSummary["unreplayable"] = [];
  for (const [key, observed] of Object.entries(o)) {
    if (observed === undefined || observed === "not-observed") continue;
    const known = BEHAVIOURS[key]!;
    const fake = /^auth\.\w+\.status$/.test(key) ? (auth.failureStatus ?? known.fake) : known.fake;
    if (settable.has(key) || observed === fake) applied.push(key);
    else unreplayable.push({ key, observed, fake });
  }
  const options: ProfileOptions = {
    ...(Object.keys(answer).length ? { answer } : {}),
    ...(Object.keys(auth).length ? { auth } : {}),
    ...(Object.keys(behaviour).length ? { behaviour } : {}),
  };
  return {
    options,
    summary: {
      source,
      target: profile.target,
      recordedAt: profile.recordedAt,
      kit: profile.kit,
      applied,
      unreplayable,
    },
  };
}

/** The user's options over the profile's: the user's own fields win, field by field. */
export function withProfile<T extends MockOptions>(user: T, fromProfile: ProfileOptions): T {
  const behaviour = { ...fromProfile.behaviour, ...user.behaviour };
  // `strict: false` (og-mock's OG_MOCK_STRICT=0) is the user's word on unknown fields too.
  if (user.strict === false && user.behaviour?.unknownFields === undefined) behaviour.unknownFields = "ignore";
  return {
    ...user,
    answer: { ...fromProfile.answer, ...user.answer },
    auth: { ...fromProfile.auth, ...user.auth },
    behaviour,
  };
}

/** One line for banners and logs. */
export function describeProfile(summary: ProfileSummary): string {
  const date = summary.recordedAt.slice(0, 10);
  const base = `${summary.source} (recorded ${date} against ${summary.target}; ${summary.applied.length} behaviours reproduced`;
  if (!summary.unreplayable.length) return `${base})`;
  const list = summary.unreplayable.map((u) => `${u.key}=${JSON.stringify(u.observed)}`).join(", ");
  return `${base}; not reproducible by this fake: ${list})`;
}

/**
 * Options with their `profile` (if any) validated and applied under the user's own settings.
 * Throws a ProfileError naming the field when the profile is bad, so a fake never starts with it.
 */
export function applyProfile<T extends MockOptions>(options: T): { options: T; summary: ProfileSummary | null } {
  if (options.profile === undefined) return { options, summary: null };
  const source = options.profileSource ?? "inline";
  const profile = validateProfile(options.profile, source);
  const { options: fromProfile, summary } = profileSettings(profile, source);
  return { options: withProfile(options, fromProfile), summary };
}
