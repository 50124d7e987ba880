/**
 * The one place an ajv instance is made: the spec's run-time validators (./runtime-schemas.ts),
 * the merchants file, the calibration profile and the ahead-of-time validators of
 * `npm run generate` all get theirs here, each saying which options it needs and why.
 *
 * ajv is loaded by createRequire when the first instance is made, never imported: its compiler
 * is most of what og-mock's benchmarked cold start would otherwise pay, and a fake started
 * without a merchants file or a profile compiles nothing (it validates with the precompiled
 * code in shared/generated/, which needs only ajv's small runtime helpers).
 */
import { createRequire } from "node:module";
import type { Ajv2020, Options } from "ajv/dist/2020.js";

export interface AjvUse {
  /**
   * ajv's strict mode refuses a keyword it does not know. On for a schema written for ajv (the
   * profile's, so a typo in it fails loudly); off for the OpenAPI documents and the merchants
   * schema, which carry `example`, `description` and other annotations ajv does not know.
   */
  strict: boolean;
  /**
   * Every problem, or stop at the first. On for a file a person fixes in one go (the merchants
   * file); off where one sentence is given (an API answer, an option error), which is also faster.
   */
  allErrors: boolean;
  /**
   * Registers ajv-formats (`date-time`, `uri`...). Needed by schemas that use `format`; without
   * it, strict mode refuses such a schema and non-strict ajv ignores the format.
   */
  formats: boolean;
  /** Code generation options: only `npm run generate`, which writes standalone ES modules. */
  code?: Options["code"];
}

const require = createRequire(import.meta.url);

/** A new Ajv2020 (the spec and the kit's schemas are JSON Schema 2020-12) for one use. */
export function createAjv(use: AjvUse): Ajv2020 {
  const { Ajv2020: Ajv } = require("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020 };
  const ajv = new Ajv({
    strict: use.strict,
    allErrors: use.allErrors,
    // A price's `multipleOf: 0.01` read as "whole cents": 0.07 / 0.01 is 7.000000000000001 in
    // doubles, so an exact test refuses ordinary prices (issue 34). Within 1e-5 of a cent: the
    // quotient of a price near the 99999999.99 cap carries a rounding error far above 1e-9
    // (found by the differential suite), and a third decimal is a tenth of a cent or more.
    multipleOfPrecision: 5,
    ...(use.code ? { code: use.code } : {}),
  });
  if (use.formats) {
    // ajv-formats is CommonJS: require() gives its function itself.
    (require("ajv-formats") as (instance: Ajv2020) => Ajv2020)(ajv);
  }
  return ajv;
}
