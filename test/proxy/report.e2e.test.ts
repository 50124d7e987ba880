/**
 * og-mock --upstream's report (issue 37, point 4), as CI runs it: the process proxies to an
 * upstream that breaks the spec, logs each violation, writes --report at exit (JSON, or JUnit XML
 * for a .xml file) and, with --fail-on-violation, exits 2; against an upstream that keeps to the
 * spec it exits 0.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOgMock } from "../helpers/spawn.js";
import { type RogueUpstream, startRogueUpstream } from "./upstreams.js";

const dir = mkdtempSync(join(tmpdir(), "og-proxy-report-"));
let rogue: RogueUpstream;
beforeAll(async () => {
  rogue = await startRogueUpstream();
});
afterAll(async () => rogue.close());

const KEY = { "x-api-key": "og-mock-api-key" };

describe("--report and --fail-on-violation", () => {
  it("writes the violations as JSON at exit and exits 2", { timeout: 60_000 }, async () => {
    const file = join(dir, "report.json");
    const og = await startOgMock(["--upstream", rogue.url, "--report", file, "--fail-on-violation"]);
    await (await fetch(`${og.url}/products/?page=1`, { headers: KEY })).arrayBuffer();
    const code = await og.stop();
    expect(code).toBe(2);
    const report = JSON.parse(readFileSync(file, "utf8")) as {
      upstream: string;
      answersWithViolations: number;
      answers: Array<{ path: string; violations: unknown[] }>;
    };
    expect(report).toMatchObject({ upstream: rogue.url, answersWithViolations: 1 });
    expect(report.answers[0]).toMatchObject({
      path: "/products/?page=1",
      violations: [{ pointer: "/detail", message: "is required" }],
    });
    expect(og.output()).toContain("the upstream's answer breaks the spec: /detail: is required");
  });

  it("writes JUnit XML for a .xml file", { timeout: 60_000 }, async () => {
    const file = join(dir, "report.xml");
    const og = await startOgMock(["--upstream", rogue.url, "--report", file]);
    await (await fetch(`${og.url}/products/?page=1`, { headers: KEY })).arrayBuffer();
    expect(await og.stop()).toBe(0); // without --fail-on-violation
    const xml = readFileSync(file, "utf8");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites>/);
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('<failure message="1 violation(s)">/detail: is required</failure>');
  });

  it("exits 0 with --fail-on-violation when every answer kept to the spec", { timeout: 60_000 }, async () => {
    const upstream = await startOgMock(["--log-level", "silent"]);
    const file = join(dir, "clean.xml");
    const og = await startOgMock(["--upstream", upstream.url, "--report", file, "--fail-on-violation"]);
    await (await fetch(`${og.url}/products/og-coffee-beans-1kg/`, { headers: KEY })).arrayBuffer();
    expect(await og.stop()).toBe(0);
    await upstream.stop();
    expect(readFileSync(file, "utf8")).toContain('name="every upstream answer matched the spec"');
  });
});
