/**
 * fast-check arbitraries made from JSON Schemas, as Schemathesis makes its cases: `valid(schema)`
 * gives values the schema accepts, `invalid(schema)` values it refuses (a wrong type, a missing
 * required field, an unknown field where none is allowed, a number or a length out of bounds, a
 * value outside an enum or a pattern), recursively into one field. Covers the keywords both specs
 * use; callers filter with the spec's own validator, so a gap here skips a case, never lies.
 */
import fc from "fast-check";

export type Schema = Record<string, unknown>;
/** Resolves a `$ref` (local to its document, or `file#/pointer`) to the schema and its document. */
export type Resolver = (ref: string, doc: string) => { schema: Schema; doc: string };

/** A schema with its `$ref`, `allOf` and `anyOf`-of-`required` folded in, as one object schema. */
export function flatten(schema: Schema, doc: string, resolve: Resolver): { schema: Schema; doc: string } {
  if (typeof schema.$ref === "string") {
    const target = resolve(schema.$ref, doc);
    const { $ref: _ref, ...rest } = schema;
    return flatten({ ...target.schema, ...rest }, target.doc, resolve);
  }
  if (!Array.isArray(schema.allOf)) return { schema, doc };
  const { allOf, ...rest } = schema;
  const out: Schema = {
    ...rest,
    properties: { ...(rest.properties as Schema) },
    required: [...((rest.required as string[]) ?? [])],
  };
  for (const part of allOf as Schema[]) {
    const flat = flatten(part, doc, resolve).schema;
    // Properties of another document keep their refs resolvable by carrying their document along.
    const props = Object.fromEntries(
      Object.entries((flat.properties as Schema) ?? {}).map(([k, v]) => [
        k,
        withDoc(v as Schema, docOf(part, doc, resolve)),
      ]),
    );
    out.properties = { ...props, ...(out.properties as Schema) };
    out.required = [...(out.required as string[]), ...((flat.required as string[]) ?? [])];
    out.type ??= flat.type;
  }
  return { schema: out, doc };
}

const DOC = Symbol("doc");
function withDoc(schema: Schema, doc: string): Schema {
  return { ...schema, [DOC]: doc };
}
function docOf(part: Schema, doc: string, resolve: Resolver): string {
  return typeof part.$ref === "string" ? resolve(part.$ref, doc).doc : doc;
}
function at(schema: Schema, doc: string): string {
  return (schema as Record<symbol, string>)[DOC] ?? doc;
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === "string") return [schema.type];
  if (schema.properties) return ["object"];
  return [];
}

