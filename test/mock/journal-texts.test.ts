import { describe, expect, it } from "vitest";
import { Journal, type JournalEntry } from "../../mock-server/core/journal/journal.js";

const items = [
  { product_id: "a", live: false },
  { product_id: "b", price: "9.99" },
];
const results = {
  results: [
    { product_id: "a", status: 200 },
    { product_id: "b", status: 404, detail: "Not found." },
  ],
};

function eager(): Omit<JournalEntry, "seq"> {
  return {
    at: "2026-11-28T21:00:00.000Z",
    method: "PATCH",
    path: "/products-batch/update/",
    headers: { authorization: "[redacted]" },
    body: items,
    principal: null,
    response: { status: 207, body: results },
    ms: 0.5,
  };
}

describe("a journal entry kept as JSON texts (parsed when read)", () => {
  it("reads back byte for byte as the entry kept parsed, and listeners get the same", () => {
    const kept = new Journal(10);
    const lazy = new Journal(10);
    const heard: JournalEntry[] = [];
    lazy.subscribe({ entry: (e) => heard.push(e), cleared: () => {} });
    kept.record(eager());
    lazy.record(
      { ...eager(), body: null, response: { status: 207, body: null } },
      { body: JSON.stringify(items), responseBody: JSON.stringify(results) },
    );
    expect(JSON.stringify(lazy.entries())).toBe(JSON.stringify(kept.entries()));
    expect(lazy.entries()).toStrictEqual(kept.entries());
    expect(JSON.stringify(heard)).toBe(JSON.stringify(kept.entries()));
  });

  it("keeps only the texts given: a dropped answer stays dropped, the rest as recorded", () => {
    const journal = new Journal(2);
    journal.record({ ...eager(), body: null, response: { dropped: true } }, { body: "[1,2]" });
    journal.record({ ...eager(), body: "not json" });
    journal.record({ ...eager(), body: null }, { body: "{}" });
    const [first, second] = journal.entries();
    expect(first).toMatchObject({ seq: 2, body: "not json", response: { status: 207, body: results } });
    expect(second).toMatchObject({ seq: 3, body: {} });
    expect(journal.entries(2).map((e) => e.seq)).toEqual([3]);
  });
});

describe("a long text the journal cuts short", () => {
  it("is cut before an emoji it would split: what the journal shows stays valid Unicode", async () => {
    const { createOrdergrooveMock } = await import("../../mock-server/core/mock.js");
    const mock = createOrdergrooveMock({ throttle: false });
    // The 4,096th unit is the first half of the emoji: a cut by units alone left a lone surrogate.
    const note = `${"a".repeat(4095)}🍵 and more`;
    mock.handle({ method: "GET", path: "/products/", headers: { "x-note": note }, body: "" });
    const kept = mock.journal.entries().at(-1)!.headers["x-note"]!;
    expect(kept).toBe(`${"a".repeat(4095)}…`);
    expect((kept as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
  });
});
