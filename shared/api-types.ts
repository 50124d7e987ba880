/**
 * The spec's named schemas under their own names, declared once here so the client, its tolerant
 * reader and the fake (mock-server/) all mean the same type by `Product`, and a schema renamed in
 * the spec fails to compile in this one file rather than in three.
 */
import type { components } from "./generated/openapi.js";

type Schemas = components["schemas"];

/** A product as Ordergroove answers it (GET /products/{id}/, a listing's results). */
export type Product = Schemas["Product"];
/** The writable fields every create, update and patch item shares. */
export type ProductFields = Schemas["ProductFields"];
/** One item of PATCH /products-batch/update/. */
export type ProductUpdateItem = Schemas["ProductUpdateItem"];
/** One item of POST /products-batch/create/. */
export type ProductCreateItem = Schemas["ProductCreateItem"];
/** The body of PATCH /products/{id}/. */
export type ProductPatch = Schemas["ProductPatch"];
/** The kinds of group a product can be in (GET /products/{id}/{group_type}/{group_name}). */
export type ProductGroupType = Schemas["ProductGroupType"];
/** One page of GET /products/. */
export type ProductList = Schemas["ProductList"];
/** One item's result in a batch answer. */
export type ItemResult = Schemas["ItemResult"];
