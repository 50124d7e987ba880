/**
 * More of "no request can kill the fake" (see no-crash-suite.ts), plus HEAD and a mounted createApp(): malformed paths answer a precise 4xx, and an exception nobody
 * expected answers a JSON 500 {detail}, is logged without secrets, and the fake keeps serving.
 * On og-mock's node:http host (startMockServer), a mounted createApp() and the MSW handlers.
 */
import express from "express";
import { http as mswHttp, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";
import { unexpectedError } from "../../mock-server/core/answer-safely.js";
import { createApp } from "../../mock-server/express/app.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { ordergrooveHandlers } from "../../mock-server/msw/handlers.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { capturedLog } from "../helpers/log-lines.js";
import { CREDS } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

const INTERNAL_ERROR_DETAIL = (unexpectedError().body as { detail: string }).detail;
const { lines, logger } = capturedLog("info");
let fake: RunningMockServer;
beforeAll(async () => {
  fake = await startMockServer({ port: 0, throttle: false, logger });
});
afterEach(() => {
  fake.mock.reset();
  lines.length = 0;
});
afterAll(() => fake.close());

const signed = () => signedHeaders(CREDS, unixSeconds(Date.now()));
const healthy = async () => (await rawRequest(fake.url, "GET", "/__admin/health", {})).status;

/** Makes one of the core's own methods throw, as a bug would; returns the undo. */
function breakMethod<T extends object>(target: T, name: keyof T, error = new Error("boom: a bug in the fake")) {
  const original = target[name];
  (target as Record<keyof T, unknown>)[name] = () => {
    throw error;
  };
  return () => {
    (target as Record<keyof T, unknown>)[name] = original;
  };
}

describe("og-mock's node:http host", () => {
  it.each(["/__admin/products/%", "/__admin/products/%E0%A4%A", "/__admin/products/%zz", "/__admin/products/a%"])(
    "answers GET %s with a JSON 400 and keeps serving",
    async (path) => {
      const answer = await rawRequest(fake.url, "GET", path, {});
      expect(answer.status).toBe(400);
      expect((answer.body as { detail: string }).detail).toMatch(/not valid percent-encoding/);
      expect(await healthy()).toBe(200);
    },
  );

  it.each([
    "/__admin/journal?since=%",
    "/__admin/journal?since=1e9",
    "/__admin/products?limit=%ff%fe&offset=-1",
    "/__admin/products?live=%00",
    "/__admin/products?offset=99999999999999999999",
    "/products/%/?x=%",
    "/%",
    "/products-batch/update/?%%%",
  ])("answers GET %s below 500 with a JSON detail", async (path) => {
    const answer = await rawRequest(fake.url, "GET", path, signed());
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).toHaveProperty("detail");
    expect(await healthy()).toBe(200);
  });

  it("answers an unexpected exception in a product route with a JSON 500, logs it, and keeps serving", async () => {
    const undo = breakMethod(fake.mock.catalog, "get");
    try {
      const headers = { ...signed(), "x-api-key": "og-mock-api-key" };
      const answer = await rawRequest(fake.url, "GET", "/products/og-coffee-beans-1kg/", headers);
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ detail: INTERNAL_ERROR_DETAIL });
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 50);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ method: "GET", path: "/products/og-coffee-beans-1kg/" });
      expect(JSON.stringify(logged[0])).toContain("boom: a bug in the fake");
      // No secret in the log: neither the signature nor the API key nor the hash key.
      const log = lines.join("");
      expect(log).not.toContain(JSON.parse(headers.authorization).sig);
      expect(log).not.toContain("og-mock-api-key");
      expect(log).not.toContain(CREDS.hashKey);
    } finally {
      undo();
    }
    const again = await rawRequest(fake.url, "GET", "/products/og-coffee-beans-1kg/", signed());
    expect(again.status).toBe(200);
  });

  it("answers an unexpected exception in an admin route (inside the body reader) with a JSON 500", async () => {
    const undo = breakMethod(fake.mock.catalog, "upsert");
    try {
      const answer = await rawRequest(
        fake.url,
        "POST",
        "/__admin/products",
        { "content-type": "application/json" },
        JSON.stringify([{ product_id: "x", name: "X", price: "1.00" }]),
      );
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ detail: INTERNAL_ERROR_DETAIL });
    } finally {
      undo();
    }
    expect(await healthy()).toBe(200);
  });

  it("survives an exception thrown by the journal after the answer was composed", async () => {
    // recordOwn: the method every exchange is journaled by (record() copies, then calls it).
    const undo = breakMethod(fake.mock.journal, "recordOwn");
    try {
      const answer = await rawRequest(
        fake.url,
        "PATCH",
        "/products-batch/update/",
        { ...signed(), "content-type": "application/json" },
        JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
      );
      expect(answer.status).toBe(500);
    } finally {
      undo();
    }
    expect(await healthy()).toBe(200);
  });
});

