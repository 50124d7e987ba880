/**
 * `og-mock --upstream --learn FILE`: the profile the proxy learns (../core/proxy/learn.ts),
 * written to FILE as traffic flows (at most once a second, and only when something was learnt)
 * and once more when og-mock stops. Written whole to a temporary file and renamed, so a reader
 * (`og-mock --profile FILE` in another terminal) never sees half a profile.
 */
import { renameSync, writeFileSync } from "node:fs";
import { systemClock } from "../core/clock.js";
import type { MockCredentials } from "../core/auth/authenticate.js";
import { Learner } from "../core/proxy/learn.js";
import { kitVersion } from "../../shared/kit-version.js";

export class LearnFile {
  readonly learner: Learner;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly file: string,
    target: string,
    /** Every credential og-mock holds: removed from any refusal text the profile keeps. */
    held: ReadonlyArray<Partial<MockCredentials>> = [],
  ) {
    this.learner = new Learner(target, kitVersion(), systemClock, held.flatMap(secretsOf));
    this.#timer = setInterval(() => this.#writeIfChanged(), 1000);
    this.#timer.unref();
  }

  /** Writes the last of what was learnt; called when og-mock stops. */
  close(): void {
    clearInterval(this.#timer);
    this.#writeIfChanged();
  }

  #writeIfChanged(): void {
    if (!this.learner.takeChanged()) return;
    try {
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(this.learner.profile(), null, 2)}\n`);
      renameSync(temporary, this.file);
    } catch (error) {
      console.error(`og-mock: Failed to write the learnt profile ${this.file}: ${(error as Error).message}.`);
    }
  }
}

function secretsOf(credentials: Partial<MockCredentials>): string[] {
  return [
    ...(credentials.apiKeys ?? []),
    ...(credentials.apiUsers ?? []).map((user) => user.hashKey),
    credentials.merchantHashKey ?? "",
  ].filter((secret) => secret !== "");
}
