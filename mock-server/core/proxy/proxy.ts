/**
 * The proxy: another source of answers behind the same front, not a second server. Per request it
 * decides who answers: the admin side and paths outside the products API stay local (the front
 * answers), products-API requests go to the upstream, and og-mock answers for itself only when it
 * must refuse (never an open proxy) or the upstream gave no answer (502/504, or the fake when the
 * user asked for --upstream-fallback fake). Against production, writes are the fake's unless the
 * user allowed them at start; one request may ask for the fake or the upstream (`x-og-mock-route`). The upstream's answer passes as it came: status,
 * body bytes, end-to-end headers.
 */
import type { MockCredentials } from "../auth/authenticate.js";
import type { Front } from "../front.js";
import { withHint } from "../hint.js";
import { type CoreRequest, type CoreResponse, json } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";
import { matchRoute, type Operation } from "../routes.js";
import type { Learner } from "./learn.js";
import { type NotLearnt, notLearnt } from "./not-learnt.js";
import { type Difference, shadowDifferences } from "./shadow.js";
import { answerViolations, type Violation, VIOLATIONS_HEADER, violationsHeader } from "./check-answer.js";
import { answerBody, sentJson } from "./bodies.js";
import { refusalBeforeForwarding } from "./check-request.js";
import { answerHeadersFrom, requestHeadersFor } from "./headers.js";
import { proxiedHeaders } from "./secrets.js";
import { type AnswerSource, marked } from "./source.js";
import type { UpstreamTarget } from "./targets.js";
import { type Upstream, type UpstreamAnswer, UpstreamFailure } from "./upstream.js";
import { maskSecretQuery } from "../secret-query.js";

export interface ProxyOptions {
  /** Where products-API requests go (./targets.ts). */
  target: UpstreamTarget;
  /** The network call (injected: ../../node/upstream.ts in og-mock, a local function in tests). */
  upstream: Upstream;
  /** What answers when the upstream cannot be reached: a 502 (default) or the fake, marked `fake`. */
  fallback?: "fake" | undefined;
  /** Forward writes to production (default: the fake answers them, marked `fake`). */
  allowProductionWrites?: boolean | undefined;
  /** The fake holds the merchant's own credentials: verify signatures before forwarding (./check-request.ts). */
  verifySignatures?: boolean | undefined;
  /**
   * The merchant's credentials to verify signatures with (og-contract's OG_PUBLIC_ID, OG_SIG_FIELD,
   * OG_HASH_KEY, OG_API_KEY), when they are not the fake's own.
   */
  merchantCredentials?: MockCredentials | undefined;
  /** Forward a request the spec refuses anyway, flagged in `x-og-mock-hint` (default: answered by og-mock). */
  forwardInvalid?: boolean | undefined;
  /** Replays each real exchange against the fake and compares the outcomes (--shadow, ./shadow.ts). */
  shadow?: boolean | undefined;
  /** Requests waiting on the upstream at once before og-mock answers 503 (default 256). */
  maxInFlight?: number | undefined;
  /** Learns what the upstream does from real traffic (--learn, ./learn.ts). */
  learner?: Learner | undefined;
  /** Told of every upstream answer that breaks the spec or that the fake answered differently (og-mock's log, --report). */
  onViolations?: ((found: FoundViolations) => void) | undefined;
  /** Told of every real answer --learn could not read, which taught nothing (og-mock's log, --report). */
  onNotLearnt?: ((skipped: NotLearnt) => void) | undefined;
}

/** An upstream answer that broke the spec: which exchange (its journal entry) and how. */
export interface FoundViolations {
  seq: number;
  method: string;
  path: string;
  status: number;
  violations: Violation[];
  /** With --shadow: how the fake's answer to the same request differed. */
  differences: Difference[];
}

const DEFAULT_MAX_IN_FLIGHT = 256;

