/**
 * og-mock --upstream over TLS to an upstream it trusts (issue 37, point 9), as a user runs it for a
 * corporate CA: og-mock started with NODE_EXTRA_CA_CERTS naming the CA, proxying to an HTTPS
 * server whose certificate that CA signed. The answer is the upstream's, the upstream is asked by
 * its name (SNI), and requests one after another share one TLS connection.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selfSigned, signedBy } from "../helpers/certs.js";
import { type Started, startOgMock } from "../helpers/spawn.js";

const PRODUCT = JSON.stringify({
  merchant: "og-mock-merchant",
  name: "TLS beans",
  price: "9.99",
  image_url: null,
  detail_url: null,
  external_product_id: "og-tls-beans",
  sku: null,
  live: true,
  discontinued: false,
  autoship_enabled: true,
  premier_enabled: 0,
  created: "2014-05-19 18:13:43",
  last_update: "2014-05-19 18:13:43",
  groups: [],
});

let upstream: Server;
let proxy: Started;
const handshakes: Array<string | false | null> = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "og-proxy-trusted-"));
  // A CA, and a certificate for localhost it signs: what a corporate CA does.
  const ca = selfSigned(dir, "ca", "/CN=og test CA");
  const { key, cert } = signedBy(ca, dir, "upstream", "/CN=localhost", "DNS:localhost");
  upstream = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(PRODUCT);
  });
  upstream.on("secureConnection", (socket: TLSSocket) => handshakes.push(socket.servername));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const port = (upstream.address() as AddressInfo).port;
  proxy = await startOgMock(["--upstream", `https://localhost:${port}`, "--log-level", "silent"], {
    NODE_EXTRA_CA_CERTS: ca.cert,
  });
});
afterAll(async () => {
  await proxy?.stop();
  upstream?.closeAllConnections();
  upstream?.close();
});

describe("TLS to a trusted upstream", () => {
  it("passes the upstream's answer, asks it by name, and keeps one TLS connection for requests one after another", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${proxy.url}/products/og-tls-beans/`, { headers: { "x-api-key": "og-mock-api-key" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-og-mock-source")).toBe("real");
      expect(res.headers.get("x-og-mock-violations")).toBeNull();
      expect(await res.text()).toBe(PRODUCT);
    }
    expect(handshakes).toEqual(["localhost"]);
  });
});
