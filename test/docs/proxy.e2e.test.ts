/**
 * docs/proxy.md's examples, end to end: the upstream and the forwarding og-mock it starts, its
 * curls and what they print; the refused target and its message.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { run, type Started, startOgMock } from "../helpers/spawn.js";
import { blockAfter } from "./pages.js";

const sh = promisify(execFile);
const PAGE = "docs/proxy.md";
const started: Started[] = [];
afterAll(async () => Promise.all(started.map((s) => s.stop())));

/** The og-mock arguments of a shown `npx og-mock ...  # comment` line. */
function argsOf(line: string): string[] {
  const m = /^npx og-mock (.*?)\s+#/.exec(line);
  if (!m) throw new Error(`not an og-mock line: ${line}`);
  return m[1]!.split(/\s+/);
}

describe("docs/proxy.md", () => {
  it("forwards to the upstream it starts, and the curls print what the page shows", { timeout: 60_000 }, async () => {
    const [upstreamLine, proxyLine, ...curls] = blockAfter(PAGE, "tested: proxy").trim().split("\n");
    const upstreamArgs = argsOf(upstreamLine!);
    expect(upstreamArgs.slice(0, 2)).toEqual(["--port", "8790"]);
    const upstream = await startOgMock([...upstreamArgs.slice(2), "--log-level", "silent"]);
    started.push(upstream);
    const proxyArgs = argsOf(proxyLine!);
    expect(proxyArgs.slice(0, 4)).toEqual(["--port", "8789", "--upstream", "http://127.0.0.1:8790"]);
    const proxy = await startOgMock(["--upstream", upstream.url, "--log-level", "silent"]);
    started.push(proxy);
    let printed = "";
    for (const curl of curls) {
      const { stdout } = await sh("sh", ["-c", curl.replaceAll("http://127.0.0.1:8789", proxy.url)]);
      printed += stdout;
    }
    expect(printed).toBe(blockAfter(PAGE, "output: proxy"));
    // The write reached the upstream, not og-mock's own fake.
    const read = async (url: string) =>
      ((await (await fetch(`${url}/__admin/products/og-coffee-beans-1kg`)).json()) as { live: boolean }).live;
    expect(await read(upstream.url)).toBe(false);
    expect(await read(proxy.url)).toBe(true);
  });

  it(
    "learns a profile from the traffic, and a fake started from it answers as the upstream did",
    { timeout: 60_000 },
    async () => {
      const [learnLine, profileLine] = blockAfter(PAGE, "tested: proxy-learn").trim().split("\n");
      const learnArgs = argsOf(learnLine!);
      expect(learnArgs).toEqual(["--port", "8789", "--upstream", "http://127.0.0.1:8790", "--learn", "learnt.json"]);
      expect(argsOf(profileLine!)).toEqual(["--port", "8791", "--profile", "learnt.json"]);
      const file = join(mkdtempSync(join(tmpdir(), "og-docs-learn-")), "learnt.json");
      const upstream = await startOgMock(["--status", "200", "--form", "list", "--log-level", "silent"]);
      started.push(upstream);
      const proxy = await startOgMock(["--upstream", upstream.url, "--learn", file, "--log-level", "silent"]);
      const batch = (url: string) =>
        fetch(`${url}/products-batch/update/`, {
          method: "PATCH",
          headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
          body: '[{"product_id": "og-coffee-beans-1kg", "live": false}]',
        });
      await (await batch(proxy.url)).text();
      expect(await proxy.stop()).toBe(0);
      const taught = await startOgMock(["--profile", file, "--log-level", "silent"]);
      started.push(taught);
      const res = await batch(taught.url);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([{ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] }]);
    },
  );

  it("refuses a host nobody allowed, with exit 64 and the message shown", { timeout: 30_000 }, async () => {
    const line = blockAfter(PAGE, "tested: proxy-refused").trim();
    const args = line.replace(/^npx og-mock /, "").split(/\s+/);
    const finished = await run("mock-server/cli/bin.ts", args);
    expect(finished.code).toBe(64);
    expect(finished.stderr).toBe(blockAfter(PAGE, "output: proxy-refused"));
  });
});