/** Values the schema accepts. */
export function valid(input: Schema, inputDoc: string, resolve: Resolver, depth = 0): fc.Arbitrary<unknown> {
  const { schema, doc } = flatten(input, at(input, inputDoc), resolve);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf))
    return fc.oneof(...(schema.oneOf as Schema[]).map((s) => valid(s, doc, resolve, depth)));
  const anyOf = schema.anyOf as Schema[] | undefined;
  if (anyOf && anyOf.every(oneOfTheseFields)) {
    // "One of these fields" (a product's two ids, a merchant's users or keys), each branch maybe
    // narrowing its field (a merchant's non-empty list of users or keys): pick which.
    const { anyOf: _a, ...rest } = schema;
    const properties = (rest.properties as Record<string, Schema>) ?? {};
    return fc.oneof(
      ...anyOf.map((b) =>
        valid(
          {
            ...rest,
            required: [...((rest.required as string[]) ?? []), ...(b.required as string[])],
            properties: Object.fromEntries(
              Object.entries(properties).map(([k, v]) => [
                k,
                { ...v, ...(((b.properties as Record<string, Schema>) ?? {})[k] ?? {}) },
              ]),
            ),
          },
          doc,
          resolve,
          depth,
        ),
      ),
    );
  }
  if (anyOf) return fc.oneof(...anyOf.map((s) => valid(s, doc, resolve, depth)));
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => valid({ ...schema, type }, doc, resolve, depth)));
  switch (types[0]) {
    case "object": {
      const properties = (schema.properties as Record<string, Schema>) ?? {};
      const required = (schema.required as string[]) ?? [];
      const keys = Object.keys(properties);
      if (keys.length === 0 || depth > 4) return fc.constant({});
      const record = fc.record(
        Object.fromEntries(keys.map((k) => [k, valid(properties[k]!, doc, resolve, depth + 1)])),
        { requiredKeys: keys.filter((k) => required.includes(k)) },
      );
      const min = (schema.minProperties as number) ?? 0;
      // At least `min` fields: the first ones always, the rest as generated.
      if (min === 0) return record;
      const first = keys.slice(0, min);
      return fc.record(Object.fromEntries(keys.map((k) => [k, valid(properties[k]!, doc, resolve, depth + 1)])), {
        requiredKeys: [...new Set([...first, ...keys.filter((k) => required.includes(k))])],
      });
    }
    case "array": {
      const items = (schema.items as Schema) ?? {};
      const minLength = (schema.minItems as number) ?? 0;
      const maxLength = Math.min((schema.maxItems as number) ?? Infinity, minLength + 4);
      const item = depth > 4 ? fc.constant(null) : valid(items, doc, resolve, depth + 1);
      return schema.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case "string": {
      const minLength = (schema.minLength as number) ?? 0;
      const maxLength = Math.min((schema.maxLength as number) ?? Infinity, minLength + 30);
      if (typeof schema.pattern === "string") return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === "date-time")
        return fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength, maxLength });
    }
    case "integer":
      return fc.integer({
        min: Math.max((schema.minimum as number) ?? -1e6, Number.MIN_SAFE_INTEGER),
        max: Math.min((schema.maximum as number) ?? 1e6, Number.MAX_SAFE_INTEGER),
      });
    case "number":
      if (typeof schema.multipleOf === "number") {
        // Whole multiples (a price's cents), written as a person would: 12.34, not 12.340000000000002.
        const step = schema.multipleOf;
        const places = Math.max(0, -Math.floor(Math.log10(step)));
        return fc
          .integer({
            min: Math.ceil(((schema.minimum as number) ?? -1e6) / step),
            max: Math.floor(((schema.maximum as number) ?? 1e6) / step),
          })
          .map((k) => Number((k * step).toFixed(places)));
      }
      return fc.double({
        min: (schema.minimum as number) ?? -1e6,
        max: (schema.maximum as number) ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** Values the schema refuses: one violation, at the top or inside one field. */
export function invalid(input: Schema, inputDoc: string, resolve: Resolver, depth = 0): fc.Arbitrary<unknown> {
  const { schema, doc } = flatten(input, at(input, inputDoc), resolve);
  const ways: fc.Arbitrary<unknown>[] = [];
  const types = typesOf(schema);
  const wrongType = [
    ["object", fc.constant({ zz: 1 })],
    ["array", fc.constant([1])],
    ["string", fc.constant("zz-not-valid")],
    ["integer", fc.constant(1.5)],
    ["boolean", fc.constant(true)],
    ["null", fc.constant(null)],
  ] as const;
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (branches && !branches.every(oneOfTheseFields)) {
    // A value of none of the alternatives: one broken the way a branch can be broken, or a
    // scalar of a type no branch takes (the caller keeps only what the spec's validator refuses).
    ways.push(fc.oneof(...branches.map((b) => invalid(b, doc, resolve, depth))));
    ways.push(fc.constantFrom<unknown>("zz-not-valid", 42, 1.5, null));
  }
  if (types.length || schema.enum || schema.const !== undefined)
    ways.push(fc.oneof(...wrongType.filter(([t]) => !types.includes(t)).map(([, a]) => a)));
  if (Array.isArray(schema.enum)) ways.push(fc.constant("zz-not-in-enum"));
  if (types.includes("object") && depth < 3) {
    const properties = (schema.properties as Record<string, Schema>) ?? {};
    const required = (schema.required as string[]) ?? [];
    const base = valid(schema, doc, resolve, depth) as fc.Arbitrary<Record<string, unknown>>;
    if (required.length) ways.push(base.chain((o) => fc.constantFrom(...required).map((k) => omit(o, k))));
    const anyOf = schema.anyOf as Schema[] | undefined;
    if (anyOf?.every(oneOfTheseFields))
      ways.push(base.map((o) => anyOf.reduce((v, b) => omit(v, (b.required as string[])[0]!), o)));
    if (schema.additionalProperties === false || schema.unevaluatedProperties === false)
      ways.push(base.map((o) => ({ ...o, zz_unknown_field: 1 })));
    if (schema.minProperties) ways.push(fc.constant({}));
    const names = Object.keys(properties);
    if (names.length)
      ways.push(
        fc
          .constantFrom(...names)
          .chain((name) =>
            fc
              .tuple(base, invalid(properties[name]!, doc, resolve, depth + 1))
              .map(([o, bad]) => ({ ...o, [name]: bad })),
          ),
      );
  }
  if (types.includes("array") && depth < 3) {
    const items = (schema.items as Schema) ?? {};
    if (typeof schema.maxItems === "number")
      ways.push(
        fc.array(valid(items, doc, resolve, depth + 1), {
          minLength: schema.maxItems + 1,
          maxLength: schema.maxItems + 1,
        }),
      );
    if (schema.minItems) ways.push(fc.constant([]));
    ways.push(invalid(items, doc, resolve, depth + 1).map((bad) => [bad]));
  }
  if (typeof schema.multipleOf === "number")
    ways.push(fc.constant(((schema.minimum as number) ?? 0) + schema.multipleOf / 10));
  if (types.includes("integer") || types.includes("number")) {
    if (typeof schema.minimum === "number") ways.push(fc.constant(schema.minimum - 1));
    if (typeof schema.maximum === "number") ways.push(fc.constant(schema.maximum + 1));
  }
  if (types.includes("string")) {
    if (typeof schema.minLength === "number" && schema.minLength > 0) ways.push(fc.constant(""));
    if (typeof schema.maxLength === "number") ways.push(fc.constant("x".repeat(schema.maxLength + 1)));
    if (typeof schema.pattern === "string") ways.push(fc.constantFrom("~~", "x y", "12,99"));
  }
  return ways.length ? fc.oneof(...ways) : fc.constant(Symbol.for("no violation"));
}

/** An anyOf branch that asks for one field (and may narrow it): `{required: [f], properties?: {f: ...}}`. */
function oneOfTheseFields(branch: Schema): boolean {
  return Object.keys(branch).every((k) => k === "required" || k === "properties");
}

function omit(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _gone, ...rest } = o;
  return rest;
}
