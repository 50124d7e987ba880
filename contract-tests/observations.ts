/**
 * What a target did where Ordergroove's documentation is silent, in one structured place.
 *
 * Assumption clauses of the contract suite never fail a real target: they `observe(key, value)`
 * what it did. The run prints every observation in its summary, adds each to the JUnit file (as a
 * test annotation of type "observed"), and, with `--observations FILE` (OG_CONTRACT_OBSERVATIONS),
 * writes them all as JSON. Calibration profiles are recorded from exactly this data, so the keys
 * are stable, and each is named after the fake's setting it calibrates (mock-server/core/options.ts):
 */
import { writeFile } from "node:fs/promises";

export const OBSERVATION_KEYS = {
  /** HTTP status of a processed batch: 200 or 207 (both documented). Setting: answer.batchStatus. */
  "answer.batchStatus": "status of a processed batch (200 or 207)",
  /** Form of a batch answer: "object" ({"results"}) or "list" ([{"results"}]). Setting: answer.batchForm. */
  "answer.batchForm": 'form of a batch answer ("object" or "list")',
  /** Status of refused credentials: 401 or 403 (both documented). Setting: auth.failureStatus. */
  "auth.failureStatus": "status of refused credentials (401 or 403)",
  /** A batch of 101 items: the refusal status, or "process". Setting: behaviour.tooManyItems. */
  "behaviour.tooManyItems": 'answer to 101 items (a status, or "process")',
  /** Status of a JSON body that is not a list. Setting: behaviour.nonListBody. */
  "behaviour.nonListBody": "status of a JSON body that is not a list",
  /** An item with a field the spec does not know: "ignore" (item 200) or "refuse" (item 400). Setting: behaviour.unknownFields. */
  "behaviour.unknownFields": 'what an unknown item field gets ("ignore" or "refuse")',
  /** Status of a JSON body sent as text/plain, or "accepted". Setting: behaviour.unsupportedMediaType. */
  "behaviour.unsupportedMediaType": 'status of a body sent as text/plain (or "accepted")',
  /** A body without content-type: "refuse" or "assume-json". Setting: behaviour.missingContentType. */
  "behaviour.missingContentType": 'a body without content-type ("refuse" or "assume-json")',
  /** Form of Retry-After on a 429: "seconds", "http-date", "absent", or "not-observed" (no 429 seen). Setting: behaviour.retryAfter. */
  "behaviour.retryAfter": 'form of Retry-After on a 429 ("seconds", "http-date", "absent", "not-observed")',
  /** An authorization whose ts is a JSON string: "accept" or "refuse". Setting: behaviour.tsAsString. */
  "behaviour.tsAsString": 'a signature whose ts is a JSON string ("accept" or "refuse")',
} as const;

export type ObservationKey = keyof typeof OBSERVATION_KEYS;
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
  target: { kind: "mock" | "remote"; baseUrl: string };
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

/** "seconds", "http-date" or "absent", from a Retry-After header value. */
export function retryAfterForm(value: string | null | undefined): "seconds" | "http-date" | "absent" | "other" {
  if (value === null || value === undefined) return "absent";
  if (/^\d+$/.test(value.trim())) return "seconds";
  return Number.isNaN(Date.parse(value)) ? "other" : "http-date";
}