/** The request header by which one request chooses who answers it. */
export const ROUTE_HEADER = "x-og-mock-route";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export class UpstreamProxy {
  readonly #front: Front;
  readonly #options: ProxyOptions;
  readonly #host: string;
  /** Exchanges waiting on the upstream now: each holds its request and, soon, an answer in memory. */
  #inFlight = 0;

  constructor(front: Front, options: ProxyOptions) {
    this.#front = front;
    this.#options = options;
    this.#host = new URL(options.target.origin).host;
  }

  /** The complete answer to a request whose body the host has read. Never rejects. */
  answer(req: CoreRequest): CoreResponse | Promise<CoreResponse> {
    if (this.#front.isAdmin(req.path)) return this.#front.answer(req);
    // An absolute-form target (GET http://elsewhere/ HTTP/1.1) asks og-mock to be an open proxy.
    if (!req.path.startsWith("/")) return this.#refused(req, refuseOpenProxy(req.method), "not an open proxy");
    const query = req.path.indexOf("?");
    const pathname = query === -1 ? req.path : req.path.slice(0, query);
    const route = matchRoute(req.method, pathname);
    if (route.kind === "none") return marked(this.#front.answer(req), "fake");
    const chosen = req.headers[ROUTE_HEADER];
    if (chosen !== undefined && chosen !== "fake" && chosen !== "real") {
      return this.#refused(
        req,
        json(400, {
          detail: `Failed to route the request: ${ROUTE_HEADER} is fake or real, not ${JSON.stringify(chosen.slice(0, 40))}. Leave it out to let og-mock decide.`,
          source: "proxy",
        }),
        `unknown ${ROUTE_HEADER}`,
      );
    }
    if (chosen === "fake") return marked(this.#front.answer(req), "fake");
    const { target, allowProductionWrites } = this.#options;
    if (target.production && !allowProductionWrites && !READS.has(req.method.toUpperCase())) {
      // Production is safe by default: a write reaches it only when the user said so at start,
      // whatever a request asks for itself.
      return marked(
        withHint(
          this.#front.answer(req),
          `A write to production is answered by the fake; start og-mock with --allow-production-writes to forward it.`,
        ),
        "fake",
      );
    }
    if (route.kind !== "operation") return this.#forward(req, undefined);
    const mock = this.#merchantOf(req);
    const refused = refusalBeforeForwarding(req, route.operation, mock, this.#verifyWith(mock));
    if (!refused) return this.#forward(req, route.operation);
    if (this.#options.forwardInvalid) return this.#forward(req, route.operation, refused.why);
    journal(mock, req, marked(refused.answer, "proxy"), "proxy", { fault: "refused by the proxy before forwarding" });
    return refused.answer;
  }

  /**
   * The merchant a request is for, when og-mock serves several (--merchants): the one its
   * public_id or API key names, as the fake picks it, whose credentials verify the signature and
   * whose journal keeps the exchange; a request naming none is the first merchant's.
   */
  #merchantOf(req: CoreRequest): OrdergrooveMock {
    const merchants = this.#front.merchants;
    if (merchants.size === 1) return merchants.default;
    const named = merchants.pick(req);
    return merchants.merchant(named.options.credentials.publicId) === named ? named : merchants.default;
  }

  /**
   * The credentials a request's signature may be verified with: og-contract's settings, and with
   * --merchants the merchant the request names. Both may be given: the settings hold one
   * merchant's keys, the file each merchant's; whichever holds the request's key verifies it.
   */
  #verifyWith(mock: OrdergrooveMock): MockCredentials[] {
    const { merchantCredentials, verifySignatures } = this.#options;
    const held = verifySignatures ? [mock.options.credentials] : [];
    return merchantCredentials ? [...held, merchantCredentials] : held;
  }

  /** og-mock's own refusal, marked and journaled (with its cause in `fault`) as every answer it gives for itself. */
  #refused(req: CoreRequest, response: CoreResponse, fault: string): CoreResponse {
    marked(response, "proxy");
    journal(this.#merchantOf(req), req, response, "proxy", { fault });
    return response;
  }

  /** A body over the limit is refused before it is read, and never forwarded: og-mock's own answer. */
  tooLarge(req: CoreRequest, bytes: number): CoreResponse {
    const refused = this.#front.tooLarge(req, bytes);
    return this.#front.isAdmin(req.path) ? refused : marked(refused, "proxy");
  }

  async #forward(req: CoreRequest, operation: Operation | undefined, invalid?: string): Promise<CoreResponse> {
    const limit = this.#options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (this.#inFlight >= limit) {
      // A bound on what clients can make og-mock hold: beyond it, a refusal rather than a queue.
      return this.#refused(
        req,
        json(503, {
          detail: `Failed to forward: ${limit} requests are already waiting on the upstream. Retry shortly.`,
          source: "proxy",
        }),
        `${limit} requests already waiting on the upstream`,
      );
    }
    this.#inFlight++;
    try {
      return await this.#exchange(req, operation, invalid);
    } finally {
      this.#inFlight--;
    }
  }

  async #exchange(req: CoreRequest, operation: Operation | undefined, invalid?: string): Promise<CoreResponse> {
    const { target, upstream, fallback } = this.#options;
    const mock = this.#merchantOf(req);
    const started = Date.now();
    // The bytes the client sent, not their UTF-8 reading: a byte that is not UTF-8 reaches the
    // upstream as it was sent (a host that reads no bytes, such as MSW, has only the text).
    const body = req.bytes ?? (req.body === undefined ? undefined : Buffer.from(req.body, "utf8"));
    let answer: UpstreamAnswer;
    try {
      answer = await upstream({
        method: req.method,
        url: target.origin + req.path,
        headers: requestHeadersFor(req.headers, this.#host, body),
        body,
      });
    } catch (error) {
      const failure =
        error instanceof UpstreamFailure ? error : new UpstreamFailure("connect", (error as Error).message);
      if (failure.kind === "connect" && fallback === "fake") {
        return marked(
          withHint(
            this.#front.answer(req),
            `The upstream could not be reached (${failure.message}); the fake answered.`,
          ),
          "fake",
        );
      }
      const refused = transportError(failure, target.origin);
      journal(mock, req, refused, "proxy", { ms: Date.now() - started, fault: failure.message });
      return refused;
    }
    const response = marked(
      { status: answer.status, headers: answerHeadersFrom(answer.headers), bytes: answer.body },
      "real",
    );
    let differences: Difference[] = [];
    const violations = operation ? answerViolations(req, operation, answer) : [];
    if (operation && this.#options.shadow) {
      const parsed = answerBody(answer).json;
      const json = parsed.ok ? parsed.value : undefined;
      differences = shadowed(mock, req, operation, answer.status, json);
    }
    journal(mock, req, response, "real", {
      ms: Date.now() - started,
      fault: invalid && `forwarded although invalid: ${invalid}`,
      violations,
      differences,
      answer,
    });
    const seq = mock.journal.total;
    // Every real answer, a path without its slash too: the learner decides what it shows. After
    // the journal, so an answer it cannot read is told with its journal entry.
    const { learner, onNotLearnt } = this.#options;
    if (learner) learnt(learner, req, answer, seq, onNotLearnt);
    if (violations.length || differences.length) {
      if (violations.length) response.headers[VIOLATIONS_HEADER] = violationsHeader(violations, seq);
      this.#options.onViolations?.({
        seq,
        method: req.method,
        path: maskSecretQuery(req.path),
        status: answer.status,
        violations,
        differences,
      });
    }
    // --forward-invalid: the user asked for it, and the answer says what og-mock would have refused.
    return invalid === undefined ? response : withHint(response, `Forwarded although invalid: ${invalid}`);
  }
}

