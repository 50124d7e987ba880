/**
 * What a target did where Ordergroove's documentation is silent, in one structured place.
 *
 * Assumption clauses of the contract suite never fail a real target: they `observe(key, value)`
 * what it did. The run prints every observation in its summary, adds each to the JUnit file (as a
 * test annotation of type "observed"), and, with `--observations FILE` (OG_CONTRACT_OBSERVATIONS),
 * writes them all as JSON. Calibration profiles (`--record`) are exactly this data, so the keys are
 * stable, and each is named after the fake's setting it calibrates (mock-server/core/calibration/behaviours.ts).
 */
import { writeFile } from "node:fs/promises";
import { BEHAVIOURS } from "../mock-server/core/calibration/behaviours.js";

/** Every key, with what it means: the one list in mock-server/core/calibration/behaviours.ts (BEHAVIOURS). */
export const OBSERVATION_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(BEHAVIOURS).map(([key, behaviour]) => [key, behaviour.title]),
);

/** A key of BEHAVIOURS, e.g. "answer.batchStatus" (checked when observed). */
export type ObservationKey = string;
export type ObservedValue = string | number;

export interface ObservationRecord {
  key: ObservationKey;
  value: ObservedValue;
  /** The clause that observed it. */
  clause: string;
  /** Extra facts for people (e.g. the status that decided the value). */
  note?: string;
}

const records = new Map<ObservationKey, ObservationRecord>();

/** Records what the target did; a later observation of the same key replaces the earlier one. */
export function observe(key: ObservationKey, value: ObservedValue, clause: string, note?: string): ObservationRecord {
  if (!(key in BEHAVIOURS)) throw new Error(`Unknown observation key ${JSON.stringify(key)}: add it to BEHAVIOURS.`);
  const record: ObservationRecord = { key, value, clause, ...(note ? { note } : {}) };
  records.set(key, record);
  return record;
}

export function observations(): ObservationRecord[] {
  return [...records.values()];
}

/** The JSON written per run: stable keys, one value each, plus where they were observed. */
export interface ObservationsFile {
  format: "og-contract-observations/1";
  /** The target, and the two existing products the run read and toggled (restored afterwards). */
  target: { kind: "mock" | "remote"; baseUrl: string; productIds?: string[] };
  at: string;
  observations: Partial<Record<ObservationKey, ObservedValue>>;
  details: ObservationRecord[];
}

export function observationsFile(target: ObservationsFile["target"], at = new Date()): ObservationsFile {
  const list = observations();
  return {
    format: "og-contract-observations/1",
    target,
    at: at.toISOString(),
    observations: Object.fromEntries(list.map((o) => [o.key, o.value])),
    details: list,
  };
}

export async function writeObservations(file: string, target: ObservationsFile["target"]): Promise<void> {
  await writeFile(file, `${JSON.stringify(observationsFile(target), null, 2)}\n`);
}

/** The summary lines printed at the end of a run. */
export function summary(): string {
  const list = observations();
  if (!list.length) return "";
  return `Observed where Ordergroove's docs are silent (assumptions, never failures on a real target):\n${list
    .map((o) => `  ${o.key} = ${JSON.stringify(o.value)}  (${o.clause}${o.note ? `; ${o.note}` : ""})`)
    .join("\n")}`;
}

/** The form of a Retry-After value, read as og-mock --learn reads it. */
export { retryAfterForm } from "../shared/observed-forms.js";
