/**
 * Tried as a careless client would, on loopback only and bounded in count: a spawned
 * og-mock with no journal-stream reader connected gets 1,000 bulk updates from two clients, each
 * carrying a 1 MB product_id. What the journal keeps must be what its byte budget counts: the
 * process may not grow by much more than the budget says it holds. Before: the journal's 4 KiB
 * cut of each body was a view into the whole megabyte, so the process grew by every body it was
 * sent while /__admin/health counted kilobytes (the exhaustion test missed it: its stream readers
 * serialised every entry, which let go of the megabytes). Measured: docs/reliability.md.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { CREDS } from "../helpers/mock-server.js";
import { type Started, startOgMock } from "../helpers/spawn.js";

const BATCHES = 1_000;
const ID_CHARS = 1_000_000;
/** Growth allowed beyond the budget's own count (docs/reliability.md has what was measured). */
const SLACK_MB = 200;

let og: Started;

beforeAll(async () => {
  og = await startOgMock(["--throttle", "off", "--ip-limit", "off", "--log-level", "warn"]);
}, 30_000);

afterAll(async () => {
  await og?.stop();
});

function rssMb(): number {
  const status = readFileSync(`/proc/${og.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe.skipIf(process.platform !== "linux")("og-mock's journal with no reader connected", () => {
  it("grows by what its byte budget counts, not by the bodies it was sent", async () => {
    const startMb = rssMb();
    const body = JSON.stringify([{ product_id: "x".repeat(ID_CHARS), live: false }]);
    let sent = 0;
    let peakMb = startMb;
    const client = async () => {
      while (sent < BATCHES) {
        sent++;
        const res = await fetch(`${og.url}/products-batch/update/`, {
          method: "PATCH",
          headers: { ...signedHeaders(CREDS, unixSeconds(Date.now())), "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        expect(res.status).toBe(207);
        if (sent % 25 === 0) peakMb = Math.max(peakMb, rssMb());
      }
    };
    await Promise.all([client(), client()]);
    peakMb = Math.max(peakMb, rssMb());

    const health = (await (await fetch(`${og.url}/__admin/health`)).json()) as {
      journal: { size: number; total: number; bytes: number; maxBytes: number };
    };
    const { size, total, bytes, maxBytes } = health.journal;
    expect(total).toBe(BATCHES);
    const grownMb = peakMb - startMb;
    expect(
      grownMb,
      `grew ${Math.round(grownMb)} MB (peak ${Math.round(peakMb)} MB) while the budget counted ${Math.round(bytes / 1e6)} MB`,
    ).toBeLessThan(bytes / 2 ** 20 + SLACK_MB);
    // Each entry shows at least its body's first 4 KiB, and the budget counts it.
    expect(bytes / size).toBeGreaterThanOrEqual(2 * 4096);
    expect(bytes).toBeLessThanOrEqual(maxBytes);
  }, 120_000);
});
