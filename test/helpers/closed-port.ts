/** A loopback address nothing listens on: a port the system gave and took back (connection refused). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `http://127.0.0.1:<closed port>`. */
export async function closedUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}
