/** One product by its id: GET and PATCH /products/{external_product_id}/. */
import { describeSchemaError, schemaValidator } from "../../../shared/validation/schemas.js";
import type { Trace } from "../journal/entries.js";
import { type CoreResponse, detail, json } from "../messages.js";
import type { BehaviourSettings } from "../settings.js";
import type { ItemParts } from "./batch-items.js";
import { type Catalog, type ProductFields, storedFields } from "./catalog.js";
import { firstCharacters } from "../../../shared/validation/characters.js";
import { jsonType } from "./json-type.js";

export function getProduct(catalog: Catalog, id: string, path: string): CoreResponse {
  const product = catalog.get(id);
  if (!product) return notFoundProduct(id);
  const query = new URLSearchParams(path.split("?")[1] ?? "");
  if (query.get("include_product_free_trials") === "true") {
    return json(200, { ...product, product_free_trial_configurations: [] });
  }
  return json(200, product);
}

/** The single-product PATCH: its 400 body is keyed by field, as Ordergroove documents. */
export function patchProduct(
  id: string,
  body: unknown,
  parts: ItemParts,
  behaviour: BehaviourSettings,
  trace: Trace,
): CoreResponse {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return json(400, {
      non_field_errors: `Invalid data. Expected a dictionary of product fields, but got ${jsonType(body)}.`,
    });
  }
  const known = parts.unknownFields.knownOnly(
    body as Record<string, unknown>,
    "ProductPatch",
    behaviour.unknownFields,
    trace,
  );
  if (typeof known === "string") return json(400, fieldError(known));
  const validate = schemaValidator("ProductPatch");
  if (!validate(known)) return json(400, fieldError(describeSchemaError(validate.errors)));
  const forced = parts.faults.itemStatus(id);
  if (forced === 404) return notFoundProduct(id);
  if (forced === 400) return json(400, { non_field_errors: "forced by a fault rule (400)" });
  // `type` (the current page's name) is read as product_type: an assumption, marked in the spec.
  const { type, ...fields } = known as ProductFields & { type?: ProductFields["product_type"] };
  if (type !== undefined && fields.product_type === undefined) fields.product_type = type;
  const updated = parts.catalog.update(id, storedFields(fields));
  return updated ? json(200, updated) : notFoundProduct(id);
}

/** `{"price": "must be number"}` from `price: must be number`: Ordergroove's field-keyed 400. */
function fieldError(sentence: string): Record<string, string> {
  const at = sentence.indexOf(": ");
  const field = at > 0 ? sentence.slice(0, at).split(".")[0]! : "non_field_errors";
  return { [field]: at > 0 ? sentence.slice(at + 2) : sentence };
}

function notFoundProduct(id: string): CoreResponse {
  return detail(404, `Not found: no product with external_product_id ${JSON.stringify(firstCharacters(id, 255))}.`);
}
