/**
 * docs/og-mock.md's two-merchant setup, end to end: its file, its og-mock command, its curls,
 * its answers.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { type Started, startOgMock } from "../helpers/spawn.js";
import { blockAfter as blockOn, page } from "./pages.js";

const sh = promisify(execFile);
const PAGE = "docs/og-mock.md";
const TEXT = page(PAGE);
const HEADING = "## One fake for a whole team: several merchants";
if (!TEXT.includes(HEADING)) throw new Error(`${PAGE} has no section "${HEADING}"`);
const SECTION = TEXT.slice(TEXT.indexOf(HEADING));

const blockAfter = (marker: string) => blockOn(PAGE, marker);

/** The n-th ```json block of the section (after its merchants.json). */
function shownJson(n: number): unknown {
  const blocks = [...SECTION.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return JSON.parse(blocks[n]!);
}

let started: Started | undefined;
afterAll(async () => started?.stop());

describe("docs/og-mock.md: one fake for a whole team", () => {
  it("starts from the file shown, and every request shown answers as shown", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-docs-merchants-"));
    const file = join(dir, "merchants.json");
    await writeFile(file, blockAfter("tested: merchants.json"));
    const [start, ...curls] = blockAfter("tested: merchants").trim().split("\n");
    // As printed: the repository's own command (bin/og-mock), beside README's fake on 8787.
    expect(start).toMatch(/^bin\/og-mock --merchants merchants.json --port 8788 +# in another terminal/);
    started = await startOgMock(["--merchants", file, "--log-level", "silent"]);
    const outputs: unknown[] = [];
    for (const curl of curls) {
      const { stdout } = await sh("sh", ["-c", curl.replaceAll("http://127.0.0.1:8788", started.url)]);
      outputs.push(JSON.parse(stdout));
    }
    const [acme, globex, lamp, journal, merchants] = outputs as [
      unknown,
      unknown,
      Record<string, unknown>,
      { total: number; entries: Array<{ headers: Record<string, string> }> },
      unknown,
    ];
    expect(acme).toEqual(shownJson(1));
    expect(globex).toEqual({ results: [{ product_id: "globex-lamp", status: 200 }] });
    expect(SECTION).toContain('`{"results": [{"product_id": "globex-lamp", "status": 200}]}`');
    expect(lamp).toMatchObject({ merchant: "globex-shop", external_product_id: "globex-lamp", live: false });
    expect(journal.total).toBe(1);
    expect(journal.entries[0]!.headers["x-api-key"]).toBe("[redacted]");
    expect(merchants).toEqual(shownJson(2));
    expect(JSON.stringify(outputs)).not.toMatch(/acme-hash-key|acme-key-1|globex-key-1/);
  });
});
