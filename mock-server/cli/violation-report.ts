/**
 * What og-mock --upstream does with the upstream's violations of the spec: a warning in og-mock's
 * log for each answer, and, with --report FILE, a report written at exit (JSON, or JUnit XML when
 * FILE ends in .xml, for CI systems that show test reports). Bounded: the first 10,000 answers
 * are kept in full, the rest counted. With --learn, the report also counts the answers --learn
 * could not read (./learn-skips.ts), by reason.
 */
import { writeFileSync } from "node:fs";
import type { Logger } from "pino";
import type { FoundViolations } from "../core/proxy/proxy.js";
import type { LearnSkips } from "./learn-skips.js";

const MAX_KEPT = 10_000;

export class ViolationReport {
  readonly #kept: FoundViolations[] = [];
  #count = 0;
  #differing = 0;

  constructor(
    readonly upstream: string,
    readonly logger?: Logger,
    /** With --learn: the answers it could not read. */
    readonly learnSkips?: LearnSkips,
  ) {}

  /** Told of one upstream answer that broke the spec. */
  add(found: FoundViolations): void {
    if (found.violations.length) this.#count++;
    if (found.differences.length) this.#differing++;
    if (this.#kept.length < MAX_KEPT) this.#kept.push(found);
    const difference = found.differences[0];
    if (difference)
      this.logger?.warn(
        { seq: found.seq, method: found.method, path: found.path, differences: found.differences.length },
        `the fake answered differently (--shadow): ${difference.message}${difference.setting ? ` (setting: ${difference.setting})` : ""}`,
      );
    const first = found.violations[0];
    if (first)
      this.logger?.warn(
        {
          seq: found.seq,
          method: found.method,
          path: found.path,
          status: found.status,
          violations: found.violations.length,
        },
        `the upstream's answer breaks the spec: ${first ? `${first.pointer || "/"}: ${first.message}` : ""}`,
      );
  }

  /** Answers that broke the spec, since the start. */
  get count(): number {
    return this.#count;
  }

  /** The report's text: JSON, or JUnit XML when `file` ends in .xml. */
  text(file: string): string {
    const summary = {
      upstream: this.upstream,
      answersWithViolations: this.#count,
      answersWithDifferences: this.#differing,
      listed: this.#kept.length,
      answers: this.#kept,
      ...(this.learnSkips ? { answersNotLearnt: this.learnSkips.total, notLearnt: this.learnSkips.reasons() } : {}),
    };
    if (!file.toLowerCase().endsWith(".xml")) return `${JSON.stringify(summary, null, 2)}\n`;
    const cases = this.#kept.map((f) => {
      const name = xml(`${f.method} ${f.path} -> ${f.status} (journal entry ${f.seq})`);
      const lines = [
        ...f.violations.map((v) => `${v.pointer || "/"}: ${v.message}`),
        ...f.differences.map((d) => `shadow: ${d.message}${d.setting ? ` (setting: ${d.setting})` : ""}`),
      ];
      const details = xml(lines.join("\n"));
      return `    <testcase classname="og-mock.upstream" name="${name}">\n      <failure message="${xml(`${f.violations.length} violation(s)${f.differences.length ? `, ${f.differences.length} difference(s) from the fake` : ""}`)}">${details}</failure>\n    </testcase>`;
    });
    if (cases.length === 0)
      cases.push(`    <testcase classname="og-mock.upstream" name="every upstream answer matched the spec"/>`);
    // An answer --learn could not read is no failure of the upstream's: a skipped case, by reason.
    const reasons = this.learnSkips?.reasons() ?? [];
    const skipped = reasons.length;
    for (const reason of reasons) {
      const { seq, method, path, status } = reason.first;
      const name = xml(`--learn could not read ${reason.count} answer(s): ${reason.error}`);
      const message = xml(`first: ${method} ${path} -> ${status} (journal entry ${seq})`);
      cases.push(
        `    <testcase classname="og-mock.learn" name="${name}">\n      <skipped message="${message}"/>\n    </testcase>`,
      );
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="og-mock ${xml(this.upstream)}" tests="${cases.length}" failures="${this.#kept.length}"${skipped ? ` skipped="${skipped}"` : ""}>\n${cases.join("\n")}\n  </testsuite>\n</testsuites>\n`;
  }

  /** Writes the report; a failure to write is said, not thrown (og-mock is stopping). */
  write(file: string): void {
    try {
      writeFileSync(file, this.text(file));
    } catch (error) {
      console.error(`og-mock: Failed to write the report ${file}: ${(error as Error).message}.`);
    }
  }
}

function xml(text: string): string {
  // XML 1.0 has no place for control characters other than tab and line breaks, even escaped.
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code < 0x20 && c !== "\t" && c !== "\n" && c !== "\r") out += " ";
    else if (c === "<" || c === ">" || c === "&" || c === '"' || c === "'") out += `&#${code};`;
    else out += c;
  }
  return out;
}
