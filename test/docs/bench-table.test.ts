/**
 * docs/performance.md shows the table of the last `npm run bench` (bench/results/latest.md), as
 * the bench runner wrote it between the `bench` markers. Fast: it reads two files.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../helpers/spawn.js";

it("docs/performance.md shows the benchmark table of the last `npm run bench`", () => {
  const table = readFileSync(join(ROOT, "bench/results/latest.md"), "utf8");
  const shown = readFileSync(join(ROOT, "docs/performance.md"), "utf8");
  expect(shown).toContain(`<!-- bench:start -->\n${table}<!-- bench:end -->`);
  expect(table).toMatch(/^Measured \d{4}-\d{2}-\d{2} on /);
  // Figures 1-9; figure 9 (the Prism peer) says why when Prism could not be installed.
  expect(table.split("\n").filter((l) => /^\| \d \|/.test(l))).toHaveLength(9);
});
