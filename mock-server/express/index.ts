/** The fake as a server in your own code: `ordergroove-stock-kit/express` (`startMockServer`, and `createApp()` to mount it in an Express app). */
export { type AppOptions, createApp } from "./app.js";
// Everything `ordergroove-stock-kit/server` exports, from the one list of it.
export * from "../node/index.js";
