/**
 * A profile onto the fake's settings: what it sets, what the fake cannot reproduce, and the
 * precedence (defaults, then the profile, then the user's own options).
 */
import type { AuthPolicy } from "./auth/authenticate.js";
import type { MockOptions } from "./options.js";
import type { AnswerSettings, BehaviourSettings } from "./settings.js";
import {
  AUTH_FAILURES,
  type AuthFailure,
  BEHAVIOURS,
  type CalibrationProfile,
  FAKE_EXPLANATION,
  type ObservedValue,
} from "./calibration/behaviours.js";
import { validateProfile } from "./calibration/profile-file.js";

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
  missingTrailingSlash: (v) => v === "redirect" || v === "not-found" || v === "serve",
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
  // The words of each refusal, as observed: the fake's body says them, its explanation moves to the hint.
  const details: NonNullable<AuthPolicy["refusalDetails"]> = {};
  for (const kind of Object.keys(AUTH_FAILURES) as AuthFailure[]) {
    const text = o[`auth.${kind}.detail`];
    if (typeof text !== "string") continue;
    settable.add(`auth.${kind}.detail`);
    if (text !== FAKE_EXPLANATION) details[kind] = text;
  }
  if (Object.keys(details).length) auth.refusalDetails = details;
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
