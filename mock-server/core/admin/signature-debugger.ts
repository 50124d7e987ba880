/**
 * The signature debugger behind the dashboard (`/__admin/signature`): given a pasted
 * `authorization` header or its fields, says what the fake would answer now, whether `ts` is
 * inside the two-hour window, and, where a hash key is known, whether the signature is right and
 * which usual slip explains it when not. The working is shared/auth/explain.ts (the same as
 * `og-stock sign --explain`) and the verdict is the fake's own `authenticate`, so neither is
 * written twice.
 *
 * The fake's own hash keys are used but never returned: checked against them, only the verdict
 * and the name of a slip leave the fake, never an expected signature (which would be a working
 * credential for two hours). An expected signature is shown only for a key the caller typed in.
 */
import { DOC_EXAMPLE, DOC_EXAMPLE_NOTE, diagnose, explain, USUAL_MISTAKES } from "../../../shared/auth/explain.js";
import { authenticate, duration } from "../auth/authenticate.js";
import type { OrdergrooveMock } from "../mock.js";

export interface SignatureQuestion {
  /** The `authorization` header as pasted: its JSON, optionally with `authorization:` and quotes around it. */
  authorization?: string;
  publicId?: string;
  sigField?: string;
  ts?: number;
  sig?: string;
  trustLevel?: string;
  /** A hash key to check with instead of the fake's own; it is never returned. */
  hashKey?: string;
}

/** What the debugger knows before any question: the recipe's limits, the usual slips, Ordergroove's example. */
export function signatureHelp(mock: OrdergrooveMock) {
  const { credentials, auth, clock } = mock.options;
  return {
    now: Math.floor(clock.now() / 1000),
    maxAgeSeconds: auth.maxAgeSeconds,
    futureSkewSeconds: auth.futureSkewSeconds,
    merchant: { publicId: credentials.publicId, sigFields: credentials.apiUsers.map((u) => u.sigField) },
    usualMistakes: USUAL_MISTAKES,
    ordergrooveExample: { ...DOC_EXAMPLE, note: DOC_EXAMPLE_NOTE },
  };
}

