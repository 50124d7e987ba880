/**
 * The JSON work every answer of a batch update needs, and nothing else: read the body, parse it,
 * one result per item, stringify, one write. The ceiling and the Express-only server both do
 * exactly this, so the fake's figures compare against the same work.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export function answerLikeABatch(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let results: Array<{ product_id: unknown; status: number }> = [];
    try {
      const items = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Array<{ product_id: unknown }>;
      results = items.map((item) => ({ product_id: item.product_id, status: 200 }));
    } catch {
      // same JSON work either way
    }
    const body = JSON.stringify({ results });
    res.writeHead(207, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}
