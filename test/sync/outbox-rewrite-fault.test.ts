/**
 * The outbox rewrites its log once it holds many more records than entries (a new file, renamed
 * over the old one). A disk that starts failing at any step of that rewrite (an open, a write, an
 * fsync, the rename, a close: EIO, EMFILE), and goes on failing for a while, must cost no
 * acknowledged write, before or after it: the outbox keeps appending to the log that is at its
 * path, whichever one that is, and a later rewrite that fails too cannot rescue what went elsewhere.
 *
 * node:fs's synchronous calls are the real ones, each able to fail once on purpose: the only way
 * to make a disk fail at one chosen step.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The rewrite's synchronous calls, counted once armed; from the one at `failAt` on, each throws EIO. */
const disk = vi.hoisted(() => ({ armed: false, calls: 0, failAt: -1, failed: "" }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const failing =
    <A extends unknown[], R>(name: string, call: (...args: A) => R) =>
    (...args: A): R => {
      if (disk.armed && disk.calls++ >= disk.failAt) {
        disk.failed ||= name;
        throw Object.assign(new Error(`EIO: i/o error, ${name}`), { code: "EIO" });
      }
      return call(...args);
    };
  const wrapped = {
    ...fs,
    openSync: failing("open", fs.openSync),
    writeSync: failing("write", fs.writeSync as (...args: unknown[]) => number),
    fsyncSync: failing("fsync", fs.fsyncSync),
    renameSync: failing("rename", fs.renameSync),
    closeSync: failing("close", fs.closeSync),
  };
  return { ...wrapped, default: wrapped };
});

const { openOutbox } = await import("../../src/sync/outbox.js");

const dirs: string[] = [];
afterEach(async () => {
  disk.armed = false;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Enough records for one product to make the outbox rewrite its log once they are applied. */
const CHURN = Array.from({ length: 10_000 }, (_, i) => ["churn", { live: i % 2 === 0 }] as const);

describe("the outbox's log rewrite, failing at each of its steps", () => {
  it("loses no acknowledged write, whichever step of the rewrite fails", async () => {
    const failedSteps: string[] = [];
    for (let failAt = 0; failAt < 12; failAt++) {
      const dir = await mkdtemp(join(tmpdir(), "og-outbox-rewrite-"));
      dirs.push(dir);
      const box = await openOutbox(dir);
      await box.write([["before", { live: false }]]);
      Object.assign(disk, { armed: true, calls: 0, failAt, failed: "" });
      // The appends themselves are asynchronous (not counted); the rewrites after them are what fail.
      await box.write(CHURN);
      await box.write([["after", { live: true }]]);
      disk.armed = false;
      if (disk.failed) failedSteps.push(disk.failed);
      await box.close();

      const reopened = await openOutbox(dir);
      const left = await reopened.load();
      await reopened.close();
      expect({ failAt, failed: disk.failed, left: Object.fromEntries(left) }).toEqual({
        failAt,
        failed: disk.failed,
        left: { before: { live: false }, churn: { live: false }, after: { live: true } },
      });
    }
    // Every kind of step was made to fail at least once.
    expect(new Set(failedSteps)).toEqual(new Set(["open", "write", "fsync", "rename", "close"]));
  });
});
