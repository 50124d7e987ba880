/**
 * Which way a product's `live` flag should go for a stock level, with hysteresis:
 *
 *   stock ≤ offAt            → live: false   (offAt = lowStockAt, or outOfStockAt when no low mark)
 *   stock ≥ restockAt        → live: true
 *   offAt < stock < restockAt → no change    (the band that keeps a product hovering at the
 *                                              threshold from flapping on and off)
 */
export interface Thresholds {
  /** Stock at or below which the product is out (default 0). */
  outOfStockAt?: number;
  /** Optional earlier cut-off: take the product out while a few units remain. */
  lowStockAt?: number;
  /** Stock at or above which the product goes back live. Must be above the cut-off. */
  restockAt: number;
}

export class ThresholdError extends Error {
  override name = "ThresholdError";
}

/** Checks thresholds and returns the cut-off and the restock level. */
export function bounds(t: Thresholds, where = "thresholds"): { offAt: number; onAt: number } {
  const numbers: Array<[string, unknown]> = [
    ["outOfStockAt", t?.outOfStockAt ?? 0],
    ["restockAt", t?.restockAt],
  ];
  if (t?.lowStockAt !== undefined) numbers.push(["lowStockAt", t.lowStockAt]);
  for (const [name, value] of numbers) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new ThresholdError(`Invalid ${where}: ${name} must be a number; got ${JSON.stringify(value)}.`);
    }
  }
  const outAt = t.outOfStockAt ?? 0;
  if (t.lowStockAt !== undefined && t.lowStockAt < outAt) {
    throw new ThresholdError(
      `Invalid ${where}: lowStockAt (${t.lowStockAt}) must not be below outOfStockAt (${outAt}).`,
    );
  }
  const offAt = t.lowStockAt ?? outAt;
  if (!(t.restockAt > offAt)) {
    throw new ThresholdError(
      `Invalid ${where}: restockAt (${t.restockAt}) must be above the cut-off (${offAt}), or products would flap.`,
    );
  }
  return { offAt, onAt: t.restockAt };
}

/** Throws unless `stock` is a number (NaN is not); `of` names the product in the message. */
export function checkStock(stock: unknown, of?: string): void {
  if (typeof stock === "number" && !Number.isNaN(stock)) return;
  const got = typeof stock === "number" ? "NaN" : JSON.stringify(stock);
  throw new ThresholdError(`Invalid stock level${of ? ` of ${of}` : ""}: expected a number, got ${got}.`);
}

/** true/false: set live so; undefined: inside the hysteresis band, leave it as it is. */
export function desiredLive(stock: number, thresholds: Thresholds): boolean | undefined {
  checkStock(stock);
  const { offAt, onAt } = bounds(thresholds);
  if (stock <= offAt) return false;
  if (stock >= onAt) return true;
  return undefined;
}
