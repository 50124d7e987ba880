/**
 * `og-stock reconcile`: compares Ordergroove's whole catalog with a stock file and heals the
 * drift. The desired `live` flag of each product comes from its stock with the same hysteresis
 * as `sync` (src/sync/thresholds.ts): a product between the cut-off and the restock level is
 * left as Ordergroove has it. Only products whose flag differs are sent.
 */
import type { OrdergrooveClient, Product } from "../client/client.js";
import type { BatchReport, ItemOutcome } from "../client/report.js";
import { desiredLive, type Thresholds } from "../sync/thresholds.js";
import type { StockRow } from "./stock-file.js";

/**
 * A product whose `live` flag at Ordergroove is not what its stock implies. (Not the client's
 * AnswerDrift, an answer differing from the spec; og-stock's output still calls these "drift".)
 */
export interface CatalogMismatch {
  productId: string;
  stock: number;
  /** What Ordergroove has. */
  live: boolean;
  /** What the stock implies. */
  desired: boolean;
}

export interface ReconcilePlan {
  /** Products read from Ordergroove. */
  read: number;
  pages: number;
  /** Named as og-stock prints it: the "Drift:" line and the `drift` key of --json. */
  drift: CatalogMismatch[];
  inSync: number;
  /** Stock between the cut-off and the restock level: left as Ordergroove has it. */
  betweenThresholds: number;
  /** At Ordergroove, not in the stock file. */
  onlyAtOrdergroove: string[];
  /** In the stock file, not at Ordergroove. */
  onlyInStockFile: string[];
}

/** The whole catalog, including products Ordergroove hides from a default listing. */
export const WHOLE_CATALOG = { autoship_enabled: "all", allow_discontinued: "true" } as const;

export async function planReconcile(
  client: Pick<OrdergrooveClient, "listProducts">,
  rows: readonly StockRow[],
  defaults: Thresholds,
  onPage?: (page: number, read: number) => void,
): Promise<ReconcilePlan> {
  const stock = new Map<string, StockRow>();
  for (const row of rows) stock.set(row.productId, row); // a repeated row: the last one counts
  const seen = new Set<string>();
  const plan: ReconcilePlan = {
    read: 0,
    pages: 0,
    drift: [],
    inSync: 0,
    betweenThresholds: 0,
    onlyAtOrdergroove: [],
    onlyInStockFile: [],
  };
  const products = client.listProducts(WHOLE_CATALOG, {
    onPage: (page, n) => {
      plan.pages = page;
      onPage?.(page, plan.read + n);
    },
  });
  for await (const product of products as AsyncIterable<Product>) {
    const id = product.external_product_id;
    if (seen.has(id)) continue; // a listing that repeats a product must not heal it twice
    seen.add(id);
    plan.read++;
    const row = stock.get(id);
    if (!row) {
      plan.onlyAtOrdergroove.push(id);
      continue;
    }
    const desired = desiredLive(row.stock, { ...defaults, ...row.thresholds });
    if (desired === undefined) plan.betweenThresholds++;
    else if (desired === product.live) plan.inSync++;
    else plan.drift.push({ productId: id, stock: row.stock, live: product.live, desired });
  }
  for (const id of stock.keys()) if (!seen.has(id)) plan.onlyInStockFile.push(id);
  return plan;
}

const SHOWN = 50;

/** The plan and what became of it, for people. */
export function describeReconcile(
  plan: ReconcilePlan,
  file: string,
  outcome: { dryRun: true } | { dryRun: false; report: BatchReport | undefined },
): string {
  const lines: string[] = [];
  lines.push(
    `Read ${plan.read} products from Ordergroove (${plan.pages} ${plan.pages === 1 ? "page" : "pages"}); ${plan.inSync} in sync, ${plan.betweenThresholds} between thresholds (left as they are).`,
  );
  if (plan.drift.length === 0) lines.push("No drift: every product's live flag matches its stock.");
  else {
    lines.push(`Drift: ${plan.drift.length} ${plan.drift.length === 1 ? "product" : "products"}.`);
    const w = Math.max(...plan.drift.map((d) => d.productId.length));
    const results = outcome.dryRun ? undefined : byId(outcome.report?.items ?? []);
    for (const d of plan.drift.slice(0, SHOWN)) {
      const result = results?.get(d.productId);
      const fate = outcome.dryRun
        ? "would heal"
        : result?.outcome === "updated"
          ? "healed"
          : `NOT healed (${result?.outcome ?? "not sent"}${result?.reason ? `: ${result.reason}` : ""})`;
      const flip = `live ${d.live} → ${d.desired}`.padEnd(19);
      lines.push(`  ${d.productId.padEnd(w)}  stock ${String(d.stock).padStart(5)}  ${flip}  ${fate}`);
    }
    if (plan.drift.length > SHOWN) lines.push(`  … and ${plan.drift.length - SHOWN} more (use --json for all)`);
  }
  const side = (title: string, ids: string[]) => {
    if (ids.length === 0) return;
    lines.push(`${title} (${ids.length}): ${ids.slice(0, SHOWN).join(", ")}${ids.length > SHOWN ? ", …" : ""}`);
  };
  side(`At Ordergroove, not in ${file}`, plan.onlyAtOrdergroove);
  side(`In ${file}, not at Ordergroove`, plan.onlyInStockFile);
  if (outcome.dryRun) {
    if (plan.drift.length) lines.push(`Dry run: nothing sent; ${plan.drift.length} would be healed.`);
  } else if (outcome.report) {
    const r = outcome.report;
    const problems = r.notFound.length + r.invalid.length + r.failed.length;
    lines.push(
      `Healed ${r.updated.length} of ${plan.drift.length} in ${r.requests} ${r.requests === 1 ? "request" : "requests"}${problems ? `; ${problems} not healed` : ""}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function reconcileJson(plan: ReconcilePlan, dryRun: boolean, report: BatchReport | undefined): string {
  const results = byId(report?.items ?? []);
  return `${JSON.stringify(
    {
      dryRun,
      read: plan.read,
      pages: plan.pages,
      inSync: plan.inSync,
      betweenThresholds: plan.betweenThresholds,
      drift: plan.drift.map((d) => {
        const r = results.get(d.productId);
        return {
          product_id: d.productId,
          stock: d.stock,
          live: d.live,
          desired: d.desired,
          ...(dryRun ? {} : { outcome: r?.outcome ?? "not sent", ...(r?.reason ? { reason: r.reason } : {}) }),
        };
      }),
      healed: report?.updated.length ?? 0,
      onlyAtOrdergroove: plan.onlyAtOrdergroove,
      onlyInStockFile: plan.onlyInStockFile,
    },
    null,
    2,
  )}\n`;
}

function byId(items: readonly ItemOutcome[]): Map<string, ItemOutcome> {
  return new Map(items.filter((i) => i.productId !== null).map((i) => [i.productId!, i]));
}
