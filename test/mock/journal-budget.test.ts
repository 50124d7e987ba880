/**
 * The journal's byte budget: besides its entry count, the bodies it keeps may take at
 * most `journalMaxBytes`; the oldest entries fall off past it, and how many fell off is counted
 * and shown (/__admin/journal, health).
 */
import { describe, expect, it } from "vitest";
import { Journal } from "../../mock-server/core/journal/journal.js";
import { useMockServer } from "../helpers/mock-server.js";

const entry = (path: string) => ({
  at: "2026-11-23T12:00:00.000Z",
  method: "PATCH",
  path,
  headers: {},
  body: null,
  principal: null,
  response: { status: 400, body: null },
});
const answerOf = (i: number, bytes: number) => JSON.stringify({ detail: `${i}:`.padEnd(bytes, "x") });

describe("the journal's byte budget", () => {
  it("drops the oldest entries past the budget, counts them, and keeps the rest readable in order", () => {
    const journal = new Journal(1000, 10_000);
    for (let i = 1; i <= 50; i++) journal.record(entry(`/${i}`), { responseBody: answerOf(i, 3000) });
    expect(journal.bytes).toBeLessThanOrEqual(10_000);
    expect(journal.size).toBe(3);
    expect(journal.dropped).toBe(47);
    expect(journal.total).toBe(50);
    const kept = journal.entries();
    expect(kept.map((e) => e.path)).toEqual(["/48", "/49", "/50"]);
    expect((kept[2]!.response as { body: { detail: string } }).body.detail.startsWith("50:")).toBe(true);
  });

  it("keeps the newest entry even when it alone is over the budget", () => {
    const journal = new Journal(10, 100);
    journal.record(entry("/a"), { responseBody: answerOf(1, 50) });
    journal.record(entry("/b"), { responseBody: answerOf(2, 500) });
    expect(journal.entries().map((e) => e.path)).toEqual(["/b"]);
    expect(journal.dropped).toBe(1);
  });

  it("stays in order through growth, wrap-around and both kinds of dropping", () => {
    const journal = new Journal(300, 60_000);
    for (let i = 1; i <= 2000; i++)
      journal.record(entry(`/${i}`), { responseBody: answerOf(i, i % 97 === 0 ? 20_000 : 50 + (i % 300)) });
    const kept = journal.entries();
    const seqs = kept.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: kept.length }, (_, k) => 2000 - kept.length + 1 + k));
    for (const e of kept)
      expect((e.response as { body: { detail: string } }).body.detail).toMatch(new RegExp(`^${e.seq}:`));
    expect(journal.size).toBeLessThanOrEqual(300);
    expect(journal.bytes).toBeLessThanOrEqual(60_000);
    expect(journal.dropped).toBe(2000 - journal.size);
    expect(journal.entries(1990).map((e) => e.seq)).toEqual(seqs.filter((s) => s > 1990));
    journal.clear();
    expect([journal.size, journal.dropped, journal.bytes]).toEqual([0, 0, 0]);
  });

  it("counts entries dropped over the entry count too", () => {
    const journal = new Journal(5);
    for (let i = 0; i < 12; i++) journal.record(entry(`/${i}`));
    expect([journal.size, journal.dropped]).toEqual([5, 7]);
  });

  it("refuses a budget that is not a whole number ≥ 1", () => {
    expect(() => new Journal(10, 0)).toThrow(/byte budget/);
  });
});

describe("the budget over HTTP", () => {
  const og = useMockServer({ journalLimit: 100, journalMaxBytes: 8_000, throttle: false });

  it("shows what fell off in /__admin/journal and health", async () => {
    for (let i = 0; i < 30; i++) await og.patchBatch([{ product_id: `sku-${i}`.padEnd(200, "x"), live: false }]);
    const journal = (await og.admin("GET", "journal")).body as { total: number; dropped: number; entries: unknown[] };
    expect(journal.total).toBe(30);
    expect(journal.dropped).toBe(30 - journal.entries.length);
    expect(journal.dropped).toBeGreaterThan(0);
    const health = (await og.admin("GET", "health")).body as { journal: Record<string, number> };
    expect(health.journal).toMatchObject({ dropped: journal.dropped, maxBytes: 8_000 });
    expect(health.journal.bytes).toBeLessThanOrEqual(8_000);
  });

  it("does not echo an absurd product_id back whole: its first 255 characters, and says so", async () => {
    const id = "x".repeat(300_000);
    const answer = await og.patchBatch([
      { product_id: id, live: false },
      { product_id: "og-coffee-beans-1kg", live: false },
    ]);
    expect(answer.text.length).toBeLessThan(2_000);
    const [first, second] = (answer.body as { results: Array<{ product_id: string; status: number; detail: string }> })
      .results;
    expect(first).toEqual({
      product_id: `${"x".repeat(255)}…`,
      status: 400,
      detail:
        "product_id: must NOT have more than 255 characters; got 300000 (the product_id above is its first 255 and an ellipsis)",
    });
    expect(second).toMatchObject({ product_id: "og-coffee-beans-1kg", status: 200 });
  });
});
