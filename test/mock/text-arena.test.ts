import { describe, expect, it } from "vitest";
import { Journal, type JournalEntry } from "../../mock-server/core/journal/journal.js";
import { TextArena } from "../../mock-server/core/journal/text-arena.js";

/** A deterministic generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const ALPHABET = ["a", "Z", "7", '"', "\\", "é", "ß", "€", "漢", "😀", "\u0000", "\n"];

function text(next: () => number, length: number): string {
  let out = "";
  while (out.length < length) out += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return out;
}

describe("TextArena", () => {
  it("gives back every text it holds exactly, ASCII or not, across the end of the ring and through growth", () => {
    const next = random(7);
    const arena = new TextArena(1024);
    const held: Array<{ start: number; length: number; text: string }> = [];
    for (let i = 0; i < 3000; i++) {
      // Mostly small texts, now and then one larger than the whole ring.
      const t = text(next, next() < 0.02 ? 2000 + Math.floor(next() * 3000) : Math.floor(next() * 300));
      const start = arena.put(t);
      held.push({ start, length: arena.end - start, text: t });
      // Keep a window of the last few, releasing the oldest as a journal does.
      while (held.length > 1 + Math.floor(next() * 12)) {
        const oldest = held.shift()!;
        arena.release(oldest.start + oldest.length);
      }
      for (const h of held) expect(arena.get(h.start, h.length)).toBe(h.text);
    }
    expect(arena.capacity).toBeGreaterThan(1024);
  });

  it("refuses (-1) a text UTF-8 cannot carry exactly, a lone surrogate", () => {
    const arena = new TextArena();
    expect(arena.put("ok \ud83d")).toBe(-1);
    expect(arena.put("\udc00")).toBe(-1);
    expect(arena.end).toBe(0);
  });

  it("will not read bytes it no longer holds, and starts over small after clear()", () => {
    const arena = new TextArena(16);
    const a = arena.put("first");
    arena.put("second");
    arena.release(a + 5);
    expect(() => arena.get(a, 5)).toThrow(/no longer held/);
    arena.put("x".repeat(100));
    expect(arena.capacity).toBe(128);
    arena.clear();
    expect(arena.capacity).toBe(16);
    expect(arena.end).toBe(0);
  });
});

describe("journal texts kept in the arena", () => {
  function entry(): Omit<JournalEntry, "seq"> {
    return {
      at: "2026-11-28T21:00:00.000Z",
      method: "PATCH",
      path: "/products-batch/update/",
      headers: {},
      body: null,
      principal: null,
      response: { status: 207, body: null },
    };
  }

  it("reads back what was recorded, for every entry still in the journal, however the sizes vary", () => {
    const next = random(11);
    const journal = new Journal(5);
    const recorded: Array<{ body: unknown; answer: unknown }> = [];
    for (let i = 0; i < 500; i++) {
      const body = { i, note: text(next, Math.floor(next() * (next() < 0.05 ? 40_000 : 400))) };
      const answer = { results: [{ product_id: `p${i}`, status: 200, detail: text(next, Math.floor(next() * 200)) }] };
      // Some entries have no texts at all (a GET, a refusal before the body).
      if (i % 7 === 0) journal.record({ ...entry(), body: "not json", response: { dropped: true } });
      else journal.record(entry(), { body: JSON.stringify(body), responseBody: JSON.stringify(answer) });
      recorded.push(i % 7 === 0 ? { body: "not json", answer: undefined } : { body, answer });
      const kept = journal.entries();
      expect(kept.map((e) => e.body)).toEqual(recorded.slice(-5).map((r) => r.body));
      expect(kept.map((e) => ("body" in e.response ? e.response.body : undefined))).toEqual(
        recorded.slice(-5).map((r) => r.answer),
      );
    }
  });

  it("grows its table of texts with the journal (a large limit costs nothing up front), then wraps", () => {
    const journal = new Journal(300);
    for (let i = 0; i < 450; i++) journal.record(entry(), { body: JSON.stringify({ i }), responseBody: `[${i}]` });
    const kept = journal.entries();
    expect(kept).toHaveLength(300);
    expect(kept.map((e) => (e.body as { i: number }).i)).toEqual(Array.from({ length: 300 }, (_, k) => k + 150));
    expect(kept.map((e) => ("body" in e.response ? e.response.body : null))).toEqual(
      Array.from({ length: 300 }, (_, k) => [k + 150]),
    );
    expect(journal.entries(Number.NaN)).toHaveLength(300);
    expect(journal.entries(-1)).toHaveLength(300);
    journal.clear();
    journal.record(entry(), { body: "[1]" });
    expect(journal.entries().map((e) => e.body)).toEqual([[1]]);
  });

  it("keeps a text with a lone surrogate as it is", () => {
    const journal = new Journal(3);
    const body = '{"name":"\ud83d"}';
    journal.record(entry(), { body, responseBody: '{"ok":true}' });
    journal.record(entry(), { body: "[]" });
    const [first, second] = journal.entries();
    expect(first!.body).toEqual({ name: "\ud83d" });
    expect(first!.response).toEqual({ status: 207, body: { ok: true } });
    expect(second!.body).toEqual([]);
  });

  it("shows a body nested deeper than a reader could serialise as its text, decided when read", () => {
    const journal = new Journal(2);
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    journal.record(entry(), { body: deep });
    expect(journal.entries()[0]!.body).toBe(deep);
  });
});
