/**
 * Figure 11's floor: the least a node:http proxy can do. It reads the body, sends it on to the
 * upstream given as its argument over kept-alive connections, reads the whole answer and passes
 * status and body back. No checks, no journal, no timeouts: what any proxy written on node:http
 * pays for the second HTTP exchange alone, measured beside og-mock so the figure can say how much
 * of og-mock's cost is its own.
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

const upstream = new URL(process.argv[2] ?? "");
const agent = new Agent({ keepAlive: true });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const forwarded = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        const body: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => body.push(chunk));
        answer.on("end", () => {
          const bytes = Buffer.concat(body);
          res.writeHead(answer.statusCode ?? 502, {
            "content-type": answer.headers["content-type"] ?? "application/json",
            "content-length": bytes.length,
          });
          res.end(bytes);
        });
      },
    );
    forwarded.on("error", () => {
      res.writeHead(502, { "content-length": 0 });
      res.end();
    });
    forwarded.end(Buffer.concat(chunks));
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`bare proxy listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
