/**
 * The ceiling every server figure is compared with: a raw node:http server doing the same JSON
 * work as the fake (./json-work.ts), with no auth, no validation and no catalog. Started as its
 * own process, like the fake.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answerLikeABatch } from "./json-work.js";

const server = createServer(answerLikeABatch);
server.listen(0, "127.0.0.1", () => {
  console.log(`ceiling listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
