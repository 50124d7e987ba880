/**
 * Ordergroove's own documented request and answer bodies must validate against the spec: the
 * spec follows the docs, so a refusal here is a fidelity bug in the spec.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSchema } from "../../shared/validation/runtime-schemas.js";
import { describeSchemaError } from "../../shared/validation/schemas.js";
import { ROOT } from "../helpers/spawn.js";

const DIR = join(ROOT, "test/fixtures/ordergroove-docs");
const index = JSON.parse(readFileSync(join(DIR, "index.json"), "utf8")) as Array<{
  file: string;
  schema: string;
  source: string;
}>;

describe("Ordergroove's documented examples", () => {
  it.each(index.map((e) => [`${e.file} as ${e.schema} (${e.source})`, e]))("%s validates", (_name, entry) => {
    const value = JSON.parse(readFileSync(join(DIR, entry.file), "utf8")) as unknown;
    const validate = compileSchema(entry.schema);
    expect(validate(value), describeSchemaError(validate.errors)).toBe(true);
  });

  it("include the shapes our first reading got wrong", () => {
    const product = JSON.parse(readFileSync(join(DIR, "retrieve-product.json"), "utf8")) as Record<string, unknown>;
    expect(product).toMatchObject({ premier_enabled: 0, product_type: "rotating", last_update: "2017-02-29 12:00:00" });
    // Not a calendar check: Ordergroove's own example date does not exist.
    expect(compileSchema("Timestamp")("2017-02-29 12:00:00")).toBe(true);
    expect(compileSchema("Timestamp")("2017-02-28T12:00:00Z")).toBe(false);
    expect(compileSchema("PriceInput")(100)).toBe(true);
    expect(compileSchema("Price")(100)).toBe(false);
  });
});
