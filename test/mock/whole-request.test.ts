import { describe, expect, it } from "vitest";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ maxBodyBytes: 64 * 1024 });

/** Every refused request must leave the catalog as it was. */
async function expectNothingChanged(): Promise<void> {
  expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
}

describe("a request refused as a whole changes nothing", () => {
  it("answers 400 for a body that is not JSON", async () => {
    const answer = await og.request("PATCH", "/products-batch/update/", {
      raw: '[{"product_id": "og-coffee-beans-1kg", "live": false',
    });
    expect(answer.status).toBe(400);
    expect((answer.body as { detail: string }).detail).toMatch(/^JSON parse error: .+ The body must be JSON\.$/);
    await expectNothingChanged();
  });

  it("answers 400 for an empty body", async () => {
    const answer = await og.request("PATCH", "/products-batch/update/", {
      headers: { "content-type": "application/json" },
    });
    expect(answer.status).toBe(400);
    expect((answer.body as { detail: string }).detail).toMatch(/^JSON parse error/);
  });

  it.each([
    ["an object", { product_id: "og-coffee-beans-1kg", live: false }, "dict"],
    ["a string", "og-coffee-beans-1kg", "str"],
    ["a number", 7, "int"],
    ["null", null, "null"],
  ])("answers 400 for %s instead of a list", async (_name, body, type) => {
    const answer = await og.patchBatch(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      detail: `Expected a list of items but got type "${type}". The body must be a JSON list of products.`,
    });
    await expectNothingChanged();
  });

  it("answers 400 for more than 100 items, applying none of them", async () => {
    const items = Array.from({ length: 101 }, () => ({ product_id: "og-coffee-beans-1kg", live: false }));
    const answer = await og.patchBatch(items);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      detail: "Ensure this field has no more than 100 elements: got 101. Send at most 100 products per request.",
    });
    await expectNothingChanged();
  });

  it("answers 413 for a body over the size limit", async () => {
    const huge = JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false, name: "x".repeat(70 * 1024) }]);
    const answer = await og.request("PATCH", "/products-batch/update/", { raw: huge });
    expect(answer.status).toBe(413);
    expect((answer.body as { detail: string }).detail).toMatch(
      /^Request body is \d+ bytes; the limit is 65536 bytes\.$/,
    );
    await expectNothingChanged();
  });

  it.each([
    [
      "text/plain",
      "text/plain",
      'Unsupported media type "text/plain" in request. Send content-type: application/json.',
    ],
    [
      "form-encoded",
      "application/x-www-form-urlencoded",
      'Unsupported media type "application/x-www-form-urlencoded" in request. Send content-type: application/json.',
    ],
    ["missing", undefined, "Unsupported media type: no content-type header. Send content-type: application/json."],
  ])("answers 415 for a %s content type", async (_name, type, detail) => {
    const answer = await og.request("PATCH", "/products-batch/update/", {
      raw: '[{"product_id": "og-coffee-beans-1kg", "live": false}]',
      headers: { "content-type": type },
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({ detail });
    await expectNothingChanged();
  });

  it("accepts application/json with a charset", async () => {
    const answer = await og.request("PATCH", "/products-batch/update/", {
      raw: '[{"product_id": "og-coffee-beans-1kg", "live": false}]',
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(answer.status).toBe(207);
  });
});
