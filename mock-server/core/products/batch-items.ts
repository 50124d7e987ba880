/**
 * Bulk update and bulk create: the batch checked as a whole (a list, not too long), then each
 * item on its own (an object, known fields, valid, no forced fault) and applied to the catalog.
 * One item's refusal never stops the others; the answer lists a result per item, in order.
 *
 * The hot path of the fake: no copy is made of a valid item, and no closure per item.
 */
import { openapiDocument } from "../../../shared/generated/document.js";
import { quickCheck } from "../../../shared/validation/quick-checks.js";
import { batchLimit, describeSchemaError, schemaValidator } from "../../../shared/validation/schemas.js";
import type { ItemResult } from "../../../shared/batch-results.js";
import type { Faults } from "../faults.js";
import type { Trace } from "../journal/entries.js";
import { type CoreResponse, detail, json } from "../messages.js";
import type { AnswerSettings, BehaviourSettings } from "../settings.js";
import { type Catalog, type ProductFields, storedFields } from "./catalog.js";
import { characterCount, firstCharacters, longerThan } from "../../../shared/validation/characters.js";
import { jsonType } from "./json-type.js";
import { resultsText } from "./results-text.js";
import type { UnknownFields } from "./unknown-fields.js";

/**
 * The real service's per-item answer echoes the product_id as sent, and so does the fake, up to
 * the spec's maxLength. Past it the id is invalid anyway, and echoing it whole let 400 batches
 * with a 1 MB id take gigabytes (answers and journal; issue 25): the fake quotes its start only,
 * and says so. An assumption (spec: ProductId).
 */
const ID_ECHO_MAX = (openapiDocument.components.schemas.ProductId as { maxLength: number }).maxLength;

/** Characters, as the spec's maxLength counts them (code points, not UTF-16 units: issue 34). */
function tooLongId(id: string): ItemResult {
  return {
    product_id: `${firstCharacters(id, ID_ECHO_MAX)}…`,
    status: 400,
    detail: `product_id: must NOT have more than ${ID_ECHO_MAX} characters; got ${characterCount(id)} (the product_id above is its first ${ID_ECHO_MAX} and an ellipsis)`,
  };
}

/** The parts of one fake that items are checked and applied against; made once per fake. */
export interface ItemParts {
  readonly catalog: Catalog;
  readonly faults: Faults;
  readonly unknownFields: UnknownFields;
}

type ItemSchema = "ProductUpdateItem" | "ProductCreateItem";

/** Most items a batch takes, per item schema (the spec's maxItems). */
export const MAX_ITEMS: Readonly<Record<ItemSchema, number>> = {
  ProductUpdateItem: batchLimit("ProductUpdateBatch"),
  ProductCreateItem: batchLimit("ProductCreateBatch"),
};
/** Items the compiled quick check can vouch for skip the full validator (same answers, less work). */
const QUICK = {
  ProductUpdateItem: quickCheck("ProductUpdateItem"),
  ProductCreateItem: quickCheck("ProductCreateItem"),
};

/**
 * PATCH /products-batch/update/ (`schema` ProductUpdateItem; `at` is the catalog's timestamp,
 * shared by every item) or POST /products-batch/create/ (ProductCreateItem; `at` "": a create
 * stamps its own time).
 */
export function itemsBatch(
  body: unknown,
  schema: ItemSchema,
  at: string,
  parts: ItemParts,
  behaviour: BehaviourSettings,
  answer: AnswerSettings,
  trace: Trace,
): CoreResponse {
  const refusal = batchRefusal(body, MAX_ITEMS[schema], behaviour);
  if (refusal) return refusal;
  const items = body as unknown[];
  // Sized once, as Array.prototype.map would: no regrowing on the hot path.
  const results = new Array<ItemResult>(items.length);
  for (let i = 0; i < items.length; i++) {
    results[i] = batchItem(items[i], schema, at, parts, behaviour, trace);
  }
  return batchAnswer(results, answer);
}

/**
 * The whole batch refused (not a list, or too many items), or undefined to go on item by item.
 * The proxy asks it too, before forwarding (../proxy/check-request.ts).
 */
export function batchRefusal(body: unknown, max: number, behaviour: BehaviourSettings): CoreResponse | undefined {
  if (!Array.isArray(body)) {
    return detail(
      behaviour.nonListBody,
      `Expected a list of items but got type "${jsonType(body)}". The body must be a JSON list of products.`,
    );
  }
  if (body.length > max && behaviour.tooManyItems !== "process") {
    return detail(
      behaviour.tooManyItems,
      `Ensure this field has no more than ${max} elements: got ${body.length}. Send at most ${max} products per request.`,
    );
  }
  return undefined;
}

/** The item results in the answer form the settings say. */
function batchAnswer(results: ItemResult[], answer: AnswerSettings): CoreResponse {
  const { batchStatus, batchForm } = answer;
  if (batchForm !== "object")
    return json(
      batchStatus,
      results.map((r) => ({ results: [r] })),
    );
  const response = json(batchStatus, { results });
  // Sent (and journaled) as this text: the hot path's answer, see ./results-text.ts.
  response.text = resultsText(results);
  return response;
}

/**
 * One batch item: validated, then a forced fault status, else applied (200) or refused by the
 * catalog. The catalog gets the item as validated, `product_id` included: no copy is made per item.
 */
function batchItem(
  item: unknown,
  schema: ItemSchema,
  at: string,
  parts: ItemParts,
  behaviour: BehaviourSettings,
  trace: Trace,
): ItemResult {
  const pid = (item as { product_id?: unknown } | null)?.product_id;
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    return { product_id: null, status: 400, detail: `each item must be an object; got ${jsonType(item)}` };
  }
  if (typeof pid === "string" && longerThan(pid, ID_ECHO_MAX)) return tooLongId(pid);
  const productId = typeof pid === "string" ? pid : null;
  let known: Record<string, unknown>;
  // Vouched for: every field known (nothing to ignore or refuse) and valid, so the full
  // validator would accept it as it is.
  if (QUICK[schema](item)) known = item as Record<string, unknown>;
  else {
    const kept = parts.unknownFields.knownOnly(item as Record<string, unknown>, schema, behaviour.unknownFields, trace);
    if (typeof kept === "string") return { product_id: productId, status: 400, detail: kept };
    const validate = schemaValidator(schema);
    if (!validate(kept)) return { product_id: productId, status: 400, detail: describeSchemaError(validate.errors) };
    known = kept;
  }
  const valid = known as ProductFields & { product_id: string };
  const id = valid.product_id;
  const forced = parts.faults.itemStatus(id);
  if (forced) return { product_id: id, status: forced, detail: `forced by a fault rule (${forced})` };
  return schema === "ProductUpdateItem"
    ? updateItem(parts.catalog, id, storedFields(valid), at)
    : createItem(parts.catalog, id, storedFields(valid));
}

function updateItem(catalog: Catalog, id: string, fields: ProductFields, at: string): ItemResult {
  return catalog.apply(id, fields, at)
    ? { product_id: id, status: 200 }
    : { product_id: id, status: 404, detail: `no product with product_id ${JSON.stringify(id)} for this merchant` };
}

function createItem(
  catalog: Catalog,
  id: string,
  { product_id: _, ...fields }: ProductFields & { product_id: string },
): ItemResult {
  return catalog.create({ ...fields, external_product_id: id })
    ? { product_id: id, status: 200 }
    : { product_id: id, status: 400, detail: "product_id: a product with this id exists already" };
}
