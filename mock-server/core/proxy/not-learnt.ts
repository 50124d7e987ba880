/**
 * A real answer --learn could not read (./proxy.ts keeps the guard: such an answer teaches
 * nothing and passes to the client as it came). The user is told, through the proxy's
 * `onNotLearnt` option (og-mock's log and --report: ../../cli/learn-skips.ts); this is what they
 * are told: which exchange, and the learner's error in words that hold no header value, no body
 * and no secret.
 */
import type { CoreRequest } from "../messages.js";
import { maskSecretQuery } from "../secret-query.js";
import { signatureIn } from "./secrets.js";

export interface NotLearnt {
  /** The exchange's journal entry. */
  seq: number;
  method: string;
  /** The path with the values of secret query parameters masked (../secret-query.ts). */
  path: string;
  /** The upstream's status. */
  status: number;
  /** The learner's error: its name, and its message made safe to repeat (see `safeMessage`). */
  error: { name: string; message: string };
}

/** Longest error message repeated: enough for an engine's sentence, not for a body. */
const MAX_MESSAGE_CHARS = 200;
const MAX_NAME_CHARS = 60;

/** What the user is told of one answer the learner threw on. `secrets`: the credentials og-mock holds. */
export function notLearnt(
  req: CoreRequest,
  status: number,
  seq: number,
  error: unknown,
  secrets: readonly string[],
): NotLearnt {
  const path = maskSecretQuery(req.path);
  const base = { seq, method: req.method.toUpperCase(), path, status };
  // A thrown value that is not an Error may be anything the learner held: a piece of the body.
  if (!(error instanceof Error))
    return { ...base, error: { name: "(not an Error)", message: `a ${typeof error} was thrown` } };
  const held = [
    ...secrets,
    req.headers["x-api-key"],
    req.headers.authorization,
    signatureIn(req.headers.authorization),
  ];
  return {
    ...base,
    error: { name: printable(error.name, MAX_NAME_CHARS) || "Error", message: safeMessage(error.message, held) },
  };
}

/**
 * An error's message as the log may repeat it. The learner reads the answer's body and the
 * request's headers, and an engine's message may quote what it read (V8's JSON.parse quotes the
 * text around the fault: `Unexpected token 'x', "…" is not valid JSON`). So: every credential
 * removed, every double-quoted passage (where V8 quotes input) dropped, anything that looks like
 * a key redacted, control characters folded, and capped.
 */
export function safeMessage(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
    if (secret) out = out.split(secret).join("<secret>");
  }
  out = out.replace(/"[^"]*"?/g, '"…"').replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, "<redacted>");
  return printable(out, MAX_MESSAGE_CHARS);
}

function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is folded
  const out = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
