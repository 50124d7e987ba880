/**
 * Schemas compiled from the spec. The fake validates request items with them and the client
 * validates answers with them, so neither hand-writes a rule that could drift from the spec.
 * They are compiled ahead of time by `npm run generate` (src/generated/validators.ts), which
 * keeps ajv's compiler off the fake's start-up path; any other part of the spec can be compiled
 * at run time with ./runtime-schemas.ts.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { openapiDocument } from "../generated/document.js";
import * as precompiled from "../generated/validators.js";

export type PrecompiledSchema =
  | "ProductUpdateItem"
  | "ProductCreateItem"
  | "ProductPatch"
  | "Product"
  | "BatchResponse"
  | "ProductList"
  | "ProductHasGroup"
  | "ProductGroupList";

/** The validator of `#/components/schemas/<name>`. */
export function schemaValidator(name: PrecompiledSchema): ValidateFunction {
  return (precompiled as unknown as Record<PrecompiledSchema, ValidateFunction>)[name];
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
  // A price may be a number or a decimal string: name what is expected, not the first branch tried.
  if (at === "price" || at.endsWith(".price")) return `${at}: must be a decimal number such as 15.00`;
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

/**
 * The property names a schema knows, through `allOf` and `$ref`: what the fake reads as an
 * item's known fields (anything else is an unknown field, ignored or refused by setting).
 */
export function knownFields(schemaName: string): ReadonlySet<string> {
  let known = knownCache.get(schemaName);
  if (!known) {
    known = new Set<string>();
    collectProperties(schemaName, known);
    knownCache.set(schemaName, known);
  }
  return known;
}

const knownCache = new Map<string, Set<string>>();

function collectProperties(schemaName: string, into: Set<string>): void {
  const schemas = openapiDocument.components.schemas as Record<string, unknown>;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as { $ref?: string; allOf?: unknown[]; properties?: Record<string, unknown> };
    if (n.$ref) visit(schemas[n.$ref.replace("#/components/schemas/", "")]);
    for (const part of n.allOf ?? []) visit(part);
    for (const name of Object.keys(n.properties ?? {})) into.add(name);
  };
  visit(schemas[schemaName]);
}
