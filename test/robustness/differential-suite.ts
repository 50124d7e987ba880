/**
 * The differential suite (issue 34): the kit's client and StockSync, through the package's public
 * entries, against the kit's fake, in-process (MSW) and over HTTP (`startMockServer`), on inputs
 * drawn from the whole space the spec allows: ids of any allowed length and alphabet (astral
 * characters, dot segments, URL metacharacters, whitespace), ids past the limit, repeated ids, 0
 * to 250 items, both answer forms and statuses, injected faults, throttling with both Retry-After
 * forms, and timeouts. Each case checks:
 *
 * - the report partitions the input (one outcome per item, in order, in exactly one list);
 * - every item reported `updated` changed in the catalog, and a product ends as the last
 *   occurrence asked when that occurrence is reported updated; a product no item changed is as
 *   it was;
 * - nothing is sent twice except counted retries (the fake received `report.requests` batches,
 *   and each batch of the input was answered at most once, exactly once unless it failed);
 * - the journal holds what was received, and the catalog is what the journal says was applied;
 * - the assertions (`expectSetLive`, `expectProductLive`, `expectBatchRequests`) agree with it;
 * - reads (`getProduct`, `listProducts` by `external_product_ids[]`) find each product by its id.
 *
 * fast-check prints the shrunk input of a failing case. `OG_DIFF_SEED` replays one run.
 */
import fc from "fast-check";
import { type BatchReport, desiredLive, OrdergrooveClient, StockSync } from "ordergroove-stock-kit";
import { type RunningMockServer, startMockServer } from "ordergroove-stock-kit/server";
import {
  type JournalEntry,
  ManualClock,
  type OrdergrooveMerchants,
  type OrdergrooveMock,
  type ProductSeed,
} from "ordergroove-stock-kit/mock";
import * as assertions from "ordergroove-stock-kit/msw";
import { setupOrdergrooveMock } from "ordergroove-stock-kit/msw";
import { pino } from "pino";
import { afterAll, beforeAll, describe, it } from "vitest";

/** Taken before MSW patches the global fetch, so the HTTP host is reached over a real socket. */
const socketFetch = globalThis.fetch.bind(globalThis);

const BATCH_PATH = "/products-batch/update/";
const MAX_ID = 255;

/** One way of serving the fake, as a merchant's suite would start it. */
interface Host {
  readonly name: string;
  readonly baseUrl: string;
  readonly fetch: (request: Request) => Promise<Response>;
  readonly merchants: OrdergrooveMerchants;
  readonly clock: ManualClock;
}

/**
 * Each case has a merchant of its own, removed after it: an attempt that timed out may reach the
 * fake after its case ended, and it then meets a merchant that is gone, not the next case's.
 */
interface Case {
  readonly mock: OrdergrooveMock;
  readonly apiKey: string;
  end(): void;
}

let cases = 0;

function openCase(host: Host): Case {
  const n = ++cases;
  const apiKey = `og-diff-key-${n}`;
  const publicId = `og-diff-merchant-${n}`;
  const mock = host.merchants.add({
    credentials: { publicId, apiKeys: [apiKey], apiUsers: [], merchantHashKey: `og-diff-hash-${n}` },
    clock: host.clock,
    throttle: false,
  });
  return { mock, apiKey, end: () => host.merchants.remove(publicId) };
}

export function mswHost(): Host & { start(): void; stop(): void } {
  const clock = new ManualClock();
  let og: ReturnType<typeof setupOrdergrooveMock> | undefined;
  return {
    name: "in-process (MSW)",
    baseUrl: "https://restapi.ordergroove.com",
    fetch: (request) => globalThis.fetch(request),
    clock,
    get merchants() {
      return og!.merchants;
    },
    start() {
      og = setupOrdergrooveMock({ clock, ipLimit: false });
      og.listen();
    },
    stop: () => og?.close(),
  };
}