/**
 * The shadow's differences; a replay that fails is listed as one, never lost with the real answer,
 * which passes as it came whatever the fake made of the request.
 */
function shadowed(
  mock: OrdergrooveMock,
  req: CoreRequest,
  operation: Operation,
  status: number,
  body: unknown,
): Difference[] {
  try {
    return shadowDifferences(mock, req, operation, status, body);
  } catch (error) {
    const why = error instanceof Error ? error.name : "an unknown error";
    return [{ pointer: "", message: `the fake could not replay the request (${why})`, real: status, fake: null }];
  }
}

/**
 * Learns from a real exchange; an answer the learner cannot read (one that breaks the spec in a
 * way it did not foresee) teaches nothing, and never costs the client the real answer. The user
 * is told (`onNotLearnt`): a profile silently missing what the traffic showed would pass for
 * one the traffic never showed.
 */
function learnt(
  learner: Learner,
  req: CoreRequest,
  answer: UpstreamAnswer,
  seq: number,
  onNotLearnt: ProxyOptions["onNotLearnt"],
): void {
  try {
    learner.observe(req, answer);
  } catch (error) {
    // Nothing learnt from this exchange: the answer passes as it came.
    onNotLearnt?.(notLearnt(req, answer.status, seq, error, learner.secrets));
  }
}

