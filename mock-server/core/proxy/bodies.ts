/**
 * The request's and the answer's bodies, each read once per exchange. The pre-check, the answer's
 * checks, the journal, --learn and --shadow all want them parsed; each parsing them for itself
 * meant a batch parsed three times and its answer twice or three times on every forwarded request.
 * Kept beside the objects they read (weakly), so they go when the exchange goes.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import type { CoreRequest } from "../messages.js";
import type { UpstreamAnswer } from "./upstream.js";

/** A body read as JSON: its value, or why it is not JSON (an empty body is not JSON either). */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: Error };

const sent = new WeakMap<CoreRequest, Parsed>();

/** The request's body as JSON. */
export function sentJson(req: CoreRequest): Parsed {
  let parsed = sent.get(req);
  if (!parsed) sent.set(req, (parsed = parse(req.body ?? "")));
  return parsed;
}

/** An answer's body as og-mock reads it: its text (undefined for an encoding og-mock cannot read) and that text as JSON. */
export interface AnswerBody {
  text: string | undefined;
  json: Parsed;
}

const answered = new WeakMap<UpstreamAnswer, AnswerBody>();
const UNREADABLE: Parsed = { ok: false, error: new Error("the body's encoding cannot be read") };

/** The upstream answer's body, decoded from its content-encoding and parsed. */
export function answerBody(answer: UpstreamAnswer): AnswerBody {
  let body = answered.get(answer);
  if (!body) {
    const text = decoded(answer);
    answered.set(answer, (body = { text, json: text === undefined ? UNREADABLE : parse(text) }));
  }
  return body;
}

function parse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

/** The largest decoded answer og-mock reads to check it. */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

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
