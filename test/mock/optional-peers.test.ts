/**
 * What only one entry point needs is an optional peer, loaded when used. A user who has
 * not installed it gets an error naming the package and its install line, not a bare
 * MODULE_NOT_FOUND; the lean install itself is measured by scripts/consumer-check.mjs.
 */
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPeer, MissingPeerError } from "../../mock-server/node/optional-peer.js";
import { createApp, startMockServer as fromExpress } from "ordergroove-stock-kit/express";
import { startMockServer } from "ordergroove-stock-kit/server";
import { createOrdergrooveMock } from "ordergroove-stock-kit/mock";

describe("optional peers", () => {
  it("a peer not installed where the kit is: the error names it and the install line", async () => {
    // Resolved from a folder with no node_modules, as from a project that never installed express.
    const lean = createRequire(join(await mkdtemp(join(tmpdir(), "og-lean-")), "index.js"));
    const load = () =>
      loadPeer(lean, {
        name: "express",
        neededTo: "create the Express app (createApp)",
        install: "npm install express@5",
      });
    expect(load).toThrow(MissingPeerError);
    expect(load).toThrow(
      /^Failed to create the Express app \(createApp\): express is not installed \(an optional peer dependency of ordergroove-stock-kit.*\)\. Install it beside the kit: npm install express@5$/,
    );
  });

  it("a peer that is installed loads, and createApp() serves with it", async () => {
    const here = createRequire(import.meta.url);
    expect(loadPeer(here, { name: "express", neededTo: "x", install: "y" })).toBeTypeOf("function");
    const app = createApp(createOrdergrooveMock({ throttle: false }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/products-batch/update/`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
      body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
    });
    expect(res.status).toBe(207);
    await new Promise((resolve) => server.close(resolve));
  });

  it("startMockServer comes from /server (the consumer check proves it needs no express), and /express still exports it", async () => {
    expect(fromExpress).toBe(startMockServer);
    const og = await startMockServer({ port: 0 });
    const res = await fetch(`${og.url}/products-batch/update/`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
      body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
    });
    expect(res.status).toBe(207);
    await og.close();
  });
});
