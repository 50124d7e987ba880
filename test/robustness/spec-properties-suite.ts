/**
 * A Schemathesis-style check of both specs against a real HTTP server: for every operation of
 * spec/ordergroove.openapi.yaml and spec/admin.openapi.yaml (the dashboard's pages and the live
 * stream aside), cases generated FROM the operation's schemas.
 *
 * - Positive: query parameters and a body the spec accepts. Never a 400 or a 5xx, and the answer
 *   is one the spec documents, in the documented shape.
 * - Negative: one parameter or the body made to break its schema (checked with the spec's own
 *   validator, so the case really is a violation). A documented 4xx, and an admin call refused
 *   changes nothing. A batch of the products API answers per item, as Ordergroove does: the bad
 *   item gets its 400 there.
 *
 * So a rule added to the fake but not the spec (or the other way round) fails here. Run twice:
 * spec-properties.test.ts (a few hundred cases, `npm test`) and spec-properties.e2e.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultCatalog } from "../../mock-server/core/products/default-catalog.js";
import { signedHeaders } from "../../shared/auth/signature.js";
import { checkAnswer } from "../../shared/validation/response-validator.js";
import { checkAdminAnswer } from "../helpers/admin-spec.js";
import { CREDS, useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";
import { invalid, type Resolver, type Schema, valid } from "../helpers/schema-arbitrary.js";
import { ROOT } from "../helpers/spawn.js";

type Node = Record<string, unknown>;
const read = (file: string) => readFileSync(join(ROOT, "spec", file), "utf8");
const DOCS: Record<string, Node> = {
  "admin.openapi.yaml": parse(read("admin.openapi.yaml")) as Node,
  "ordergroove.openapi.yaml": parse(read("ordergroove.openapi.yaml")) as Node,
  "merchants.schema.json": JSON.parse(read("merchants.schema.json")) as Node,
};
const ajv = new Ajv2020({ strict: false });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
for (const [key, doc] of Object.entries(DOCS)) ajv.addSchema(doc, key);

const walk = (doc: string, pointer: string): Node => {
  let node: unknown = DOCS[doc];
  for (const part of pointer.replace(/^#?\//, "").split("/"))
    node = (node as Node)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return node as Node;
};
const resolve: Resolver = (ref, doc) => {
  const [file, pointer = ""] = ref.split("#");
  const target = file || doc;
  return { schema: walk(target, pointer), doc: target };
};
const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

interface Parameter {
  name: string;
  schema: Schema;
  pointer: string;
  /** `x-og-invalid: ignored`: the spec says a value outside the schema is ignored, not refused. */
  ignoredWhenInvalid: boolean;
}
interface Operation {
  doc: string;
  method: string;
  path: string;
  query: Parameter[];
  pathParams: Parameter[];
  body?: { schema: Schema; pointer: string };
}

/** The operations of a spec whose cases can be sent and checked as JSON. */
function operations(doc: string): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(DOCS[doc]!.paths as Record<string, Node>)) {
    // The dashboard's pages and the live stream are not JSON exchanges; they have their own tests.
    if (path.startsWith("/__admin/ui") || path === "/__admin/journal/stream") continue;
    for (const method of ["get", "put", "post", "patch", "delete"]) {
      const op = item[method] as Node | undefined;
      if (!op) continue;
      const base = `#/paths/${escape(path)}`;
      const params = [
        ...((item.parameters as Node[]) ?? []).map((p, i) => [p, `${base}/parameters/${i}`] as const),
        ...((op.parameters as Node[]) ?? []).map((p, i) => [p, `${base}/${method}/parameters/${i}`] as const),
      ].map(([p, pointer]) =>
        typeof p.$ref === "string" ? ([walk(doc, p.$ref), p.$ref] as const) : ([p, pointer] as const),
      );
      const of = (where: string): Parameter[] =>
        params
          .filter(([p]) => p.in === where)
          .map(([p, pointer]) => ({
            name: p.name as string,
            schema: p.schema as Schema,
            pointer: `${pointer}/schema`,
            ignoredWhenInvalid: p["x-og-invalid"] === "ignored",
          }));
      let body: Operation["body"];
      const requestBody = op.requestBody as Node | undefined;
      if (requestBody) {
        const bodyPointer = typeof requestBody.$ref === "string" ? requestBody.$ref : `${base}/${method}/requestBody`;
        const pointer = `${bodyPointer}/content/application~1json/schema`;
        body = { schema: walk(doc, pointer), pointer };
      }
      out.push({ doc, method: method.toUpperCase(), path, query: of("query"), pathParams: of("path"), body });
    }
  }
  return out;
}

