/**
 * The process event og-mock emits once its first request has been answered. The code cache
 * (code-cache.ts) is made then: it holds the whole cold start (start-up and a first request),
 * and nothing a later request happens to run (the admin API, the dashboard), which every start
 * would otherwise read and pay for. Its own module, so that neither side imports the other.
 */
export const FIRST_ANSWER_EVENT = "og-mock:first-answer";

/**
 * Emitted when og-mock changes V8's flags after start (--low-memory): a code cache made after
 * that carries the new flags, which every start compiles without, so V8 would reject it on each
 * of them and the normal runs' cache would be overwritten. Such a run writes no cache.
 */
export const V8_FLAGS_CHANGED_EVENT = "og-mock:v8-flags-changed";
