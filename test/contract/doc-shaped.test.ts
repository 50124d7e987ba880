/**
 * The contract suite runs unchanged against a service that answers exactly like Ordergroove's
 * documentation examples (integer premier_enabled, group objects, space-separated dates, 200
 * answers, DRF-style {"detail"} errors) and differs from our fake wherever the docs are silent
 * (101 items processed, a body without content-type read as JSON, 401 for missing credentials).
 * The documented clauses pass; the assumption clauses record what it did, without failing.
 */
import { readFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObservationsFile } from "../../contract-tests/observations.js";
import { DOC_CREDENTIALS, type DocShapedServer, startDocShapedServer } from "../helpers/doc-shaped-server.js";
import { run } from "../helpers/spawn.js";

let server: DocShapedServer;
beforeAll(async () => {
  server = await startDocShapedServer({ batchStatus: 200 });
});
afterAll(() => server.close());

describe("the contract suite against a doc-shaped service", () => {
  it("passes, records observations instead of failing on assumptions, and restores the products", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-doc-shaped-"));
    const observationsFile = join(dir, "observations.json");
    const junit = join(dir, "contract.xml");
    const result = await run(
      "contract-tests/run.ts",
      ["--target", server.url, "--junit", junit, "--observations", observationsFile],
      {
        env: {
          OG_CONTRACT_TARGET: server.url,
          OG_PUBLIC_ID: DOC_CREDENTIALS.publicId,
          OG_SIG_FIELD: DOC_CREDENTIALS.sigField,
          OG_HASH_KEY: DOC_CREDENTIALS.hashKey,
          OG_API_KEY: DOC_CREDENTIALS.apiKey,
          OG_CONTRACT_PRODUCT_IDS: "doc-1,doc-2",
          NO_COLOR: "1",
        },
        timeoutMs: 120_000,
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const file = JSON.parse(await readFile(observationsFile, "utf8")) as ObservationsFile;
    expect(file).toMatchObject({
      format: "og-contract-observations/1",
      target: { kind: "remote", baseUrl: server.url },
    });
    expect(file.observations).toEqual({
      "answer.batchStatus": 200,
      "answer.batchForm": "object",
      "auth.failureStatus": 401,
      "behaviour.tooManyItems": "process",
      "behaviour.nonListBody": 400,
      "behaviour.unknownFields": "ignore",
      "behaviour.unsupportedMediaType": "accepted",
      "behaviour.missingContentType": "assume-json",
      "behaviour.tsAsString": "refuse",
      "behaviour.retryAfter": "not-observed",
    });
    expect(result.stdout).toContain("Observed where Ordergroove's docs are silent");
    expect(result.stdout).toContain('behaviour.tooManyItems = "process"');
    const xml = await readFile(junit, "utf8");
    expect(xml).toContain('<property name="observed" value="behaviour.tooManyItems = &quot;process&quot;');
    expect(server.products.get("doc-1")?.live).toBe(true);
    expect(server.products.get("doc-2")?.live).toBe(true);
  }, 150_000);
});
