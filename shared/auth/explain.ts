/**
 * How a signature is made, and which common slip explains a mismatch: the working behind
 * `og-stock sign --explain` and the dashboard's signature debugger (`POST /__admin/signature`).
 */
import { createHmac } from "node:crypto";
import { authorizationPayload, computeSignature, signedMessage } from "./signature.js";

/** Ordergroove's signature page example: this key and message, and the value it prints. */
export const DOC_EXAMPLE = {
  hashKey: "NT2kBcFx%!7dnAOVv9}i3CR*<L66w5",
  sigField: "test_user",
  ts: 1488466536,
  printed: "BNobNOMlv3DDv6IXs861hx6WMM/4qP4V18tSYM8mPoQ=",
};

export interface SignInput {
  publicId: string;
  sigField: string;
  hashKey: string;
  ts: number;
  trustLevel?: string | undefined;
}

export function signReport(input: SignInput): { message: string; sig: string; authorization: string } {
  const message = signedMessage(input);
  const sig = computeSignature(input.hashKey, input);
  return { message, sig, authorization: JSON.stringify(authorizationPayload(input, input.ts)) };
}

/**
 * A client that reads the clock once to sign and again to write the header (Ordergroove's Magento
 * module does) sends a `ts` one second off the one it signed, now and then: the signature is valid
 * for ts - 1 or ts + 1. Named so, the fix is obvious; a "signature mismatch" alone hides it.
 */
export const CLOCK_READ_TWICE = (offset: -1 | 1) =>
  `the ts one second ${offset < 0 ? "earlier" : "later"} signed (this signature is valid for ts ${offset < 0 ? "-" : "+"} 1: your client reads the clock twice, once to sign and once for the header; read it once)`;

/** The usual ways a signature goes wrong, each as a function that computes the wrong value. */
const SLIPS: Array<{ why: string; sign: (i: SignInput) => string }> = [
  { why: CLOCK_READ_TWICE(-1), sign: (i) => computeSignature(i.hashKey, { ...i, ts: i.ts - 1 }) },
  { why: CLOCK_READ_TWICE(1), sign: (i) => computeSignature(i.hashKey, { ...i, ts: i.ts + 1 }) },
  { why: "hex digest instead of base64", sign: (i) => hmac(i.hashKey, signedMessage(i)).toString("hex") },
  {
    why: "base64url without padding instead of standard base64",
    sign: (i) => hmac(i.hashKey, signedMessage(i)).toString("base64url"),
  },
  { why: "ts in milliseconds instead of seconds", sign: (i) => computeSignature(i.hashKey, { ...i, ts: i.ts * 1000 }) },
  { why: 'message "<ts>|<sig_field>" (order swapped)', sign: (i) => b64(i.hashKey, `${i.ts}|${i.sigField}`) },
  { why: "message without the | separator", sign: (i) => b64(i.hashKey, `${i.sigField}${i.ts}`) },
  { why: "a trailing newline in the message", sign: (i) => b64(i.hashKey, `${signedMessage(i)}\n`) },
  { why: "a trailing newline in the hash key", sign: (i) => b64(`${i.hashKey}\n`, signedMessage(i)) },
  { why: "surrounding spaces in the hash key", sign: (i) => b64(` ${i.hashKey} `, signedMessage(i)) },
  {
    why: "HTML-escaped characters in the hash key (&lt; &gt; &amp;)",
    sign: (i) => b64(htmlEscape(i.hashKey), signedMessage(i)),
  },
  { why: "a URL-encoded hash key", sign: (i) => b64(encodeURIComponent(i.hashKey), signedMessage(i)) },
  {
    why: "SHA-1 instead of SHA-256",
    sign: (i) => createHmac("sha1", i.hashKey).update(signedMessage(i)).digest("base64"),
  },
  { why: "the public id signed instead of sig_field", sign: (i) => b64(i.hashKey, `${i.publicId}|${i.ts}`) },
];

function hmac(key: string, message: string): Buffer {
  return createHmac("sha256", key).update(message, "utf8").digest();
}
function b64(key: string, message: string): string {
  return hmac(key, message).toString("base64");
}
function htmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The usual slips, as `diagnose` and `explain` name them. */
export const USUAL_MISTAKES: readonly string[] = SLIPS.map((s) => s.why);

/** Why the value printed on Ordergroove's signature page cannot be reproduced. */
export const DOC_EXAMPLE_NOTE =
  "This is the example on Ordergroove's signature page. Its printed value does not reproduce with the key as " +
  "printed (checked independently with openssl, and against every slip this tool knows): the page's key or " +
  "value was probably altered when it was published. Trust the recipe, not the page's value.";

