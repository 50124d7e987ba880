/**
 * The journal entry of one request: what the fake's checks noted on the way (a Trace) and the
 * answer, in the key order the journal has always shown. This runs for every request, so the
 * entry is built as one literal, without spreads, and its time is formatted once per millisecond.
 */
import type { Principal } from "../auth/authenticate.js";
import type { Clock } from "../clock.js";
import type { CoreRequest, CoreResponse } from "../messages.js";
import { type Journal, type JournalEntry, journalBody, type JournalTexts, keepsParsed } from "./journal.js";
import { maskHeaders } from "./masking.js";

/** Carried from the checks to the journal entry of one request. */
export interface Trace {
  principal: Principal | null;
  parsed?: unknown;
  fault?: string;
  authRefusal?: string;
  /** The fake's explanation of an answer that is not a refusal of credentials (sent as x-og-mock-hint too). */
  hint?: string;
  /** What the journal keeps of the answer, when not the whole body. */
  journalBody?: unknown;
  /** Unknown item fields that were ignored (not refused), in order of first appearance. */
  ignoredFields?: Set<string>;
  /** Who answered, when og-mock proxies (../proxy/source.ts); the fake's own entries have none. */
  source?: "real" | "fake" | "proxy";
  /** How the upstream's answer breaks the spec, when og-mock proxies (../proxy/check-answer.ts). */
  violations?: Array<{ pointer: string; message: string }>;
  /** With --shadow: how the fake's answer to the same request differed (../proxy/shadow.ts). */
  differences?: Array<{ pointer: string; message: string; real: unknown; fake: unknown; setting?: string }>;
  /** The request's headers as the proxy masked them (../proxy/secrets.ts), instead of the journal's own masking. */
  maskedHeaders?: Record<string, string>;
}

/**
 * The clock's time in ISO form. The date and time of day are formatted once per second and the
 * milliseconds added to them: a busy fake sees a new millisecond on nearly every request, and
 * `toISOString()` each time was a visible part of the hot path (bench figure 2).
 */
export class EntryTime {
  readonly #options: { readonly clock: Clock };
  #ms = Number.NaN;
  #iso = "";
  #second = Number.NaN;
  /** `YYYY-MM-DDTHH:MM:SS.` of #second. */
  #prefix = "";

  /** Reads `options.clock` at each entry, as the fake's other checks do. */
  constructor(options: { readonly clock: Clock }) {
    this.#options = options;
  }

  now(): string {
    const now = this.#options.clock.now();
    if (now !== this.#ms) {
      this.#ms = now;
      // As Date does: whole milliseconds, the fraction cut off (toward zero, also before 1970).
      const ms = Math.trunc(now);
      const second = Math.floor(ms / 1000);
      if (second !== this.#second) {
        this.#second = second;
        // "...SS.000Z" without its "000Z" (also right for the six-digit years toISOString writes).
        this.#prefix = new Date(second * 1000).toISOString().slice(0, -4);
      }
      const part = ms - second * 1000;
      this.#iso = `${this.#prefix}${part < 10 ? "00" : part < 100 ? "0" : ""}${part}Z`;
    }
    return this.#iso;
  }
}

/**
 * Journals one exchange. When the journal keeps entries, the answer's text is made here once and
 * left on `response.text`, so the host sends it rather than stringifying the body again.
 */
export function recordExchange(
  journal: Journal,
  time: EntryTime,
  req: CoreRequest,
  response: CoreResponse,
  trace: Trace,
  ms: number,
): void {
  // Bodies are kept as their texts and parsed again when the journal is read (JournalTexts).
  const lazy = keepsParsed(req.body, trace.parsed);
  const answerText =
    journal.limit > 0 && !response.drop && response.body !== undefined && !("journalBody" in trace)
      ? (response.text ??= JSON.stringify(response.body))
      : undefined;
  // Built without spreads: this runs for every request, and a spread showed in a 1-item batch's profile.
  let texts: JournalTexts | undefined;
  if (lazy) texts = answerText === undefined ? { body: req.body! } : { body: req.body!, responseBody: answerText };
  else if (answerText !== undefined) texts = { responseBody: answerText };
  const entry: JournalEntry = {
    seq: 0,
    at: time.now(),
    method: req.method.toUpperCase(),
    path: req.path,
    headers: trace.maskedHeaders ?? maskHeaders(req.headers),
    body: lazy ? null : journalBody(req.body, trace.parsed),
    principal: trace.principal,
    response: response.drop
      ? { dropped: true }
      : {
          status: response.status,
          body: answerText !== undefined ? null : "journalBody" in trace ? trace.journalBody : response.body,
        },
    ms: Math.round(ms * 100) / 100,
  };
  journal.recordOwn(
    trace.ignoredFields || trace.authRefusal || trace.fault || trace.hint || trace.source
      ? withNotes(entry, trace)
      : entry,
    texts,
  );
}

/** The entry with the trace's notes, in the order the journal has always shown them. */
function withNotes(entry: JournalEntry, trace: Trace): JournalEntry {
  const { seq, at, method, path, headers, body, principal, response, ms } = entry;
  return {
    seq,
    at,
    method,
    path,
    headers,
    body,
    principal,
    ...(trace.ignoredFields ? { ignoredFields: [...trace.ignoredFields] } : {}),
    response,
    ...(trace.authRefusal ? { authRefusal: trace.authRefusal } : {}),
    ...(trace.hint ? { hint: trace.hint } : {}),
    ...(trace.fault ? { fault: trace.fault } : {}),
    ...(trace.source ? { source: trace.source } : {}),
    ...(trace.violations?.length ? { violations: trace.violations } : {}),
    ...(trace.differences?.length ? { differences: trace.differences } : {}),
    ms,
  };
}
