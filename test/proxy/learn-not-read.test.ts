/**
 * --learn tells the user of an answer it could not read (issue 37, point 8): such an answer
 * teaches nothing and reaches the client as it came, and og-mock's log says so (the exchange,
 * its journal entry and the learner's error, never a header value, a body or a secret), without
 * flooding under load; --report counts those answers by reason; the learnt profile stays valid.
 *
 * No answer makes the kit's own learner throw today (the last one that did, a batch answer with a
 * null among its results, was fixed). The guard is for the next such defect, so the learner here
 * carries one on purpose: it reads answers as the kit's learner used to, and fails on a real
 * answer from a real upstream as the kit's did.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import type { CoreRequest } from "../../mock-server/core/messages.js";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import { Learner } from "../../mock-server/core/proxy/learn.js";
import type { UpstreamAnswer } from "../../mock-server/core/proxy/upstream.js";
import { LearnSkips } from "../../mock-server/cli/learn-skips.js";
import { ViolationReport } from "../../mock-server/cli/violation-report.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { capturedLog } from "../helpers/log-lines.js";

/** A batch answer with a null where an item's result should be (the spec has none). */
const NULL_RESULT = JSON.stringify({ results: [null, { product_id: "og-1", status: 200 }] });
/** An answer that is not JSON, holding what must never reach the log (V8's JSON.parse quotes its first characters). */
const NOT_JSON = "body-secret sk_live_abcdefghijklmnopqrstuvwxyz0123456789 upstream trouble";
const API_KEY = "merchant-api-key-4f1c9a";
const ADMIN_TOKEN = "admin-token-b7e2d0";

/**
 * The kit's learner with the defects it had: it read every batch result as an object (a null
 * result threw), and read every answer as JSON without asking (a text answer threw).
 */
class LearnerWithOldDefects extends Learner {
  override observe(req: CoreRequest, answer: UpstreamAnswer): void {
    const body = JSON.parse(Buffer.from(answer.body).toString("utf8")) as { results?: Array<{ product_id: string }> };
    for (const result of body.results ?? []) void result.product_id;
    super.observe(req, answer);
  }
}

let upstream: Server;
let origin: string;
beforeAll(async () => {
  // Answers a batch with a null result, a product read (og-1) as the spec says, anything else with text.
  upstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = req.url ?? "";
      if (url.startsWith("/products-batch/"))
        return res.writeHead(200, { "content-type": "application/json" }).end(NULL_RESULT);
      if (url.startsWith("/products/og-1/")) {
        const product = {
          product_id: "og-1",
          name: "One",
          price: "1.00",
          live: true,
          last_update: "2026-12-07 10:00:00",
        };
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(product));
      }
      res.writeHead(200, { "content-type": "text/plain" }).end(NOT_JSON);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

/** og-mock --upstream --learn as the CLI wires it (../../mock-server/cli/og-mock.ts), its log captured. */
async function ogMockLearning() {
  const { lines, logger } = capturedLog("info");
  const learner = new LearnerWithOldDefects(
    origin,
    "ordergroove-stock-kit@test",
    new ManualClock(Date.parse("2026-12-07T10:00:00Z")),
    [API_KEY],
  );
  const learnSkips = new LearnSkips(logger);
  const report = new ViolationReport(origin, logger, learnSkips);
  const proxy = await startMockServer({
    port: 0,
    logger,
    adminToken: ADMIN_TOKEN,
    proxy: {
      target: { origin, production: false },
      learner,
      onViolations: (found) => report.add(found),
      onNotLearnt: (skipped) => learnSkips.add(skipped),
    },
  });
  running.push(proxy);
  const warnings = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40);
  const notLearnt = () => warnings().filter((l) => String(l.msg).startsWith("--learn could not read"));
  return { proxy, lines, learner, learnSkips, report, notLearnt };
}
const running: RunningMockServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.close()));
});

