import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OUTPUTS, render, SPEC_PATH, staleFiles, withoutProse } from "../../scripts/generate.js";

describe("generated types", () => {
  it("are up to date with the spec (run `npm run generate` if this fails)", async () => {
    expect(await staleFiles()).toEqual([]);
  });

  it("are reported stale when the spec changes without regeneration", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-spec-"));
    const spec = await readFile(SPEC_PATH, "utf8");
    const changed = spec.replace("maxItems: 100", "maxItems: 50");
    expect(changed).not.toBe(spec);
    const specCopy = join(dir, "spec.yaml");
    await writeFile(specCopy, changed);
    const stale = await staleFiles(specCopy, OUTPUTS);
    expect(stale).toEqual([OUTPUTS.document]); // maxItems lives in the document; no hot-path validator uses it
    // A change to a described type shows in the types too.
    await writeFile(
      specCopy,
      spec.replace(
        "enum: [standard, bundle, club, dynamic price bundle",
        "enum: [standard, club, dynamic price bundle",
      ),
    );
    expect(await staleFiles(specCopy, OUTPUTS)).toEqual([OUTPUTS.types, OUTPUTS.document, OUTPUTS.validators]);
  });

  it("type the batch item from the spec", async () => {
    const { types } = await render(await readFile(SPEC_PATH, "utf8"));
    expect(types).toContain('ProductUpdateItem: components["schemas"]["ProductFields"] & {');
    expect(types).toContain("status: 200 | 400 | 404;");
  });
});

describe("the document og-mock loads", () => {
  it("leaves out words for people but keeps every keyword, and names that look like them", () => {
    const schema = {
      description: "A product.",
      "x-og-source": "API reference",
      "x-internal": true,
      type: "object",
      required: ["description"],
      properties: {
        description: { type: "string", description: "Its description field.", example: "Beans" },
        summary: { $ref: "#/components/schemas/Summary", examples: ["x"] },
      },
      allOf: [{ summary: "gone", minProperties: 1 }],
    };
    expect(withoutProse(schema)).toEqual({
      "x-internal": true,
      type: "object",
      required: ["description"],
      properties: { description: { type: "string" }, summary: { $ref: "#/components/schemas/Summary" } },
      allOf: [{ minProperties: 1 }],
    });
  });

  it("copies data as it is: enum, const and default values, extensions, mappings, security", () => {
    const data = { description: "kept: it is data", example: 1, "x-og-source": "kept too" };
    const schema = {
      enum: [data],
      const: data,
      default: data,
      "x-payload": data,
      discriminator: { propertyName: "kind", mapping: { description: "#/components/schemas/A" } },
      security: [{ description: [] }],
      dependentRequired: { summary: ["example"] },
    };
    expect(withoutProse(schema)).toEqual(schema);
  });
});
