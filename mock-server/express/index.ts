/** The fake as a server in your own code: `ordergroove-stock-kit/express` (`startMockServer`, and `createApp()` to mount it in an Express app). */
export { type AppOptions, createApp } from "./app.js";
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  isLoopback,
  type RunningMockServer,
  type ServerOptions,
  startMockServer,
} from "../node/server.js";
