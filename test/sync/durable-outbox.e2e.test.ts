/**
 * StockSync loses nothing across a crash: a real child process records stock changes durably,
 * is killed with SIGKILL mid-run (twice), and is started again from the first change it had not
 * acknowledged. The fake must end with exactly the live flags the final stock implies, and
 * must never have received, for any product, a value older than one it had already received.
 */
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { desiredLive } from "../../src/sync/thresholds.js";
import { openOutbox } from "../../src/sync/outbox.js";
import { useMockServer } from "../helpers/mock-server.js";
import { ROOT } from "../helpers/spawn.js";

const og = useMockServer({ throttle: false, journalLimit: 100_000 });
const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };
const PRODUCTS = Array.from({ length: 40 }, (_, i) => `crash-${String(i).padStart(2, "0")}`);
const ROUNDS = 12;

/**
 * Each product starts in stock, runs low from a round of its own, and comes back from a later
 * one; some rounds sit between the thresholds (no change). So each product's desired value goes
 * true → false → true exactly once, and a stale value (false after the final true) is visible.
 */
function workload(): Array<{ productId: string; stock: number }> {
  const changes: Array<{ productId: string; stock: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    PRODUCTS.forEach((productId, i) => {
      const low = 1 + (i % 5);
      const back = low + 2 + (i % 4);
      const stock = round < low ? 20 + round : round < back ? (round === low + 1 ? 7 : 2) : round === back ? 8 : 15;
      changes.push({ productId, stock });
    });
  }
  return changes;
}

interface Run {
  acked: number;
  replayed: number;
  done: boolean;
}

/** Runs the worker from `first`; kills it with SIGKILL once `killAfterAcks` changes are acknowledged. */
function runWorker(args: string[], first: number, killAfterAcks?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/fixtures/outbox/worker.ts", ...args, String(first)],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    const run: Run = { acked: first - 1, replayed: 0, done: false };
    let buffered = "";
    let stderr = "";
    let acks = 0;
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", (d: Buffer) => {
      buffered += d;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, n] = line.split(" ");
        if (word === "replayed") run.replayed = Number(n);
        if (word === "done") run.done = true;
        if (word === "ack") {
          run.acked = Number(n);
          if (++acks === killAfterAcks) child.kill("SIGKILL");
        }
      }
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the worker did not finish in time: ${stderr}`));
    }, 60_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`the worker failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

describe("StockSync with a durable outbox", () => {
  it("survives SIGKILL mid-run: the fake ends with the live flags the final stock implies, no stale value sent", async () => {
    og.running.mock.catalog.upsert(PRODUCTS.map((id) => ({ external_product_id: id, live: true })));
    // Slow answers, so kills land while batches are on their way and changes are pending.
    og.running.mock.faults.set({ items: [], next: [], latencyMs: 15, dropNext: 0 });
    og.running.mock.journal.clear();
    const dir = await mkdtemp(join(tmpdir(), "og-outbox-"));
    const changesPath = join(dir, "changes.json");
    const changes = workload();
    await writeFile(changesPath, JSON.stringify(changes));
    const args = [og.url, join(dir, "outbox"), changesPath];

    const first = await runWorker(args, 0, 150);
    expect(first.done).toBe(false);
    const second = await runWorker(args, first.acked + 1, 150);
    expect(second.done).toBe(false);
    const last = await runWorker(args, second.acked + 1);
    expect(last.done).toBe(true);
    // What was pending at each kill was replayed by the next start.
    expect(second.replayed + last.replayed).toBeGreaterThan(0);

    // The end state: exactly what the whole stock history implies, with hysteresis.
    const expected = new Map(PRODUCTS.map((id) => [id, true]));
    for (const c of changes) {
      const want = desiredLive(c.stock, THRESHOLDS);
      if (want !== undefined) expected.set(c.productId, want);
    }
    for (const id of PRODUCTS) expect(og.running.mock.catalog.get(id)?.live, id).toBe(expected.get(id));

    // Nothing stale: per product, the values the fake saw, starting from its initial true, with
    // repeats collapsed, must follow the order of the desired history true → false → true. A
    // value older than one already received (false after the final true) breaks that order. The
    // sync may legitimately never send the false (a change and its reversal coalesced before a
    // flush), and a restarted sync, not knowing what Ordergroove has, may resend the current value.
    const received = new Map(PRODUCTS.map((id) => [id, [true]]));
    for (const entry of og.running.mock.journal.entries()) {
      if (entry.method !== "PATCH") continue;
      for (const item of entry.body as Array<{ product_id: string; live: boolean }>) {
        const values = received.get(item.product_id)!;
        if (values.at(-1) !== item.live) values.push(item.live);
      }
    }
    for (const id of PRODUCTS) expect([[true], [true, false, true]], id).toContainEqual(received.get(id));
    // And most products did go out and back, so the check above had something to check.
    expect(PRODUCTS.filter((id) => received.get(id)!.length === 3).length).toBeGreaterThan(PRODUCTS.length / 2);

    // And the outbox is empty once everything was confirmed.
    const outbox = await openOutbox(join(dir, "outbox"));
    expect((await outbox.load()).size).toBe(0);
    await outbox.close();
  }, 120_000);
});
