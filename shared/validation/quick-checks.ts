/**
 * Per-item checks compiled from the spec for the commonest batch items (e.g. `{"product_id":
 * "...", "live": false}`): a plain function that answers "certainly valid" without running the
 * full schema validator. It never refuses: any item it is not sure of (an unknown field, a field
 * with a pattern or a format, a value of the wrong type, a string whose length needs counting in
 * code points) is left to the ajv validator, which gives the answer and its explanation. So it
 * changes no answer (test/spec/quick-checks.test.ts checks it against ajv).
 */
import { openapiDocument } from "../generated/document.js";

type Schema = Record<string, unknown>;
type Check = (value: unknown) => boolean;

const schemas = openapiDocument.components.schemas as unknown as Record<string, Schema>;

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === "string" ? resolve(schemas[ref.replace("#/components/schemas/", "")]!) : schema;
}

/** Keywords that do not validate: words for people (and the spec's own `x-` annotations). */
const ANNOTATION = new Set(["description", "example", "examples", "title", "$comment", "deprecated"]);

const ONLY = (schema: Schema, keys: string[]) =>
  Object.keys(schema).every((k) => keys.includes(k) || ANNOTATION.has(k) || k.startsWith("x-"));

/** `type: T` or `type: [T, "null"]`: the base type and whether null is allowed too, else undefined. */
function typeOf(schema: Schema): { base: unknown; nullable: boolean } | undefined {
  const type = schema.type;
  if (!Array.isArray(type)) return { base: type, nullable: false };
  if (type.length === 2 && type[1] === "null") return { base: type[0], nullable: true };
  return undefined;
}

/** A check for a property schema simple enough to need no validator, or undefined. */
function simple(raw: Schema): Check | undefined {
  const schema = resolve(raw);
  const type = typeOf(schema);
  if (!type) return undefined;
  let check: Check | undefined;
  if (type.base === "boolean" && ONLY(schema, ["type"])) check = (v) => typeof v === "boolean";
  else if (type.base === "string" && ONLY(schema, ["type", "minLength", "maxLength"])) {
    const min = (schema.minLength as number | undefined) ?? 0;
    const max = (schema.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY;
    // ajv counts code points; UTF-16 length is an upper bound of that count, and any non-empty
    // string has at least one code point: so these bounds are sure, and only them.
    if (min > 1) return undefined;
    check = (v) => typeof v === "string" && v.length >= min && v.length <= max;
  }
  if (!check || !type.nullable) return check;
  const notNull = check;
  return (v) => v === null || notNull(v);
}

/** Properties and required names of an object schema made of `allOf` parts, or undefined if it is not that simple. */
function objectParts(schema: Schema): { properties: Record<string, Schema>; required: string[] } | undefined {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  const parts = [schema, ...((schema.allOf as Schema[] | undefined) ?? []).map(resolve)];
  for (const part of parts) {
    if (part.oneOf || part.anyOf || part.not || part.if || part.patternProperties || part.dependentRequired)
      return undefined;
    Object.assign(properties, (part.properties as Record<string, Schema> | undefined) ?? {});
    required.push(...((part.required as string[] | undefined) ?? []));
  }
  return { properties, required };
}

/**
 * `check(item)` is true only when the item certainly satisfies `#/components/schemas/<name>`:
 * an object whose every key is a simple known property with a value of the right type, with
 * every required property present.
 */
export function quickCheck(name: string): Check {
  const parts = objectParts(resolve(schemas[name]!));
  if (!parts) return () => false;
  // A null-prototype object, not a Map: the keys looked up are property names JSON.parse made,
  // and a property lookup on them is cheaper than a Map's (this runs for every batch item).
  const checks: Record<string, Check | undefined> = Object.create(null);
  for (const [key, schema] of Object.entries(parts.properties)) {
    const check = simple(schema);
    if (check) checks[key] = check;
  }
  const required = new Set(parts.required);
  if (![...required].every((k) => checks[k] !== undefined)) return () => false;
  const requiredCount = required.size;
  const isRequired: Record<string, true | undefined> = Object.create(null);
  for (const key of required) isRequired[key] = true;
  return (item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return false;
    const record = item as Record<string, unknown>;
    // One pass over the item's own keys: each must be known and valid, and the required ones are
    // counted on the way (a key present with the value undefined cannot come from JSON).
    let seen = 0;
    for (const key in record) {
      const check = checks[key];
      const value = record[key];
      if (check === undefined || value === undefined || !check(value)) return false;
      if (isRequired[key]) seen++;
    }
    return seen === requiredCount;
  };
}
