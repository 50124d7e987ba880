/**
 * Every operation and schema of the spec says where it comes from: the Ordergroove page it
 * follows (`x-og-source`), or `x-og-documented: false` with a one-line `x-og-assumption`.
 */
import { describe, expect, it } from "vitest";
import { specWithProse as openapiDocument } from "../helpers/spec-with-prose.js";

type Node = Record<string, unknown>;

/** The places (operations and schemas) that carry neither a source nor a marked assumption. */
export function unsourced(doc: Node): string[] {
  const missing: string[] = [];
  const marked = (n: Node) =>
    (typeof n["x-og-source"] === "string" && (n["x-og-source"] as string).length > 0) ||
    (n["x-og-documented"] === false &&
      typeof n["x-og-assumption"] === "string" &&
      (n["x-og-assumption"] as string).length > 0);
  for (const [path, item] of Object.entries(doc.paths as Node)) {
    for (const [method, op] of Object.entries(item as Node)) {
      if (!["get", "put", "post", "patch", "delete", "head"].includes(method)) continue;
      if (!marked(op as Node)) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  for (const [name, schema] of Object.entries((doc.components as Node).schemas as Node)) {
    if (!marked(schema as Node)) missing.push(`schema ${name}`);
  }
  return missing;
}

describe("the spec's sources", () => {
  it("name an Ordergroove page, or mark an assumption, on every operation and schema", () => {
    expect(unsourced(openapiDocument as unknown as Node)).toEqual([]);
  });

  it("catch an operation or schema that carries neither", () => {
    const copy = structuredClone(openapiDocument) as unknown as Node;
    const schemas = (copy.components as Node).schemas as Node;
    delete (schemas.Product as Node)["x-og-source"];
    const op = ((copy.paths as Node)["/products-batch/update/"] as Node).patch as Node;
    delete op["x-og-source"];
    op["x-og-documented"] = false; // without a reason
    expect(unsourced(copy)).toEqual(["PATCH /products-batch/update/", "schema Product"]);
  });

  it("list the undocumented behaviours of the batch endpoints as settings-backed assumptions", () => {
    const op = openapiDocument.paths["/products-batch/update/"].patch as unknown as Node;
    expect(Object.keys(op["x-og-assumptions"] as Node)).toEqual(
      expect.arrayContaining(["tooManyItems", "nonListBody", "unknownFields", "contentType"]),
    );
  });
});
