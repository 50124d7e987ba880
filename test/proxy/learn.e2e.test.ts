/**
 * `og-mock --upstream URL --learn FILE` as a user runs it (issue 37, point 8): the profile file is
 * written as traffic flows and when og-mock stops, and `og-mock --profile FILE` then answers as
 * the upstream did.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import { startOgMock } from "../helpers/spawn.js";

const KEY = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
const BODY = JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]);
/** An item with a field the spec does not define: the upstream (--strict) refuses it. */
const UNKNOWN_FIELD = JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false, colour: "red" }]);

describe("--learn FILE", () => {
  it("writes a profile that og-mock --profile answers with", { timeout: 60_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), "og-learn-")), "learnt.json");
    const upstream = await startOgMock(["--status", "200", "--form", "list", "--strict", "--log-level", "silent"]);
    const report = join(dirname(file), "report.json");
    const learning = ["--upstream", upstream.url, "--learn", file, "--report", report, "--log-level", "silent"];
    const proxy = await startOgMock(learning);
    await (await fetch(`${proxy.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: BODY })).text();
    const strict = { method: "PATCH", headers: KEY, body: UNKNOWN_FIELD };
    await (await fetch(`${proxy.url}/products-batch/update/`, strict)).text();
    expect(await proxy.stop()).toBe(0);
    await upstream.stop();
    const profile = validateProfile(JSON.parse(readFileSync(file, "utf8")));
    expect(profile.observations).toMatchObject({
      "answer.batchStatus": 200,
      "answer.batchForm": "list",
      "behaviour.unknownFields": "refuse",
    });
    expect(profile.seen?.["answer.batchStatus"]?.count).toBe(2);
    expect(profile.kit).toMatch(/^ordergroove-stock-kit@\d/);
    // Every answer read: the report says none was skipped (test/proxy/learn-not-read.test.ts has some that were).
    expect(JSON.parse(readFileSync(report, "utf8"))).toMatchObject({ answersNotLearnt: 0, notLearnt: [] });

    const taught = await startOgMock(["--profile", file, "--log-level", "silent"]);
    const res = await fetch(`${taught.url}/products-batch/update/`, { method: "PATCH", headers: KEY, body: BODY });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] }]);
    const refused = await fetch(`${taught.url}/products-batch/update/`, {
      method: "PATCH",
      headers: KEY,
      body: UNKNOWN_FIELD,
    });
    expect(await refused.json()).toMatchObject([{ results: [{ product_id: "og-coffee-beans-1kg", status: 400 }] }]);
    await taught.stop();
  });
});
