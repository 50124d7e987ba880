/**
 * Context for figure 1, not a target: an Express 5 app doing the ceiling's JSON work and nothing
 * else, so the README can say how much of the fake's distance to the ceiling is Express itself.
 */
import type { AddressInfo } from "node:net";
import express from "express";

const app = express();
app.disable("x-powered-by");
app.disable("etag");
app.use((req, res) => {
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
});
const server = app.listen(0, "127.0.0.1", () => {
  console.log(`express floor listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
