/**
 * What og-mock --learn tells the user of the real answers it could not read (each taught nothing
 * and passed to the client as it came: ../core/proxy/not-learnt.ts): warnings in og-mock's log,
 * the counts in --report (./violation-report.ts) and one line when og-mock stops.
 *
 * Bounded: one integration hitting the same defect a thousand times a minute must not flood the
 * log. A reason (the error's name and message) is logged the first time it is seen, then again
 * when its count reaches 10, 100, 1,000 and so on, each line with the count so far: a handful of
 * lines however long the run, no timer to keep, and a long run still shows that it goes on. The
 * first 20 distinct reasons are kept; further ones are counted together.
 */
import type { Logger } from "pino";
import type { NotLearnt } from "../core/proxy/not-learnt.js";

const MAX_REASONS = 20;
/** The reason every reason past the first MAX_REASONS is counted under. */
const OTHER_REASONS = "(other reasons)";

/** One reason and how often it made --learn skip an answer, with the first such exchange. */
export interface SkipReason {
  error: string;
  count: number;
  first: Omit<NotLearnt, "error">;
}

export class LearnSkips {
  readonly #reasons = new Map<string, SkipReason>();
  #total = 0;

  constructor(readonly logger?: Pick<Logger, "warn">) {}

  /** Told of one answer --learn could not read. */
  add(skipped: NotLearnt): void {
    this.#total++;
    const { error, ...exchange } = skipped;
    const said = `${error.name}: ${error.message}`;
    const key = this.#reasons.has(said) || this.#reasons.size < MAX_REASONS ? said : OTHER_REASONS;
    let reason = this.#reasons.get(key);
    if (!reason) this.#reasons.set(key, (reason = { error: key, count: 0, first: exchange }));
    reason.count++;
    if (!isPowerOfTen(reason.count)) return;
    const again = reason.count === 1 ? "" : ` (${reason.count} answers so far for this reason)`;
    this.logger?.warn(
      { ...exchange, error: key, skipped: reason.count },
      `--learn could not read the upstream's answer and learnt nothing from it${again}; the client got it as it came: ${key}`,
    );
  }

  /** Answers --learn could not read, since the start. */
  get total(): number {
    return this.#total;
  }

  /** Every reason, most frequent first. */
  reasons(): SkipReason[] {
    return [...this.#reasons.values()].sort((a, b) => b.count - a.count);
  }

  /** The one line said when og-mock stops, when anything was skipped. */
  close(): void {
    if (this.#total === 0) return;
    const reasons = this.reasons();
    this.logger?.warn(
      { skipped: this.#total, reasons: reasons.length },
      `--learn could not read ${this.#total} upstream answer(s), which taught nothing; most often: ${reasons[0]!.error} (${reasons[0]!.count})`,
    );
  }
}

function isPowerOfTen(n: number): boolean {
  let k = n;
  while (k >= 10 && k % 10 === 0) k /= 10;
  return k === 1;
}
