/**
 * ajv's errors as sentences, one wording for the whole kit: the products API's 400 details, the
 * admin API's, the client's answer checks, the merchants file and the calibration profile all
 * say `<field>: <what is wrong>`, e.g. `products[2].price: must be a decimal number such as 15.00`.
 *
 * The field is written as JavaScript would reach it: `.name` for a property, `[2]` for an item,
 * `["answer.batchStatus"]` for a key that is not a plain name (`"x-y"` at the top). One notation
 * because the same person reads the merchants file, the admin API and the products API; this one
 * because it is what they would type to get at the value, it reads the same whatever the file
 * format, and it stays unambiguous when a key holds a dot (a profile's observations).
 *
 * No value from the input is quoted, only field names and what the schema allows: the input may
 * be a merchants file with hash keys and API keys in it.
 */
import type { ErrorObject } from "ajv";

export interface Wording {
  /** Names the value itself and starts every field, e.g. "merchant" gives `merchant.apiKeys[0]`. */
  root?: string;
  /** Names the value itself when there is no root and the problem is with all of it; "value" if unset. */
  whole?: string;
  /** What an object is, in "is not a known product field"; unset, "is not a known field". */
  kind?: string;
  /** Why an unknown field may be there, said after it in parentheses. */
  unknownFieldHint?: string;
  /**
   * What a field expects, by its name, said instead of any error on it: a field that may take
   * several forms (a price is a number or a decimal string) is explained by what it takes, not
   * by the first form ajv tried.
   */
  expects?: Readonly<Record<string, string>>;
}

/** The field an error is about, in the kit's notation (see above); "" is the value itself. */
export function fieldPath(instancePath: string, root = ""): string {
  let at = root;
  // instancePath is a JSON pointer: "/products/2/price", with "~1" for "/" and "~0" for "~".
  for (const part of instancePath.split("/").slice(1)) {
    const name = part.replace(/~1/g, "/").replace(/~0/g, "~");
    at = /^\d+$/.test(name) ? `${at}[${name}]` : childField(at, name);
  }
  return at;
}

/**
 * A field of the object at `at`: `at.name`, or `at["odd name"]` when name is not a plain name
 * (just `"odd name"` for a field of the value itself, where brackets would follow nothing).
 */
export function childField(at: string, name: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return at ? `${at}.${name}` : name;
  return at ? `${at}[${JSON.stringify(name)}]` : JSON.stringify(name);
}

/** The sentence for a field the schema does not know, e.g. `live2: is not a known product field`. */
export function unknownField(at: string, name: string, wording: Wording = {}): string {
  const kind = wording.kind ? `${wording.kind} ` : "";
  const hint = wording.unknownFieldHint ? ` (${wording.unknownFieldHint})` : "";
  return `${childField(at, name)}: is not a known ${kind}field${hint}`;
}

/** One readable sentence for one ajv error: the field, then what is wrong with it. */
export function describeError(error: ErrorObject, wording: Wording = {}): string {
  const at = fieldPath(error.instancePath, wording.root);
  const field = at || wording.whole || "value";
  const params = error.params as Record<string, unknown>;
  const last = /(?:^|\.)([^.[\]]+)$/.exec(at)?.[1];
  const expected = last === undefined ? undefined : wording.expects?.[last];
  if (expected !== undefined) return `${field}: ${expected}`;
  switch (error.keyword) {
    case "required":
      return `${childField(at, String(params.missingProperty))}: is required`;
    case "additionalProperties":
    case "unevaluatedProperties":
      return unknownField(at, String(params.additionalProperty ?? params.unevaluatedProperty), wording);
    case "enum":
      return `${field}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${field}: must be ${JSON.stringify(params.allowedValue)}`;
    case "minProperties":
      return `${field}: must name at least ${String(params.limit)} field${params.limit === 1 ? "" : "s"}`;
    case "uniqueItems": {
      // Positions only, not the value: the items may be API keys.
      const [i, j] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return `${field}: lists the same value twice (items ${i} and ${j})`;
    }
    default:
      return `${field}: ${error.message ?? "is invalid"}`;
  }
}

/**
 * The most specific of several errors: the deepest. A oneOf reports every branch it tried; the
 * branch that got furthest into the value says best what is wrong (the first such, if several).
 */
export function deepestError(errors: readonly ErrorObject[] | null | undefined): ErrorObject | undefined {
  let deepest: ErrorObject | undefined;
  for (const e of errors ?? []) if (!deepest || e.instancePath.length > deepest.instancePath.length) deepest = e;
  return deepest;
}

/**
 * One sentence for the first problem of a validation: the deepest error (see above), except that
 * a value missing every field of an `anyOf` of `required` lists (a merchant without apiUsers or
 * apiKeys, a product without either id) is told what it needs: `merchant: needs apiUsers or apiKeys`.
 */
export function describeFirstError(errors: readonly ErrorObject[] | null | undefined, wording: Wording = {}): string {
  const deepest = deepestError(errors);
  if (!deepest) return `${wording.root || wording.whole || "value"}: is invalid`;
  // At the same depth, a branch that got past the value's type says more than "must be array"
  // (`{"products": [], "x": 1}` is told that x is not a known field).
  const error =
    errors?.find(
      (e) => e.instancePath === deepest.instancePath && !["type", "oneOf", "anyOf", "const"].includes(e.keyword),
    ) ?? deepest;
  if (error.keyword === "required") {
    const alternatives = (errors ?? []).filter(
      (e) => e.keyword === "required" && e.instancePath === error.instancePath && /\/anyOf\/\d+\//.test(e.schemaPath),
    );
    if (alternatives.length > 1) {
      const at = fieldPath(error.instancePath, wording.root) || wording.whole || "value";
      const names = alternatives.map((e) => String((e.params as { missingProperty: string }).missingProperty));
      return `${at}: needs ${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
    }
  }
  return describeError(error, wording);
}
