/**
 * Which merchant an admin call acts on. A merchant is selected with the header
 * `x-og-merchant: <public id>` or the query `?merchant=<public id>`; without either (or with an
 * empty one), the first merchant (the only one, by default).
 */
import { type CoreRequest, type CoreResponse, detail } from "../messages.js";
import type { OrdergrooveMerchants } from "../merchants/merchants.js";
import type { OrdergrooveMock } from "../mock.js";

export const MERCHANT_HEADER = "x-og-merchant";
export const MERCHANT_QUERY = "merchant";

/** The merchant an admin request names (header or query), the first when none; else the refusal. */
export function selectedMerchant(
  merchants: OrdergrooveMerchants,
  req: CoreRequest,
  query: URLSearchParams,
): OrdergrooveMock | CoreResponse {
  // Empty is "not given", not the merchant "": a client that fills the header from an unset
  // variable means no merchant in particular.
  const fromHeader = req.headers[MERCHANT_HEADER] || undefined;
  const fromQuery = query.get(MERCHANT_QUERY) || null;
  if (fromHeader !== undefined && fromQuery !== null && fromHeader !== fromQuery) {
    return detail(
      400,
      `Admin API: the ${MERCHANT_HEADER} header (${JSON.stringify(fromHeader)}) and ?${MERCHANT_QUERY}= (${JSON.stringify(fromQuery)}) name different merchants.`,
    );
  }
  const publicId = fromHeader ?? fromQuery;
  if (publicId === null) return merchants.default;
  const mock = merchants.merchant(publicId);
  if (mock) return mock;
  return detail(
    404,
    `Admin API: no merchant with public id ${JSON.stringify(publicId.slice(0, 200))}. Merchants: ${merchants
      .list()
      .map((m) => m.options.credentials.publicId)
      .join(", ")}.`,
  );
}
