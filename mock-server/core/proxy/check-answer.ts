/**
 * Checked when it comes back: the upstream's answer against the spec, with the same checks the
 * fake's tests and og-contract use (shared/validation/response-validator.ts): the status
 * documented for the operation, the body's schema, and, for a batch, every item sent answered
 * exactly once. The answer itself is never changed: violations travel beside it.
 */
import { batchResults } from "../../../shared/batch-results.js";
import { checkAnswer } from "../../../shared/validation/response-validator.js";
import type { CoreRequest } from "../messages.js";
import type { Operation } from "../routes.js";
import { answerBody, sentJson } from "./bodies.js";
import type { UpstreamAnswer } from "./upstream.js";

/** One way the answer breaks the spec: where in the body (a JSON pointer; "" the whole answer) and how. */
export interface Violation {
  pointer: string;
  message: string;
}

export const VIOLATIONS_HEADER = "x-og-mock-violations";
const MAX_HEADER_CHARS = 1000;

/** The violations of an upstream answer to `req`; empty when it is as documented. */
export function answerViolations(req: CoreRequest, operation: Operation, answer: UpstreamAnswer): Violation[] {
  if (req.method.toUpperCase() === "HEAD") return [];
  const { text, json } = answerBody(answer);
  if (text === undefined) {
    return [
      {
        pointer: "",
        message: `the body is encoded as ${String(answer.headers["content-encoding"])}, which og-mock cannot read`,
      },
    ];
  }
  if (text !== "" && !json.ok) return [{ pointer: "", message: "the body is not JSON" }];
  const body = json.ok ? json.value : undefined;
  const headers: Record<string, string> = {};
  for (const name in answer.headers) {
    const value = answer.headers[name]!;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const violations = checkAnswer({ method: req.method, path: req.path, status: answer.status, headers, body }).map(
    asViolation,
  );
  const batch = operation === "updateProductsBatch" || operation === "createProductsBatch";
  if (batch && answer.status >= 200 && answer.status < 300) violations.push(...itemsAnsweredOnce(req, body));
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
function itemsAnsweredOnce(req: CoreRequest, answered: unknown): Violation[] {
  const parsed = sentJson(req);
  const sent = parsed.ok ? parsed.value : undefined;
  if (!Array.isArray(sent)) return [];
  const wanted = new Map<string, number>();
  for (const item of sent) {
    const id = (item as { product_id?: unknown } | null)?.product_id;
    if (typeof id === "string") wanted.set(id, (wanted.get(id) ?? 0) + 1);
  }
  const times = new Map<string, number>();
  for (const result of batchResults(answered)) {
    if (typeof result?.product_id === "string") times.set(result.product_id, (times.get(result.product_id) ?? 0) + 1);
  }
  const out: Violation[] = [];
  for (const [id, sentTimes] of wanted) {
    const got = times.get(id) ?? 0;
    if (got === 0) out.push({ pointer: "/results", message: `item ${JSON.stringify(id)} was sent but not answered` });
    else if (got > sentTimes)
      out.push({ pointer: "/results", message: `item ${JSON.stringify(id)} was answered ${got} times` });
  }
  for (const id of times.keys()) {
    if (!wanted.has(id))
      out.push({ pointer: "/results", message: `item ${JSON.stringify(id)} was answered but not sent` });
  }
  return out;
}
