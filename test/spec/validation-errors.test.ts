import type { ErrorObject } from "ajv";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../shared/validation/ajv.js";
import { deepestError, describeError, fieldPath } from "../../shared/validation/errors.js";

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string" },
    items: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        properties: { kind: { enum: ["a", "b"] }, version: { const: 1 }, price: { type: "number" } },
      },
    },
    keys: { type: "array", uniqueItems: true },
    notes: { type: "object", additionalProperties: { type: "string" } },
  },
};

function firstError(value: unknown): ErrorObject {
  const validate = createAjv({ strict: true, allErrors: false, formats: false }).compile(SCHEMA);
  expect(validate(value)).toBe(false);
  return validate.errors![0]!;
}

describe("one sentence per ajv error, in one field notation", () => {
  it("writes a field as JavaScript reaches it", () => {
    expect(fieldPath("/items/2/kind")).toBe("items[2].kind");
    expect(fieldPath("/2/kind", "products")).toBe("products[2].kind");
    expect(fieldPath("/observations/answer.batchForm")).toBe('observations["answer.batchForm"]');
    expect(fieldPath("/a~1b/c~0d")).toBe('"a/b"["c~d"]');
    expect(fieldPath("", "merchant")).toBe("merchant");
  });

  it.each([
    [{}, "name: is required"],
    [{ name: "x", extra: 1 }, "extra: is not a known thing field (a typo?)"],
    [{ name: "x", items: [{ kind: "c" }] }, 'items[0].kind: must be one of "a", "b"'],
    [{ name: "x", items: [{ version: 2 }] }, "items[0].version: must be 1"],
    [{ name: "x", items: [{ price: "x" }] }, "items[0].price: must be a number such as 1.50"],
    [{ name: "x", notes: { "a.b": 1 } }, 'notes["a.b"]: must be string'],
    [5, "the whole: must be object"],
  ])("%j: %s", (value, sentence) => {
    const wording = {
      whole: "the whole",
      kind: "thing",
      unknownFieldHint: "a typo?",
      expects: { price: "must be a number such as 1.50" },
    };
    expect(describeError(firstError(value), wording)).toBe(sentence);
  });

  it("names duplicates by position, never by value (they may be API keys)", () => {
    const sentence = describeError(firstError({ name: "x", keys: ["secret-key", "secret-key"] }), { root: "m" });
    expect(sentence).toBe("m.keys: lists the same value twice (items 0 and 1)");
  });

  it("picks the deepest error, the first of equals", () => {
    const at = (instancePath: string, keyword: string) => ({ instancePath, keyword }) as ErrorObject;
    expect(deepestError([at("", "oneOf"), at("/a/b", "type"), at("/a/c", "enum")])?.keyword).toBe("type");
    expect(deepestError([])).toBeUndefined();
  });
});
