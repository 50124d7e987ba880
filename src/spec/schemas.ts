/**
 * Schemas compiled from the spec (src/generated/document.ts, generated from spec/). The fake
 * validates request items with them and the tests validate every answer with them, so neither
 * hand-writes a rule that could drift from the spec.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
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

/** A validator for `#/components/schemas/<name>` (or any JSON pointer into the spec). */
export function schemaValidator(pointer: string): ValidateFunction {
  const ref = pointer.startsWith("#") ? pointer : `#/components/schemas/${pointer}`;
  let fn = compiled.get(ref);
  if (!fn) {
    fn = ajv().getSchema(`${DOC_ID}${ref}`);
    if (!fn) throw new Error(`Failed to compile schema ${ref}: no such place in the spec.`);
    compiled.set(ref, fn);
  }
  return fn;
}

/** One readable sentence for the first error ajv found, e.g. `live: must be boolean`. */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return "is invalid";
  const at = e.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${at ? `${at}.` : ""}${String(params.missingProperty)}: is required`;
    case "unevaluatedProperties":
    case "additionalProperties": {
      const name = String(params.unevaluatedProperty ?? params.additionalProperty);
      return `${at ? `${at}.` : ""}${name}: is not a known product field`;
    }
    case "enum":
      return `${at || "value"}: must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return `${at || "value"}: ${e.message ?? "is invalid"}`;
  }
}

/** The spec's `maxItems` of a batch schema: the fake refuses longer lists and the client splits at it. */
export function batchLimit(schemaName: "ProductUpdateBatch" | "ProductCreateBatch"): number {
  const schema = openapiDocument.components.schemas[schemaName] as { maxItems: number };
  return schema.maxItems;
}