const patch = (url: string) =>
  fetch(`${url}/products-batch/update/?api_key=${API_KEY}&page=1`, {
    method: "PATCH",
    headers: { "x-api-key": API_KEY, "content-type": "application/json" },
    body: JSON.stringify([{ product_id: "og-1", live: false }]),
  });

describe("8. --learn, given an answer it cannot read", () => {
  it("passes the answer as it came and logs which exchange taught nothing, and why", async () => {
    const og = await ogMockLearning();
    const res = await patch(og.proxy.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-og-mock-source")).toBe("real");
    expect(await res.text()).toBe(NULL_RESULT);
    const entry = og.proxy.mock.journal.entries().find((e) => e.source === "real")!;
    expect(og.notLearnt()).toEqual([
      expect.objectContaining({
        seq: entry.seq,
        method: "PATCH",
        path: "/products-batch/update/?api_key=[redacted]&page=1",
        status: 200,
        error: "TypeError: Cannot read properties of null (reading 'product_id')",
        skipped: 1,
      }),
    ]);
    expect(og.notLearnt()[0]!.msg).toContain("the client got it as it came");
    // Nothing learnt from it, and the profile is still one og-mock --profile reads.
    expect(og.learner.profile().observations).toEqual({});
    expect(() => validateProfile(og.learner.profile())).not.toThrow();
  });

  it("never logs the body, a header value or a secret, even when the engine's error quotes the body", async () => {
    const og = await ogMockLearning();
    const res = await fetch(`${og.proxy.url}/products/?token=${ADMIN_TOKEN}`, {
      headers: { "x-api-key": API_KEY, authorization: "Bearer not-for-the-log" },
    });
    expect(await res.text()).toBe(NOT_JSON);
    const [line] = og.notLearnt();
    expect(line).toMatchObject({
      path: "/products/?token=[redacted]",
      // The engine's own words, without the passage of the body it quoted.
      error: `SyntaxError: Unexpected token 'b', "…"... is not valid JSON`,
    });
    const log = og.lines.join("");
    for (const secret of [API_KEY, ADMIN_TOKEN, "not-for-the-log", "body-secr", "sk_live", "upstream trouble"])
      expect(log).not.toContain(secret);
  });

  it("does not flood the log: each reason the first time, then at 10, 100, … with the count; --report counts them all", async () => {
    const og = await ogMockLearning();
    for (let i = 0; i < 12; i++) await (await patch(og.proxy.url)).arrayBuffer();
    await (await fetch(`${og.proxy.url}/products/`, { headers: { "x-api-key": API_KEY } })).arrayBuffer();
    // A product read the learner can read teaches as before.
    await (await fetch(`${og.proxy.url}/products/og-1/`, { headers: { "x-api-key": API_KEY } })).arrayBuffer();
    expect(og.learner.profile().observations["answer.timestampFormat"]).toBe("YYYY-MM-DD HH:MM:SS");
    expect(og.notLearnt().map((l) => [String(l.error).split(":")[0], l.skipped])).toEqual([
      ["TypeError", 1],
      ["TypeError", 10],
      ["SyntaxError", 1],
    ]);
    expect(og.notLearnt()[1]!.msg).toContain("(10 answers so far for this reason)");
    const json = JSON.parse(og.report.text("report.json")) as Record<string, unknown>;
    expect(json).toMatchObject({
      answersNotLearnt: 13,
      notLearnt: [
        { error: "TypeError: Cannot read properties of null (reading 'product_id')", count: 12, first: { seq: 1 } },
        { error: expect.stringMatching(/^SyntaxError: /), count: 1, first: { method: "GET", path: "/products/" } },
      ],
    });
    const xml = og.report.text("report.xml");
    expect(xml).toContain('skipped="2"');
    expect(xml).toContain(
      `<testcase classname="og-mock.learn" name="--learn could not read 12 answer(s): TypeError: Cannot read properties of null (reading &#39;product_id&#39;)">`,
    );
    // When og-mock stops: one line with the total.
    og.learnSkips.close();
    expect(og.notLearnt().at(-1)).toMatchObject({ skipped: 13, reasons: 2 });
  });
});
