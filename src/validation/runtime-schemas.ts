/**
 * Any part of the spec compiled at run time (ajv), for checks that are not on a hot path: the
 * answer validator of the tests and the contract suite, and the spec's own example checks.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { openapiDocument } from "../generated/document.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const DOC_ID = "ordergroove.openapi";

let ajvInstance: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  if (!ajvInstance) {
    // strict: false because an OpenAPI document carries keywords (example, description...) ajv does not know.
    ajvInstance = new Ajv2020({ strict: false, allErrors: false });
    addFormats(ajvInstance);
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