export function httpHost(): Host & { start(): Promise<void>; stop(): Promise<void> } {
  const clock = new ManualClock();
  let running: RunningMockServer | undefined;
  return {
    name: "over HTTP (startMockServer)",
    get baseUrl() {
      return running!.url;
    },
    fetch: (request) => socketFetch(request),
    clock,
    get merchants() {
      return running!.merchants;
    },
    async start() {
      running = await startMockServer({ port: 0, clock, ipLimit: false, logger: pino({ level: "silent" }) });
    },
    stop: async () => running?.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Characters an id may hold, weighted towards the ones that break things. */
const idUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcdefxyzABZ0189-_") },
  { weight: 2, arbitrary: fc.constantFrom(..."?#%&/+=,;:@!$'()*[]{}|\\\"<>^`~.") },
  { weight: 1, arbitrary: fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u2028", "\u200b") },
  { weight: 2, arbitrary: fc.constantFrom("é", "ß", "中", "\u{1F9C3}", "\u{1F600}", "\u{10FFFF}", "\u{1D11E}") },
);

/** Characters (code points), as the spec's maxLength counts them. */
const characters = (s: string) => [...s].length;

/** A valid id: 1 to 255 characters, short ones common, the limit reached, dot segments included. */
const validId = fc
  .oneof(
    { weight: 8, arbitrary: fc.string({ unit: idUnit, minLength: 1, maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: idUnit, minLength: 200, maxLength: MAX_ID }) },
    { weight: 1, arbitrary: fc.constantFrom(".", "..", "\u{1F9C3}".repeat(MAX_ID), "a".repeat(MAX_ID)) },
  )
  .map((id) => (characters(id) > MAX_ID ? [...id].slice(0, MAX_ID).join("") : id));

/** An id past the limit: the fake refuses it, whatever its alphabet. */
const tooLongId = fc
  .string({ unit: idUnit, minLength: 1, maxLength: 40 })
  .map((tail) => `${"x".repeat(MAX_ID)}${tail}`);

interface Fault {
  status: 429 | 500 | 503;
  count: number;
}

interface Scenario {
  /** Ids the catalog holds, with their live flag before the case. */
  seeded: Array<{ id: string; live: boolean }>;
  /** Every id the case may name: seeded, unknown and too long. */
  pool: string[];
  batchStatus: 200 | 207;
  batchForm: "object" | "list";
  retryAfter: "seconds" | "http-date";
  faults: Fault[];
  dropNext: number;
  /** The fake's throttle: off, or a tight window the client must wait out. */
  throttle: false | { limit: number; windowMs: number };
  /** The client's own bulk window. */
  rateLimit: false | { limit: number; windowMs: number };
  concurrency: number;
  /** Every answer slower than the client waits: each attempt times out (rare: it costs real time). */
  timeouts: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    seeded: fc.uniqueArray(fc.record({ id: validId, live: fc.boolean() }), {
      minLength: 1,
      maxLength: 30,
      selector: (p) => p.id,
    }),
    unknown: fc.array(validId, { maxLength: 5 }),
    tooLong: fc.array(tooLongId, { maxLength: 1 }),
    batchStatus: fc.constantFrom(200 as const, 207 as const),
    batchForm: fc.constantFrom("object" as const, "list" as const),
    retryAfter: fc.constantFrom("seconds" as const, "http-date" as const),
    faults: fc.array(
      fc.record({
        status: fc.constantFrom(429 as const, 500 as const, 503 as const),
        count: fc.integer({ min: 1, max: 2 }),
      }),
      { maxLength: 2 },
    ),
    dropNext: fc.integer({ min: 0, max: 1 }),
    throttle: fc.oneof(
      { weight: 3, arbitrary: fc.constant(false as const) },
      { weight: 1, arbitrary: fc.record({ limit: fc.integer({ min: 1, max: 3 }), windowMs: fc.constant(1000) }) },
    ),
    rateLimit: fc.oneof(
      { weight: 3, arbitrary: fc.constant(false as const) },
      { weight: 1, arbitrary: fc.record({ limit: fc.integer({ min: 1, max: 2 }), windowMs: fc.constant(1000) }) },
    ),
    concurrency: fc.integer({ min: 1, max: 3 }),
    timeouts: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  .map(({ seeded, unknown, tooLong, ...rest }) => {
    const known = new Set(seeded.map((s) => s.id));
    return { seeded, pool: [...known, ...unknown.filter((id) => !known.has(id)), ...tooLong], ...rest };
  });

/** A valid price: whole cents as a number (how the connector sends it) or a decimal string. */
const price = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .integer({ min: 0, max: 9_999_999_999 })
      .chain((cents) => fc.constantFrom(cents / 100, (cents / 100).toFixed(cents % 100 === 0 ? 0 : 2))),
  },
  // A third decimal, refused as a number and as a string alike.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 9_999_999 })
      .chain((tenths) => fc.constantFrom(tenths / 1000 + 0.0005, (tenths / 1000 + 0.0005).toFixed(4).slice(0, -1))),
  },
);

