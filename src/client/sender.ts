/**
 * One exchange with Ordergroove, done right: signed afresh per attempt, under the bulk window,
 * within the timeout, retried only where the policy says it is safe, and its answer read
 * tolerantly into a value or a typed error with secrets redacted. The facade (client.ts), the
 * batch fan-out (batches.ts) and the listing (pagination.ts) all talk to Ordergroove through it.
 */
import createClient from "openapi-fetch";
import type { Product } from "../../shared/api-types.js";
import { signedHeaders } from "../../shared/auth/signature.js";
import type { paths } from "../../shared/generated/openapi.js";
import { SlidingWindow } from "../../shared/throttle/sliding-window.js";
import { type HeldCredentials, secretsOf } from "./config.js";
import { describeConnectionFailure, shownUrl } from "./connection-failure.js";
import { errorFor, NetworkError, OrdergrooveError, TimeoutError, UnexpectedResponseError } from "./errors.js";
import { decideRetry, type RetryPolicy } from "./retry.js";
import { redact } from "./secret.js";
import { type MatchedResult, matchResults } from "./match-results.js";
import { type AnswerDrift, AnswerDriftReporter, readBatchResults, readProduct } from "./tolerant-reader.js";

export interface ClientLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
}

/** A value and the attempts it took (1 when the first one answered). */
export interface Attempted<T> {
  value: T;
  attempts: number;
}

export interface SenderOptions {
  baseUrl: string;
  credentials: HeldCredentials;
  fetch: (input: Request) => Promise<Response>;
  timeoutMs: number;
  /** Bulk requests per window; `false` turns the limiter off. */
  rateLimit: { limit: number; windowMs: number } | false;
  retry: RetryPolicy;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger: ClientLogger | undefined;
  /** Where answer drift goes; without it, to `logger.warn`. */
  onDrift: ((drift: AnswerDrift) => void) | undefined;
}

export class Sender {
  /** openapi-fetch over the generated paths. Private fields below keep credentials out of inspect and JSON. */
  readonly api: ReturnType<typeof createClient<paths>>;
  readonly #credentials: HeldCredentials;
  /** Where requests go, as an error may show it. */
  readonly #where: string;
  readonly #fetch: (input: Request) => Promise<Response>;
  readonly #timeoutMs: number;
  readonly #window: SlidingWindow | undefined;
  readonly #retry: RetryPolicy;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #logger: ClientLogger | undefined;
  readonly #drift: AnswerDriftReporter;

