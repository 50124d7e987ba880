/**
 * Calibration: a run's observations (observations.ts) as a profile (`og-contract --record`), and
 * a run compared with a saved profile (`og-contract --compare`): a table for people and a JUnit
 * suite for CI, where a behaviour that changed is a failure of its own kind ("drift").
 */
import {
  BEHAVIOURS,
  type CalibrationProfile,
  type Observations,
  type ObservedValue,
  PROFILE_FORMAT,
} from "../mock-server/core/calibration/behaviours.js";
import type { ObservationsFile } from "./observations.js";
import { kitVersion } from "../shared/kit-version.js";

/** A profile from a run: the target's origin only (never a path, query or user info), no secret. */
export function buildProfile(run: ObservationsFile): CalibrationProfile {
  const observations: Observations = Object.fromEntries(
    Object.entries(run.observations).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    format: PROFILE_FORMAT,
    kit: kitVersion(),
    target: new URL(run.target.baseUrl).origin,
    recordedAt: run.at,
    ...(run.target.productIds ? { productIds: [...run.target.productIds] } : {}),
    observations,
  };
}

export interface DriftRow {
  key: string;
  title: string;
  saved: ObservedValue | undefined;
  now: ObservedValue | undefined;
  verdict: "same" | "changed" | "not observed now" | "not observed" | "new" | "unreplayable";
}

/**
 * Behaviour by behaviour: what the saved profile says against what this run saw. `unreplayable`
 * names behaviours a calibrated fake cannot reproduce (og-contract --profile): they differ, but
 * that is the fake's known limit, said at its start, not drift of the target.
 */
export function compareProfiles(
  saved: CalibrationProfile,
  now: Observations,
  unreplayable: ReadonlySet<string> = new Set(),
): DriftRow[] {
  const keys = Object.keys(BEHAVIOURS).filter((k) => k in saved.observations || k in now);
  return keys.map((key) => {
    // "not-observed" (no 429 provoked, say) says nothing about the behaviour: never drift.
    const known = (v: ObservedValue | undefined) => (v === "not-observed" ? undefined : v);
    const s = known(saved.observations[key]);
    const n = known(now[key]);
    let verdict: DriftRow["verdict"];
    if (s === undefined) verdict = n === undefined ? "not observed" : "new";
    else if (n === undefined) verdict = "not observed now";
    else if (s === n) verdict = "same";
    else verdict = unreplayable.has(key) ? "unreplayable" : "changed";
    return { key, title: BEHAVIOURS[key]!.title, saved: s, now: n, verdict };
  });
}

/** Drift is a behaviour that changed; one merely not observed this run (no HMAC keys) is not drift. */
export function hasDrift(rows: readonly DriftRow[]): boolean {
  return rows.some((r) => r.verdict === "changed");
}

export function driftTable(rows: readonly DriftRow[], profileFile: string): string {
  const show = (v: ObservedValue | undefined) => (v === undefined ? "-" : String(v));
  const header = ["behaviour", "saved", "now", ""];
  const body = rows.map((r) => [r.key, show(r.saved), show(r.now), r.verdict === "same" ? "" : r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const count = (...verdicts: DriftRow["verdict"][]) => rows.filter((r) => verdicts.includes(r.verdict)).length;
  const changed = count("changed");
  const unobserved = count("not observed now", "not observed");
  const others = [
    unobserved ? `${unobserved} not observed in this run` : "",
    count("new") ? `${count("new")} new` : "",
    count("unreplayable") ? `${count("unreplayable")} the fake cannot reproduce (not drift)` : "",
  ].filter(Boolean);
  const rest = others.length ? ` (${others.join(", ")})` : "";
  return [
    `Compared with ${profileFile}:`,
    line(header),
    ...body.map(line),
    "",
    changed
      ? `Drift: ${changed} of ${rows.length} behaviours changed since the profile was recorded${rest}.`
      : `No drift: ${count("same")} behaviours as recorded${rest}.`,
  ].join("\n");
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A JUnit <testsuite> with one test case per behaviour; drift is a failure of type "drift". */
export function driftJunit(rows: readonly DriftRow[], profileFile: string): string {
  const failures = rows.filter((r) => r.verdict === "changed").length;
  const skipped = rows.filter((r) => ["not observed now", "not observed", "unreplayable"].includes(r.verdict)).length;
  const cases = rows.map((r) => {
    const open = `    <testcase classname="og-contract drift" name="${xml(`${r.key}: ${r.title}`)}">`;
    if (r.verdict === "changed") {
      const message = `${r.key} drifted from ${profileFile}: saved ${String(r.saved)}, now ${String(r.now)}`;
      return `${open}\n      <failure message="${xml(message)}" type="drift">${xml(message)}</failure>\n    </testcase>`;
    }
    if (r.verdict === "not observed now" || r.verdict === "not observed")
      return `${open}\n      <skipped message="not observed in this run"/>\n    </testcase>`;
    if (r.verdict === "unreplayable")
      return `${open}\n      <skipped message="the calibrated fake cannot reproduce ${xml(String(r.saved))}"/>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  return `  <testsuite name="og-contract drift from ${xml(profileFile)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`;
}

/** Adds the drift suite to a JUnit file (the contract suite's, when there is one). */
export function mergeJunit(existing: string | undefined, suite: string): string {
  if (existing?.includes("</testsuites>")) return existing.replace(/<\/testsuites>\s*$/, `${suite}\n</testsuites>\n`);
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="og-contract">\n${suite}\n</testsuites>\n`;
}
