/**
 * The ceiling every server figure is compared with: a raw node:http server doing the same JSON
 * work as the fake (read the body, parse it, build one result per item, stringify), with no
 * auth, no validation and no catalog. Started as its own process, like the fake.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const server = createServer((req, res) => {
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
server.listen(0, "127.0.0.1", () => {
  console.log(`ceiling listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
