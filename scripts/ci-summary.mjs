// Prints vitest's JSON report as one closing line: "vitest: N passed, N failed, N skipped".
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-results/vitest.json";
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch {
  console.log("vitest: 0 passed, 1 failed (no report: the tests did not run to the end)");
  process.exit(0);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
