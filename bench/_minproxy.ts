import { createServer, request, Agent } from "node:http";
import type { AddressInfo } from "node:net";
const up = new URL(process.argv[2]!);
const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const out = request(
      {
        hostname: up.hostname,
        port: up.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: up.host },
        agent,
      },
      (ans) => {
        const got: Buffer[] = [];
        ans.on("data", (c) => got.push(c));
        ans.on("end", () => {
          const b = Buffer.concat(got);
          res.writeHead(ans.statusCode!, { "content-type": "application/json", "content-length": b.length });
          res.end(b);
        });
      },
    );
    out.end(Buffer.concat(chunks));
  });
});
server.listen(0, "127.0.0.1", () =>
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`),
);
process.on("SIGTERM", () => process.exit(0));
