/**
 * og-mock's --catalog file: a JSON list of products, or `{"products": [...]}`, read as the
 * user's input (a file that cannot be used is bad usage, exit 64). Fields the spec's Product
 * schema does not know are kept, and named on stderr.
 */
import { UsageError } from "../../shared/flags/flags.js";
import { openapiDocument } from "../../shared/generated/document.js";
import { parseUserJson, readUserFile } from "../../shared/validation/user-file.js";
import type { ProductSeed } from "../core/products/catalog.js";

export function readCatalog(file: string): ProductSeed[] {
  const fail = (message: string) => new UsageError(message);
  const value = parseUserJson(readUserFile(file, "catalog file", fail), file, "catalog file", fail);
  const list = Array.isArray(value) ? value : (value as { products?: unknown } | null)?.products;
  if (!Array.isArray(list))
    throw new UsageError(
      `Failed to read the catalog file ${file}: expected a JSON list of products or {"products": [...]}, as docs/og-mock.md shows.`,
    );
  warnUnknownFields(file, list);
  return list as ProductSeed[];
}

/**
 * Fields that are not in the spec's Product schema are kept (the real service may carry more),
 * but a typo such as "lve" should not go unnoticed: name them on stderr.
 */
function warnUnknownFields(file: string, list: unknown[]): void {
  const known = new Set([...Object.keys(openapiDocument.components.schemas.Product.properties), "product_id"]);
  const unknown = new Map<string, number>();
  for (const product of list) {
    if (product === null || typeof product !== "object") continue;
    for (const key of Object.keys(product)) if (!known.has(key)) unknown.set(key, (unknown.get(key) ?? 0) + 1);
  }
  if (unknown.size === 0) return;
  const names = [...unknown].map(([k, n]) => `${JSON.stringify(k)} (${n} product${n === 1 ? "" : "s"})`).join(", ");
  console.error(
    `og-mock: warning: the catalog file ${file} has field(s) not in Ordergroove's Product schema: ${names}. They are kept and answered as given; check for typos.`,
  );
}
