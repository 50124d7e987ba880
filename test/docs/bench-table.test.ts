/**
 * docs/performance.md shows the table of the last `npm run bench` (bench/results/latest.md), as
 * the bench runner wrote it between the `bench` markers. Fast: it reads two files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../helpers/spawn.js";

it("docs/performance.md shows the benchmark table of the last `npm run bench`", () => {
  const table = readFileSync(join(ROOT, "bench/results/latest.md"), "utf8");
  const shown = readFileSync(join(ROOT, "docs/performance.md"), "utf8");
  expect(shown).toContain(`<!-- bench:start -->\n${table}<!-- bench:end -->`);
  expect(table).toMatch(/^Measured \d{4}-\d{2}-\d{2} on /);
  // One row per figure in bench/figures/, in order; figure 9 (the Prism peer) says why when
  // Prism could not be installed.
  const figures = readdirSync(join(ROOT, "bench/figures")).filter((f) => /^\d+-.*\.ts$/.test(f)).length;
  const rows = table.split("\n").flatMap((l) => /^\| (\d+) \|/.exec(l)?.[1] ?? []);
  expect(rows).toEqual(Array.from({ length: figures }, (_, i) => String(i + 1)));
});
