/**
 * Checked when it comes back: the upstream's answer against the spec, with the same checks the
 * fake's tests and og-contract use (shared/validation/response-validator.ts): the status
 * documented for the operation, the body's schema, and, for a batch, every item sent answered
 * exactly once. The answer itself is never changed: violations travel beside it.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { batchResults } from "../../../shared/batch-results.js";
import { checkAnswer } from "../../../shared/validation/response-validator.js";
import type { CoreRequest } from "../messages.js";
import type { Operation } from "../routes.js";
import type { UpstreamAnswer } from "./upstream.js";

/** One way the answer breaks the spec: where in the body (a JSON pointer; "" the whole answer) and how. */
export interface Violation {
  pointer: string;
  message: string;
}

export const VIOLATIONS_HEADER = "x-og-mock-violations";
const MAX_HEADER_CHARS = 1000;
/** The largest decoded answer og-mock reads to check it. */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

/** The violations of an upstream answer to `req`; empty when it is as documented. */
export function answerViolations(req: CoreRequest, operation: Operation, answer: UpstreamAnswer): Violation[] {
  if (req.method.toUpperCase() === "HEAD") return [];
  const text = decoded(answer);
  if (text === undefined) {
    return [
      {
        pointer: "",
        message: `the body is encoded as ${String(answer.headers["content-encoding"])}, which og-mock cannot read`,
      },
    ];
  }
  let body: unknown;
  if (text !== "") {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return [{ pointer: "", message: "the body is not JSON" }];
    }
  }
  const headers: Record<string, string> = {};
  for (const name in answer.headers) {
    const value = answer.headers[name]!;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const violations = checkAnswer({ method: req.method, path: req.path, status: answer.status, headers, body }).map(
    asViolation,
  );
  const batch = operation === "updateProductsBatch" || operation === "createProductsBatch";
  if (batch && answer.status >= 200 && answer.status < 300) violations.push(...itemsAnsweredOnce(req.body, body));
  return violations;
}

/** The header value: ASCII, at most 1,000 characters: a count, the first few, the journal entry. */
export function violationsHeader(violations: readonly Violation[], seq: number): string {
  const count = `${violations.length} violation${violations.length === 1 ? "" : "s"} (journal entry ${seq})`;
  let value = count;
  for (const v of violations) {
    const next = `${value}; ${v.pointer || "/"}: ${v.message}`;
    if (asciiOnly(next).length > MAX_HEADER_CHARS) break;
    value = next;
  }
  return asciiOnly(value).slice(0, MAX_HEADER_CHARS);
}

function asciiOnly(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?");
}

/** `... does not match #/components/schemas/X: results[0].status: must be integer` → /results/0/status. */
function asViolation(problem: string): Violation {
  const m = /does not match [^:]+: ([\w$[\].-]+): (.*)$/.exec(problem);
  if (!m) return { pointer: "", message: problem.replace(/^[A-Z]+ \S+ → \d+: /, "") };
  const pointer = `/${m[1]!
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)
    .join("/")}`;
  return { pointer, message: m[2]! };
}

/** Every item sent answered exactly once, and nothing answered that was not sent. */
function itemsAnsweredOnce(requestBody: string | undefined, answerBody: unknown): Violation[] {
  let sent: unknown;
  try {
    sent = JSON.parse(requestBody ?? "");
  } catch {
    return [];
  }
  if (!Array.isArray(sent)) return [];
  const wanted = new Map<string, number>();
  for (const item of sent) {
    const id = (item as { product_id?: unknown } | null)?.product_id;
    if (typeof id === "string") wanted.set(id, (wanted.get(id) ?? 0) + 1);
  }
  const answered = new Map<string, number>();
  for (const result of batchResults(answerBody)) {
    if (typeof result?.product_id === "string")
      answered.set(result.product_id, (answered.get(result.product_id) ?? 0) + 1);
  }
  const out: Violation[] = [];
  for (const [id, times] of wanted) {
    const got = answered.get(id) ?? 0;
    if (got === 0) out.push({ pointer: "/results", message: `item ${JSON.stringify(id)} was sent but not answered` });
    else if (got > times)
      out.push({ pointer: "/results", message: `item ${JSON.stringify(id)} was answered ${got} times` });
  }
  for (const id of answered.keys()) {
    if (!wanted.has(id))
      out.push({ pointer: "/results", message: `item ${JSON.stringify(id)} was answered but not sent` });
  }
  return out;
}

/** The answer's body as JSON, decoded from its content-encoding; undefined when it is none or not JSON. */
export function answerJson(answer: UpstreamAnswer): unknown {
  const text = decoded(answer);
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** The body as text, decoded from its content-encoding; undefined for an encoding og-mock cannot read. */
function decoded(answer: UpstreamAnswer): string | undefined {
  const bytes = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
  const encoding = String(answer.headers["content-encoding"] ?? "identity").toLowerCase();
  try {
    if (encoding === "identity") return bytes.toString("utf8");
    // Bounded: a small compressed answer must not become a huge one in og-mock's memory.
    const limit = { maxOutputLength: MAX_DECODED_BYTES };
    if (encoding === "gzip" || encoding === "x-gzip") return gunzipSync(bytes, limit).toString("utf8");
    if (encoding === "deflate") return inflateSync(bytes, limit).toString("utf8");
    if (encoding === "br") return brotliDecompressSync(bytes, limit).toString("utf8");
  } catch {
    return undefined;
  }
  return undefined;
}