/** A price past two decimals (the spec's multipleOf: 0.01, its string's pattern). */
function pastTwoDecimals(p: number | string | undefined): boolean {
  return p !== undefined && !/^\d+(\.\d{1,2})?$/.test(typeof p === "number" ? String(p) : p);
}

interface Item {
  product_id: string;
  live: boolean;
  price?: number | string;
}

/** 0 to 250 items over the scenario's ids: repeats are common, as a pool is small; some change the price too. */
function itemsOf(pool: string[]): fc.Arbitrary<Item[]> {
  return fc.array(
    fc.record(
      { product_id: fc.constantFrom(...pool), live: fc.boolean(), price },
      { requiredKeys: ["product_id", "live"] },
    ),
    // fast-check's default size keeps lists short; a batch boundary (100) is what matters here.
    { maxLength: 250, size: "max" },
  );
}

/** Stock changes over the scenario's ids, with flushes between some of them. */
function changesOf(pool: string[]) {
  return fc.array(
    fc.oneof(
      {
        weight: 9,
        arbitrary: fc.record({ productId: fc.constantFrom(...pool), stock: fc.integer({ min: 0, max: 12 }) }),
      },
      { weight: 1, arbitrary: fc.constant("flush" as const) },
    ),
    { maxLength: 120, size: "max" },
  );
}

// ---------------------------------------------------------------------------------------------
// Running a case

const THRESHOLDS = { lowStockAt: 3, restockAt: 8 };

function prepare(host: Host, s: Scenario): Case {
  const c = openCase(host);
  const mock = c.mock;
  mock.catalog.seed(s.seeded.map(({ id, live }): ProductSeed => ({ external_product_id: id, live })));
  mock.setAnswer({ batchStatus: s.batchStatus, batchForm: s.batchForm });
  mock.setBehaviour({ retryAfter: s.retryAfter });
  mock.setThrottle(s.throttle);
  for (const f of s.faults) mock.faults.failNext(f.status, f.count);
  if (s.dropNext) mock.faults.dropNext(s.dropNext);
  if (s.timeouts) mock.faults.setLatency(30);
  return c;
}

function clientFor(host: Host, c: Case, s: Scenario): OrdergrooveClient {
  return new OrdergrooveClient({
    environment: { baseUrl: host.baseUrl },
    credentials: { kind: "api-key", apiKey: c.apiKey },
    fetch: host.fetch,
    now: () => host.clock.now(),
    sleep: async (ms) => host.clock.advance(ms),
    random: () => 0.5,
    concurrency: s.concurrency,
    rateLimit: s.rateLimit,
    ...(s.timeouts ? { timeoutMs: 10, retry: { maxAttempts: 2 } } : {}),
  });
}

function batchEntries(mock: OrdergrooveMock): JournalEntry[] {
  return mock.journal.entries().filter((e) => e.method === "PATCH" && e.path.split("?")[0] === BATCH_PATH);
}

class Broken extends Error {}
function check(ok: boolean, why: () => string): void {
  if (!ok) throw new Broken(why());
}

/** The report is one outcome per input item, in order, each in exactly one list. */
function checkPartition(report: BatchReport, items: ReadonlyArray<{ product_id: string }>): void {
  check(report.items.length === items.length, () => `report has ${report.items.length} items for ${items.length}`);
  report.items.forEach((o, i) => {
    check(o.index === i && o.productId === items[i]!.product_id, () => `item ${i} reported as ${JSON.stringify(o)}`);
  });
  const lists = [report.updated, report.notFound, report.invalid, report.failed];
  const seen = new Set<number>();
  for (const list of lists) for (const o of list) seen.add(o.index);
  const listed = lists.reduce((n, l) => n + l.length, 0);
  check(listed === items.length && seen.size === items.length, () => `lists hold ${listed} for ${items.length} items`);
  check(report.ok === (report.updated.length === items.length), () => `ok is ${report.ok}`);
}