describe("the MSW host", () => {
  const mock = createOrdergrooveMock({ throttle: false });
  const errors: string[] = [];
  const server = setupServer(
    ...ordergrooveHandlers(mock, {
      baseUrls: ["http://og.test"],
      onUnsupportedRequest: "404",
      report: (message) => errors.push(message),
    }),
    mswHttp.get("http://other.test/ok", () => HttpResponse.json({ ok: true })),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    mock.reset();
    errors.length = 0;
  });
  afterAll(() => server.close());

  it("answers an unexpected exception with a JSON 500, reports it, and keeps answering", async () => {
    const undo = breakMethod(mock.catalog, "get");
    try {
      const res = await fetch("http://og.test/products/og-coffee-beans-1kg/", { headers: signed() });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ detail: INTERNAL_ERROR_DETAIL });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("GET /products/og-coffee-beans-1kg/");
      expect(errors[0]).toContain("boom: a bug in the fake");
    } finally {
      undo();
    }
    const res = await fetch("http://og.test/products/og-coffee-beans-1kg/", { headers: signed() });
    expect(res.status).toBe(200);
  });

  it.each(["/products/%/", "/products/%E0%A4%A/", "/%", "/products-batch/update/?%%"])(
    "answers %s below 500",
    async (path) => {
      const res = await fetch(`http://og.test${path}`, { headers: signed() });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await res.json()).toHaveProperty("detail");
    },
  );
});

describe("createApp() mounted under a prefix", () => {
  it("serves the products and admin routes below the mount point", async () => {
    const mock = createOrdergrooveMock({ throttle: false });
    const app = express();
    app.use("/og", createApp(mock));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}/og`;
    try {
      const product = await fetch(`${base}/products/og-coffee-beans-1kg/`, { headers: signed() });
      expect(product.status).toBe(200);
      expect(await product.json()).toMatchObject({ external_product_id: "og-coffee-beans-1kg" });
      const batch = await fetch(`${base}/products-batch/update/`, {
        method: "PATCH",
        headers: { ...signed(), "content-type": "application/json" },
        body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
      });
      expect(batch.status).toBe(207);
      expect(mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
      expect(mock.journal.entries(0).map((e) => e.path)).toContain("/products-batch/update/");
      expect((await fetch(`${base}/__admin/health`)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe("HEAD on GET routes", () => {
  it("answers as GET without a body on og-mock's node:http host", async () => {
    const head = await rawRequest(fake.url, "HEAD", "/products/og-coffee-beans-1kg/", signed());
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers["content-type"]).toBe("application/json");
    const unknown = await rawRequest(fake.url, "HEAD", "/products/ghost/", signed());
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe("");
    const admin = await rawRequest(fake.url, "HEAD", "/__admin/health", {});
    expect(admin.status).toBe(200);
    expect(admin.text).toBe("");
  });

  it("answers as GET without a body on the MSW host", async () => {
    const mock = createOrdergrooveMock();
    const server = setupServer(...ordergrooveHandlers(mock, { baseUrls: ["http://og-head.test"] }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const res = await fetch("http://og-head.test/products/og-coffee-beans-1kg/", {
        method: "HEAD",
        headers: signed(),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("");
    } finally {
      server.close();
    }
  });
});
