/**
 * Any part of the spec compiled at run time (ajv), for checks that are not on a hot path: the
 * answer validator of the tests and the contract suite, and the spec's own example checks.
 */
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { openapiDocument } from "../generated/document.js";
import { createAjv } from "./ajv.js";

const DOC_ID = "ordergroove.openapi";

let ajvInstance: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  if (!ajvInstance) {
    // Not strict: an OpenAPI document carries keywords (example, description...) ajv does not know.
    // The first error only: it is the one the sentence names. Formats, so a `format` the spec
    // may use is checked rather than ignored.
    ajvInstance = createAjv({ strict: false, allErrors: false, formats: true });
    ajvInstance.addSchema(openapiDocument as object, DOC_ID);
  }
  return ajvInstance;
}

const compiled = new Map<string, ValidateFunction>();

/** A validator for `#/components/schemas/<name>` or any JSON pointer into the spec. */
export function compileSchema(pointer: string): ValidateFunction {
  const ref = pointer.startsWith("#") ? pointer : `#/components/schemas/${pointer}`;
  let fn = compiled.get(ref);
  if (!fn) {
    fn = ajv().getSchema(`${DOC_ID}${ref}`);
    if (!fn) throw new Error(`Failed to compile schema ${ref}: no such place in the spec.`);
    compiled.set(ref, fn);
  }
  return fn;
}
