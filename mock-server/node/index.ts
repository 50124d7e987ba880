/**
 * The fake as a server in your own code, without Express: `ordergroove-stock-kit/server`
 * (`startMockServer`, og-mock's node:http host). `ordergroove-stock-kit/express` exports the same
 * and `createApp()`, which needs express installed.
 */
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  isLoopback,
  type RunningMockServer,
  type ServerOptions,
  startMockServer,
} from "./server.js";