/** 405 to CONNECT and a 400 to an absolute-form target: og-mock forwards only to its one upstream. */
export function refuseOpenProxy(method: string): CoreResponse {
  const connect = method.toUpperCase() === "CONNECT";
  return marked(
    json(connect ? 405 : 400, {
      detail: `Failed to forward: og-mock is not an open proxy; it forwards only paths (such as /products/) to its --upstream.${connect ? " CONNECT is refused." : " Send the path, not an absolute URL."}`,
      source: "proxy",
    }),
    "proxy",
  );
}

/** 504 when the upstream took too long, 502 when no answer could be had: JSON naming the upstream and the cause. */
export function transportError(failure: UpstreamFailure, origin: string): CoreResponse {
  const timeout = failure.kind === "timeout";
  const status = timeout ? 504 : 502;
  const what = timeout ? "the upstream did not answer in time" : "no answer could be had from the upstream";
  return marked(
    json(status, {
      detail: `Failed to forward to ${origin}: ${what} (${failure.message}).${timeout ? " Raise --upstream-timeout if it is slow on purpose." : failure.kind === "lost" ? " The upstream may have run it: check before sending a write again." : " Check that it is running and reachable."}`,
      source: "proxy",
      upstream: origin,
      cause: failure.kind,
    }),
    "proxy",
  );
}

/**
 * Journals a proxied exchange in the merchant's journal like the fake's own, with its source and
 * the credentials kept as ./secrets.ts says. The upstream's body is kept as JSON when it is plain
 * JSON, else described (an encoded or binary body is not the journal's to decode); the journal's
 * byte budget bounds it as it bounds the fake's.
 */
function journal(
  mock: OrdergrooveMock,
  req: CoreRequest,
  response: CoreResponse,
  source: AnswerSource,
  notes: {
    ms?: number;
    fault?: string | undefined;
    violations?: Violation[];
    differences?: Difference[];
    /** The upstream's answer, when it answered: its body as read once for every use (./bodies.ts). */
    answer?: UpstreamAnswer;
  },
): void {
  const { fault, violations, differences, answer } = notes;
  const kept: CoreResponse = { status: response.status, headers: {}, body: response.body };
  if (answer) journalAnswer(kept, response, answer);
  // Parsed where it is JSON, as the fake's own entries keep it; else its text, as sent.
  const sent = req.body === undefined ? undefined : sentJson(req);
  const parsed = sent?.ok ? sent.value : undefined;
  mock.recordProxied(
    req,
    kept,
    {
      source,
      parsed,
      maskedHeaders: proxiedHeaders(req.headers),
      ...(fault ? { fault } : {}),
      ...(violations?.length ? { violations } : {}),
      ...(differences?.length ? { differences } : {}),
    },
    notes.ms ?? 0,
  );
}

/**
 * The upstream's body as the journal keeps it: JSON when it is plain JSON (with its text, which
 * the journal keeps rather than writing the parsed body out again), else its text, or a
 * description of an encoded body (not the journal's to decode).
 */
function journalAnswer(kept: CoreResponse, response: CoreResponse, answer: UpstreamAnswer): void {
  if (answer.body.byteLength === 0) return void (kept.body = undefined);
  const encoding = response.headers["content-encoding"];
  if (encoding && encoding !== "identity") {
    kept.body = `[${encoding}-encoded body, ${answer.body.byteLength} bytes]`;
    return;
  }
  const { text, json } = answerBody(answer);
  kept.body = json.ok ? json.value : text;
  if (json.ok) kept.text = text;
}