  constructor(options: SenderOptions) {
    this.api = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
    this.#credentials = options.credentials;
    this.#where = shownUrl(options.baseUrl);
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs;
    this.#window = options.rateLimit === false ? undefined : new SlidingWindow(options.rateLimit);
    this.#retry = options.retry;
    this.#now = options.now;
    this.#sleep = options.sleep;
    this.#random = options.random;
    this.#logger = options.logger;
    this.#drift = new AnswerDriftReporter(
      options.onDrift ??
        ((d) =>
          this.#logger?.warn?.(`Ordergroove's answer differs from the spec (${d.kind}): ${d.detail}`, {
            kind: d.kind,
          })),
    );
  }

  /** The injected fetch, for requests openapi-fetch cannot make (a `next` link's query). */
  fetch(input: Request): Promise<Response> {
    return this.#fetch(input);
  }

  /** One bulk request: the items' results in request order, or a typed error for the request as a whole. */
  sendBatch(method: "PATCH" | "POST", items: readonly unknown[]): Promise<Attempted<MatchedResult[]>> {
    const what = method === "PATCH" ? "update products" : "create products";
    return this.withRetries(what, { bulk: true, idempotent: method === "PATCH" }, async (signal) => {
      const init = { body: items as never, headers: this.authHeaders(), parseAs: "text" as const, signal };
      const r =
        method === "PATCH"
          ? await this.api.PATCH("/products-batch/update/", init)
          : await this.api.POST("/products-batch/create/", init);
      const body = this.parse(textOf(r));
      if (r.response.status !== 200 && r.response.status !== 207) throw this.errorFor(r.response, body, what);
      return this.readResults(r.response, body, items, what);
    });
  }

  /**
   * Runs one request with the throttle, the timeout and the retry policy. `bulk`: under the bulk
   * window; `idempotent` (default true): safe to resend after an answer that never came.
   */
  async withRetries<T>(
    what: string,
    kind: { bulk: boolean; idempotent?: boolean },
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<Attempted<T>> {
    const { bulk, idempotent = true } = kind;
    for (let n = 1; ; n++) {
      let slot: number | undefined;
      if (bulk && this.#window) {
        // Wait for a place in the window; re-check after waking, another batch may have taken it.
        for (let r = this.#window.reserve(this.#now()); ; r = this.#window.reserve(this.#now())) {
          if (r.waitMs === 0) {
            slot = r.slot;
            break;
          }
          await this.#sleep(r.waitMs);
        }
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
      try {
        const value = await attempt(controller.signal);
        return { value, attempts: n };
      } catch (error) {
        const e = asOrdergrooveError(error, what, controller.signal.aborted ? this.#timeoutMs : undefined, this.#where);
        e.attempts = n;
        const decision = decideRetry(e, n, this.#retry, this.#random, idempotent);
        if (!decision.retry) {
          // How long it was tried is part of "the connection failed": once, or for seconds.
          if (n > 1 && e instanceof NetworkError) e.message = e.message.replace(/\.$/, `; tried ${n} times.`);
          if (decision.unsafe) e.message = `${e.message} ${decision.reason}`;
          throw e;
        }
        this.#logger?.debug?.(`retrying: ${decision.reason}`, {
          attempt: n,
          delayMs: decision.delayMs,
          status: e.status,
        });
        await this.#sleep(decision.delayMs);
      } finally {
        clearTimeout(timer);
        // The server saw this request at some time up to now: count it from now.
        if (slot !== undefined) this.#window!.settle(slot, this.#now());
      }
    }
  }

  /** Signed afresh for every attempt: a retry after minutes must not carry a stale ts. */
  authHeaders(): Record<string, string> {
    const c = this.#credentials;
    if (c.kind === "api-key") return { "x-api-key": c.apiKey.reveal() };
    return signedHeaders(
      { publicId: c.publicId, sigField: c.sigField, hashKey: c.hashKey.reveal(), trustLevel: c.trustLevel },
      Math.floor(this.#now() / 1000),
    );
  }

  /** A body as JSON, or as (shortened) text when it is not; secrets redacted either way. */
  parse(text: string): unknown {
    const clean = redact(text, secretsOf(this.#credentials));
    if (clean.length === 0) return undefined;
    try {
      return JSON.parse(clean);
    } catch {
      return clean.length > 1000 ? `${clean.slice(0, 1000)}…` : clean;
    }
  }

  /** The typed error of a failed answer, with its Retry-After for the retry policy. */
  errorFor(response: Response, body: unknown, what: string): OrdergrooveError {
    return errorFor(response.status, what, {
      body,
      requestId: requestIdOf(response),
      retryAfterMs: retryAfterMs(response.headers.get("retry-after"), this.#now()),
    });
  }

  /** A product answer: the product, null for a 404, a typed error otherwise. */
  readProduct(response: Response, text: string, what: string): Product | null {
    const body = this.parse(text);
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.errorFor(response, body, what);
    const read = readProduct(body, this.#drift);
    if (!read.ok) {
      throw new UnexpectedResponseError(`Failed to ${what}: ${read.why}.`, {
        status: 200,
        body,
        requestId: requestIdOf(response),
      });
    }
    return read.value;
  }

  /**
   * Accepts every documented form: {results: [...]} or [{results: [...]}, ...], with 200 or 207.
   * One entry per item sent, in request order: its result, or why no result could be matched to it
   * (see ./match-results.ts). Only an answer that cannot be read at all fails the whole batch.
   */
  readResults(response: Response, body: unknown, sent: readonly unknown[], what: string): MatchedResult[] {
    const unexpected = (why: string) =>
      new UnexpectedResponseError(`Failed to ${what}: ${why}; the batch may or may not have been applied.`, {
        status: response.status,
        body,
        requestId: requestIdOf(response),
      });
    const read = readBatchResults(body, this.#drift);
    if (!read.ok) throw unexpected(`the ${response.status} answer cannot be read (${read.why})`);
    const results = read.value;
    if (results.length !== sent.length) throw unexpected(`sent ${sent.length} items, got ${results.length} results`);
    return matchResults(
      sent.map((item) => productIdOf(item)),
      results,
      (why) =>
        new UnexpectedResponseError(`Failed to ${what}: ${why}; this item may or may not have been applied.`, {
          status: response.status,
          body,
          requestId: requestIdOf(response),
        }),
    );
  }
}

/**
 * The body as text. openapi-fetch honours parseAs only for successes and hands error bodies
 * over already parsed, so serialise those back for one code path.
 */
export function textOf(r: { data?: unknown; error?: unknown }): string {
  const raw = r.data ?? r.error;
  if (raw === undefined || raw === null) return "";
  return typeof raw === "string" ? raw : JSON.stringify(raw);
}

/**
 * Retry-After in ms: whole seconds, or an HTTP date (HTTP allows both; which one Ordergroove sends
 * is not documented, the spec says readers accept either). A date is read against the client's
 * clock; one already past means "now". Anything else is no Retry-After: the policy backs off.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // HTTP's three date forms (IMF-fixdate, RFC 850, asctime), all GMT; asctime says so nowhere, and
  // Date.parse would read it in the local zone. Anything else is not a date.
  let at = Number.NaN;
  if (/^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) at = Date.parse(value);
  else if (/^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(value)) at = Date.parse(`${value} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function productIdOf(item: unknown): string | null {
  const id = (item as { product_id?: unknown } | null)?.product_id;
  return typeof id === "string" ? id : null;
}

export function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined;
}

/** Anything thrown while talking to Ordergroove, as one of the typed errors. */
export function asOrdergrooveError(
  error: unknown,
  what: string,
  timedOutAfterMs?: number,
  where?: string,
): OrdergrooveError {
  if (error instanceof OrdergrooveError) return error;
  if (timedOutAfterMs !== undefined) {
    return new TimeoutError(`Failed to ${what}: no answer within ${timedOutAfterMs} ms.`, { cause: error });
  }
  if (!isFetchFailure(error)) throw error; // a bug, not a network problem: let it surface as is
  const to = where ? ` to ${where}` : "";
  return new NetworkError(`Failed to ${what}: the connection${to} failed (${describeConnectionFailure(error)}).`, {
    cause: error,
  });
}

/** fetch rejects with a TypeError ("fetch failed" in Node, "Failed to fetch" under MSW) or an AbortError. */
function isFetchFailure(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | null;
  return e?.name === "AbortError" || (error instanceof TypeError && /fetch|network|terminated/i.test(e?.message ?? ""));
}
