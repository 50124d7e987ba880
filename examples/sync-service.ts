import { OrdergrooveClient, StockSync } from "ordergroove-stock-kit";

const client = new OrdergrooveClient({
  environment: { baseUrl: process.env.OG_BASE_URL ?? "http://127.0.0.1:8787" },
  credentials: {
    kind: "hmac",
    publicId: "og-mock-merchant",
    sigField: "og-mock-api-user",
    hashKey: "og-mock-hash-key",
  },
});
const sync = new StockSync({
  client,
  thresholds: { lowStockAt: 5, restockAt: 20 }, // out at ≤ 5 units, back at ≥ 20: no flapping in between
  onError: (error, items) => console.error(`${items.length} stock updates will be retried: ${error.message}`),
});

// Call from your inventory webhooks; changes are coalesced and sent in batches every second.
export const onStockChanged = (productId: string, stock: number) => sync.record({ productId, stock });
export const shutdown = () => sync.close();
