/** Reading and checking a calibration profile file against its JSON Schema (PROFILE_SCHEMA). */
import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { createAjv } from "../../../shared/validation/ajv.js";
import { describeError, type Wording } from "../../../shared/validation/errors.js";
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
  validator ??= compile();
  if (!validator(value)) {
    const sentence = describeError(validator.errors![0]!, PROFILE_WORDING);
    throw new ProfileError(`Invalid calibration profile ${source}: ${sentence}.`);
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
