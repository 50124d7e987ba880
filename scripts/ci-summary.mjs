// Prints vitest's JSON reports (one per tier) as one closing line: "vitest: N passed, N failed, N skipped".
import { readFileSync } from "node:fs";

const files = process.argv.length > 2 ? process.argv.slice(2) : ["test-results/vitest.json"];
let passed = 0;
let failed = 0;
let skipped = 0;
/** Test files that failed without a failed test: a file that threw while it was loaded has no tests to fail. */
let brokenFiles = 0;
const missing = [];
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    missing.push(file);
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  brokenFiles += (report.testResults ?? []).filter(
    (file) => file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
  ).length;
  skipped += report.numPendingTests + report.numTodoTests;
}
// A tier without a report did not run to the end (or at all): count it as one failure, and say which.
const notes = [];
if (brokenFiles) notes.push(`${brokenFiles} test file(s) failed to load, each counted as one failure`);
if (missing.length) notes.push(`no report: ${missing.join(", ")}; the tests did not run to the end`);
const note = notes.length ? ` (${notes.join("; ")})` : "";
console.log(`vitest: ${passed} passed, ${failed + brokenFiles + missing.length} failed, ${skipped} skipped${note}`);