/** What the journal says the fake applied, replayed on the seed: must be the catalog. */
function checkJournalAgainstCatalog(mock: OrdergrooveMock, s: Scenario, entries: JournalEntry[]): void {
  const state = new Map(s.seeded.map(({ id, live }) => [id, live]));
  for (const e of entries) {
    if (!("status" in e.response) || (e.response.status !== 200 && e.response.status !== 207)) continue;
    check(Array.isArray(e.body), () => `answered batch #${e.seq} journaled as ${typeof e.body}`);
    const body = e.response.body as { results?: unknown } | Array<{ results: unknown[] }>;
    const results = (Array.isArray(body) ? body.flatMap((b) => b.results) : body.results) as Array<{
      status: number;
    }>;
    (e.body as Item[]).forEach((item, i) => {
      if (results[i]?.status === 200) state.set(item.product_id, item.live);
    });
  }
  for (const [id, live] of state) {
    const now = mock.catalog.get(id)?.live;
    check(now === live, () => `the journal says ${JSON.stringify(id)} is live=${live}; the catalog says ${now}`);
  }
}

export async function clientCase(host: Host, s: Scenario, items: Item[]) {
  const c = prepare(host, s);
  try {
    await clientChecks(host, c, s, items);
  } finally {
    c.end();
  }
}

async function clientChecks(host: Host, c: Case, s: Scenario, items: Item[]) {
  const mock = c.mock;
  const report = await clientFor(host, c, s).updateProducts(items);
  checkPartition(report, items);
  // A failure needs a cause the scenario holds: a timeout, or retries used up.
  for (const o of report.failed) {
    const error = o.error;
    check(
      (s.timeouts && error?.name === "TimeoutError") || error?.attempts === (s.timeouts ? 2 : 5),
      () => `item ${o.index} failed after ${error?.attempts} attempt(s), with no cause: ${o.reason}`,
    );
  }
  const entries = batchEntries(mock);
  // Nothing sent twice except counted retries. An attempt that timed out may never have reached
  // the fake (aborted before it was read), so with timeouts it may have fewer.
  check(
    s.timeouts ? entries.length <= report.requests : entries.length === report.requests,
    () => `the fake got ${entries.length} batches; report says ${report.requests}`,
  );
  const chunks: string[] = [];
  for (let i = 0; i < items.length; i += 100) chunks.push(JSON.stringify(items.slice(i, i + 100)));
  const texts = entries.map((e) => JSON.stringify(e.body));
  const answered = texts.filter((_, k) => {
    const response = entries[k]!.response;
    return "status" in response && (response.status === 200 || response.status === 207);
  });
  chunks.forEach((chunk, c) => {
    const times = answered.filter((text) => text === chunk).length;
    const failed = report.items.slice(c * 100, c * 100 + 100).some((o) => o.outcome === "failed");
    // A batch whose answer timed out was answered by the fake on every attempt: a retry that
    // then came back in time applies it twice (counted, and harmless for the same values).
    check(failed || times === 1 || (s.timeouts && times > 1), () => `batch ${c} was answered ${times} times`);
    check(s.timeouts || times <= 1, () => `batch ${c} was applied ${times} times`);
  });
  // Retry-After honoured, in either form: a throttled batch comes back no sooner than asked (when
  // the client saw the 429: with timeouts it may have given up on that answer before it came).
  if (!s.timeouts)
    entries.forEach((e, k) => {
      const asked = /Expected available in (\d+) seconds/.exec(
        "status" in e.response && e.response.status === 429
          ? String((e.response.body as { detail?: unknown })?.detail)
          : "",
      );
      const again = texts.findIndex((text, later) => later > k && text === texts[k]);
      if (!asked || again < 0) return;
      const waited = Date.parse(entries[again]!.at) - Date.parse(e.at);
      check(
        waited >= Number(asked[1]) * 1000,
        () => `a 429 asked ${asked[1]} s; the batch came back after ${waited} ms`,
      );
    });
  // The journal holds what was received: every batch as sent, answered, refused or dropped.
  texts.forEach((text, k) => {
    check(chunks.includes(text), () => `journal entry #${entries[k]!.seq} is not a batch as sent`);
  });
  checkJournalAgainstCatalog(mock, s, entries);
  // Updated items changed the catalog, and a product ends as its last occurrence asked.
  const last = new Map<string, number>();
  items.forEach((item, i) => last.set(item.product_id, i));
  const seeded = new Map(s.seeded.map(({ id, live }) => [id, live]));
  for (const [id, i] of last) {
    const outcomes = report.items.filter((o) => o.productId === id);
    const final = mock.catalog.get(id)?.live;
    if (report.items[i]!.outcome === "updated") {
      check(
        final === items[i]!.live,
        () => `${JSON.stringify(id)}: last occurrence (item ${i}) asked ${items[i]!.live}, catalog ${final}`,
      );
      assertions.expectSetLive(mock, id, items[i]!.live);
      assertions.expectProductLive(mock, id, items[i]!.live);
      const priced = items.filter(
        (item, k) => item.product_id === id && item.price !== undefined && report.items[k]!.outcome === "updated",
      );
      const asked = priced.at(-1)?.price;
      const stored = mock.catalog.get(id)?.price;
      check(
        asked === undefined || Number(stored) === Number(asked),
        () => `${JSON.stringify(id)}: price ${JSON.stringify(asked)} asked last, ${JSON.stringify(stored)} stored`,
      );
    }
    if (outcomes.every((o) => o.outcome === "not_found" || o.outcome === "invalid")) {
      check(final === seeded.get(id), () => `${JSON.stringify(id)} changed though no item of it was applied`);
    }
    for (const o of outcomes) {
      if (o.outcome === "not_found")
        check(!seeded.has(id), () => `${JSON.stringify(id)} is seeded but reported not found`);
      if (o.outcome === "updated") check(seeded.has(id), () => `${JSON.stringify(id)} is unknown but reported updated`);
      if (o.outcome === "invalid")
        check(
          characters(id) > MAX_ID || pastTwoDecimals(items[o.index]!.price),
          () => `${JSON.stringify(items[o.index])} is valid but reported invalid: ${o.reason}`,
        );
      if (o.outcome === "updated")
        check(!pastTwoDecimals(items[o.index]!.price), () => `${JSON.stringify(items[o.index])} was applied`);
    }
    // The assertions agree with the journal: a product nothing was applied to was "never set".
    if (!outcomes.some((o) => o.outcome === "updated" || o.outcome === "failed")) {
      check(
        throws(() => assertions.expectSetLive(mock, id, true)) &&
          throws(() => assertions.expectSetLive(mock, id, false)),
        () => `expectSetLive passes for ${JSON.stringify(id)}, never applied`,
      );
    }
  }
  if (!s.timeouts) assertions.expectBatchRequests(mock, report.requests);
}

