/** A client wired to a test server's manual clock: its sleeps move the clock instead of waiting. */
import { type ClientOptions, OrdergrooveClient } from "../../src/client/client.js";
import { CREDS, type TestServer } from "./mock-server.js";

export interface TestClient {
  client: OrdergrooveClient;
  /** Every sleep the client asked for, in ms. */
  sleeps: number[];
}

export function clientFor(og: TestServer, options: Partial<ClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const client = new OrdergrooveClient({
    environment: { baseUrl: og.url },
    credentials: { kind: "hmac", ...CREDS },
    now: () => og.clock.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
      og.clock.advance(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { client, sleeps };
}
