/**
 * The one `info` line per request, at no cost when the level filters it out: whether it is on is
 * read once and again only when the logger's level changes, so a filtered-out request makes no
 * timing call, no closure and no log object.
 */
import type { Logger } from "pino";

export class RequestLog {
  #on: boolean;

  constructor(private readonly logger: Logger | undefined) {
    this.#on = logger?.isLevelEnabled("info") ?? false;
    logger?.on("level-change", () => {
      this.#on = logger.isLevelEnabled("info");
    });
  }

  /** True when request lines are written at the logger's current level. */
  get on(): boolean {
    return this.#on;
  }

  write(fields: Record<string, unknown>): void {
    this.logger?.info(fields, "request");
  }
}