const accepts = (doc: string, pointer: string) => ajv.getSchema(`${doc}${pointer}`) as (value: unknown) => boolean;

/** A query value as sent: what the fake reads back as the same value. */
const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
/** The value the fake reads from a query text, by the parameter's type (as admin-schemas.ts does). */
function readBack(text: string, schema: Schema): unknown {
  const type = (schema.type as string) ?? "string";
  if (type === "integer" && /^-?\d+$/.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if (type === "array") return [text];
  return text;
}

const ids = defaultCatalog.map((p) => p.external_product_id!);
function pathValue(p: Parameter, doc: string): fc.Arbitrary<string> {
  if (/id$/i.test(p.name) && p.name !== "publicId")
    return fc.oneof(fc.constantFrom(...ids), fc.constant("no-such-product"));
  if (p.name === "publicId") return fc.constantFrom(CREDS.publicId, "no-such-merchant");
  return valid(p.schema, doc, resolve).map(asText);
}

interface Case {
  op: Operation;
  query: Record<string, string>;
  path: string;
  body?: unknown;
  /** What was broken, for the failure message; undefined for a positive case. */
  broken?: string;
  /** Not a case of its kind after all (the spec's validator says otherwise): skipped. */
  skip: boolean;
}

function positive(op: Operation): fc.Arbitrary<Case> {
  const query = fc.record(
    Object.fromEntries(op.query.map((p) => [p.name, valid(p.schema, op.doc, resolve).map(asText)])),
    { requiredKeys: [] },
  );
  const path = fc.tuple(...op.pathParams.map((p) => pathValue(p, op.doc)));
  const body = op.body ? valid(op.body.schema, op.doc, resolve) : fc.constant(undefined);
  // Cases the spec's validator refuses are skipped (fc.pre), never filtered in a loop.
  return fc.tuple(query, path, body).map(([q, p, b]) => ({
    op,
    query: q as Record<string, string>,
    path: fill(op, p),
    body: b,
    skip: !((!op.body || accepts(op.doc, op.body.pointer)(b)) && queryAccepted(op, q)) || twoWithOneId(b),
  }));
}

function negative(op: Operation): fc.Arbitrary<Case> | undefined {
  const targets: fc.Arbitrary<Case>[] = [];
  const base = positive(op);
  for (const p of op.query.filter((q) => q.name !== "merchant" && !q.ignoredWhenInvalid)) {
    const refused = (text: string) => !accepts(op.doc, p.pointer)(readBack(text, p.schema));
    // A parameter any text satisfies (a free string such as force_all_fields) has no negative
    // case: filtering for one would loop for ever, so it is left out.
    if (!fc.sample(invalid(p.schema, op.doc, resolve).map(asText), { numRuns: 50, seed: 1 }).some(refused)) continue;
    const bad = invalid(p.schema, op.doc, resolve).map(asText).filter(refused);
    targets.push(
      fc.tuple(base, bad).map(([c, text]) => ({ ...c, query: { ...c.query, [p.name]: text }, broken: p.name })),
    );
  }
  if (op.body) {
    const bad = invalid(op.body.schema, op.doc, resolve);
    targets.push(
      fc.tuple(base, bad).map(([c, b]) => ({
        ...c,
        body: b,
        broken: "the body",
        skip: c.skip || typeof b === "symbol" || accepts(op.doc, op.body!.pointer)(b),
      })),
    );
  }
  return targets.length ? fc.oneof(...targets) : undefined;
}

/**
 * A rule no JSON Schema states: products of one seed (a catalog, a merchant's) have distinct ids.
 * The spec says it in words; such a body is refused with 400, so it is no positive case.
 */
function twoWithOneId(body: unknown): boolean {
  const list = Array.isArray(body)
    ? body
    : ((body as { products?: unknown } | null)?.products as unknown[] | undefined);
  if (!Array.isArray(list)) return false;
  const ids = list.map((p) => {
    const o = (p ?? {}) as { external_product_id?: unknown; product_id?: unknown };
    return o.external_product_id ?? o.product_id;
  });
  return new Set(ids).size !== ids.length;
}

function queryAccepted(op: Operation, query: Record<string, unknown>): boolean {
  return op.query.every(
    (p) => query[p.name] === undefined || accepts(op.doc, p.pointer)(readBack(String(query[p.name]), p.schema)),
  );
}

function fill(op: Operation, values: string[]): string {
  let path = op.path;
  op.pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, encodeURIComponent(values[i]!))));
  return path;
}

