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
import { BEHAVIOURS } from "../../mock-server/core/calibration/behaviours.js";
import { profileSettings } from "../../mock-server/core/apply-profile.js";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
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
    const profileFile = join(dir, "og-profile.json");
    const result = await run(
      "contract-tests/run.ts",
      ["--target", server.url, "--junit", junit, "--observations", observationsFile, "--record", profileFile],
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
    const refused = (kind: string, status: number) => ({
      [`auth.${kind}.status`]: status,
      [`auth.${kind}.body`]: "detail",
      // The service's words, recorded so a calibrated fake says them too.
      [`auth.${kind}.detail`]:
        status === 401
          ? "Authentication credentials were not provided."
          : "You do not have permission to perform this action.",
    });
    expect(file.observations).toEqual({
      "answer.batchStatus": 200,
      "answer.batchForm": "object",
      "answer.priceType": "string",
      "answer.timestampFormat": "YYYY-MM-DD HH:MM:SS",
      "auth.failureStatus": 403,
      ...refused("missing", 401),
      ...refused("unknownApiKey", 403),
      ...refused("wrongHashKey", 403),
      ...refused("unknownApiUser", 403),
      ...refused("notJson", 403),
      ...refused("noOgAuthorization", 403),
      ...refused("stale", 403),
      "behaviour.tooManyItems": "process",
      "behaviour.nonListBody": 400,
      "behaviour.unknownFields": "ignore",
      "behaviour.unsupportedMediaType": "accepted",
      "behaviour.missingContentType": "assume-json",
      "behaviour.tsAsString": "refuse",
      "behaviour.retryAfter": "not-observed",
      "behaviour.missingTrailingSlash": "not-found",
      "behaviour.missingTrailingSlashWrite": 404,
    });
    // The recording captures every way this server differs from the fake's defaults, and only those.
    const profile = validateProfile(JSON.parse(await readFile(profileFile, "utf8")));
    const differs = Object.entries(profile.observations)
      .filter(([key, value]) => value !== "not-observed" && value !== BEHAVIOURS[key]!.fake)
      .map(([key]) => key)
      .sort();
    expect(differs).toEqual([
      "answer.batchStatus",
      "auth.missing.detail",
      "auth.missing.status",
      "auth.noOgAuthorization.detail",
      "auth.notJson.detail",
      "auth.stale.detail",
      "auth.unknownApiKey.detail",
      "auth.unknownApiUser.detail",
      "auth.wrongHashKey.detail",
      "behaviour.missingContentType",
      "behaviour.missingTrailingSlash",
      "behaviour.tooManyItems",
      "behaviour.tsAsString",
      "behaviour.unsupportedMediaType",
    ]);
    // Replayed, the fake takes what it has settings for and names what it cannot do.
    const { summary } = profileSettings(profile, "og-profile.json");
    expect(summary.unreplayable.map((u) => u.key).sort()).toEqual([
      "auth.missing.status",
      "behaviour.unsupportedMediaType",
    ]);
    // And replayed for real: a fake og-contract starts with this profile shows no drift; what it
    // cannot reproduce is marked as such.
    const replay = await run("contract-tests/run.ts", ["--profile", profileFile, "--compare", profileFile], {
      env: { OG_CONTRACT_TARGET: "", NO_COLOR: "1" },
      timeoutMs: 120_000,
    });
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/auth\.missing\.status\s+401\s+403\s+unreplayable/);
    expect(replay.stdout).toMatch(/behaviour\.tooManyItems\s+process\s+process\s*\n/);
    expect(replay.stdout).toMatch(
      /No drift: \d+ behaviours as recorded \(.*2 the fake cannot reproduce \(not drift\)\)\./,
    );
    expect(result.stdout).toContain("Observed where Ordergroove's docs are silent");
    expect(result.stdout).toContain('behaviour.tooManyItems = "process"');
    const xml = await readFile(junit, "utf8");
    expect(xml).toContain('<property name="observed" value="behaviour.tooManyItems = &quot;process&quot;');
    expect(server.products.get("doc-1")?.live).toBe(true);
    expect(server.products.get("doc-2")?.live).toBe(true);
  }, 240_000);
});
