/** The standalone fake as a library: `ordergroove-stock-kit/express`. */
export { type AppOptions, createApp } from "./app.js";
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  isLoopback,
  type RunningMockServer,
  type ServerOptions,
  startMockServer,
} from "../node/server.js";
