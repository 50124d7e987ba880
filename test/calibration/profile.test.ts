/**
 * A calibration profile on the fake's side: checked field by field before anything starts,
 * applied under the user's own options, shown by the admin API and og-mock's banner, and taken by
 * the MSW setup as a file path or parsed JSON. og-mock --profile, in its own process, is in
 * profile-cli.e2e.test.ts.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OrdergrooveMock } from "../../mock-server/core/mock.js";
import { PROFILE_SCHEMA } from "../../mock-server/core/calibration/behaviours.js";
import { ProfileError, parseProfile, validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import { startMockServer } from "../../mock-server/node/server.js";
import { setupOrdergrooveMock } from "../../mock-server/msw/setup.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { ROOT } from "../helpers/spawn.js";
import { file, PROFILE } from "./profile-fixture.js";

describe("a profile is checked before it is used", () => {
  it("ships its JSON Schema as spec/og-profile.schema.json", async () => {
    expect(JSON.parse(await readFile(join(ROOT, "spec/og-profile.schema.json"), "utf8"))).toEqual(PROFILE_SCHEMA);
  });

  it.each([
    [{ ...PROFILE, format: "og-profile/2" }, 'format: must be "og-profile/1"'],
    [{ ...PROFILE, target: "https://user:pw@staging.example/products" }, "target: must match pattern"],
    [
      { ...PROFILE, observations: { "answer.batchStatus": "207" } },
      'observations["answer.batchStatus"]: must be integer',
    ],
    [
      { ...PROFILE, observations: { "answer.colour": "blue" } },
      'observations["answer.colour"]: is not a known profile field (a newer kit\'s profile, or a typo?)',
    ],
    [{ ...PROFILE, observations: { "behaviour.unknownFields": "shrug" } }, 'must be one of "ignore", "refuse"'],
    [{ ...PROFILE, recordedAt: "yesterday" }, 'recordedAt: must match format "date-time"'],
    [(({ kit: _kit, ...rest }) => rest)(PROFILE), "kit: is required"],
  ])("refuses %j naming the field", (bad, message) => {
    expect(() => validateProfile(bad, "p.json")).toThrow(ProfileError);
    expect(() => validateProfile(bad, "p.json")).toThrow(message);
  });

  it("says when a file is not JSON, without quoting it (it may be some other file, with secrets)", () => {
    expect(() => parseProfile("OG_HASH_KEY=secret-value", "p.json")).toThrow(
      /^Failed to read the calibration profile p\.json: not JSON at line 1, column 1 \(unexpected "O"\)\. Fix the file there\.$/,
    );
    try {
      parseProfile("OG_HASH_KEY=secret-value", "p.json");
    } catch (error) {
      expect((error as Error).message).not.toContain("secret");
    }
  });

  it("is the profile's error, not a merchant's, when a merchants fake gets a bad one", () => {
    expect(() =>
      setupOrdergrooveMock({
        profile: { ...PROFILE, format: "x" } as never,
        merchants: [{ credentials: { publicId: "m1", apiUsers: [], apiKeys: ["k1"] } }],
      }),
    ).toThrow(ProfileError);
  });

  it("stops a fake from being built with a bad one", () => {
    expect(() => new OrdergrooveMock({ profile: { ...PROFILE, format: "x" } as never })).toThrow(ProfileError);
    expect(() => setupOrdergrooveMock({ profile: { ...PROFILE, kit: "" } })).toThrow(/: kit: must NOT have fewer/);
  });
});

describe("a profile applied", () => {
  it("sets what the fake has settings for, under the user's own options, and names what it cannot do", () => {
    const mock = new OrdergrooveMock({
      profile: PROFILE,
      profileSource: "og-profile.json",
      answer: { batchStatus: 207 },
    });
    expect(mock.answer).toEqual({ batchStatus: 207, batchForm: "list" }); // the user's 207 wins
    expect(mock.options.auth.failureStatus).toBe(401);
    expect(mock.behaviour).toMatchObject({
      tooManyItems: "process",
      missingContentType: "assume-json",
      retryAfter: "seconds",
    });
    expect(mock.profile).toMatchObject({
      source: "og-profile.json",
      target: "https://staging.restapi.ordergroove.com",
      unreplayable: [{ key: "auth.wrongHashKey.status", observed: 403, fake: 401 }],
    });
    expect(mock.profile!.applied).toContain("answer.batchForm");
    expect(new OrdergrooveMock().profile).toBeNull();
  });

  it("lists what the fake's settings cannot take (a 2xx refusal status) instead of failing to start", () => {
    const odd = { ...PROFILE, observations: { "behaviour.nonListBody": 200, "behaviour.tooManyItems": 302 } };
    const mock = new OrdergrooveMock({ profile: odd });
    expect(mock.behaviour).toMatchObject({ nonListBody: 400, tooManyItems: 400 });
    expect(mock.profile!.unreplayable.map((u) => u.key)).toEqual(["behaviour.nonListBody", "behaviour.tooManyItems"]);
  });

  it("gives way to strict: false (OG_MOCK_STRICT=0) on unknown fields", () => {
    const refusing = { ...PROFILE, observations: { "behaviour.unknownFields": "refuse" } };
    expect(new OrdergrooveMock({ profile: refusing }).behaviour.unknownFields).toBe("refuse");
    expect(new OrdergrooveMock({ profile: refusing, strict: false }).behaviour.unknownFields).toBe("ignore");
  });

  it("answers over HTTP as the profile says, and the admin API shows it", async () => {
    const og = await startMockServer({ port: 0, profile: PROFILE });
    try {
      const headers = signedHeaders(
        { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" },
        unixSeconds(Date.now()),
      );
      // No content-type: the profile says the target reads it as JSON anyway.
      const res = await fetch(`${og.url}/products-batch/update/`, {
        method: "PATCH",
        headers,
        body: new TextEncoder().encode('[{"product_id": "og-coffee-beans-1kg", "live": false}]'),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([{ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] }]);
      const refused = await fetch(`${og.url}/products-batch/update/`, { method: "PATCH", body: "[]" });
      expect(refused.status).toBe(401);
      const settings = (await (await fetch(`${og.url}/__admin/settings`)).json()) as Record<string, unknown>;
      expect(settings).toMatchObject({
        auth: { failureStatus: 401 },
        profile: {
          source: "inline",
          target: "https://staging.restapi.ordergroove.com",
          kit: "ordergroove-stock-kit@0.1.0",
        },
      });
    } finally {
      await og.close();
    }
  });

  it("is taken by the MSW setup as a file path", async () => {
    const suite = setupOrdergrooveMock({ profile: await file("msw.json", PROFILE) });
    expect(suite.mock.answer.batchForm).toBe("list");
    expect(suite.mock.profile?.source).toMatch(/msw\.json$/);
  });
});
