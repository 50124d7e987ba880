/** A calibration profile as og-contract --record writes one, and a place to write it, for the profile tests. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CalibrationProfile } from "../../mock-server/core/calibration/behaviours.js";

export const PROFILE: CalibrationProfile = {
  format: "og-profile/1",
  kit: "ordergroove-stock-kit@0.1.0",
  target: "https://staging.restapi.ordergroove.com",
  recordedAt: "2026-11-28T12:00:00.000Z",
  productIds: ["sku-1", "sku-2"],
  observations: {
    "answer.batchStatus": 200,
    "answer.batchForm": "list",
    "auth.failureStatus": 401,
    "auth.missing.status": 401,
    "auth.wrongHashKey.status": 403,
    "answer.priceType": "string",
    "behaviour.tooManyItems": "process",
    "behaviour.missingContentType": "assume-json",
    "behaviour.retryAfter": "not-observed",
  },
};

let dir: string | undefined;
export async function file(name: string, content: unknown): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), "og-profile-"));
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}
