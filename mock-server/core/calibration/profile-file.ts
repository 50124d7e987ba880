/** Reading and checking a calibration profile file against its JSON Schema (PROFILE_SCHEMA). */
import type { ValidateFunction } from "ajv/dist/2020.js";
import { createAjv } from "../../../shared/validation/ajv.js";
import { describeError, type Wording } from "../../../shared/validation/errors.js";
import { fileMessage, parseUserJson, readUserFile } from "../../../shared/validation/user-file.js";
import { type CalibrationProfile, PROFILE_SCHEMA } from "./behaviours.js";

export class ProfileError extends Error {
  override name = "ProfileError";
}

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  // On first use: a fake started without a profile never pays for ajv's compiler. Strict, because
  // PROFILE_SCHEMA is written for ajv (a keyword it does not know is a mistake in the kit); the
  // first error only, as one sentence is given; formats for recordedAt's date-time.
  return createAjv({ strict: true, allErrors: false, formats: true }).compile(PROFILE_SCHEMA);
}

/** How a profile's errors are worded (see shared/validation/errors.ts). */
const PROFILE_WORDING: Wording = {
  whole: "the profile",
  kind: "profile",
  unknownFieldHint: "a newer kit's profile, or a typo?",
};

/** Checks a parsed profile against PROFILE_SCHEMA; throws a ProfileError naming the field. */
export function validateProfile(value: unknown, source = "the profile"): CalibrationProfile {
  const sentence = profileProblem(value);
  if (sentence) throw new ProfileError(`Invalid calibration profile ${source}: ${sentence}.`);
  return value as CalibrationProfile;
}

/** The first thing wrong with a parsed profile, as a sentence without its full stop; undefined when valid. */
function profileProblem(value: unknown): string | undefined {
  validator ??= compile();
  return validator(value) ? undefined : describeError(validator.errors![0]!, PROFILE_WORDING);
}

/** Parses and validates profile text (a file's content). */
export function parseProfile(text: string, source = "the profile"): CalibrationProfile {
  const fail = (message: string) => new ProfileError(message);
  const value = parseUserJson(text, source, "calibration profile", fail);
  const sentence = profileProblem(value);
  if (!sentence) return value as CalibrationProfile;
  // The file's voice: its path, the field, and what to do.
  throw fail(
    fileMessage(
      "calibration profile",
      source,
      `${sentence}${/[.?!]$/.test(sentence) ? "" : "."} Fix that field, or record the profile again (og-contract --record FILE)`,
    ),
  );
}

/** Reads and validates a profile file. */
export function readProfile(file: string): CalibrationProfile {
  return parseProfile(
    readUserFile(file, "calibration profile", (message) => new ProfileError(message)),
    file,
  );
}
