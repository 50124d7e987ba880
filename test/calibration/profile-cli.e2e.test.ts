/** og-mock --profile in its own process: the banner names the profile, a bad one stops the start. */
import { afterAll, describe, expect, it, vi } from "vitest";
import { run, type Started, startOgMock } from "../helpers/spawn.js";
import { file, PROFILE } from "./profile-fixture.js";

describe("og-mock --profile", () => {
  let started: Started | undefined;
  afterAll(() => started?.stop());

  it("says which profile is active in its banner", async () => {
    const path = await file("og-profile.json", PROFILE);
    started = await startOgMock(["--profile", path, "--log-level", "silent"]);
    // The banner may still be arriving after the "listening on" line: wait for its last line.
    await vi.waitFor(() => expect(started!.output()).toContain("not reproducible by this fake"), { timeout: 5_000 });
    expect(started.output()).toContain(
      `  profile:      ${path} (recorded 2026-11-28 against https://staging.restapi.ordergroove.com;`,
    );
    expect(started.output()).toContain("not reproducible by this fake: auth.wrongHashKey.status=403");
  });

  it("does not start with a bad profile: exit 64, the field named", async () => {
    const path = await file("bad.json", { ...PROFILE, observations: { "answer.batchForm": "xml" } });
    const result = await run("mock-server/cli/bin.ts", ["--port", "0", "--profile", path]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(
      `og-mock: Failed to read the calibration profile ${path}: observations["answer.batchForm"]: must be one of "object", "list". Fix that field, or record the profile again (og-contract --record FILE).`,
    );
    expect(result.stdout).not.toContain("listening");
  });
});
