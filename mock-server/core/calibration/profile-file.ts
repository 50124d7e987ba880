/** Reading and checking a calibration profile file against its JSON Schema (PROFILE_SCHEMA). */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { type CalibrationProfile, PROFILE_SCHEMA } from "./behaviours.js";

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
