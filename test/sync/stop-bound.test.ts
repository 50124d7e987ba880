/**
 * StockSync.stop() ends within its bound during an outage and says what is still
 * pending; with an outbox those changes stay for the next start, which delivers every one of
 * them. Flushes queued while one runs coalesce into one. The outbox's open errors name their
 * real cause.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { OrdergrooveClient } from "../../src/client/client.js";
import type { BatchReport } from "../../src/client/report.js";
import { explainOpenFailure, openOutbox } from "../../src/sync/outbox.js";
import { DEFAULT_STOP_TIMEOUT_MS, StockSync } from "../../src/sync/stock-sync.js";
import { CREDS } from "../helpers/mock-server.js";

const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };
const CHANGES = Array.from({ length: 400 }, (_, i) => ({ productId: `sku-${i}`, stock: 0 }));

/** A port nothing listens on: Ordergroove unreachable. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const okReport = (items: ReadonlyArray<{ product_id: string }>): BatchReport =>
  ({
    items: items.map((i) => ({ productId: i.product_id, outcome: "updated", status: 200 })),
    updated: items.map((i) => i.product_id),
    notFound: [],
    invalid: [],
    failed: [],
    requests: 1,
    retries: 0,
    ok: true,
  }) as unknown as BatchReport;

describe("StockSync.stop() during an outage", () => {
  it("returns within its bound, names what is pending, and a later start delivers every change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-stop-"));
    // The real client against an unreachable Ordergroove: it retries with backoff for a long time.
    const client = new OrdergrooveClient({
      environment: { baseUrl: `http://127.0.0.1:${await deadPort()}` },
      credentials: { kind: "hmac", ...CREDS },
    });
    const errors: Error[] = [];
    const sync = await StockSync.start({
      client,
      outbox: dir,
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    await sync.recordDurably(CHANGES);
    // The fake clock: stop()'s bound passes when the test says so, and the client's backoff
    // between attempts never ends on its own (an outage that outlasts the bound).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let stopped: Awaited<ReturnType<typeof sync.stop>>;
    try {
      const stopping = sync.stop({ timeoutMs: 1_500 });
      let settled = false;
      void stopping.finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(1_499);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      stopped = await stopping;
    } finally {
      vi.useRealTimers();
    }
    expect(stopped.timedOut).toBe(true);
    expect(stopped.pending.size).toBe(400);
    expect(stopped.pending.get("sku-0")).toBe(false);

    const delivered = new Map<string, boolean>();
    const next = await StockSync.start({
      client: {
        updateProducts: async (items) => {
          for (const i of items) delivered.set(i.product_id, i.live as boolean);
          return okReport(items);
        },
      },
      outbox: dir,
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
    });
    expect(next.replayed).toBe(400);
    expect(delivered.size).toBe(400);
    expect([...delivered.values()].every((live) => live === false)).toBe(true);
    expect(next.durablePending).toBe(0);
    const done = await next.stop();
    expect(done).toMatchObject({ timedOut: false, pending: new Map() });
  }, 20_000);

  it("bounds stop() by default well within 20 s", () => {
    expect(DEFAULT_STOP_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });
});

describe("flushes queued while one runs", () => {
  it("coalesce into one: 400 records past a full batch during an outage make one request cycle, not 301", async () => {
    const calls: number[] = [];
    const sync = new StockSync({
      client: {
        updateProducts: async (items) => {
          calls.push(items.length);
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error("Ordergroove is unreachable");
        },
      },
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
      maxPending: 100,
      onError: () => {},
    });
    for (const change of CHANGES) sync.record(change);
    await sync.flush().catch(() => {});
    // One flush for all 400 (each record past 100 asked for one), then stop()'s own last attempt.
    const stopped = await sync.stop();
    expect(calls).toEqual([400, 400]);
    expect(stopped.pending.size).toBe(400);
  });
});

describe("the outbox's open errors name the real cause", () => {
  it("a lock held, a path that is a file, a corrupt store, a LevelDB store, a read-only disk", async () => {
    const base = await mkdtemp(join(tmpdir(), "og-outbox-errors-"));
    const held = await openOutbox(join(base, "held"));
    await expect(openOutbox(join(base, "held"))).rejects.toThrow(/holds it: only one may use an outbox at a time/);
    await held.close();

    writeFileSync(join(base, "file"), "x");
    await expect(openOutbox(join(base, "file"))).rejects.toThrow(/is a file, not a directory/);
    await expect(openOutbox(join(base, "file", "sub"))).rejects.toThrow(/is a file, not a directory/);

    const corrupt = join(base, "corrupt");
    const box = await openOutbox(corrupt);
    await box.write([["a", { live: false }]]);
    await box.write([["b", { live: false }]]);
    await box.close();
    // A damaged record with good ones after it (not a crash's cut last line).
    const log = join(corrupt, "outbox.log");
    writeFileSync(log, readFileSync(log, "utf8").replace('["a"', '["a'));
    await expect(openOutbox(corrupt)).rejects.toThrow(/line 2 of its log is not a record.*The store is corrupt/);

    // An outbox written by the kit's LevelDB versions: refused, not read as empty.
    const level = join(base, "level");
    mkdirSync(level);
    for (const f of ["CURRENT", "MANIFEST-000002", "000003.log", "LOCK"]) writeFileSync(join(level, f), "");
    await expect(openOutbox(level)).rejects.toThrow(
      /holds a LevelDB outbox.*let the earlier version send what it holds/,
    );

    // A read-only disk cannot be made here without root's help (root writes anyway): its error as node:fs reports it.
    const readOnly = Object.assign(new Error("EROFS: read-only file system, open '/data/outbox/LOCK'"), {
      code: "EROFS",
    });
    const message = explainOpenFailure(readOnly, "/data/outbox");
    expect(message).toMatch(/read-only or this process may not write there/);
    for (const m of [message]) expect(m).not.toMatch(/another process/i);
    mkdirSync(join(base, "fine"));
  });
});

describe("a lock left by a process that is gone", () => {
  it("is taken over: a crashed process's, one with this process's id from an earlier run (a restarted container), a reused id", async () => {
    const base = await mkdtemp(join(tmpdir(), "og-outbox-stale-"));
    // A pid no process has: spawn one and wait for it to end.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    for (const [name, pid] of [
      ["crashed", Number(gone.stdout)],
      ["same-pid", process.pid],
    ] as const) {
      const dir = join(base, name);
      const box = await openOutbox(dir);
      await box.write([["a", { live: false }]]);
      // Killed without closing: its lock stays, naming its pid.
      writeFileSync(join(dir, "LOCK"), JSON.stringify({ pid, host: hostname(), token: "an earlier run" }));
      const next = await openOutbox(dir);
      expect(await next.load(), name).toEqual(new Map([["a", { live: false }]]));
      await next.close();
      await box.close();
    }
    // Linux tells a live holder from a process that got its id later: another start time, another boot.
    if (process.platform === "linux") {
      const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
      // When the parent started (field 22 of /proc/PID/stat, after the command in parentheses):
      // the rebooted holder has the parent's id and start time, so only the boot tells them apart.
      const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
      const started = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      for (const [name, lock] of [
        ["reused-pid", { pid: process.ppid, started: "1", boot }],
        ["rebooted", { pid: process.ppid, started, boot: "a boot before this one" }],
      ] as const) {
        const dir = join(base, name);
        mkdirSync(dir);
        writeFileSync(join(dir, "LOCK"), JSON.stringify({ ...lock, host: hostname(), token: "an earlier run" }));
        const next = await openOutbox(dir);
        await next.close();
      }
    }
    // A lock whose process is alive (this one, here its parent's) is held, and says by whom.
    const alive = join(base, "alive");
    mkdirSync(alive);
    writeFileSync(join(alive, "LOCK"), JSON.stringify({ pid: process.ppid, host: hostname(), token: "another" }));
    await expect(openOutbox(alive)).rejects.toThrow(
      new RegExp(`held by pid ${process.ppid} on .*remove .*LOCK.*only one may use an outbox at a time`),
    );
  });
});