export interface Diagnosis {
  /** The exact text that is signed. */
  message: string;
  /** The correct signature for the input. */
  expected: string;
  /** Whether `received` is the correct signature; null when none was given. */
  matches: boolean | null;
  /** The usual slip that produces `received`, when one does. */
  slip?: string;
  /** `received` is the value Ordergroove's page prints for its own example input. */
  docExample: boolean;
}

/** Compares a received signature with the correct one and finds the usual slip that explains a mismatch. */
export function diagnose(input: SignInput, received?: string): Diagnosis {
  const { message, sig } = signReport(input);
  const out: Diagnosis = {
    message,
    expected: sig,
    matches: received === undefined ? null : received === sig,
    docExample: false,
  };
  if (received === undefined || received === sig) return out;
  const slip = SLIPS.find((s) => s.sign(input) === received);
  if (slip) out.slip = slip.why;
  out.docExample =
    input.hashKey === DOC_EXAMPLE.hashKey &&
    input.sigField === DOC_EXAMPLE.sigField &&
    input.ts === DOC_EXAMPLE.ts &&
    received === DOC_EXAMPLE.printed;
  return out;
}

/** Lines explaining how the signature is made and, with `expected`, why it may differ. */
/** The ts as a UTC time, or what it is when no calendar reaches it (a ts far in the past or future). */
function calendarTime(ts: number): string {
  const date = new Date(ts * 1000);
  return Number.isNaN(date.getTime()) ? `${ts} is outside any calendar date (seconds since 1970)` : date.toISOString();
}

/** Ordergroove's documented window for a signature's ts, and the fake's default allowance for a clock ahead. */
const MAX_AGE_S = 2 * 60 * 60;
const FUTURE_SKEW_S = 5 * 60;

function span(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 60 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 24 * 60 * 60) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

/** The line that says a ts is already out of the window, when it is (given the time now, in seconds). */
function tsProblem(ts: number, nowS: number | undefined): string | undefined {
  if (nowS === undefined || !Number.isFinite(ts)) return undefined;
  const age = nowS - ts;
  if (age > MAX_AGE_S)
    return `  This ts is already stale: ${span(age)} old, so Ordergroove (and the fake) refuse it. Leave out --ts to sign with the time now.`;
  if (-age > FUTURE_SKEW_S)
    return `  This ts is ${span(-age)} ahead of this machine's clock; the fake refuses more than ${span(FUTURE_SKEW_S)} ahead. Check the clock, or leave out --ts.`;
  return undefined;
}

/**
 * How the signature is made, step by step, and what is wrong with `expected` when it differs.
 * With `nowS` (the time now, in seconds), a ts already outside the accepted window is said too.
 */
export function explain(input: SignInput, expected?: string, nowS?: number): string[] {
  const { message, expected: sig, matches, slip, docExample } = diagnose(input, expected);
  const keyBytes = Buffer.byteLength(input.hashKey, "utf8");
  const lines = [
    "How the signature is made:",
    `  1. message   = sig_field|${input.trustLevel === undefined ? "" : "trust_level|"}ts = ${JSON.stringify(message)}`,
    `  2. digest    = HMAC-SHA256(key = your hash key, ${keyBytes} bytes as UTF-8; message as UTF-8)`,
    `  3. sig       = base64(digest), standard alphabet with padding = ${sig}`,
    "  4. send      authorization: the JSON below as a string, and og-authorization: True",
    `  ts must be within the past 2 hours: ${calendarTime(input.ts)}.`,
  ];
  const stale = tsProblem(input.ts, nowS);
  if (stale) lines.push(stale);
  if (expected === undefined) return lines;
  lines.push("");
  if (matches) {
    lines.push("The expected signature matches.");
    return lines;
  }
  lines.push(`The expected signature ${expected} does not match.`);
  if (slip) {
    lines.push(`It is what you get with ${slip}. Ordergroove expects the recipe above.`);
    return lines;
  }
  if (docExample) {
    lines.push(DOC_EXAMPLE_NOTE, `The correct signature for that input is ${sig}.`);
  } else {
    lines.push(
      "None of the usual slips explains it (ts off by one second, hex or base64url encoding, ts in ms, swapped or missing separator,",
      "stray newline or spaces, HTML- or URL-escaped key, SHA-1, public id signed instead of sig_field).",
      "Most likely the hash key differs: check you have the API user's hash key for this sig_field.",
    );
  }
  return lines;
}
