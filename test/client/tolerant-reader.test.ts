/**
 * The client reads answers as a tolerant reader: doc-shaped answers (integer premier_enabled,
 * group objects, space-separated dates, `rotating`, 200 or 207, either form) read cleanly, and
 * oddly typed fields it does not use are reported once as drift, never thrown.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type AnswerDrift, OrdergrooveClient } from "../../src/client/client.js";
import {
  DOC_CREDENTIALS,
  type DocShapedOptions,
  type DocShapedServer,
  startDocShapedServer,
} from "../helpers/doc-shaped-server.js";

let server: DocShapedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientAgainst(options: DocShapedOptions = {}) {
  server = await startDocShapedServer(options);
  const drift: AnswerDrift[] = [];
  const warnings: string[] = [];
  const client = new OrdergrooveClient({
    environment: { baseUrl: server.url },
    credentials: { kind: "api-key", apiKey: DOC_CREDENTIALS.apiKey },
    rateLimit: false,
    retry: { maxAttempts: 1 },
    onDrift: (d) => drift.push(d),
    logger: { warn: (m) => warnings.push(m) },
  });
  return { client, drift, warnings };
}

describe("the client reading doc-shaped answers", () => {
  it.each([
    [200, "object"],
    [207, "object"],
    [200, "list"],
    [207, "list"],
  ] as const)(
    "reads a product and a %i %s-form batch answer exactly as the docs print them, without drift",
    async (status, form) => {
      const { client, drift } = await clientAgainst({ batchStatus: status, form });
      const product = await client.getProduct("doc-1");
      expect(product).toMatchObject({
        premier_enabled: 0,
        groups: [{ name: "subscription", group_type: "eligibility" }],
        created: "2018-07-24 10:06:10",
        product_type: "rotating",
        every: 0,
      });
      const report = await client.updateProducts([
        { product_id: "doc-1", live: false, price: 100 },
        { product_id: "missing", live: false },
      ]);
      expect(report.items.map((i) => [i.productId, i.outcome])).toEqual([
        ["doc-1", "updated"],
        ["missing", "not_found"],
      ]);
      expect((await client.getProduct("doc-1"))?.price).toBe("100.00");
      expect(drift).toEqual([]);
    },
  );
});

describe("the client reading oddly typed answers", () => {
  it("does not throw on a numeric price, a boolean premier_enabled or an ISO date, and reports each kind once", async () => {
    const { client, drift } = await clientAgainst({
      productQuirks: {
        price: 38.59,
        premier_enabled: false,
        created: "2018-07-24T10:06:10Z",
        groups: ["subscription"],
      },
    });
    const product = await client.getProduct("doc-1");
    expect(product).toMatchObject({ external_product_id: "doc-1", live: true, price: 38.59 });
    await client.getProduct("doc-2");
    expect(drift.map((d) => d.kind).sort()).toEqual(["product.created", "product.groups", "product.premier_enabled"]);
    expect(drift.find((d) => d.kind === "product.premier_enabled")!.detail).toContain("does not use it");
  });

  it("reads a status sent as a string and an unlisted status, reporting drift once, through the logger without onDrift", async () => {
    server = await startDocShapedServer({ resultQuirks: { status: "200", note: "extra" } });
    const warnings: string[] = [];
    const client = new OrdergrooveClient({
      environment: { baseUrl: server.url },
      credentials: { kind: "api-key", apiKey: DOC_CREDENTIALS.apiKey },
      rateLimit: false,
      logger: { warn: (m) => warnings.push(m) },
    });
    const first = await client.setLive(["doc-1"], false);
    await client.setLive(["doc-2"], false);
    expect(first.items[0]).toMatchObject({ outcome: "updated", status: 200 });
    expect(warnings.filter((w) => w.includes("batch.status-type"))).toHaveLength(1);
  });

  it("still refuses an answer it cannot rely on: a product whose live is not a boolean", async () => {
    const { client } = await clientAgainst({ productQuirks: { live: "yes" } });
    await expect(client.getProduct("doc-1")).rejects.toThrow("the product's live is not true or false (got a string)");
  });

  it("still refuses a batch answer without results", async () => {
    const { client } = await clientAgainst({ resultQuirks: { status: null } });
    const report = await client.setLive(["doc-1"], false);
    expect(report.items[0]).toMatchObject({ outcome: "failed" });
    expect(report.items[0]!.reason).toContain("result 0 has no integer status");
  });
});