function throws(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

/** Reads find each product by its id, whatever it holds: the path for one, the listing's filter for many. */
export async function readCase(host: Host, s: Scenario, ids: string[]) {
  const quiet = { ...s, faults: [], dropNext: 0, throttle: false as const, timeouts: false };
  const c = prepare(host, quiet);
  try {
    await readChecks(clientFor(host, c, quiet), s, ids);
  } finally {
    c.end();
  }
}

async function readChecks(client: OrdergrooveClient, s: Scenario, ids: string[]) {
  const seeded = new Map(s.seeded.map(({ id, live }) => [id, live]));
  for (const id of ids) {
    const product = characters(id) > MAX_ID ? null : await client.getProduct(id);
    check(
      seeded.has(id) ? product?.external_product_id === id && product.live === seeded.get(id) : product === null,
      () => `getProduct(${JSON.stringify(id)}) gave ${JSON.stringify(product)?.slice(0, 200)}`,
    );
  }
  const listed: string[] = [];
  for await (const p of client.listProducts({ "external_product_ids[]": ids, autoship_enabled: "all" })) {
    listed.push(p.external_product_id);
  }
  const expected = s.seeded.map((p) => p.id).filter((id) => ids.includes(id));
  check(
    JSON.stringify(listed) === JSON.stringify(expected),
    () => `listing ${JSON.stringify(ids)} gave ${JSON.stringify(listed)}`,
  );
}

/** StockSync over the same fake: once the faults are spent, every product is live as its last stock says. */
export async function syncCase(
  host: Host,
  s: Scenario,
  changes: Array<{ productId: string; stock: number } | "flush">,
) {
  const c = prepare(host, { ...s, timeouts: false });
  try {
    await syncChecks(clientFor(host, c, { ...s, timeouts: false }), c.mock, s, changes);
  } finally {
    c.end();
  }
}

async function syncChecks(
  client: OrdergrooveClient,
  mock: OrdergrooveMock,
  s: Scenario,
  changes: Array<{ productId: string; stock: number } | "flush">,
) {
  const flushes: BatchReport[] = [];
  const sync = new StockSync({
    client,
    thresholds: THRESHOLDS,
    flushIntervalMs: 0,
    onFlush: (f) => flushes.push(f.report),
    onError: () => {},
  });
  const want = new Map<string, boolean>();
  for (const change of changes) {
    if (change === "flush") {
      await sync.flush();
      continue;
    }
    sync.record(change);
    const live = desiredLive(change.stock, THRESHOLDS);
    if (live !== undefined) want.set(change.productId, live);
  }
  for (let round = 0; round < 6 && sync.pending.size > 0; round++) await sync.flush();
  await sync.close();
  check(
    sync.pending.size === 0,
    () => `still pending after the faults were spent: ${[...sync.pending.keys()].join(", ")}`,
  );
  const seeded = new Map(s.seeded.map(({ id, live }) => [id, live]));
  for (const report of flushes) {
    const sentIds = report.items.map((o) => o.productId!);
    check(new Set(sentIds).size === sentIds.length, () => "a flush sent one product twice");
  }
  for (const [id, live] of want) {
    const final = mock.catalog.get(id)?.live;
    if (seeded.has(id) && characters(id) <= MAX_ID) {
      check(final === live, () => `${JSON.stringify(id)}: its last stock asks live=${live}; the catalog says ${final}`);
      check(sync.lastTold(id) === live, () => `${JSON.stringify(id)}: lastTold ${sync.lastTold(id)}, not ${live}`);
      assertions.expectProductLive(mock, id, live);
    } else {
      check(final === seeded.get(id), () => `${JSON.stringify(id)} was not valid or not known, yet changed`);
    }
  }
  checkJournalAgainstCatalog(mock, s, batchEntries(mock));
}

// ---------------------------------------------------------------------------------------------
// The suite

export interface Runs {
  client: number;
  sync: number;
  reads: number;
}

const seed = process.env.OG_DIFF_SEED ? Number(process.env.OG_DIFF_SEED) : undefined;

/** A case takes a few ms, more on a loaded machine (and a timeouts case real time): room for that. */
function timeoutFor(cases: number): number {
  return Math.max(20_000, cases * 200);
}

export function differentialSuite(runs: Runs): void {
  const msw = mswHost();
  const http = httpHost();
  for (const [host, start, stop] of [
    [msw, () => msw.start(), () => msw.stop()],
    [http, () => http.start(), () => http.stop()],
  ] as const) {
    describe(`client and StockSync against the fake ${host.name}`, () => {
      beforeAll(start);
      afterAll(stop);
      // Shrinking a failure can take minutes: stopped a little before the test's own timeout,
      // fast-check reports the smallest failing input found by then. A run cut short without a
      // failure passes with the cases it ran.
      const options = (cases: number) => ({
        numRuns: cases,
        interruptAfterTimeLimit: timeoutFor(cases) - 5_000,
        ...(seed === undefined ? {} : { seed }),
      });

      it(
        `updateProducts: the report, the journal, the catalog and the assertions agree (${runs.client} cases)`,
        async () => {
          await fc.assert(
            fc.asyncProperty(
              scenario.chain((s) => fc.tuple(fc.constant(s), itemsOf(s.pool))),
              ([s, items]) => clientCase(host, s, items),
            ),
            options(runs.client),
          );
        },
        timeoutFor(runs.client),
      );

      it(
        `reads find every id, whatever its characters (${runs.reads} cases)`,
        async () => {
          await fc.assert(
            fc.asyncProperty(
              scenario.chain((s) =>
                fc.tuple(fc.constant(s), fc.subarray(s.pool, { minLength: 1, maxLength: Math.min(4, s.pool.length) })),
              ),
              ([s, ids]) => readCase(host, s, ids),
            ),
            options(runs.reads),
          );
        },
        timeoutFor(runs.reads),
      );

      it(
        `StockSync: once faults are spent, every product is live as its last stock says (${runs.sync} cases)`,
        async () => {
          await fc.assert(
            fc.asyncProperty(
              scenario.chain((s) => fc.tuple(fc.constant(s), changesOf(s.pool))),
              ([s, changes]) => syncCase(host, s, changes),
            ),
            options(runs.sync),
          );
        },
        timeoutFor(runs.sync),
      );
    });
  }
}
