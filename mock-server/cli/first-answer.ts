/**
 * The process event og-mock emits once its first request has been answered. The code cache
 * (code-cache.ts) is made then: it holds the whole cold start (start-up and a first request),
 * and nothing a later request happens to run (the admin API, the dashboard), which every start
 * would otherwise read and pay for. Its own module, so that neither side imports the other.
 */
export const FIRST_ANSWER_EVENT = "og-mock:first-answer";
