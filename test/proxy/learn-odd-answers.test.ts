/**
 * --learn reads whatever the upstream answers, spec or not (issue 37, points 2 and 8): an answer
 * it cannot learn from teaches nothing, and still reaches the client as it came, marked real.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { Learner } from "../../mock-server/core/proxy/learn.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";

/** A batch answer that breaks the spec: a null where an item's result should be, before the item's own. */
const ODD_ANSWER = JSON.stringify({ results: [null, { product_id: "og-1", status: 200 }] });

let upstream: Server;
let proxy: RunningMockServer;
let learner: Learner;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(ODD_ANSWER));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  learner = new Learner(origin, "ordergroove-stock-kit@test", new ManualClock(Date.parse("2026-12-07T10:00:00Z")));
  proxy = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    proxy: { target: { origin, production: false }, learner },
  });
});
afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe("8. --learn, given an answer that breaks the spec", () => {
  it("passes the real answer as it came (a null result before an item with an unknown field)", async () => {
    const res = await fetch(`${proxy.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { "x-api-key": "merchant-api-key", "content-type": "application/json" },
      body: JSON.stringify([{ product_id: "og-1", live: false, colour: "red" }]),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-og-mock-source")).toBe("real");
    expect(await res.text()).toBe(ODD_ANSWER);
    // The item's own result was found and said the field was ignored.
    expect(learner.profile().observations["behaviour.unknownFields"]).toBe("ignore");
  });
});
