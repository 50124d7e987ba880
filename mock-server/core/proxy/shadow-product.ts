/**
 * The shadow of one product's exchanges (./shadow.ts): GET and PATCH /products/{id}/ and the
 * group check. The fake's catalog first learns what the real answer shows (a 200 shows the product
 * as the service holds it, a 404 that there is none), the request is replayed, and the fake's
 * catalog is left as the service showed it: a write the service did not make is undone, one it
 * made is kept as the service answered it.
 */
import { openapiDocument } from "../../../shared/generated/document.js";
import type { CoreRequest } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { type Catalog, CatalogError, type Product, type ProductSeed, storedFields } from "../products/catalog.js";
import type { Operation } from "../routes.js";
import { compareProducts } from "./shadow-fields.js";
import { type Difference, pointerToken, processed, replayOnFake, statusAndForm } from "./shadow-replay.js";

type ProductOperation = Extract<Operation, "getProduct" | "updateProduct" | "productHasGroup">;

export interface ProductRoute {
  operation: ProductOperation;
  productId: string;
  groupType?: string | undefined;
  groupName?: string | undefined;
}

export function productDifferences(
  mock: OrdergrooveMock,
  req: CoreRequest,
  route: ProductRoute,
  realStatus: number,
  realBody: unknown,
): Difference[] {
  const { catalog } = mock;
  const id = route.productId;
  const before = catalog.get(id);
  if (realStatus === 404) catalog.remove(id);
  else if (realStatus === 200 && route.operation !== "productHasGroup") learnProduct(catalog, id, realBody);
  else if (realStatus === 200) learnGroup(catalog, route, realBody);
  const answer = replayOnFake(mock, req);
  if (route.operation === "updateProduct") {
    // The catalog as the service showed it: its product after a write it made, or the product
    // as it was when it made none (the fake may have applied what the service refused).
    if (realStatus === 200) learnProduct(catalog, id, realBody);
    else if (realStatus !== 404 && processed(answer.status)) restore(catalog, id, before);
  }
  const { differences: out, more } = statusAndForm("the request", req, realStatus, realBody, answer);
  if (!more) return out;
  if (route.operation === "productHasGroup") {
    const real = (realBody as { product_has_group?: unknown }).product_has_group;
    const fake = (answer.body as { product_has_group?: unknown }).product_has_group;
    if (real !== fake) {
      out.push({
        pointer: `/${pointerToken("product_has_group")}`,
        message: `product_has_group is ${JSON.stringify(real)} from the service and ${JSON.stringify(fake)} from the fake`,
        real,
        fake,
      });
    }
    return out;
  }
  return [...out, ...compareProducts(realBody as Record<string, unknown>, answer.body as Record<string, unknown>)];
}

/**
 * The fields of a product the fake's catalog learns from a real answer: the spec's, not the
 * merchant (the service's id) nor what a query adds. A field the spec does not define is not
 * learnt, so that the fake does not echo it back and hide that it would not answer it.
 */
const LEARNT = new Set(
  Object.keys(openapiDocument.components.schemas.Product.properties).filter(
    (key) => key !== "merchant" && key !== "product_free_trial_configurations",
  ),
);

/**
 * The catalog holds the product as the real answer shows it; when the fake cannot hold those
 * fields (a value its schema refuses), it at least holds that the product exists, and the
 * comparison then lists what it answers differently.
 */
function learnProduct(catalog: Catalog, id: string, body: unknown): void {
  // Over what the fake held: a field the answer leaves out is not learnt as gone.
  const { merchant: _merchant, ...held } = catalog.get(id) ?? {};
  const fields: Record<string, unknown> = { ...held };
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) if (LEARNT.has(key)) fields[key] = value;
  }
  try {
    catalog.upsert([storedFields({ ...fields, external_product_id: id } as ProductSeed)]);
    return;
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
  }
  exists(catalog, id);
}

/** A product the service answered for: in the fake's catalog too, where the fake can hold it (not an id past its cap). */
function exists(catalog: Catalog, id: string): void {
  if (catalog.has(id)) return;
  try {
    catalog.create({ external_product_id: id });
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
  }
}

/** The group check's 200 shows the product exists and whether it is in the group: the fake's product learns both. */
function learnGroup(catalog: Catalog, route: ProductRoute, body: unknown): void {
  const has = (body as { product_has_group?: unknown } | null)?.product_has_group;
  exists(catalog, route.productId);
  const product = catalog.get(route.productId);
  if (!product || typeof has !== "boolean" || route.groupType === undefined || route.groupName === undefined) return;
  const groups = product.groups ?? [];
  const inGroup = (g: { name: string; group_type: string }) =>
    g.name === route.groupName && g.group_type === route.groupType;
  if (groups.some(inGroup) === has) return;
  const learnt = has
    ? [
        ...groups,
        { name: route.groupName, group_type: route.groupType as NonNullable<Product["groups"]>[number]["group_type"] },
      ]
    : groups.filter((g) => !inGroup(g));
  // Its last update stays the service's: the fake learnt the group, nobody wrote the product.
  catalog.apply(route.productId, { groups: learnt }, product.last_update);
}

function restore(catalog: Catalog, id: string, before: Product | undefined): void {
  if (before) catalog.upsert([before]);
  else catalog.remove(id);
}
