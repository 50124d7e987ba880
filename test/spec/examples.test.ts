import { describe, expect, it } from "vitest";
import { specWithProse as openapiDocument } from "../helpers/spec-with-prose.js";
import { compileSchema } from "../../shared/validation/runtime-schemas.js";
import { describeSchemaError } from "../../shared/validation/schemas.js";

type Node = Record<string, unknown>;

/** Every example in the spec, with the schema it must satisfy, found by walking the document. */
function collectExamples(): Array<{ where: string; schemaPointer: string; value: unknown }> {
  const out: Array<{ where: string; schemaPointer: string; value: unknown }> = [];
  const resolve = (ref: string): Node => {
    let node: unknown = openapiDocument;
    for (const part of ref.replace(/^#\//, "").split("/")) node = (node as Node)[part];
    return node as Node;
  };
  const pointerOf = (schema: Node, fallback: string): string =>
    typeof schema.$ref === "string" ? schema.$ref : fallback;
  const walk = (node: unknown, path: string[]): void => {
    if (node === null || typeof node !== "object") return;
    const n = node as Node;
    // A media type object or a parameter: schema plus example/examples.
    if (n.schema && typeof n.schema === "object" && (n.example !== undefined || n.examples !== undefined)) {
      const pointer = pointerOf(n.schema as Node, `#/${[...path, "schema"].join("/")}`);
      if (n.example !== undefined) out.push({ where: path.join("/"), schemaPointer: pointer, value: n.example });
      for (const [name, ex] of Object.entries((n.examples as Node) ?? {})) {
        const example = (ex as Node).$ref ? resolve((ex as Node).$ref as string) : (ex as Node);
        out.push({ where: `${path.join("/")}/examples/${name}`, schemaPointer: pointer, value: example.value });
      }
    }
    for (const [key, child] of Object.entries(n)) {
      if (key === "example" || key === "examples") continue;
      walk(child, [...path, key.replace(/~/g, "~0").replace(/\//g, "~1")]);
    }
  };
  walk(openapiDocument.paths, ["paths"]);
  // Schema-level examples.
  for (const [name, schema] of Object.entries(openapiDocument.components.schemas)) {
    const example = (schema as Node).example;
    if (example !== undefined) {
      out.push({ where: `components/schemas/${name}`, schemaPointer: `#/components/schemas/${name}`, value: example });
    }
  }
  return out;
}

describe("the spec's own examples", () => {
  const examples = collectExamples();

  it("are many, covering every operation", () => {
    const operations = ["updateProductsBatch", "createProductsBatch", "getProduct", "updateProduct"];
    for (const op of operations) {
      const where = Object.entries(openapiDocument.paths).find(([, item]) =>
        Object.values(item as Node).some((o) => (o as Node)?.operationId === op),
      );
      expect(where, op).toBeDefined();
      expect(examples.some((e) => e.where.startsWith(`paths/${where![0].replace(/\//g, "~1")}`))).toBe(true);
    }
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples.map((e) => [e.where, e]))("%s validates against its schema", (_where, example) => {
    const validate = compileSchema(example.schemaPointer);
    const ok = validate(example.value);
    expect(ok, ok ? "" : describeSchemaError(validate.errors)).toBe(true);
  });

  it("would catch an example that breaks its schema", () => {
    const validate = compileSchema("ProductUpdateBatch");
    expect(validate([{ product_id: "x", live: "no" }])).toBe(false);
    expect(describeSchemaError(validate.errors)).toBe("[0].live: must be boolean");
  });
});

describe("the spec answers the questions a merchant asks", () => {
  const text = JSON.stringify(openapiDocument);

  it("says how to sign a request, with a worked example", () => {
    expect(openapiDocument.info.description).toContain("HMAC-SHA256");
    expect(openapiDocument.info.description).toContain("og-mock-api-user|1700000000");
    expect(openapiDocument.info.description).toContain("wtb5lPfUViJ+ACxfO6ckE2UmGR1pqN4PpFdMFuaFu+0=");
    expect(Object.keys(openapiDocument.components.securitySchemes)).toEqual([
      "ogHmac",
      "ogStorefront",
      "ogApiUser",
      "ogApiKey",
    ]);
  });

  it("states the limits: 100 items, 600 requests/minute, Retry-After", () => {
    expect(openapiDocument.components.schemas.ProductUpdateBatch.maxItems).toBe(100);
    expect(text).toContain("600 requests per minute per merchant");
    expect(openapiDocument.components.responses.Throttled.headers["Retry-After"]).toBeDefined();
  });

  it("documents both response forms and both processed statuses", () => {
    const responses = openapiDocument.paths["/products-batch/update/"].patch.responses;
    expect(Object.keys(responses)).toEqual(
      expect.arrayContaining(["200", "207", "400", "401", "403", "413", "415", "429", "500", "503", "default"]),
    );
    expect(openapiDocument.components.schemas.BatchResponse.oneOf).toHaveLength(2);
  });

  it("names production, the sandbox and the local fake as servers", () => {
    expect(openapiDocument.servers.map((s) => s.url)).toEqual([
      "https://restapi.ordergroove.com",
      "https://staging.restapi.ordergroove.com",
      "http://127.0.0.1:{port}",
    ]);
  });
});
