/**
 * Schemas compiled from the spec. The fake validates request items with them and the client
 * validates answers with them, so neither hand-writes a rule that could drift from the spec.
 * They are compiled ahead of time by `npm run generate` (shared/generated/validators.ts), which
 * keeps ajv's compiler off the fake's start-up path; any other part of the spec can be compiled
 * at run time with ./runtime-schemas.ts.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { openapiDocument } from "../generated/document.js";
import { precompiledValidators } from "../generated/validators.js";
import { describeError, type Wording } from "./errors.js";

export type PrecompiledSchema =
  | "ProductUpdateItem"
  | "ProductCreateItem"
  | "ProductPatch"
  | "Product"
  | "BatchResponse"
  | "ProductList"
  | "ProductHasGroup"
  | "ProductGroupList";

/** The validator of `#/components/schemas/<name>` (the validators are made on the first call). */
export function schemaValidator(name: PrecompiledSchema): ValidateFunction {
  return (precompiledValidators() as Record<PrecompiledSchema, ValidateFunction>)[name];
}

/**
 * How the spec's schemas word their errors (see ./errors.ts): their objects are products, and a
 * price is a number or a decimal string, so it is explained by what it takes.
 */
export const SPEC_WORDING: Wording = {
  kind: "product",
  expects: { price: "must be a decimal number such as 15.00 (at most two decimals, 0 to 99999999.99)" },
};

/** One readable sentence for the first error ajv found, e.g. `live: must be boolean`. */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  return e ? describeError(e, SPEC_WORDING) : "is invalid";
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