/** `question` is checked by the admin spec's SignatureQuestion schema before it gets here. */
export function explainSignature(mock: OrdergrooveMock, question: SignatureQuestion) {
  const { credentials, clock } = mock.options;
  // The fake's policy as it answers now, string ts included (behaviour.tsAsString).
  const policy = { ...mock.options.auth, tsAsString: mock.behaviour.tsAsString };
  const problems: string[] = [];
  let fields: Record<string, unknown> = {};
  let header: string;
  if (question.authorization !== undefined) {
    header = unwrapHeader(question.authorization);
    try {
      const parsed = JSON.parse(header) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
      else problems.push("The authorization header must be a JSON object.");
    } catch {
      problems.push("The authorization header is not JSON.");
    }
  } else {
    fields = {
      public_id: question.publicId,
      ts: question.ts,
      sig_field: question.sigField,
      sig: question.sig,
      trust_level: question.trustLevel,
    };
    header = JSON.stringify(fields);
  }
  // The received signature is not echoed back: no answer of the fake carries a signature it was sent.
  const sig = typeof fields.sig === "string" ? fields.sig : undefined;
  const ts =
    typeof fields.ts === "string" && policy.tsAsString === "accept" && /^\d{1,12}$/.test(fields.ts)
      ? Number(fields.ts)
      : fields.ts;
  const received = {
    publicId: typeof fields.public_id === "string" ? fields.public_id : null,
    sigField: typeof fields.sig_field === "string" ? fields.sig_field : null,
    ts: typeof ts === "number" && Number.isSafeInteger(ts) ? ts : null,
    sigGiven: sig !== undefined,
    trustLevel: typeof fields.trust_level === "string" ? fields.trust_level : null,
  };
  if (fields.ts !== undefined && received.ts === null)
    problems.push(`ts must be a whole number of seconds written as a JSON number; got ${JSON.stringify(fields.ts)}.`);

  // What the fake answers right now for this header (sent with og-authorization: True).
  const verdict = authenticate({ authorization: header, "og-authorization": "True" }, credentials, policy, clock);
  const nowSeconds = Math.floor(clock.now() / 1000);
  const window = received.ts === null ? null : timeWindow(received.ts, nowSeconds, policy);

  let signature = null;
  if (received.sigField !== null && received.ts !== null) {
    const user =
      received.publicId === credentials.publicId
        ? credentials.apiUsers.find((u) => u.sigField === received.sigField)
        : undefined;
    const keySource = question.hashKey !== undefined ? "given" : user ? "fake" : "none";
    const input = {
      publicId: received.publicId ?? "",
      sigField: received.sigField,
      ts: received.ts,
      trustLevel: received.trustLevel ?? undefined,
      hashKey: question.hashKey ?? user?.hashKey ?? "",
    };
    if (keySource === "none") {
      signature = {
        keySource,
        message: diagnose(input).message,
        matches: null,
        docExample: false,
        note: `The fake has no hash key for sig_field ${JSON.stringify(received.sigField)} of merchant ${JSON.stringify(received.publicId)}: enter the hash key to compute the expected signature.`,
      };
    } else {
      const d = diagnose(input, sig);
      signature = {
        keySource,
        message: d.message,
        // Only for a key the caller gave: an expected signature made with the fake's key is a credential.
        ...(keySource === "given" ? { expected: d.expected } : {}),
        matches: d.matches,
        ...(d.slip ? { slip: d.slip } : {}),
        docExample: d.docExample,
        ...(d.docExample ? { note: DOC_EXAMPLE_NOTE } : {}),
      };
      if (keySource === "given")
        return {
          received,
          problems,
          verdict: toVerdict(verdict, policy.failureStatus),
          window,
          signature,
          explanation: explain(input), // the working only: the verdict is above
        };
    }
  }
  return { received, problems, verdict: toVerdict(verdict, policy.failureStatus), window, signature };
}

function toVerdict(result: ReturnType<typeof authenticate>, failureStatus: number) {
  return result.ok
    ? { accepted: true, detail: "The fake accepts this header now (with og-authorization: True)." }
    : { accepted: false, status: failureStatus, detail: result.detail };
}

function timeWindow(ts: number, now: number, policy: { maxAgeSeconds: number; futureSkewSeconds: number }) {
  const age = now - ts;
  let note: string;
  let ok = false;
  if (age > policy.maxAgeSeconds)
    note = `Stale: signed ${duration(age)} ago; signatures are accepted for ${duration(policy.maxAgeSeconds)}.`;
  else if (-age > policy.futureSkewSeconds)
    note =
      ts > 1e11
        ? `From the future by ${duration(-age)}: ts looks like milliseconds; it is in seconds.`
        : `From the future by ${duration(-age)}; the allowed clock skew is ${duration(policy.futureSkewSeconds)}.`;
  else {
    ok = true;
    note =
      age >= 0
        ? `Signed ${duration(age)} ago: inside the window.`
        : `Signed ${duration(-age)} ahead: inside the allowed skew.`;
  }
  return {
    ts,
    tsIso: isoOrNull(ts),
    now,
    nowIso: isoOrNull(now),
    ageSeconds: age,
    maxAgeSeconds: policy.maxAgeSeconds,
    futureSkewSeconds: policy.futureSkewSeconds,
    ok,
    note,
  };
}

function isoOrNull(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Accepts what people paste: `authorization: {...}`, `-H 'authorization: {...}'`, or the JSON in quotes. */
function unwrapHeader(text: string): string {
  let s = text.trim();
  s = s.replace(/^-H\s+/, "").trim();
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"') && !s.startsWith('"{')))
    s = s.slice(1, -1).trim();
  s = s.replace(/^authorization\s*:\s*/i, "").trim();
  if (s.startsWith("'") && s.endsWith("'")) s = s.slice(1, -1).trim();
  return s;
}