/** Registers the check with `runs` cases per operation and kind (positive, negative). */
export function checkBothSpecs(runs: number): void {
  const og = useMockServer({ throttle: false, journalLimit: 50 });
  const all = [...operations("ordergroove.openapi.yaml"), ...operations("admin.openapi.yaml")];
  if (process.env.OG_SPEC_TRACE) console.error("operations", all.length);
  const state = () =>
    JSON.stringify({
      catalog: og.running.mock.catalog.list(),
      faults: og.running.mock.faults.settings,
      settings: [og.running.mock.answer, og.running.mock.throttle, og.running.mock.behaviour],
      merchants: og.running.merchants.summaries().map((m) => m.publicId),
      ipLimit: og.running.merchants.ipLimit,
    });

  async function send(c: Case) {
    if (process.env.OG_SPEC_TRACE)
      console.error("send", c.op.method, c.path, JSON.stringify(c.query), JSON.stringify(c.body)?.slice(0, 200));
    og.running.merchants.reset();
    og.running.mock.catalog.seed(defaultCatalog);
    const query = new URLSearchParams(c.query).toString();
    const url = `${c.path}${query ? `?${query}` : ""}`;
    const admin = c.op.doc === "admin.openapi.yaml";
    const headers: Record<string, string | undefined> = admin
      ? {}
      : signedHeaders(CREDS, Math.floor(og.clock.now() / 1000));
    if (c.body !== undefined) headers["content-type"] = "application/json";
    const before = state();
    const answer = await rawRequest(
      og.url,
      c.op.method,
      url,
      headers,
      c.body === undefined ? undefined : JSON.stringify(c.body),
    );
    if (process.env.OG_SPEC_TRACE) console.error("answered", answer.status);
    const problems = admin
      ? checkAdminAnswer(c.op.method, url, answer.status, answer.body)
      : checkAnswer({
          method: c.op.method,
          path: url,
          status: answer.status,
          headers: answer.headers,
          body: answer.body,
        });
    if (process.env.OG_SPEC_TRACE) console.error("checked", problems.length);
    return { answer, problems, before, url };
  }

  describe("both specs, checked with cases generated from their schemas", () => {
    for (const op of all) {
      const name = `${op.method} ${op.path}`;
      it(
        `${name}: what the spec accepts is never refused with 400 or failed, and is answered as documented`,
        async () => {
          await fc.assert(
            fc.asyncProperty(positive(op), async (c) => {
              fc.pre(!c.skip);
              const { answer, problems, url } = await send(c);
              const why = `${op.method} ${url} ${JSON.stringify(c.body)} → ${answer.status} ${answer.text.slice(0, 300)}`;
              expect(answer.status, why).not.toBe(400);
              expect(answer.status, why).toBeLessThan(500);
              expect(problems, why).toEqual([]);
              const results = (answer.body as { results?: Array<{ status: number }> } | undefined)?.results;
              if (op.path === "/products-batch/update/")
                expect(
                  results?.map((r) => r.status),
                  why,
                ).not.toContain(400);
            }),
            { numRuns: runs, endOnFailure: true },
          );
        },
        Number(process.env.OG_SPEC_TIMEOUT ?? 120_000),
      );
      const bad = negative(op);
      if (!bad) continue;
      it(
        `${name}: what the spec refuses gets a documented 4xx and changes nothing`,
        async () => {
          await fc.assert(
            fc.asyncProperty(bad, async (c) => {
              fc.pre(!c.skip);
              const { answer, problems, before, url } = await send(c);
              const why = `${c.broken} broken: ${op.method} ${url} ${JSON.stringify(c.body)} → ${answer.status} ${answer.text.slice(0, 300)}`;
              expect(problems, why).toEqual([]);
              const results = (answer.body as { results?: Array<{ status: number }> } | undefined)?.results;
              if (answer.status < 300 && Array.isArray(results) && c.broken === "the body") {
                // Ordergroove answers a batch per item: the broken item is refused there.
                expect(
                  results.map((r) => r.status),
                  why,
                ).toContain(400);
                return;
              }
              expect(answer.status, why).toBeGreaterThanOrEqual(400);
              expect(answer.status, why).toBeLessThan(500);
              if (op.doc === "admin.openapi.yaml") expect(state(), why).toBe(before);
            }),
            { numRuns: runs, endOnFailure: true },
          );
        },
        Number(process.env.OG_SPEC_TIMEOUT ?? 120_000),
      );
    }
  });
}
